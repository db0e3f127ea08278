// RUN: attnc-opt %s -attnc-cpu-pipeline | FileCheck %s

// attn.kv_append writes into the caches the caller passes, in place: the
// lowered functions allocate and copy nothing (no cache-sized malloc or
// memcpy per step), no longer return the caches, and record that results 0
// and 1 are the cache arguments after the call.

// CHECK-NOT: llvm.call @malloc
// CHECK-NOT: llvm.intr.memcpy
// CHECK-LABEL: llvm.func internal @append(
// CHECK-NOT: llvm.call @malloc
// CHECK-NOT: llvm.intr.memcpy
// CHECK-LABEL: llvm.func @_mlir_ciface_append(
// CHECK-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NOT: llvm.call @malloc
// CHECK-NOT: llvm.intr.memcpy
// CHECK-LABEL: llvm.func internal @append_paged(
// CHECK-NOT: llvm.call @malloc
// CHECK-NOT: llvm.intr.memcpy
// CHECK-DAG: llvm.mlir.global external constant @attnc_inplace_append("0:3,1:4\00")
// CHECK-DAG: llvm.mlir.global external constant @attnc_inplace_append_paged("0:4,1:5\00")
func.func @append(%k: tensor<2x4x1x64xf32>, %v: tensor<2x4x1x64xf32>,
    %pos: tensor<2xi32>, %kc: tensor<2x4x4096x64xf32>,
    %vc: tensor<2x4x4096x64xf32>)
    -> (tensor<2x4x4096x64xf32>, tensor<2x4x4096x64xf32>) {
  %a, %b = attn.kv_append ins(%k, %v : tensor<2x4x1x64xf32>, tensor<2x4x1x64xf32>)
      at(%pos : tensor<2xi32>)
      outs(%kc, %vc : tensor<2x4x4096x64xf32>, tensor<2x4x4096x64xf32>)
      -> tensor<2x4x4096x64xf32>, tensor<2x4x4096x64xf32>
  return %a, %b : tensor<2x4x4096x64xf32>, tensor<2x4x4096x64xf32>
}

func.func @append_paged(%k: tensor<2x4x3x64xf32>, %v: tensor<2x4x3x64xf32>,
    %pos: tensor<2xi32>, %table: tensor<2x16xi32>,
    %kc: tensor<64x4x16x64xf32>, %vc: tensor<64x4x16x64xf32>)
    -> (tensor<64x4x16x64xf32>, tensor<64x4x16x64xf32>) {
  %a, %b = attn.kv_append ins(%k, %v : tensor<2x4x3x64xf32>, tensor<2x4x3x64xf32>)
      at(%pos : tensor<2xi32>) block_table(%table : tensor<2x16xi32>)
      outs(%kc, %vc : tensor<64x4x16x64xf32>, tensor<64x4x16x64xf32>)
      -> tensor<64x4x16x64xf32>, tensor<64x4x16x64xf32>
  return %a, %b : tensor<64x4x16x64xf32>, tensor<64x4x16x64xf32>
}
