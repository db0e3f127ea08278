// RUN: attnc-opt %s -split-input-file -attnc-export-functions | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attnc-export-functions -attnc-export-functions | FileCheck %s --check-prefix=TWICE

// Every public function with a body gets llvm.emit_c_interface and an
// exported, NUL-terminated string global holding its MLIR type.

// CHECK-LABEL: func.func @attention
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: llvm.mlir.global external constant @attnc_signature_attention("(tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>\00")
func.func @attention(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %o0 = tensor.empty() : tensor<1x2x4x8xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>)
      outs(%o0 : tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// TWICE-LABEL: func.func @attention
// TWICE-COUNT-1: @attnc_signature_attention(
// TWICE-NOT: @attnc_signature_attention

// -----

// Every element type of the ABI, dynamic dimensions, 0-d tensors, several
// results, identity-layout memrefs, and no arguments or results at all.

// CHECK-LABEL: func.func @all_types
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @memref_identity
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @nothing
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK-DAG: llvm.mlir.global external constant @attnc_signature_all_types("(tensor<2xf16>, tensor<2xbf16>, tensor<?x4xf32>, tensor<f64>, tensor<3xi1>, tensor<3xi8>, tensor<1xi32>, tensor<1xi64>) -> (tensor<f32>, tensor<?x4xf32>)\00")
// CHECK-DAG: llvm.mlir.global external constant @attnc_signature_memref_identity("(memref<4x8xf32>, memref<4x8xf32>) -> memref<4x8xf32>\00")
// CHECK-DAG: llvm.mlir.global external constant @attnc_signature_nothing("() -> ()\00")
func.func @all_types(%a: tensor<2xf16>, %b: tensor<2xbf16>, %c: tensor<?x4xf32>,
    %d: tensor<f64>, %e: tensor<3xi1>, %f: tensor<3xi8>, %g: tensor<1xi32>,
    %h: tensor<1xi64>) -> (tensor<f32>, tensor<?x4xf32>) {
  %s = tensor.empty() : tensor<f32>
  return %s, %c : tensor<f32>, tensor<?x4xf32>
}
func.func @memref_identity(%a: memref<4x8xf32>,
    %b: memref<4x8xf32, affine_map<(d0, d1) -> (d0, d1)>>) -> memref<4x8xf32> {
  return %a : memref<4x8xf32>
}
func.func @nothing() {
  return
}

// -----

// Private functions and declarations are not exported.

// CHECK-LABEL: func.func private @helper
// CHECK-NOT: llvm.emit_c_interface
// CHECK-SAME: {
// CHECK-LABEL: func.func private @declared
// CHECK-NOT: llvm.emit_c_interface
// CHECK-LABEL: func.func @entry
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK-NOT: @attnc_signature_helper
// CHECK-NOT: @attnc_signature_declared
// CHECK: llvm.mlir.global external constant @attnc_signature_entry("(tensor<4xf32>) -> tensor<4xf32>\00")
// CHECK-NOT: @attnc_signature_helper
// CHECK-NOT: @attnc_signature_declared
func.func private @helper(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
func.func private @declared(tensor<4xf32>) -> tensor<4xf32>
func.func @entry(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = func.call @helper(%a) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = func.call @declared(%0) : (tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// A signature global left by an earlier run (here: stale) is replaced, not
// duplicated or renamed.

// CHECK-LABEL: func.func @stale
// CHECK-NOT: @attnc_signature_stale_0
// CHECK-NOT: "(tensor<1xf32>) -> tensor<1xf32>\00"
// CHECK: llvm.mlir.global external constant @attnc_signature_stale("(tensor<2xf32>) -> tensor<2xf32>\00")
// CHECK-NOT: @attnc_signature_stale
llvm.mlir.global external constant @attnc_signature_stale("(tensor<1xf32>) -> tensor<1xf32>\00") {addr_space = 0 : i32}
func.func @stale(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}

// TWICE-LABEL: func.func @stale
// TWICE-COUNT-1: @attnc_signature_stale(
// TWICE-NOT: @attnc_signature_stale
