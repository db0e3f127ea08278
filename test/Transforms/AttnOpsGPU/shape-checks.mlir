// RUN: attnc-opt %s -split-input-file -attn-ops-gpu | FileCheck %s

// The GPU lowerings of the other attn ops check dynamic sizes on the host,
// before they take the buffers and launch: kv_append's key and value rows
// (Snew), a masked_softmax mask's rows, rope positions, projection weights.

// CHECK-DAG: llvm.mlir.global internal constant @[[SNEW:.*]]("{{.*}}shape-checks.mlir:[[# @LINE + 14]]:{{[0-9]+}}: attn.kv_append: key and value have %lld and %lld rows (Snew must agree)
// CHECK-LABEL: func.func @append
// CHECK-SAME: %[[K:[^:]*]]: tensor<1x1x?x64xf16>, %[[V:[^:]*]]: tensor<1x1x?x64xf16>
// CHECK-DAG: %[[KS:.*]] = tensor.dim %[[K]], %{{.*}} : tensor<1x1x?x64xf16>
// CHECK-DAG: %[[VS:.*]] = tensor.dim %[[V]], %{{.*}} : tensor<1x1x?x64xf16>
// CHECK: arith.cmpi eq, %[[KS]], %[[VS]]
// CHECK: scf.if
// CHECK: llvm.mlir.addressof @[[SNEW]]
// CHECK: llvm.call @printf
// CHECK: llvm.call @abort
// CHECK: gpu.launch_func
func.func @append(%k: tensor<1x1x?x64xf16>, %v: tensor<1x1x?x64xf16>,
    %start: tensor<1xi64>, %kc: tensor<1x1x128x64xf16>, %vc: tensor<1x1x128x64xf16>)
    -> (tensor<1x1x128x64xf16>, tensor<1x1x128x64xf16>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x1x?x64xf16>, tensor<1x1x?x64xf16>)
      at(%start : tensor<1xi64>)
      outs(%kc, %vc : tensor<1x1x128x64xf16>, tensor<1x1x128x64xf16>)
      -> tensor<1x1x128x64xf16>, tensor<1x1x128x64xf16>
  return %kc1, %vc1 : tensor<1x1x128x64xf16>, tensor<1x1x128x64xf16>
}

// -----

// CHECK-DAG: llvm.mlir.global internal constant @[[MASK:.*]]("{{.*}}attn.masked_softmax: mask and input have %lld and %lld rows (mask dimension 1 must be Sq, or a static 1)
// CHECK-LABEL: func.func @softmax
// CHECK: llvm.mlir.addressof @[[MASK]]
// CHECK: gpu.launch_func
func.func @softmax(%s: tensor<1x?x64xf32>, %m: tensor<1x?x64xi1>) -> tensor<1x?x64xf32> {
  %c1 = arith.constant 1 : index
  %d1 = tensor.dim %s, %c1 : tensor<1x?x64xf32>
  %p0 = tensor.empty(%d1) : tensor<1x?x64xf32>
  %p = attn.masked_softmax ins(%s : tensor<1x?x64xf32>) mask(%m : tensor<1x?x64xi1>)
      outs(%p0 : tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  return %p : tensor<1x?x64xf32>
}

// -----

// CHECK-DAG: llvm.mlir.global internal constant @[[POS:.*]]("{{.*}}attn.rope: positions and the input have %lld and %lld rows (S must agree)
// CHECK-LABEL: func.func @rope
// CHECK: llvm.mlir.addressof @[[POS]]
// CHECK: gpu.launch_func
func.func @rope(%q: tensor<1x2x16x64xf16>, %k: tensor<1x1x16x64xf16>,
    %pos: tensor<?xi64>) -> (tensor<1x2x16x64xf16>, tensor<1x1x16x64xf16>) {
  %q0 = tensor.empty() : tensor<1x2x16x64xf16>
  %k0 = tensor.empty() : tensor<1x1x16x64xf16>
  %qr, %kr = attn.rope half ins(%q, %k, %pos : tensor<1x2x16x64xf16>, tensor<1x1x16x64xf16>, tensor<?xi64>)
      outs(%q0, %k0 : tensor<1x2x16x64xf16>, tensor<1x1x16x64xf16>)
      -> tensor<1x2x16x64xf16>, tensor<1x1x16x64xf16>
  return %qr, %kr : tensor<1x2x16x64xf16>, tensor<1x1x16x64xf16>
}

// -----

// CHECK-DAG: llvm.mlir.global internal constant @[[W:.*]]("{{.*}}attn.out_proj: weight has %lld input features, expected %lld (H * Dv of the input)
// CHECK-LABEL: func.func @out
// CHECK: llvm.mlir.addressof @[[W]]
// CHECK: gpu.launch_func
func.func @out(%x: tensor<1x2x16x64xf16>, %w: tensor<?x128xf16>) -> tensor<1x16x128xf16> {
  %y0 = tensor.empty() : tensor<1x16x128xf16>
  %y = attn.out_proj ins(%x : tensor<1x2x16x64xf16>) weight(%w : tensor<?x128xf16>)
      outs(%y0 : tensor<1x16x128xf16>) -> tensor<1x16x128xf16>
  return %y : tensor<1x16x128xf16>
}
