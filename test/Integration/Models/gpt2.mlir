// A tiny GPT-2 with random weights (tools/models/tiny_models.py), compiled
// with `attnc compile <model-dir>` and run through its @embed, @block (per
// layer, KV caches updated in place) and @head entry points: the logits of
// a 7-token prefill and of 16 decode steps match the float64 NumPy
// reference of the model (tools/models/reference.py) within a relative
// error of 1e-5 per position, and incremental decoding matches a prefill of
// the whole sequence. See run_model.py.

// RUN: rm -rf %t && %python %S/run_model.py gpt2 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t | FileCheck %s
// CHECK: PASS prefill of 7 tokens
// CHECK-COUNT-16: PASS decode step
// CHECK: PASS incremental decode vs one prefill of all 23 tokens
// CHECK: SKIP a chunk of 260 tokens after 20: the model has 64 learned positions

// The IR the compiler builds for the model: attn ops for attention, linalg
// for the rest, and an error for a model it cannot compile.
// RUN: %python %attnc_src_root/tools/models/tiny_models.py gpt2 %t/ir
// RUN: attnc compile %t/ir --emit-mlir --max-seq 16 | FileCheck %s --check-prefix=IR
// IR-LABEL: func.func @embed(%{{.*}}: tensor<?x?xi64>, %{{.*}}: tensor<?x?xi64>, %{{.*}}: tensor<262x32xf32>, %{{.*}}: tensor<64x32xf32>) -> tensor<?x?x32xf32>
// IR: cf.assert %{{.*}}, "embed: token id outside the vocabulary"
// IR-LABEL: func.func @block(
// IR: attn.qkv_proj ins(%{{.*}} : tensor<?x?x32xf32>) weights(%{{.*}} : tensor<32x96xf32>) biases(%{{.*}} : tensor<96xf32>)
// IR: attn.kv_append
// IR-SAME: tensor<?x4x16x8xf32>
// IR: attn.decode_attention causal
// IR: linalg.generic
// IR: math.tanh
// IR-LABEL: func.func @head(
// IR-SAME: -> tensor<?x?x262xf32>

// RUN: sed -e 's/"gelu_new"/"relu"/' %t/ir/config.json > %t/ir/config.relu && mv %t/ir/config.relu %t/ir/config.json
// RUN: not attnc compile %t/ir --emit-mlir 2>&1 | FileCheck %s --check-prefix=BADCONFIG
// BADCONFIG: error: '{{.*}}config.json': unsupported 'activation_function': only gelu_new (GELU with the tanh approximation) is implemented
// RUN: not attnc compile %t/missing -o %t/x.so 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: {{.*}}missing
