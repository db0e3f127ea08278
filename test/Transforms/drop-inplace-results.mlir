// RUN: attnc-opt %s -split-input-file -attnc-drop-inplace-results | FileCheck %s

// Results that are the function's own argument buffers, directly, through a
// cast, or carried unchanged through scf.for loops (as a bufferized in-place
// update is), are dropped and listed as result:argument pairs; other
// results stay.

// CHECK-LABEL: func.func @cache_update(
// CHECK-SAME: %[[ARG0:.*]]: memref<4xf32>, %[[KC:.*]]: memref<2x8xf32>, %[[VC:.*]]: memref<2x8xf32>) -> memref<4xf32>
// CHECK: return %{{.*}} : memref<4xf32>
// CHECK: llvm.mlir.global external constant @attnc_inplace_cache_update("1:1,2:2\00")
func.func @cache_update(%x: memref<4xf32>, %kc: memref<2x8xf32>, %vc: memref<2x8xf32>)
    -> (memref<4xf32>, memref<2x8xf32>, memref<2x8xf32>) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %one = arith.constant 1.0 : f32
  %out = memref.alloc() : memref<4xf32>
  memref.copy %x, %out : memref<4xf32> to memref<4xf32>
  %k = scf.for %i = %c0 to %c2 step %c1 iter_args(%acc = %kc) -> (memref<2x8xf32>) {
    %inner = scf.for %j = %c0 to %c2 step %c1 iter_args(%acc2 = %acc) -> (memref<2x8xf32>) {
      memref.store %one, %acc2[%i, %j] : memref<2x8xf32>
      scf.yield %acc2 : memref<2x8xf32>
    }
    scf.yield %inner : memref<2x8xf32>
  }
  %v = memref.cast %vc : memref<2x8xf32> to memref<2x8xf32>
  return %out, %k, %v : memref<4xf32>, memref<2x8xf32>, memref<2x8xf32>
}

// -----

// A loop that yields another buffer is not an in-place update; functions
// without the C interface (not exported) and results that are not arguments
// are left alone.

// CHECK-LABEL: func.func @swapped(
// CHECK-SAME: -> memref<8xf32>
// CHECK: return
// CHECK-LABEL: func.func @not_exported(
// CHECK-SAME: -> memref<8xf32>
// CHECK-NOT: llvm.mlir.global
func.func @swapped(%a: memref<8xf32>, %b: memref<8xf32>) -> memref<8xf32>
    attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %r = scf.for %i = %c0 to %c2 step %c1 iter_args(%acc = %a) -> (memref<8xf32>) {
    scf.yield %b : memref<8xf32>
  }
  return %r : memref<8xf32>
}
func.func @not_exported(%a: memref<8xf32>) -> memref<8xf32> {
  return %a : memref<8xf32>
}
