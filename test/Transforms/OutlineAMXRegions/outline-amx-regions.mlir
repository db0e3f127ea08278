// RUN: attnc-opt %s -attnc-outline-amx-regions | FileCheck %s

// Regions of an scf.if that hold amx ops become private functions with
// internal linkage, called with no_inline, so that LLVM's tilerelease (at
// every return of a function that uses tiles) runs only where the tiles
// did. The outermost region goes, with the ifs inside it; a function that
// uses tiles unconditionally stays as it is; names avoid existing symbols.

// CHECK-LABEL: func.func private @granted_amx0(
// CHECK-SAME: %{{.*}}: memref<16x16xf32>, %{{.*}}: i1) attributes {llvm.linkage = #llvm.linkage<internal>}
// CHECK: amx.tile_zero
// CHECK: scf.if
// CHECK: amx.tile_store
// CHECK: return
// CHECK-LABEL: func.func @granted(
// CHECK-NOT: amx.
// CHECK: scf.if %{{.*}} {
// CHECK-NEXT: func.call @granted_amx0(%{{.*}}, %{{.*}}) {no_inline} : (memref<16x16xf32>, i1) -> ()
// CHECK: } else {
// CHECK: memref.store
// CHECK-NOT: amx.
// CHECK: return
func.func @granted(%ok: i1, %inner: i1, %out: memref<16x16xf32>) {
  scf.if %ok {
    %c0 = arith.constant 0 : index
    %t = amx.tile_zero : !amx.tile<16x16xf32>
    scf.if %inner {
      amx.tile_store %out[%c0, %c0], %t : memref<16x16xf32>, !amx.tile<16x16xf32>
    }
  } else {
    %c0 = arith.constant 0 : index
    %f = arith.constant 1.0 : f32
    memref.store %f, %out[%c0, %c0] : memref<16x16xf32>
  }
  return
}

// Results of the region are the function's; @two_amx0 exists, so the
// regions of @two take the next free names.
// CHECK-LABEL: func.func private @two_amx1(
// CHECK-SAME: -> f32
// CHECK-LABEL: func.func private @two_amx2(
// CHECK-LABEL: func.func @two(
// CHECK: %[[R:.*]] = scf.if
// CHECK-NEXT: %[[V:.*]] = func.call @two_amx1({{.*}}) {no_inline}
// CHECK-NEXT: scf.yield %[[V]] : f32
// CHECK: scf.if
// CHECK-NEXT: func.call @two_amx2({{.*}}) {no_inline}
func.func @two(%ok: i1, %out: memref<16x16xf32>) -> f32 {
  %r = scf.if %ok -> f32 {
    %c0 = arith.constant 0 : index
    %t = amx.tile_zero : !amx.tile<16x16xf32>
    amx.tile_store %out[%c0, %c0], %t : memref<16x16xf32>, !amx.tile<16x16xf32>
    %v = memref.load %out[%c0, %c0] : memref<16x16xf32>
    scf.yield %v : f32
  } else {
    %f = arith.constant 1.0 : f32
    scf.yield %f : f32
  }
  scf.if %ok {
    %c0 = arith.constant 0 : index
    %t = amx.tile_zero : !amx.tile<16x16xf32>
    amx.tile_store %out[%c0, %c0], %t : memref<16x16xf32>, !amx.tile<16x16xf32>
  }
  return %r : f32
}
func.func private @two_amx0()

// No condition: nothing to outline.
// CHECK-LABEL: func.func @always(
// CHECK-NEXT: arith.constant
// CHECK-NEXT: amx.tile_zero
// CHECK-NOT: func.call
func.func @always(%out: memref<16x16xf32>) {
  %c0 = arith.constant 0 : index
  %t = amx.tile_zero : !amx.tile<16x16xf32>
  amx.tile_store %out[%c0, %c0], %t : memref<16x16xf32>, !amx.tile<16x16xf32>
  return
}
