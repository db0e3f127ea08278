// A tiny Llama (GQA 4:2, RoPE, RMSNorm, SwiGLU, untied lm_head) with random
// weights, compiled with `attnc compile <model-dir>` and run through @embed,
// @block (per layer) and @head: a 7-token prefill and 16 decode steps match
// the float64 NumPy reference (tools/models/reference.py, RoPE angles in
// float64 there and f32 in attnc, as Hugging Face computes them) within a
// relative error of 1e-5 per position; incremental decoding matches a
// prefill of the whole sequence. See run_model.py.

// RUN: rm -rf %t && %python %S/run_model.py llama --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t | FileCheck %s
// CHECK: PASS prefill of 7 tokens
// CHECK-COUNT-16: PASS decode step
// CHECK: PASS incremental decode vs one prefill of all 23 tokens
// CHECK: PASS a chunk of 260 tokens after 20 (flash kernel on the cache)
// CHECK: PASS the chunk vs one prefill of all 280 tokens

// The block's IR. RoPE rides in the QKV projection's epilogue, and weights are
// read in place in torch's [out, in] layout.
// RUN: %python %attnc_src_root/tools/models/tiny_models.py llama %t/ir
// RUN: attnc compile %t/ir --emit-mlir --max-seq 16 | FileCheck %s --check-prefix=IR
// IR-LABEL: func.func @block(
// IR: attn.qkv_proj layout(out_in) ins(%{{.*}} : tensor<?x?x64xf32>) weights(%{{.*}}, %{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>) rope half theta(1.000000e+04) positions(%{{.*}} : tensor<?x?xi64>)
// IR: attn.kv_append
// IR-SAME: tensor<?x2x16x16xf32>
// The prompt from position 0 attends on the chunk, a later chunk of 256 rows
// or more on the cache's first lens[0] positions, anything else through the
// decode kernel.
// IR: %[[PATH:.*]] = scf.if
// IR: arith.constant 256 : index
// IR: scf.index_switch %[[PATH]]
// IR: case 0 {
// IR: attn.attention causal
// IR: case 1 {
// IR: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [%{{.*}}, 2, %{{.*}}, 16] [1, 1, 1, 1] : tensor<?x2x16x16xf32> to tensor<?x2x?x16xf32>
// IR: attn.attention causal
// IR: default {
// IR: attn.decode_attention causal
// IR: linalg.generic
// IR: math.exp

// With Llama 3.1's rope_scaling (rope_type llama3, its original context
// shrunk to 32 positions so that all three frequency bands occur within the
// test's 23 positions): the same checks against the reference, which
// implements transformers' llama3 frequency rule in float64, and a check
// that the scaling changes the logits. The IR carries the scaling clause.
// RUN: rm -rf %t.scaled && %python %S/run_model.py llama --rope-scaling llama3 \
// RUN:   --attnc attnc --attnc-run attnc-run --work %t.scaled \
// RUN:   | FileCheck %s --check-prefix=SCALED
// SCALED: PASS prefill of 7 tokens
// SCALED-COUNT-16: PASS decode step
// SCALED: PASS incremental decode vs one prefill of all 23 tokens
// SCALED: PASS a chunk of 260 tokens after 20 (flash kernel on the cache)
// SCALED: PASS the chunk vs one prefill of all 280 tokens
// SCALED: PASS rope scaling changes the logits
// RUN: %python %attnc_src_root/tools/models/tiny_models.py llama %t/ir-scaled --rope-scaling llama3
// RUN: attnc compile %t/ir-scaled --emit-mlir --max-seq 16 | FileCheck %s --check-prefix=SCALED-IR
// SCALED-IR: rope half theta(1.000000e+04) scaling(llama3 factor(8.000000e+00) low_freq_factor(1.000000e+00) high_freq_factor(4.000000e+00) original_max_positions(3.200000e+01)) positions(

// attention_bias (q/k/v biases in the QKV projection, an o_proj bias): the
// same checks against the reference, which adds the biases in float64.
// RUN: rm -rf %t.bias && %python %S/run_model.py llama --attention-bias \
// RUN:   --attnc attnc --attnc-run attnc-run --work %t.bias \
// RUN:   | FileCheck %s --check-prefix=BIAS
// BIAS: PASS prefill of 7 tokens
// BIAS-COUNT-16: PASS decode step
// BIAS: PASS incremental decode vs one prefill of all 23 tokens
// BIAS: PASS a chunk of 260 tokens after 20 (flash kernel on the cache)
// BIAS: PASS the chunk vs one prefill of all 280 tokens
