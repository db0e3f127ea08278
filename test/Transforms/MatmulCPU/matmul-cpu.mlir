// RUN: attnc-opt %s -split-input-file -attnc-matmul-cpu -cse | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attnc-matmul-cpu="vector-width=8" \
// RUN:   | FileCheck %s --check-prefix=VL8

// A linear layer with [in, out] weights (GPT-2 Conv1D) and a bias in the
// output's initial value: one scf.forall over (batch, 8-row blocks,
// 64-column blocks); the accumulators start from the initial values; per k,
// two weight vectors times the broadcast input of each of the 8 rows; the
// tile's existing rows and columns are inserted.

// CHECK-LABEL: func.func @in_out(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<?x?x32xf32>, %[[W:[a-z0-9]+]]: tensor<32x128xf32>, %[[INIT:[a-z0-9]+]]: tensor<?x?x128xf32>)
// CHECK: %[[OUT:.*]] = scf.forall (%[[B:.*]], %[[RB:.*]], %[[CB:.*]]) in (%{{.*}}, %{{.*}}, 2) shared_outs(%[[ACC:.*]] = %[[INIT]])
// CHECK: %[[TILE:.*]] = memref.alloca() : memref<8x64xf32>
// CHECK: scf.if
// CHECK: vector.transfer_read %[[INIT]]
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(
// CHECK-COUNT-2: vector.transfer_read %[[W]][%[[K]], %{{.*}}], %{{.*}} {in_bounds = [true]}
// CHECK: tensor.extract %[[X]]
// CHECK-COUNT-2: vector.fma
// CHECK: } else {
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[ACC]][%[[B]], %{{.*}}, %{{.*}}] [1, %{{.*}}, %{{.*}}] [1, 1, 1]
// CHECK: return %[[OUT]]
// VL8-LABEL: func.func @in_out(
// VL8: vector.transfer_read {{.*}} : tensor<32x128xf32>, vector<8xf32>
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmw = affine_map<(b, s, n, k) -> (k, n)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @in_out(%x: tensor<?x?x32xf32>, %w: tensor<32x128xf32>,
    %init: tensor<?x?x128xf32>) -> tensor<?x?x128xf32> {
  %r = linalg.generic {indexing_maps = [#mmx, #mmw, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<?x?x32xf32>, tensor<32x128xf32>)
      outs(%init : tensor<?x?x128xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x?x128xf32>
  return %r : tensor<?x?x128xf32>
}

// -----

// [out, in] weights (torch nn.Linear, a vocabulary of 100 that is not a
// multiple of 64): dot products of input vectors and two weight rows along
// K, reduced once per tile; the last column block is partial and its rows
// past N are clamped to the last one.

// CHECK-LABEL: func.func @out_in(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x?x32xf32>, %[[W:[a-z0-9]+]]: tensor<100x32xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, %{{.*}}, 2)
// CHECK: arith.minsi %{{.*}}, %c99 : index
// CHECK: scf.for
// CHECK: vector.transfer_read %[[W]]
// CHECK: vector.transfer_read %[[X]]
// CHECK: vector.fma
// CHECK: vector.reduction <add>
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmwt = affine_map<(b, s, n, k) -> (n, k)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @out_in(%x: tensor<1x?x32xf32>, %w: tensor<100x32xf32>,
    %init: tensor<1x?x100xf32>) -> tensor<1x?x100xf32> {
  %r = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x?x32xf32>, tensor<100x32xf32>)
      outs(%init : tensor<1x?x100xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %b, %a : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x?x100xf32>
  return %r : tensor<1x?x100xf32>
}

// -----

// Not a linear layer (a max-reduction body; K = 20 not a multiple of 16):
// left alone.

// CHECK-LABEL: func.func @not_linear(
// CHECK-NOT: scf.forall
// CHECK: linalg.generic
// CHECK: linalg.generic
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmw = affine_map<(b, s, n, k) -> (k, n)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @not_linear(%x: tensor<1x4x32xf32>, %w: tensor<32x64xf32>,
    %init: tensor<1x4x64xf32>, %x2: tensor<1x4x20xf32>, %w2: tensor<20x64xf32>)
    -> (tensor<1x4x64xf32>, tensor<1x4x64xf32>) {
  %r = linalg.generic {indexing_maps = [#mmx, #mmw, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x4x32xf32>, tensor<32x64xf32>)
      outs(%init : tensor<1x4x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.maximumf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x4x64xf32>
  %r2 = linalg.generic {indexing_maps = [#mmx, #mmw, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x2, %w2 : tensor<1x4x20xf32>, tensor<20x64xf32>)
      outs(%init : tensor<1x4x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x4x64xf32>
  return %r, %r2 : tensor<1x4x64xf32>, tensor<1x4x64xf32>
}
