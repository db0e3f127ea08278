// RUN: attnc-opt %s -split-input-file -convert-scf-to-openmp \
// RUN:   -attnc-serialize-single-task-regions | FileCheck %s

// A parallel loop forks only when it has more than one iteration: the
// product of its trip counts, ceil((ub - lb) / step) each (0 for an empty
// range), decides the `if` clause.
// CHECK-LABEL: func.func @two_dims(
// CHECK-SAME: %[[M:[a-z0-9]+]]: index, %[[N:[a-z0-9]+]]: index
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[C4:.*]] = arith.constant 4 : index
// CHECK: %[[HIGH0:.*]] = arith.maxsi %[[M]], %[[C0]] : index
// CHECK: %[[COUNT0:.*]] = arith.index_castui %[[HIGH0]] : index to i64
// CHECK: %[[HIGH1:.*]] = arith.maxsi %[[N]], %[[C1]] : index
// CHECK: %[[SPAN1:.*]] = arith.subi %[[HIGH1]], %[[C1]] : index
// CHECK: %[[STEPS1:.*]] = arith.ceildivui %[[SPAN1]], %[[C4]] : index
// CHECK: %[[COUNT1:.*]] = arith.index_castui %[[STEPS1]] : index to i64
// CHECK: %[[ALL:.*]] = arith.muli %[[COUNT0]], %[[COUNT1]] : i64
// CHECK: %[[SEVERAL:.*]] = arith.cmpi ugt, %[[ALL]], %{{.*}} : i64
// CHECK: omp.parallel if(%[[SEVERAL]])
// CHECK: omp.wsloop
// CHECK: omp.loop_nest (%{{.*}}, %{{.*}}) : index = (%[[C0]], %[[C1]]) to (%[[M]], %[[N]]) step (%[[C1]], %[[C4]])
func.func @two_dims(%m: index, %n: index, %out: memref<?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c1) to (%m, %n) step (%c1, %c4) {
    memref.store %cst, %out[%i, %j] : memref<?x?xf32>
    scf.reduce
  }
  return
}

// -----

// A loop of one iteration known at compile time never forks.
// CHECK-LABEL: func.func @one_iteration(
// CHECK: %[[NEVER:.*]] = arith.constant false
// CHECK: omp.parallel if(%[[NEVER]])
func.func @one_iteration(%out: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c1) step (%c1) {
    memref.store %cst, %out[%i] : memref<8xf32>
    scf.reduce
  }
  return
}

// -----

// Regions that are not one worksharing loop keep forking unconditionally,
// and a region that already has a condition keeps it.
// CHECK-LABEL: func.func @not_a_loop(
// CHECK: omp.parallel {
// CHECK: omp.parallel if(%{{.*}}) {
// CHECK-NOT: arith.cmpi
// CHECK: return
func.func @not_a_loop(%out: memref<8xf32>, %cond: i1) {
  %c0 = arith.constant 0 : index
  %cst = arith.constant 1.0 : f32
  omp.parallel {
    memref.store %cst, %out[%c0] : memref<8xf32>
    omp.terminator
  }
  omp.parallel if(%cond) {
    memref.store %cst, %out[%c0] : memref<8xf32>
    omp.terminator
  }
  return
}
