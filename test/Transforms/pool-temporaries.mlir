// RUN: attnc-opt %s -attnc-pool-temporaries | FileCheck %s

// A buffer the allocating block frees comes from the workspace pool, with
// its descriptor built in the LLVM dialect; a returned one stays on malloc.

// CHECK-DAG: llvm.func @attnc_workspace_alloc(i64) -> !llvm.ptr
// CHECK-DAG: llvm.func @attnc_workspace_free(!llvm.ptr)

// CHECK-LABEL: func.func @f(
// CHECK-SAME:      %[[N:.*]]: index
// CHECK:         %[[NI:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK:         %[[ELEMS:.*]] = arith.muli %{{.*}}, %[[NI]] : i64
// CHECK:         %[[BYTES:.*]] = arith.muli %[[ELEMS]], %{{.*}} : i64
// CHECK:         %[[PTR:.*]] = llvm.call @attnc_workspace_alloc(%[[BYTES]])
// CHECK:         %[[TMP:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<?x16xf32>
// CHECK:         %[[RESULT:.*]] = memref.alloc(%[[N]]) : memref<?x16xf32>
// CHECK:         linalg.copy ins(%[[TMP]] : memref<?x16xf32>) outs(%[[RESULT]] : memref<?x16xf32>)
// CHECK:         %[[DESC:.*]] = builtin.unrealized_conversion_cast %[[TMP]]
// CHECK:         %[[ALLOCATED:.*]] = llvm.extractvalue %[[DESC]][0]
// CHECK:         llvm.call @attnc_workspace_free(%[[ALLOCATED]])
// CHECK-NOT:     memref.dealloc
// CHECK:         return %[[RESULT]]
func.func @f(%n: index) -> memref<?x16xf32> {
  %tmp = memref.alloc(%n) {alignment = 64 : i64} : memref<?x16xf32>
  %r = memref.alloc(%n) : memref<?x16xf32>
  linalg.copy ins(%tmp : memref<?x16xf32>) outs(%r : memref<?x16xf32>)
  memref.dealloc %tmp : memref<?x16xf32>
  return %r : memref<?x16xf32>
}

// Freed in another block (conditionally), over-aligned, or of a strided
// layout: left alone.
// CHECK-LABEL: func.func @g(
// CHECK-COUNT-3: memref.alloc
// CHECK-NOT:     attnc_workspace
func.func @g(%c: i1) {
  %a = memref.alloc() : memref<8xf32>
  scf.if %c {
    memref.dealloc %a : memref<8xf32>
  }
  %b = memref.alloc() {alignment = 128 : i64} : memref<8xf32>
  memref.dealloc %b : memref<8xf32>
  %s = memref.alloc() : memref<8xf32, strided<[2]>>
  memref.dealloc %s : memref<8xf32, strided<[2]>>
  return
}
