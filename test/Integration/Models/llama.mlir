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

// The block's IR. RoPE rides in the QKV projection's epilogue, and weights are
// read in place in torch's [out, in] layout.
// RUN: %python %attnc_src_root/tools/models/tiny_models.py llama %t/ir
// RUN: attnc compile %t/ir --emit-mlir --max-seq 16 | FileCheck %s --check-prefix=IR
// IR-LABEL: func.func @block(
// IR: attn.qkv_proj layout(out_in) ins(%{{.*}} : tensor<?x?x64xf32>) weights(%{{.*}}, %{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>) rope half theta(1.000000e+04) positions(%{{.*}} : tensor<?x?xi64>)
// IR: attn.kv_append
// IR-SAME: tensor<?x2x16x16xf32>
// IR: attn.decode_attention causal
// IR: linalg.generic
// IR: math.exp
