// A tiny Mistral (Llama with a sliding window of 8 positions on every
// layer, GQA 4:2, untied head) with random weights: the compiled @embed,
// @block_sliding, @head of a 7-token prefill and 16 decode steps (23
// positions: the window matters from position 8 on) match the float64 NumPy
// reference, whose mask keeps key j for query i when i - 8 < j <= i, within
// a relative error of 1e-5 per position, and incremental decoding matches
// one prefill of the whole sequence (run_model.py); the runtime's logits of
// 20 tokens match within 1e-5 and greedy generation of 16 tokens is the
// reference's (check_generate.py), for f32 and bf16 checkpoints.
//
// The KV cache holds every position (--max-seq), not a ring of the window's
// 8: the window is a mask on attention (attn.attention and
// attn.decode_attention window(8)).

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/run_model.py mistral --attnc attnc --attnc-run attnc-run \
// RUN:   --work %t/call | FileCheck %s --check-prefix=CALL
// CALL: PASS prefill of 7 tokens
// CALL-COUNT-16: PASS decode step
// CALL: PASS incremental decode vs one prefill of all 23 tokens
// CALL: PASS a chunk of 260 tokens after 20 (flash kernel on the cache)
// CALL: PASS the chunk vs one prefill of all 280 tokens
// CALL: PASS the sliding window changes the logits
// RUN: %python %S/check_generate.py mistral --attnc attnc --attnc-run attnc-run \
// RUN:   --work %t/f32 | FileCheck %s
// RUN: %python %S/check_generate.py mistral --dtype BF16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/bf16 | FileCheck %s
// CHECK: PASS logits of 20 tokens
// CHECK: PASS greedy generation of {{[0-9]+}} tokens equals the reference's

// The module attnc builds: one block, with the window on both attention paths.
// RUN: %python %attnc_src_root/tools/models/tiny_models.py mistral %t/ir
// RUN: attnc compile %t/ir --emit-mlir --max-seq 16 | FileCheck %s --check-prefix=IR
// IR-NOT: func.func @block(
// IR: func.func @block_sliding(
// IR: attn.attention causal window(8) ins
// IR: attn.decode_attention causal window(8) ins
// IR-NOT: func.func @block(

// An option attnc does not implement is rejected, naming the field.
// RUN: sed -e 's/"hidden_act": "silu"/"hidden_act": "gelu"/' \
// RUN:   %t/ir/config.json > %t/ir/config.gelu && mv %t/ir/config.gelu %t/ir/config.json
// RUN: not attnc compile %t/ir --emit-mlir 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: '{{.*}}config.json': unsupported 'hidden_act': only silu (SwiGLU) is implemented
