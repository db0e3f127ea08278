// A tiny Gemma 2 with random weights: embeddings times sqrt(48) (rounded
// to bf16 for the bf16 checkpoint, as transformers does in the model's
// dtype), RMSNorms with gain (1 + w) before and after attention and MLP,
// GeGLU with tanh GELU, scale query_pre_attn_scalar^-1/2 = 24^-1/2 with a
// head dim of 16, attention logits soft-capped at 2 and final logits at 3
// (small caps: capping changes the logits), layers 0 and 2 with a sliding
// window of 8 positions and layer 1 global, tied head.
//
// The compiled @embed, @block_sliding/@block, @head of a 7-token prefill and
// 16 decode steps (23 positions) match the float64 NumPy reference within
// a relative error of 1e-5 per position, and incremental decoding matches
// one prefill of the whole sequence (run_model.py); the runtime's logits of
// 20 tokens match within 1e-5 and greedy generation of 16 tokens is the
// reference's (check_generate.py), for f32, bf16 and f16 checkpoints.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/run_model.py gemma2 --attnc attnc --attnc-run attnc-run \
// RUN:   --work %t/call | FileCheck %s --check-prefix=CALL
// CALL: PASS prefill of 7 tokens
// CALL-COUNT-16: PASS decode step
// CALL: PASS incremental decode vs one prefill of all 23 tokens
// CALL: PASS a chunk of 260 tokens after 20 (flash kernel on the cache)
// CALL: PASS the chunk vs one prefill of all 280 tokens
// CALL: PASS the sliding window changes the logits
// CALL: PASS attention soft-capping changes the logits
// CALL: PASS final soft-capping changes the logits
// RUN: %python %S/check_generate.py gemma2 --attnc attnc --attnc-run attnc-run \
// RUN:   --work %t/f32 | FileCheck %s
// RUN: %python %S/check_generate.py gemma2 --dtype BF16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/bf16 | FileCheck %s
// f16: sqrt(48) rounds to 6.9296875 there.
// RUN: %python %S/check_generate.py gemma2 --dtype F16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/f16 | FileCheck %s
// CHECK: PASS logits of 20 tokens
// CHECK: PASS greedy generation of {{[0-9]+}} tokens equals the reference's

// The module attnc builds: the scaled embedding, (1 + w) gains, both blocks with their
// attention modifiers, and the final soft-cap.
// RUN: %python %attnc_src_root/tools/models/tiny_models.py gemma2 %t/ir
// RUN: attnc compile %t/ir --emit-mlir --max-seq 16 | FileCheck %s --check-prefix=IR
// RUN: %python %attnc_src_root/tools/models/tiny_models.py gemma2 %t/ir-bf16 --dtype BF16
// RUN: attnc compile %t/ir-bf16 --emit-mlir --max-seq 16 | FileCheck %s --check-prefix=IR-BF16
// IR-LABEL: func.func @embed(
// IR: arith.constant 6.92820311 : f32
// IR-BF16: arith.constant 6.937500e+00 : f32
// IR-LABEL: func.func @block(
// IR-SAME: %{{.*}}: tensor<48xf32>, %{{.*}}: tensor<64x48xf32>, %{{.*}}: tensor<32x48xf32>, %{{.*}}: tensor<32x48xf32>, %{{.*}}: tensor<48x64xf32>, %{{.*}}: tensor<48xf32>, %{{.*}}: tensor<48xf32>, %{{.*}}: tensor<96x48xf32>, %{{.*}}: tensor<96x48xf32>, %{{.*}}: tensor<48x96xf32>, %{{.*}}: tensor<48xf32>, %{{.*}}: tensor<?x2x16x16xf32>
// IR: arith.constant 1.000000e+00 : f32
// IR: attn.attention causal softcap(2.000000e+00) scale(0.204124138) ins
// IR: attn.decode_attention causal softcap(2.000000e+00) scale(0.204124138) ins
// IR: math.tanh
// IR-LABEL: func.func @block_sliding(
// IR: attn.attention causal window(8) softcap(2.000000e+00) scale(0.204124138) ins
// IR: attn.decode_attention causal window(8) softcap(2.000000e+00) scale(0.204124138) ins
// IR-LABEL: func.func @head(
// IR: arith.constant 3.000000e+00 : f32
// IR: math.tanh

// An option attnc does not implement is rejected, naming the field.
// RUN: sed -e 's/"hidden_activation": "gelu_pytorch_tanh"/"hidden_activation": "gelu"/' \
// RUN:   %t/ir/config.json > %t/ir/config.gelu && mv %t/ir/config.gelu %t/ir/config.json
// RUN: not attnc compile %t/ir --emit-mlir 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: '{{.*}}config.json': unsupported 'hidden_activation': only gelu_pytorch_tanh (GeGLU with the tanh approximation) is implemented
