// RUN: attnc-opt %s -split-input-file -attnc-destination-entries | FileCheck %s

// A result allocated in the entry block is computed in the caller's buffer:
// the alloc is gone from attnc_into_f, which returns nothing.

// CHECK-LABEL: func.func @f(
// CHECK-SAME:      -> memref<4x8xf32>
// CHECK:         memref.alloc
// CHECK-LABEL: func.func @attnc_into_f(
// CHECK-SAME:      %[[X:.*]]: memref<4x8xf32>, %[[OUT:.*]]: memref<4x8xf32>)
// CHECK-SAME:      llvm.emit_c_interface
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.copy ins(%[[X]] : memref<4x8xf32>) outs(%[[OUT]] : memref<4x8xf32>)
// CHECK-NEXT:    return{{$}}
// CHECK:       llvm.mlir.global external constant @attnc_signature_f(
// CHECK:       llvm.mlir.global external constant @attnc_signature_attnc_into_f("(tensor<4x8xf32>, tensor<4x8xf32>) -> ()\00")
func.func @f(%x: memref<4x8xf32>) -> memref<4x8xf32>
    attributes {llvm.emit_c_interface} {
  %r = memref.alloc() {alignment = 64 : i64} : memref<4x8xf32>
  linalg.copy ins(%x : memref<4x8xf32>) outs(%r : memref<4x8xf32>)
  return %r : memref<4x8xf32>
}
llvm.mlir.global external constant @attnc_signature_f("(tensor<4x8xf32>) -> tensor<4x8xf32>\00")

// -----

// Dynamic sizes of the output are checked against the result's; a result
// that is not a fresh buffer (here an argument) is copied.

// CHECK-LABEL: func.func @attnc_into_g(
// CHECK-SAME:      %[[X:.*]]: memref<?x8xf32>, %[[N:.*]]: memref<?x8xf32>, %[[OUT0:.*]]: memref<?x8xf32>, %[[OUT1:.*]]: memref<?x8xf32>)
// CHECK:         %[[ROWS:.*]] = memref.dim %[[X]]
// CHECK:         %[[OUTROWS:.*]] = memref.dim %[[OUT0]]
// CHECK:         %[[SAME:.*]] = arith.cmpi eq, %[[OUTROWS]], %[[ROWS]]
// CHECK:         cf.assert %[[SAME]], "_mlir_ciface_attnc_into_g: output #0 (tensor<?x8xf32>) differs from the result in size 0"
// CHECK:         linalg.copy ins(%[[X]] : memref<?x8xf32>) outs(%[[OUT0]] : memref<?x8xf32>)
// CHECK:         cf.assert {{.*}} "_mlir_ciface_attnc_into_g: output #1 (tensor<?x8xf32>) differs from the result in size 0"
// CHECK:         memref.copy %[[N]], %[[OUT1]]
// CHECK-NEXT:    return{{$}}
// CHECK:       @attnc_signature_attnc_into_g("(tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>) -> ()\00")
func.func @g(%x: memref<?x8xf32>, %n: memref<?x8xf32>) -> (memref<?x8xf32>, memref<?x8xf32>)
    attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %rows = memref.dim %x, %c0 : memref<?x8xf32>
  %r = memref.alloc(%rows) {alignment = 64 : i64} : memref<?x8xf32>
  linalg.copy ins(%x : memref<?x8xf32>) outs(%r : memref<?x8xf32>)
  return %r, %n : memref<?x8xf32>, memref<?x8xf32>
}
llvm.mlir.global external constant @attnc_signature_g("(tensor<?x8xf32>, tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>)\00")

// -----

// Functions without results (all in place), private ones and ones without a
// signature get no entry point.

// CHECK-NOT: attnc_into_
func.func @no_results(%x: memref<4xf32>) attributes {llvm.emit_c_interface} {
  return
}
llvm.mlir.global external constant @attnc_signature_no_results("(tensor<4xf32>) -> ()\00")
func.func private @internal(%x: memref<4xf32>) -> memref<4xf32> {
  return %x : memref<4xf32>
}
func.func @unsigned(%x: memref<4xf32>) -> memref<4xf32>
    attributes {llvm.emit_c_interface} {
  return %x : memref<4xf32>
}
