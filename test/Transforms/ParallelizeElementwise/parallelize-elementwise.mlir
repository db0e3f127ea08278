// RUN: attnc-opt %s -split-input-file -attnc-parallelize-elementwise -cse \
// RUN:   | FileCheck %s
// RUN: attnc-opt %s -split-input-file \
// RUN:   -attnc-parallelize-elementwise="rows-per-task=8 min-elements=0" \
// RUN:   | FileCheck %s --check-prefix=OPTS

#id3 = affine_map<(b, s, e) -> (b, s, e)>
#row3 = affine_map<(b, s, e) -> (b, s)>

// A residual add on [B, S, 768]: with 65536 points or more, one task per
// batch and block of 32 rows, each adding its [1, rows, 768] slices;
// otherwise (a decode step) the op as it was.
// CHECK-LABEL: func.func @residual_add(
// CHECK-SAME: %[[A:[a-z0-9]+]]: tensor<?x?x768xf32>, %[[B:[a-z0-9]+]]: tensor<?x?x768xf32>
// CHECK: %[[POINTS:.*]] = arith.muli %{{.*}}, %c768
// CHECK: %[[LARGE:.*]] = arith.cmpi uge, %[[POINTS]], %c65536
// CHECK: %[[R:.*]] = scf.if %[[LARGE]] -> (tensor<?x?x768xf32>) {
// CHECK: %[[T:.*]] = scf.forall (%[[I:.*]], %[[J:.*]]) = (0, 0) to (%{{.*}}, %{{.*}}) step (1, 32) shared_outs(%[[ACC:.*]] = %{{.*}})
// CHECK: %[[ROWS:.*]] = affine.min
// CHECK: %[[SA:.*]] = tensor.extract_slice %[[A]][%[[I]], %[[J]], 0] [1, %[[ROWS]], 768] [1, 1, 1]
// CHECK: %[[SB:.*]] = tensor.extract_slice %[[B]][%[[I]], %[[J]], 0] [1, %[[ROWS]], 768] [1, 1, 1]
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[SA]], %[[SB]] : tensor<1x?x768xf32>, tensor<1x?x768xf32>)
// CHECK: arith.addf
// CHECK: tensor.parallel_insert_slice %[[SUM]] into %[[ACC]][%[[I]], %[[J]], 0] [1, %[[ROWS]], 768]
// CHECK: scf.yield %[[T]]
// CHECK: } else {
// CHECK: %[[WHOLE:.*]] = linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<?x?x768xf32>, tensor<?x?x768xf32>)
// CHECK: scf.yield %[[WHOLE]]
// CHECK: return %[[R]]
// OPTS-LABEL: func.func @residual_add(
// OPTS: arith.cmpi uge, %{{.*}}, %c0
// OPTS: scf.forall {{.*}} step (1, 8)
func.func @residual_add(%a: tensor<?x?x768xf32>, %b: tensor<?x?x768xf32>)
    -> tensor<?x?x768xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %a, %c0 : tensor<?x?x768xf32>
  %d1 = tensor.dim %a, %c1 : tensor<?x?x768xf32>
  %e = tensor.empty(%d0, %d1) : tensor<?x?x768xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3, #id3],
                       iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a, %b : tensor<?x?x768xf32>, tensor<?x?x768xf32>)
      outs(%e : tensor<?x?x768xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<?x?x768xf32>
  return %r : tensor<?x?x768xf32>
}

// -----

#id3 = affine_map<(b, s, e) -> (b, s, e)>
#row3 = affine_map<(b, s, e) -> (b, s)>

// A row reduction (RMSNorm's sum of squares): rows split, the reduced dim
// whole.
// CHECK-LABEL: func.func @row_sum(
// CHECK: scf.if
// CHECK: scf.forall {{.*}} step (1, 32)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]{{.*}} ins(%{{.*}} : tensor<1x?x64xf32>) outs(%{{.*}} : tensor<1x?xf32>)
// CHECK: tensor.parallel_insert_slice {{.*}} [1, %{{.*}}] [1, 1] : tensor<1x?xf32> into tensor<?x?xf32>
func.func @row_sum(%x: tensor<?x?x64xf32>, %init: tensor<?x?xf32>)
    -> tensor<?x?xf32> {
  %r = linalg.generic {indexing_maps = [#id3, #row3],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x : tensor<?x?x64xf32>) outs(%init : tensor<?x?xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %sq = arith.mulf %v, %v : f32
    %s = arith.addf %acc, %sq : f32
    linalg.yield %s : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

#id2 = affine_map<(i, j) -> (i, j)>
#red = affine_map<(i, j) -> (j)>
#id1 = affine_map<(i) -> (i)>

// Left alone: a reduction before the last loop, a single loop, and ops
// already inside a parallel loop.
// CHECK-LABEL: func.func @left_alone(
// CHECK-NOT: scf.if
// CHECK: scf.forall (
// CHECK-NOT: scf.forall (
// CHECK-NOT: scf.if
// CHECK: return
func.func @left_alone(%x: tensor<512x512xf32>, %col: tensor<512xf32>,
    %v: tensor<100000xf32>) -> (tensor<512xf32>, tensor<100000xf32>,
    tensor<4x512x512xf32>) {
  %sum = linalg.generic {indexing_maps = [#id2, #red],
                         iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<512x512xf32>) outs(%col : tensor<512xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<512xf32>
  %neg = linalg.generic {indexing_maps = [#id1, #id1],
                         iterator_types = ["parallel"]}
      ins(%v : tensor<100000xf32>) outs(%v : tensor<100000xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<100000xf32>
  %e = tensor.empty() : tensor<4x512x512xf32>
  %all = scf.forall (%i) in (4) shared_outs(%acc = %e) -> tensor<4x512x512xf32> {
    %t = linalg.generic {indexing_maps = [#id2, #id2],
                         iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<512x512xf32>) outs(%x : tensor<512x512xf32>) {
    ^bb0(%a: f32, %o: f32):
      %n = arith.negf %a : f32
      linalg.yield %n : f32
    } -> tensor<512x512xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %t into %acc[%i, 0, 0] [1, 512, 512] [1, 1, 1]
          : tensor<512x512xf32> into tensor<4x512x512xf32>
    }
  }
  return %sum, %neg, %all : tensor<512xf32>, tensor<100000xf32>, tensor<4x512x512xf32>
}
