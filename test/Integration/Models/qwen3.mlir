// A tiny Qwen3 (per-head RMSNorm of the queries and keys, q_norm/k_norm of
// head_dim, before RoPE; an explicit head_dim of 24 with 4 heads on a
// hidden size of 64; tied head) with random weights: the compiled @embed,
// @block, @head of a 7-token prefill and 16 decode steps match the float64
// NumPy reference within a relative error of 1e-5 per position, and
// incremental decoding matches one prefill of the whole sequence
// (run_model.py); the runtime's logits of 20 tokens match within 1e-5 and
// greedy generation of 16 tokens is the reference's (check_generate.py),
// for f32 and bf16 checkpoints (bf16 read in place, the reference using the
// same rounded weights).

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/run_model.py qwen3 --attnc attnc --attnc-run attnc-run \
// RUN:   --work %t/call | FileCheck %s --check-prefix=CALL
// CALL: PASS prefill of 7 tokens
// CALL-COUNT-16: PASS decode step
// CALL: PASS incremental decode vs one prefill of all 23 tokens
// CALL: PASS a chunk of 260 tokens after 20 (flash kernel on the cache)
// CALL: PASS the chunk vs one prefill of all 280 tokens
// RUN: %python %S/check_generate.py qwen3 --attnc attnc --attnc-run attnc-run \
// RUN:   --work %t/f32 | FileCheck %s
// RUN: %python %S/check_generate.py qwen3 --dtype BF16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/bf16 | FileCheck %s
// CHECK: PASS logits of 20 tokens
// CHECK: PASS greedy generation of {{[0-9]+}} tokens equals the reference's

// The module attnc builds: the projection without RoPE, the two head norms, then attn.rope.
// RUN: %python %attnc_src_root/tools/models/tiny_models.py qwen3 %t/ir
// RUN: attnc compile %t/ir --emit-mlir --max-seq 16 | FileCheck %s --check-prefix=IR
// IR-LABEL: func.func @block(
// IR-SAME: %{{.*}}: tensor<96x64xf32>, %{{.*}}: tensor<48x64xf32>, %{{.*}}: tensor<48x64xf32>, %{{.*}}: tensor<64x96xf32>, %[[QN:.*]]: tensor<24xf32>, %[[KN:.*]]: tensor<24xf32>, %{{.*}}: tensor<64xf32>
// IR: attn.qkv_proj layout(out_in) ins(%{{.*}} : tensor<?x?x64xf32>) weights(%{{.*}}, %{{.*}}, %{{.*}} : tensor<96x64xf32>, tensor<48x64xf32>, tensor<48x64xf32>) outs(
// IR: linalg.generic {{.*}} ins(%[[Q:.*]], %{{.*}}, %[[QN]] : tensor<?x4x?x24xf32>, tensor<?x4x?xf32>, tensor<24xf32>)
// IR: math.rsqrt
// IR: linalg.generic {{.*}} ins(%[[K:.*]], %{{.*}}, %[[KN]] : tensor<?x2x?x24xf32>, tensor<?x2x?xf32>, tensor<24xf32>)
// IR: math.rsqrt
// IR: attn.rope half theta(1.000000e+06) ins(
// IR: attn.kv_append
// IR-SAME: tensor<?x2x16x24xf32>

// An option attnc does not implement is rejected, naming the field.
// RUN: sed -e 's/"hidden_act": "silu"/"hidden_act": "relu"/' \
// RUN:   %t/ir/config.json > %t/ir/config.relu && mv %t/ir/config.relu %t/ir/config.json
// RUN: not attnc compile %t/ir --emit-mlir 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: '{{.*}}config.json': unsupported 'hidden_act': only silu (SwiGLU) is implemented
