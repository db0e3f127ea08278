// Low-precision KV caches in whole models (issue 14 item 4): `attnc compile
// --kv-type=f16|bf16` for every family, with GQA (Llama, Qwen2, Qwen3,
// Mistral, Gemma 2), sliding windows (Mistral: every layer; Gemma 2:
// alternating, with soft-capping) and head dims 16 (tiny models). Through
// the compiled @embed/@block/@head (run_model.py): a 7-token prefill and 16
// decode steps match the float64 reference whose keys and values are
// rounded to the cache's type (tolerance 5e-4 for f16, 3e-3 for bf16,
// run_model.LOWP_KV_REL_TOL: attnc rounds f32 keys, the reference float64
// ones, and an element at a rounding boundary may land an ulp apart); the
// layer-0 caches attnc wrote hold the reference's keys and values rounded
// to nearest even, up to f32 slack (truncation fails: ~20% of elements);
// the incremental logits equal a prefill of the whole sequence
// within the same tolerance; and the logits stay within 5e-3 (f16) / 3e-2
// (bf16) of the f32-cache reference. Through the runtime (check_generate.py): the
// manifest's kv_type, `attnc-run logits`, and `attnc-run generate`'s
// greedy continuation equal the reference's.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/run_model.py gpt2 --kv-type f16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/gpt2-f16 | FileCheck %s --check-prefix=F16
// RUN: %python %S/run_model.py llama --kv-type bf16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/llama-bf16 | FileCheck %s --check-prefix=BF16
// RUN: %python %S/run_model.py qwen2 --kv-type f16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/qwen2-f16 | FileCheck %s --check-prefix=F16
// RUN: %python %S/run_model.py qwen3 --kv-type bf16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/qwen3-bf16 | FileCheck %s --check-prefix=BF16
// RUN: %python %S/run_model.py mistral --kv-type f16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/mistral-f16 | FileCheck %s --check-prefixes=F16,WINDOW
// RUN: %python %S/run_model.py gemma2 --kv-type bf16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/gemma2-bf16 | FileCheck %s --check-prefixes=BF16,WINDOW
// F16: PASS prefill of 7 tokens
// F16-COUNT-16: PASS decode step
// F16: PASS the f16 caches hold the keys and values rounded to nearest even (layer 0)
// F16: PASS incremental decode vs one prefill of all 23 tokens
// F16: PASS f16 cache vs the f32-cache reference
// BF16: PASS prefill of 7 tokens
// BF16-COUNT-16: PASS decode step
// BF16: PASS the bf16 caches hold the keys and values rounded to nearest even (layer 0)
// BF16: PASS incremental decode vs one prefill of all 23 tokens
// BF16: PASS bf16 cache vs the f32-cache reference
// WINDOW: PASS the sliding window changes the logits

// The default is the checkpoint's type: an f16 Llama checkpoint gets an f16
// cache (bf16 checkpoints: generate.mlir and the family tests),
// --kv-type=f32 overrides it; an f32 GPT-2 can have an f16 cache.
// RUN: %python %S/check_generate.py llama --dtype F16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/gen-llama-f16 | FileCheck %s --check-prefix=GEN-DEFAULT
// GEN-DEFAULT: PASS the artifact's KV cache is f16
// GEN-DEFAULT: PASS logits of 20 tokens
// GEN-DEFAULT: PASS greedy generation of {{[0-9]+}} tokens equals the reference's
// RUN: %python %S/check_generate.py llama --dtype F16 --kv-type f32 \
// RUN:   --attnc attnc --attnc-run attnc-run --work %t/gen-llama-f16-f32 \
// RUN:   | FileCheck %s --check-prefix=GEN-F32
// GEN-F32: PASS the artifact's KV cache is f32
// GEN-F32: PASS logits of 20 tokens
// GEN-F32: PASS greedy generation of {{[0-9]+}} tokens equals the reference's
// RUN: %python %S/check_generate.py gpt2 --kv-type f16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/gen-gpt2-f16 | FileCheck %s --check-prefix=GEN-F16
// GEN-F16: PASS the artifact's KV cache is f16
// GEN-F16: PASS logits of 20 tokens
// GEN-F16: PASS greedy generation of {{[0-9]+}} tokens equals the reference's

// The emitted module: caches in the chosen type, the prefill's K/V rounded alike.
// RUN: %python %attnc_src_root/tools/models/tiny_models.py mistral %t/ir
// RUN: attnc compile %t/ir --emit-mlir --max-seq 16 --kv-type=bf16 \
// RUN:   | FileCheck %s --check-prefix=IR
// IR-LABEL: func.func @block_sliding(
// IR-SAME: %[[KC:[a-z0-9]+]]: tensor<?x2x16x16xbf16>, %[[VC:[a-z0-9]+]]: tensor<?x2x16x16xbf16>) -> (tensor<?x?x64xf32>, tensor<?x2x16x16xbf16>, tensor<?x2x16x16xbf16>)
// IR: %[[KC1:[a-z0-9_]+]], %[[VC1:[a-z0-9_]+]] = attn.kv_append ins(%{{.*}}, %{{.*}} : tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>)
// IR-SAME: outs(%[[KC]], %[[VC]] : tensor<?x2x16x16xbf16>, tensor<?x2x16x16xbf16>)
// IR: arith.truncf %{{.*}} : f32 to bf16
// IR: arith.extf %{{.*}} : bf16 to f32
// IR: arith.truncf %{{.*}} : f32 to bf16
// IR: arith.extf %{{.*}} : bf16 to f32
// IR: attn.attention causal window(8) ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x4x?x16xf32>, tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>)
// IR: attn.decode_attention causal window(8) ins(%{{.*}}, %[[KC1]], %[[VC1]] : tensor<?x4x?x16xf32>, tensor<?x2x16x16xbf16>, tensor<?x2x16x16xbf16>)
// RUN: attnc compile %t/ir --emit-mlir --max-seq 16 | FileCheck %s --check-prefix=IR-F32
// IR-F32-NOT: arith.truncf
// IR-F32: attn.decode_attention causal window(8) ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x4x?x16xf32>, tensor<?x2x16x16xf32>, tensor<?x2x16x16xf32>)

// Errors: one line each.
// RUN: not attnc compile %t/ir --kv-type=f8 -o %t/x.attnc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// BAD: error: unknown --kv-type='f8' (expected auto, f32, f16 or bf16)
// BAD-NOT: error
// RUN: not attnc compile %S/../../Transforms/AttnDecompose/kv-cache.mlir \
// RUN:   --kv-type=f16 -o %t/x.so 2>&1 | FileCheck %s --check-prefix=MODULE
// MODULE: error: --kv-type applies to model directories, and '{{.*}}kv-cache.mlir' is a module
