// RUN: attnc-opt %s -split-input-file --attnc-cpu-pipeline \
// RUN:   | FileCheck %s --implicit-check-not='{{^ *(%[^ ]+ = )?(arith|math|memref|tensor|linalg|scf|cf|func|bufferization|affine|attn|builtin|vector|ub|index)\.}}'
// RUN: attnc-opt %s -split-input-file --attnc-cpu-pipeline=export-functions=0 \
// RUN:   | FileCheck %s --check-prefix=NOEXPORT

// The CPU pipeline takes attn ops on tensors to the LLVM dialect only: no op
// of another dialect is left (the implicit check), each public function gets
// its C interface wrapper and its signature global. Without
// export-functions, neither is emitted.

// NOEXPORT-NOT: _mlir_ciface_
// NOEXPORT-NOT: attnc_signature_
// NOEXPORT-NOT: llvm.emit_c_interface

// The wrapped function is internal; the wrapper checks each argument's
// strides and moves its aligned pointer by its offset (attnc-finalize-exports).
// CHECK-LABEL: llvm.func internal @attention(
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: llvm.func @_mlir_ciface_attention(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: llvm.cond_br
// CHECK: llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: llvm.call @attention(
// CHECK: llvm.mlir.global external constant @attnc_signature_attention("(tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>\00")
// NOEXPORT-LABEL: llvm.func @attention(
func.func @attention(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %o0 = tensor.empty() : tensor<1x2x4x8xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>)
      outs(%o0 : tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Paged kv_append: its run-time checks become calls to puts and abort; the
// caches are updated in place, so the C interface returns nothing (no
// results pointer) and attnc_inplace_ says which arguments hold the results.

// CHECK-DAG: llvm.func @abort()
// CHECK-DAG: llvm.mlir.global private constant @assert_msg
// CHECK-LABEL: llvm.func internal @kv_append_paged(
// CHECK: llvm.call @abort()
// CHECK: llvm.func @_mlir_ciface_kv_append_paged(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: llvm.mlir.global external constant @attnc_signature_kv_append_paged("(tensor<2x2x3x4xf32>, tensor<2x2x3x4xf32>, tensor<2xi32>, tensor<2x4xi32>, tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>) -> (tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>)\00")
// CHECK: llvm.mlir.global external constant @attnc_inplace_kv_append_paged("0:4,1:5\00")
// NOEXPORT-LABEL: llvm.func @kv_append_paged(
func.func @kv_append_paged(%k: tensor<2x2x3x4xf32>, %v: tensor<2x2x3x4xf32>,
    %start: tensor<2xi32>, %table: tensor<2x4xi32>, %kc: tensor<8x2x2x4xf32>,
    %vc: tensor<8x2x2x4xf32>) -> (tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<2x2x3x4xf32>, tensor<2x2x3x4xf32>)
      at(%start : tensor<2xi32>) block_table(%table : tensor<2x4xi32>)
      outs(%kc, %vc : tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>)
      -> tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>
  return %kc1, %vc1 : tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>
}

// -----

// CHECK-LABEL: llvm.func internal @rope_half(
// CHECK: llvm.func @_mlir_ciface_rope_half(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: llvm.mlir.global external constant @attnc_signature_rope_half("(tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x3xi64>) -> (tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>)\00")
// NOEXPORT-LABEL: llvm.func @rope_half(
func.func @rope_half(%q: tensor<1x2x3x8xf32>, %k: tensor<1x1x3x8xf32>,
    %pos: tensor<1x3xi64>) -> (tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>) {
  %q0 = tensor.empty() : tensor<1x2x3x8xf32>
  %k0 = tensor.empty() : tensor<1x1x3x8xf32>
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x3xi64>)
      outs(%q0, %k0 : tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>)
      -> tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>
  return %q1, %k1 : tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>
}

// -----

// A private helper is lowered but not exported; the public function that
// calls it is. Its parallel loops (GEMMs, head splits) fork only when they
// have two tasks or more (attnc-serialize-single-task-regions).

// CHECK-LABEL: llvm.func @project(
// CHECK-NOT: omp.parallel {
// CHECK: omp.parallel if(%{{.*}})
// CHECK-NOT: omp.parallel {
// CHECK-NOT: llvm.func @_mlir_ciface_project(
// CHECK-LABEL: llvm.func internal @qkv_proj(
// CHECK: llvm.call @project(
// CHECK: llvm.func @_mlir_ciface_qkv_proj(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NOT: @attnc_signature_project
// CHECK: llvm.mlir.global external constant @attnc_signature_qkv_proj("(tensor<2x3x8xf32>, tensor<8x8xf32>, tensor<8x4xf32>, tensor<8x2xf32>) -> (tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>)\00")
// CHECK-NOT: @attnc_signature_project
// NOEXPORT-LABEL: llvm.func @qkv_proj(
func.func private @project(%x: tensor<2x3x8xf32>, %wq: tensor<8x8xf32>,
    %wk: tensor<8x4xf32>, %wv: tensor<8x2xf32>)
    -> (tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>) {
  %q0 = tensor.empty() : tensor<2x2x3x4xf32>
  %k0 = tensor.empty() : tensor<2x1x3x4xf32>
  %v0 = tensor.empty() : tensor<2x1x3x2xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<2x3x8xf32>)
      weights(%wq, %wk, %wv : tensor<8x8xf32>, tensor<8x4xf32>, tensor<8x2xf32>)
      outs(%q0, %k0, %v0 : tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>)
      -> tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>
  return %q, %k, %v : tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>
}
func.func @qkv_proj(%x: tensor<2x3x8xf32>, %wq: tensor<8x8xf32>,
    %wk: tensor<8x4xf32>, %wv: tensor<8x2xf32>)
    -> (tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>) {
  %q, %k, %v = func.call @project(%x, %wq, %wk, %wv)
      : (tensor<2x3x8xf32>, tensor<8x8xf32>, tensor<8x4xf32>, tensor<8x2xf32>)
      -> (tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>)
  return %q, %k, %v : tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>
}
