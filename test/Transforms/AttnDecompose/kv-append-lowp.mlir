// RUN: attnc-opt %s -split-input-file -attn-decompose -cse | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attnc-cpu-pipeline | FileCheck %s --check-prefix=LLVM

// attn.kv_append of f32 rows into a low-precision cache (issue 14 item 4):
// each sequence's new rows are rounded (arith.truncf, to nearest even) by a
// linalg.generic whose destination is the cache's own slice, so that
// bufferization writes them into the cache in place: no copy of the cache,
// no temporary. The lowered library allocates and copies nothing per call
// and calls no compiler-rt conversion helper (bf16 rounding is integer
// arithmetic; f16 is the target's conversion instruction).

// CHECK-LABEL: func.func @append_bf16(
// CHECK-SAME: %[[K:[a-z0-9]+]]: tensor<2x2x1x40xf32>, %{{[a-z0-9]+}}: tensor<2x2x1x24xf32>, %{{[a-z0-9]+}}: tensor<2xi32>, %[[KC:[a-z0-9]+]]: tensor<2x2x64x40xbf16>
// CHECK: scf.for {{.*}} iter_args(%[[KCI:.*]] = %[[KC]], %{{.*}} = %{{.*}})
// CHECK: %[[NEW:.*]] = tensor.extract_slice %[[K]][%{{.*}}, 0, 0, 0] [1, 2, 1, 40] [1, 1, 1, 1] : tensor<2x2x1x40xf32> to tensor<1x2x1x40xf32>
// CHECK: %[[DST:.*]] = tensor.extract_slice %[[KCI]][%{{.*}}, 0, %[[AT:.*]], 0] [1, 2, 1, 40] [1, 1, 1, 1] : tensor<2x2x64x40xbf16> to tensor<1x2x1x40xbf16>
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[NEW]] : tensor<1x2x1x40xf32>) outs(%[[DST]] : tensor<1x2x1x40xbf16>)
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: tensor.insert_slice %[[R]] into %[[KCI]][%{{.*}}, 0, %[[AT]], 0] [1, 2, 1, 40] [1, 1, 1, 1] : tensor<1x2x1x40xbf16> into tensor<2x2x64x40xbf16>
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK-NOT: attn.kv_append

// LLVM-LABEL: llvm.func internal @append_bf16(
// LLVM-NOT: llvm.call @malloc
// LLVM-NOT: llvm.intr.memcpy
// LLVM-NOT: llvm.fptrunc
// LLVM: llvm.func @_mlir_ciface_append_bf16(
// LLVM-NOT: __truncsfbf2
// LLVM-DAG: llvm.mlir.global external constant @attnc_inplace_append_bf16("0:3,1:4\00")
func.func @append_bf16(%k: tensor<2x2x1x40xf32>, %v: tensor<2x2x1x24xf32>,
    %pos: tensor<2xi32>, %kc: tensor<2x2x64x40xbf16>,
    %vc: tensor<2x2x64x24xbf16>)
    -> (tensor<2x2x64x40xbf16>, tensor<2x2x64x24xbf16>) {
  %a, %b = attn.kv_append ins(%k, %v : tensor<2x2x1x40xf32>, tensor<2x2x1x24xf32>)
      at(%pos : tensor<2xi32>)
      outs(%kc, %vc : tensor<2x2x64x40xbf16>, tensor<2x2x64x24xbf16>)
      -> tensor<2x2x64x40xbf16>, tensor<2x2x64x24xbf16>
  return %a, %b : tensor<2x2x64x40xbf16>, tensor<2x2x64x24xbf16>
}

// -----

// Paged, f16: one row at a time, each to its block and slot.
// CHECK-LABEL: func.func @append_paged_f16(
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract_slice %{{.*}} [1, 4, 1, 64] [1, 1, 1, 1] : tensor<64x4x16x64xf16> to tensor<1x4x1x64xf16>
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x1x64xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: tensor.insert_slice {{.*}} : tensor<1x4x1x64xf16> into tensor<64x4x16x64xf16>

// LLVM-LABEL: llvm.func internal @append_paged_f16(
// LLVM-NOT: llvm.call @malloc
// LLVM-NOT: llvm.intr.memcpy
// LLVM: llvm.fptrunc %{{.*}} : f32 to f16
// LLVM: llvm.func @_mlir_ciface_append_paged_f16(
func.func @append_paged_f16(%k: tensor<2x4x3x64xf32>, %v: tensor<2x4x3x64xf32>,
    %pos: tensor<2xi32>, %table: tensor<2x16xi32>,
    %kc: tensor<64x4x16x64xf16>, %vc: tensor<64x4x16x64xf16>)
    -> (tensor<64x4x16x64xf16>, tensor<64x4x16x64xf16>) {
  %a, %b = attn.kv_append ins(%k, %v : tensor<2x4x3x64xf32>, tensor<2x4x3x64xf32>)
      at(%pos : tensor<2xi32>) block_table(%table : tensor<2x16xi32>)
      outs(%kc, %vc : tensor<64x4x16x64xf16>, tensor<64x4x16x64xf16>)
      -> tensor<64x4x16x64xf16>, tensor<64x4x16x64xf16>
  return %a, %b : tensor<64x4x16x64xf16>, tensor<64x4x16x64xf16>
}
