// Executes the attn-ops-gpu kernels (sm_80 NVVM: rope, kv_append,
// masked_softmax, qkv_proj with its RoPE epilogue, out_proj) on the CPU in
// the SIMT emulator of tools/gpu/emulate and compares them with float64
// references written from the op descriptions: relative Frobenius error
// f32 1e-5, f16 2e-3, bf16 1e-2, every output element written, no NaN; the
// kv_append caches bit-exactly, with exactly the expected failed cf.asserts
// for out-of-range start positions and block ids; no out-of-bounds global or
// shared access, no shared memory race, no divergent warp collective.
//
// A small subset runs here (interleaved partial rope with rank-2 i32
// positions, f16 llama3 rope, paged bf16 kv_append over shuffled blocks,
// paged kv_append errors, causal softmax with an i1 broadcast mask and a
// fully masked row, f16 window+softcap softmax with a float mask, fused
// out_in qkv_proj with bf16 weights and a RoPE epilogue, f16 out_in
// out_proj with bias); the full list by hand:
//   /usr/bin/python3 tools/gpu/emulate/run_ops.py \
//     --attnc-opt build/bin/attnc-opt [--only SUBSTRING]
//
// RUN: %python %attnc_src_root/tools/gpu/emulate/run_ops.py \
// RUN:   --attnc-opt attnc-opt --subset lit | FileCheck %s

// CHECK-NOT: FAIL
// CHECK: 8 of 8 cases pass
