// RUN: attnc-opt %s -split-input-file -attn-attention-gpu=chip=sm_80 | FileCheck %s

// The GPU lowering checks dynamic sizes on the host before it takes the
// buffers and launches: key and value rows (Skv), init and query rows (Sq);
// a failed check prints both sizes and aborts.

// CHECK-DAG: llvm.mlir.global internal constant @[[SKV:.*]]("{{.*}}shape-checks.mlir:[[# @LINE + 18]]:8: attn.attention: key and value have %lld and %lld rows (Skv must agree)
// CHECK-DAG: llvm.func @printf(!llvm.ptr, ...) -> i32
// CHECK-LABEL: func.func @attention
// CHECK-SAME: %[[Q:[^:]*]]: tensor<1x2x?x64xf16>, %[[K:[^:]*]]: tensor<1x2x?x64xf16>, %[[V:[^:]*]]: tensor<1x2x?x64xf16>
// CHECK-DAG: %[[KS:.*]] = tensor.dim %[[K]], %{{.*}} : tensor<1x2x?x64xf16>
// CHECK-DAG: %[[VS:.*]] = tensor.dim %[[V]], %{{.*}} : tensor<1x2x?x64xf16>
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[KS]], %[[VS]]
// CHECK: scf.if
// CHECK: llvm.mlir.addressof @[[SKV]]
// CHECK: llvm.call @printf
// CHECK: llvm.call @abort
// CHECK: bufferization.to_buffer
// CHECK: gpu.launch_func
func.func @attention(%q: tensor<1x2x?x64xf16>, %k: tensor<1x2x?x64xf16>,
    %v: tensor<1x2x?x64xf16>) -> tensor<1x2x?x64xf16> {
  %c2 = arith.constant 2 : index
  %sq = tensor.dim %q, %c2 : tensor<1x2x?x64xf16>
  %o0 = tensor.empty(%sq) : tensor<1x2x?x64xf16>
  %o = attn.attention causal ins(%q, %k, %v : tensor<1x2x?x64xf16>, tensor<1x2x?x64xf16>, tensor<1x2x?x64xf16>)
      outs(%o0 : tensor<1x2x?x64xf16>) -> tensor<1x2x?x64xf16>
  return %o : tensor<1x2x?x64xf16>
}

// -----

// Decode: seq_lens has one length per sequence of the query.

// CHECK-DAG: llvm.mlir.global internal constant @[[LENS:.*]]("{{.*}}attn.decode_attention: seq_lens and query have %lld and %lld sequences (B must agree)
// CHECK-LABEL: func.func @decode
// CHECK: llvm.mlir.addressof @[[LENS]]
// CHECK: gpu.launch_func
func.func @decode(%q: tensor<?x2x1x64xf16>, %kc: tensor<?x1x32x64xf16>,
    %vc: tensor<?x1x32x64xf16>, %lens: tensor<?xi32>) -> tensor<?x2x1x64xf16> {
  %c0 = arith.constant 0 : index
  %b = tensor.dim %q, %c0 : tensor<?x2x1x64xf16>
  %o0 = tensor.empty(%b) : tensor<?x2x1x64xf16>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<?x2x1x64xf16>, tensor<?x1x32x64xf16>, tensor<?x1x32x64xf16>)
      seq_lens(%lens : tensor<?xi32>)
      outs(%o0 : tensor<?x2x1x64xf16>) -> tensor<?x2x1x64xf16>
  return %o : tensor<?x2x1x64xf16>
}
