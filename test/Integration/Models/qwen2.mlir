// A tiny Qwen2/Qwen2.5 (Llama plus q/k/v projection biases, no o_proj bias,
// GQA 4:2, rope_theta 1e6) with random weights: the compiled @embed, @block,
// @head of a 7-token prefill and 16 decode steps match the float64 NumPy
// reference (tools/models/reference.py) within a relative error of 1e-5 per
// position, and incremental decoding matches one prefill of the whole
// sequence (run_model.py); the runtime's logits of 20 tokens match within
// 1e-5 and greedy generation of 16 tokens is the reference's
// (check_generate.py), for an f32 checkpoint with an untied head and a bf16
// one (read in place; the reference uses the same rounded weights) with a
// tied head.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/run_model.py qwen2 --attnc attnc --attnc-run attnc-run \
// RUN:   --work %t/call | FileCheck %s --check-prefix=CALL
// CALL: PASS prefill of 7 tokens
// CALL-COUNT-16: PASS decode step
// CALL: PASS incremental decode vs one prefill of all 23 tokens
// CALL: PASS a chunk of 260 tokens after 20 (flash kernel on the cache)
// CALL: PASS the chunk vs one prefill of all 280 tokens
// RUN: %python %S/check_generate.py qwen2 --attnc attnc --attnc-run attnc-run \
// RUN:   --work %t/f32 | FileCheck %s
// RUN: %python %S/check_generate.py qwen2 --dtype BF16 --tied yes \
// RUN:   --attnc attnc --attnc-run attnc-run --work %t/bf16 | FileCheck %s
// CHECK: PASS logits of 20 tokens
// CHECK: PASS greedy generation of {{[0-9]+}} tokens equals the reference's

// The module attnc builds: q/k/v biases in the QKV projection, RoPE in its epilogue, no
// o_proj bias.
// RUN: %python %attnc_src_root/tools/models/tiny_models.py qwen2 %t/ir
// RUN: attnc compile %t/ir --emit-mlir --max-seq 16 | FileCheck %s --check-prefix=IR
// IR-LABEL: func.func @block(
// IR-SAME: %[[WO:.*]]: tensor<64x64xf32>, %[[BQ:.*]]: tensor<64xf32>, %[[BK:.*]]: tensor<32xf32>, %[[BV:.*]]: tensor<32xf32>, %[[POST:.*]]: tensor<64xf32>, %{{.*}}: tensor<96x64xf32>
// IR: attn.qkv_proj layout(out_in)
// IR-SAME: biases(%[[BQ]], %[[BK]], %[[BV]] : tensor<64xf32>, tensor<32xf32>, tensor<32xf32>) rope half theta(1.000000e+06)
// IR: attn.attention causal ins
// IR: attn.decode_attention causal ins
// IR-NOT: func.func @block_sliding

// Qwen's sliding-window layers are not implemented: rejected, naming the
// field.
// RUN: sed -e 's/"use_sliding_window": false/"use_sliding_window": true/' \
// RUN:   %t/ir/config.json > %t/ir/config.sliding && mv %t/ir/config.sliding %t/ir/config.json
// RUN: not attnc compile %t/ir --emit-mlir 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: '{{.*}}config.json': unsupported 'use_sliding_window': sliding-window layers of Qwen models are not implemented
