// RUN: attnc-opt %s -split-input-file -attnc-matmul-cpu -cse | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attnc-matmul-cpu="vector-width=8" \
// RUN:   | FileCheck %s --check-prefix=VL8

// A linear layer with [in, out] weights (GPT-2 Conv1D) accumulating into
// the output's initial values. Fewer than 6 rows in all (a decode step) run
// the streaming split-K kernel: one task per 64 weight rows, read one row at
// a time front to back (one input element broadcast per row) into an L1
// buffer, in 16-lane vectors (whole cache lines) where the weight starts on
// a line and in 8-lane vectors (half lines) elsewhere, then a forall that
// adds the per-chunk partial rows to the initial values. With 8 lanes there
// is one form. Otherwise the blocked kernel: whole 6-row blocks
// of the input are first interleaved ([b, block, k, row]) so that the
// broadcasts read one stream, then a forall over
// (batch, 64-column block, 516-row task); the tile starts from the initial
// values; per 128 weight rows the block's columns are packed into a
// contiguous panel, and 6-row blocks run 24 register accumulators (4 panel
// vectors times the broadcast input of each of the 6 rows per k).

// CHECK-LABEL: func.func @in_out(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<?x?x32xf32>, %[[W:[a-z0-9]+]]: tensor<32x128xf32>, %[[INIT:[a-z0-9]+]]: tensor<?x?x128xf32>)
// CHECK: %[[ROWS:.*]] = arith.muli
// CHECK: %[[FEW:.*]] = arith.cmpi ult, %[[ROWS]], %c6
// CHECK: %[[OUT:.*]] = scf.if %[[FEW]]
// CHECK: %[[PARTIAL:.*]] = scf.forall (%{{.*}}, %{{.*}}) in (1, 1) shared_outs(
// CHECK: %[[BUF:.*]] = memref.alloca() {alignment = 64 : i64} : memref<6x128xf32>
// CHECK: memref.extract_aligned_pointer_as_index
// CHECK: %[[REM:.*]] = arith.remui %{{.*}}, %c64 : index
// CHECK: %[[ALIGNED:.*]] = arith.cmpi eq, %[[REM]], %c0 : index
// CHECK: scf.for %{{[a-z0-9]+}} = %c0 to %{{.*}} step %c1 {
// CHECK: vector.store %cst{{.*}}, %[[BUF]]
// CHECK: scf.if %[[ALIGNED]] {
// CHECK: scf.for %[[KS:[a-z0-9]+]] = %{{.*}} to %{{.*}} step %c1 {
// CHECK: tensor.extract %[[X]]
// CHECK-NOT: tensor.extract
// CHECK: vector.load %[[BUF]]{{.*}} : memref<6x128xf32>, vector<16xf32>
// CHECK: vector.transfer_read %[[W]][%[[KS]], %{{.*}}]{{.*}} : tensor<32x128xf32>, vector<16xf32>
// CHECK: vector.fma
// CHECK: vector.store {{.*}}, %[[BUF]]
// CHECK: } else {
// CHECK: scf.for %[[KH:[a-z0-9]+]] = %{{.*}} to %{{.*}} step %c1 {
// CHECK: tensor.extract %[[X]]
// CHECK-NOT: tensor.extract
// CHECK: vector.load %[[BUF]]{{.*}} : memref<6x128xf32>, vector<8xf32>
// CHECK: vector.transfer_read %[[W]][%[[KH]], %{{.*}}]{{.*}} : tensor<32x128xf32>, vector<8xf32>
// CHECK: vector.fma
// CHECK: vector.store {{.*}}, %[[BUF]]
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (%[[ROWS]], 1) shared_outs(%{{.*}} = %[[INIT]])
// CHECK: vector.transfer_read %[[INIT]]
// CHECK: scf.for
// CHECK: vector.transfer_read %[[PARTIAL]]
// CHECK: } else {
// CHECK: %[[PACKED:.*]] = scf.forall (%{{.*}}, %{{.*}}) in (%{{.*}}, %{{.*}}) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<?x?x32x6xf32>)
// CHECK: tensor.extract %[[X]]
// CHECK: scf.forall (%[[B:.*]], %{{.*}}, %{{.*}}) in (%{{.*}}, 2, %{{.*}}) shared_outs(%[[ACC:.*]] = %[[INIT]])
// CHECK: %[[TILE:.*]] = memref.alloca() : memref<516x64xf32>
// CHECK: vector.transfer_read %[[INIT]]
// CHECK: %[[PANEL:.*]] = memref.alloca() : memref<128x64xf32>
// CHECK-COUNT-4: vector.transfer_read %[[W]]
// CHECK: scf.for {{.*}} step %c6
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(
// CHECK-COUNT-4: vector.load %[[PANEL]][%[[K]], %{{.*}}]
// CHECK: tensor.extract %[[PACKED]]
// CHECK-COUNT-4: vector.fma
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[ACC]][%[[B]], %{{.*}}, %{{.*}}] [1, %{{.*}}, %{{.*}}] [1, 1, 1]
// CHECK: return %[[OUT]]
// VL8-LABEL: func.func @in_out(
// VL8-NOT: memref.extract_aligned_pointer_as_index
// VL8: memref.alloca() : memref<516x16xf32>
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
// multiple of 64): a forall over (batch, 64-column block, 128-row task);
// dot products of 8 input rows and two weight rows along K, reduced once
// per output; the last column block is partial and its columns past N are
// clamped to the last one.

// CHECK-LABEL: func.func @out_in(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x?x32xf32>, %[[W:[a-z0-9]+]]: tensor<100x32xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 2, %{{.*}})
// CHECK: memref.alloca() : memref<128x64xf32>
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

// Not a linear layer (a max-reduction body): left alone. [out, in] weights
// with K = 20, not a multiple of 16, run on the kernels: the dot-product
// kernel reads the last vector along K with a mask (in_bounds = [false]).

// CHECK-LABEL: func.func @not_linear(
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
// CHECK: scf.forall
// CHECK: vector.transfer_read %{{.*}}, %{{[a-z0-9_]+}} : tensor<64x20xf32>, vector<16xf32>
// CHECK-NOT: linalg.generic
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmw = affine_map<(b, s, n, k) -> (k, n)>
#mmwt = affine_map<(b, s, n, k) -> (n, k)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @not_linear(%x: tensor<1x4x32xf32>, %w: tensor<32x64xf32>,
    %init: tensor<1x4x64xf32>, %x2: tensor<1x4x20xf32>, %w2: tensor<64x20xf32>)
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
  %r2 = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x2, %w2 : tensor<1x4x20xf32>, tensor<64x20xf32>)
      outs(%init : tensor<1x4x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x4x64xf32>
  return %r, %r2 : tensor<1x4x64xf32>, tensor<1x4x64xf32>
}

// -----

// An initial value that broadcasts a bias vector along (batch, row) is read
// as that vector: the kernels start from the bias and write a fresh tensor,
// and the broadcast is dead.

// CHECK-LABEL: func.func @bias_broadcast(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x?x32xf32>, %[[W:[a-z0-9]+]]: tensor<32x64xf32>, %[[BIAS:[a-z0-9]+]]: tensor<64xf32>)
// CHECK: %[[S:.*]] = tensor.dim %[[X]]
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[S]]) : tensor<1x?x64xf32>
// CHECK: scf.forall {{.*}} shared_outs(%{{.*}} = %[[EMPTY]])
// CHECK: vector.transfer_read %[[BIAS]]
// CHECK: scf.forall {{.*}} shared_outs(%{{.*}} = %[[EMPTY]])
// CHECK: vector.transfer_read %[[BIAS]]
#bb = affine_map<(b, s, n) -> (n)>
#id = affine_map<(b, s, n) -> (b, s, n)>
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmw = affine_map<(b, s, n, k) -> (k, n)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @bias_broadcast(%x: tensor<1x?x32xf32>, %w: tensor<32x64xf32>,
    %bias: tensor<64xf32>) -> tensor<1x?x64xf32> {
  %c1 = arith.constant 1 : index
  %s = tensor.dim %x, %c1 : tensor<1x?x32xf32>
  %e = tensor.empty(%s) : tensor<1x?x64xf32>
  %init = linalg.generic {indexing_maps = [#bb, #id],
      iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%bias : tensor<64xf32>) outs(%e : tensor<1x?x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x?x64xf32>
  %r = linalg.generic {indexing_maps = [#mmx, #mmw, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x?x32xf32>, tensor<32x64xf32>)
      outs(%init : tensor<1x?x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<1x?x64xf32>
  return %r : tensor<1x?x64xf32>
}

// -----

// A zero-filled initial value is not read: the kernels start from zero and
// write into the tensor the fill would have filled, and the fill is dead. A
// fill of another value is an accumulator like any initial value.

// CHECK-LABEL: func.func @zero_fill(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x?x32xf32>, %[[W:[a-z0-9]+]]: tensor<64x32xf32>)
// CHECK: %[[EMPTY:.*]] = tensor.empty(%{{.*}}) : tensor<1x?x64xf32>
// CHECK-NOT: linalg.fill
// CHECK-NOT: vector.transfer_read %[[EMPTY]]
// CHECK: scf.forall {{.*}} shared_outs(%{{.*}} = %[[EMPTY]])
// CHECK-NOT: vector.transfer_read %[[EMPTY]]
// CHECK: scf.forall {{.*}} shared_outs(%{{.*}} = %[[EMPTY]])
// CHECK-NOT: vector.transfer_read %[[EMPTY]]
// CHECK: %[[ONES:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[EMPTY]] : tensor<1x?x64xf32>)
// CHECK: scf.forall {{.*}} shared_outs(%{{.*}} = %[[ONES]])
// CHECK: vector.transfer_read %[[ONES]]
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmwt = affine_map<(b, s, n, k) -> (n, k)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @zero_fill(%x: tensor<1x?x32xf32>, %w: tensor<64x32xf32>)
    -> (tensor<1x?x64xf32>, tensor<1x?x64xf32>) {
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %s = tensor.dim %x, %c1 : tensor<1x?x32xf32>
  %e = tensor.empty(%s) : tensor<1x?x64xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x?x64xf32>)
      -> tensor<1x?x64xf32>
  %r = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x?x32xf32>, tensor<64x32xf32>)
      outs(%z : tensor<1x?x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<1x?x64xf32>
  %o = linalg.fill ins(%one : f32) outs(%e : tensor<1x?x64xf32>)
      -> tensor<1x?x64xf32>
  %r2 = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x?x32xf32>, tensor<64x32xf32>)
      outs(%o : tensor<1x?x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<1x?x64xf32>
  return %r, %r2 : tensor<1x?x64xf32>, tensor<1x?x64xf32>
}

// -----

// Layers of one input (an MLP's gate and up, here f32 and bf16 weights) are
// one kernel into a fresh [B, S, 2N] tensor, built where the first one was:
// a decode step's column blocks of both in one forall (an index_switch picks
// the block's weight), a prefill's blocked kernels one after the other on
// one packing of the input. Each result is its slice. A layer of another
// input, or whose weight is defined after the group's first layer, keeps a
// kernel of its own.

// CHECK-LABEL: func.func @gate_up(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x?x32xf32>, %[[WG:[a-z0-9]+]]: tensor<96x32xf32>, %[[WU:[a-z0-9]+]]: tensor<96x32xbf16>, %[[Y:[a-z0-9]+]]: tensor<1x?x32xf32>)
// CHECK: %[[BOTH:.*]] = tensor.empty(%{{.*}}) : tensor<1x?x192xf32>
// CHECK: %[[OUT:.*]] = scf.if
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 4, %{{.*}}) shared_outs(%{{.*}} = %[[BOTH]])
// CHECK: scf.index_switch
// CHECK: case 0 {
// CHECK: vector.transfer_read %[[WG]]
// CHECK: default {
// CHECK: vector.transfer_read %[[WU]]
// CHECK: } else {
// CHECK: %[[PACKED:.*]] = scf.forall {{.*}} -> (tensor<1x?x32x6xf32>)
// CHECK-NOT: -> (tensor<1x?x32x6xf32>)
// CHECK: %[[GATE:.*]] = scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 2, %{{.*}}) shared_outs(%{{.*}} = %[[BOTH]])
// CHECK: tensor.extract %[[PACKED]]
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 2, %{{.*}}) shared_outs(%{{.*}} = %[[GATE]])
// CHECK: tensor.extract %[[PACKED]]
// CHECK: tensor.extract_slice %[[OUT]][0, 0, 0] [1, %{{.*}}, 96] [1, 1, 1] : tensor<1x?x192xf32> to tensor<1x?x96xf32>
// CHECK: tensor.extract_slice %[[OUT]][0, 0, 96] [1, %{{.*}}, 96] [1, 1, 1] : tensor<1x?x192xf32> to tensor<1x?x96xf32>
// CHECK-NOT: tensor<1x?x192xf32>
// CHECK: return
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmwt = affine_map<(b, s, n, k) -> (n, k)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @gate_up(%x: tensor<1x?x32xf32>, %wg: tensor<96x32xf32>,
    %wu: tensor<96x32xbf16>, %y: tensor<1x?x32xf32>)
    -> (tensor<1x?x96xf32>, tensor<1x?x96xf32>, tensor<1x?x96xf32>,
        tensor<1x?x96xf32>) {
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %s = tensor.dim %x, %c1 : tensor<1x?x32xf32>
  %e = tensor.empty(%s) : tensor<1x?x96xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x?x96xf32>)
      -> tensor<1x?x96xf32>
  %g = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %wg : tensor<1x?x32xf32>, tensor<96x32xf32>)
      outs(%z : tensor<1x?x96xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<1x?x96xf32>
  %u = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %wu : tensor<1x?x32xf32>, tensor<96x32xbf16>)
      outs(%z : tensor<1x?x96xf32>) {
  ^bb0(%a: f32, %b: bf16, %acc: f32):
    %bw = arith.extf %b : bf16 to f32
    %p = arith.mulf %a, %bw : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<1x?x96xf32>
  // Another input.
  %v = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%y, %wg : tensor<1x?x32xf32>, tensor<96x32xf32>)
      outs(%z : tensor<1x?x96xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<1x?x96xf32>
  // A weight computed after the first layer.
  %w2 = tensor.empty() : tensor<96x32xf32>
  %w3 = linalg.fill ins(%zero : f32) outs(%w2 : tensor<96x32xf32>)
      -> tensor<96x32xf32>
  %l = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w3 : tensor<1x?x32xf32>, tensor<96x32xf32>)
      outs(%z : tensor<1x?x96xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<1x?x96xf32>
  return %g, %u, %v, %l : tensor<1x?x96xf32>, tensor<1x?x96xf32>,
      tensor<1x?x96xf32>, tensor<1x?x96xf32>
}

// -----

// bf16 [out, in] weights (a Llama checkpoint read in place): the body's
// arith.extf is matched, and the kernels read bf16 vectors and widen them.

// CHECK-LABEL: func.func @bf16_weights(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x?x32xf32>, %[[W:[a-z0-9]+]]: tensor<64x32xbf16>
// CHECK: scf.forall
// CHECK: %[[WV:.*]] = vector.transfer_read %[[W]]{{.*}} : tensor<64x32xbf16>, vector<16xbf16>
// CHECK: arith.extf %[[WV]] : vector<16xbf16> to vector<16xf32>
// CHECK-NOT: linalg.generic
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmwt = affine_map<(b, s, n, k) -> (n, k)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @bf16_weights(%x: tensor<1x?x32xf32>, %w: tensor<64x32xbf16>,
    %init: tensor<1x?x64xf32>) -> tensor<1x?x64xf32> {
  %r = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x?x32xf32>, tensor<64x32xbf16>)
      outs(%init : tensor<1x?x64xf32>) {
  ^bb0(%a: f32, %b: bf16, %acc: f32):
    %wf = arith.extf %b : bf16 to f32
    %p = arith.mulf %a, %wf : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<1x?x64xf32>
  return %r : tensor<1x?x64xf32>
}

// -----

// f16 [out, in] weights, one row (a decode step): one weight row at a time,
// two cache lines of it (four chunks of 16, four accumulators) per
// iteration of K, no prefetch (the weight is one sequential stream); the
// accumulators summed, then the whole chunk left (k = 64) and the masked
// last one (k = 80 of 88).

// CHECK-LABEL: func.func @f16_decode(
// CHECK-SAME: %{{[a-z0-9]+}}: tensor<1x1x88xf32>, %[[W:[a-z0-9]+]]: tensor<64x88xf16>
// CHECK: } else {
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c1 {
// CHECK-NOT: memref.prefetch
// CHECK: %[[ACC:.*]]:4 = scf.for %{{.*}} = %c0 to %c64 step %c64 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK-COUNT-4: vector.transfer_read %[[W]]{{.*}} {in_bounds = [true]} : tensor<64x88xf16>, vector<16xf16>
// CHECK: scf.yield
// CHECK: %[[S1:.*]] = arith.addf %[[ACC]]#0, %[[ACC]]#1 : vector<16xf32>
// CHECK: %[[S2:.*]] = arith.addf %[[S1]], %[[ACC]]#2 : vector<16xf32>
// CHECK: arith.addf %[[S2]], %[[ACC]]#3 : vector<16xf32>
// CHECK: vector.transfer_read %[[W]][%{{.*}}, %c64], %{{.*}} {in_bounds = [true]}
// CHECK: vector.transfer_read %[[W]][%{{.*}}, %c80], %{{.*}} : tensor<64x88xf16>
// CHECK: vector.reduction <add>
// CHECK-NOT: memref.prefetch
// CHECK: } else {
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmwt = affine_map<(b, s, n, k) -> (n, k)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @f16_decode(%x: tensor<1x1x88xf32>, %w: tensor<64x88xf16>,
    %init: tensor<1x1x64xf32>) -> tensor<1x1x64xf32> {
  %r = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x1x88xf32>, tensor<64x88xf16>)
      outs(%init : tensor<1x1x64xf32>) {
  ^bb0(%a: f32, %b: f16, %acc: f32):
    %wf = arith.extf %b : f16 to f32
    %p = arith.mulf %a, %wf : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<1x1x64xf32>
  return %r : tensor<1x1x64xf32>
}

// -----

// f32 [out, in] weights, one row, rows of whole cache lines (K = 64: 256
// bytes): versioned on the weight's alignment, known at run time (weights
// are read in place). A weight on a 64-byte boundary is read in 16-lane
// vectors, whole lines (two per iteration, two accumulators); elsewhere in
// 8-lane vectors, half lines (four accumulators), of which at most every
// other one straddles two lines. With 8-lane vectors there is one form.

// CHECK-LABEL: func.func @f32_decode(
// CHECK-SAME: %{{[a-z0-9]+}}: tensor<1x1x64xf32>, %[[W:[a-z0-9]+]]: tensor<64x64xf32>
// CHECK: } else {
// CHECK: %[[BUF:.*]] = bufferization.to_buffer %[[W]] read_only
// CHECK: memref.extract_aligned_pointer_as_index %[[BUF]]
// CHECK: %[[REM:.*]] = arith.remui %{{.*}}, %c64 : index
// CHECK: %[[ALIGNED:.*]] = arith.cmpi eq, %[[REM]], %c0 : index
// CHECK: scf.if %[[ALIGNED]] {
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>)
// CHECK-COUNT-2: vector.transfer_read %[[W]]{{.*}} : tensor<64x64xf32>, vector<16xf32>
// CHECK: vector.reduction <add>, {{.*}} : vector<16xf32> into f32
// CHECK: } else {
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK-COUNT-4: vector.transfer_read %[[W]]{{.*}} : tensor<64x64xf32>, vector<8xf32>
// CHECK: vector.reduction <add>, {{.*}} : vector<8xf32> into f32
// VL8-LABEL: func.func @f32_decode(
// VL8-NOT: memref.extract_aligned_pointer_as_index
// VL8: vector.reduction <add>, {{.*}} : vector<8xf32> into f32
// VL8-NOT: memref.extract_aligned_pointer_as_index
// VL8: return
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmwt = affine_map<(b, s, n, k) -> (n, k)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @f32_decode(%x: tensor<1x1x64xf32>, %w: tensor<64x64xf32>,
    %init: tensor<1x1x64xf32>) -> tensor<1x1x64xf32> {
  %r = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x1x64xf32>, tensor<64x64xf32>)
      outs(%init : tensor<1x1x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<1x1x64xf32>
  return %r : tensor<1x1x64xf32>
}

// -----

// Rows that are not whole cache lines (K = 40: 160 bytes) are never all
// aligned: only the half-line form, no alignment test.

// CHECK-LABEL: func.func @f32_decode_partial_lines(
// CHECK: } else {
// CHECK-NOT: memref.extract_aligned_pointer_as_index
// CHECK-NOT: vector<16xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK: vector.reduction <add>, {{.*}} : vector<8xf32> into f32
// CHECK-NOT: memref.extract_aligned_pointer_as_index
// CHECK: return
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmwt = affine_map<(b, s, n, k) -> (n, k)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @f32_decode_partial_lines(%x: tensor<1x1x40xf32>,
    %w: tensor<64x40xf32>, %init: tensor<1x1x64xf32>) -> tensor<1x1x64xf32> {
  %r = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x1x40xf32>, tensor<64x40xf32>)
      outs(%init : tensor<1x1x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<1x1x64xf32>
  return %r : tensor<1x1x64xf32>
}
