// Executes the attn-attention-gpu kernels (sm_80 NVVM: mma.sync m16n8k16
// for f16/bf16, FMAs for f32, split-KV decode + merge) on the CPU in the SIMT
// emulator of tools/gpu/emulate and compares them with float64 references
// written from the op descriptions: relative Frobenius error f32 1e-5,
// f16 2e-3, bf16 1e-2; every output element written exactly once, no NaN,
// no failed cf.assert, no out-of-bounds global or shared access, no shared
// memory race between barriers, no divergent warp collective or barrier.
//
// A small subset runs here (f16 causal Sq=65, bf16 GQA window + i1 mask,
// f32 softcap with Dv != D, f32 causal Sq > Skv, bf16 paged decode with
// three splits); the full list (attention and decode, every option) by hand:
//   /usr/bin/python3 tools/gpu/emulate/run_attention.py \
//     --attnc-opt build/bin/attnc-opt [--only SUBSTRING]
//
// RUN: %python %attnc_src_root/tools/gpu/emulate/run_attention.py \
// RUN:   --attnc-opt attnc-opt --subset lit | FileCheck %s

// CHECK-NOT: FAIL
// CHECK: 5 of 5 cases pass
