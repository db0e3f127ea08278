// RUN: attnc-opt %s -split-input-file -attn-projection-cpu -cse | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attn-projection-cpu="vector-width=8" \
// RUN:   | FileCheck %s --check-prefix=VL8

// in_out weights, fused, with a bias and a RoPE epilogue: cos/sin tables
// of every (position, frequency) once per call; one GEMM over the fused
// weight's 128 columns from the shared linear kernels (streaming for fewer
// than 6 rows, blocked otherwise; the bias starts the accumulators); then
// one head-split forall per projection that copies rows of the GEMM result
// into an L1 tile of 32 rows, rotates queries and keys there, and writes
// [b, heads, rows, :]. A task moves min(S, 32) rows of each of
// 32 / min(S, 32) heads (at most H), so S = 1 is one task for every head.

// CHECK-LABEL: func.func @in_out_rope(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<2x?x32xf32>, %[[W:[a-z0-9]+]]: tensor<32x128xf32>, %[[BIAS:[a-z0-9]+]]: tensor<128xf32>, %[[POS:[a-z0-9]+]]: tensor<?xi64>, %[[Q0:[a-z0-9]+]]: tensor<2x2x?x32xf32>, %[[K0:[a-z0-9]+]]: tensor<2x1x?x32xf32>)
// CHECK: %[[TABLES:.*]]:2 = linalg.generic {{.*}} ins(%[[POS]] : tensor<?xi64>) outs(%{{.*}}, %{{.*}} : tensor<1x?x16xf32>, tensor<1x?x16xf32>)
// CHECK: math.powf
// CHECK: math.cos
// CHECK: math.sin
// CHECK: %[[Y0:.*]] = tensor.empty(%{{.*}}) : tensor<2x?x128xf32>
// CHECK: %[[Y:.*]] = scf.if
// CHECK: vector.transfer_read %[[W]]
// CHECK: vector.transfer_read %[[BIAS]]
// CHECK: } else {
// CHECK: memref.alloca() : memref<516x64xf32>
// CHECK: vector.transfer_read %[[BIAS]]
// CHECK: vector.transfer_read %[[W]]
// CHECK: vector.fma
// Queries: heads 0 and 1 from column 0.
// CHECK: %[[RPT0:.*]] = arith.minui %[[S:.*]], %[[C32:.*]] : index
// CHECK: %[[RPT:.*]] = arith.maxui %[[RPT0]], %{{.*}} : index
// CHECK: %[[HPT0:.*]] = arith.divui %[[C32]], %[[RPT]] : index
// CHECK: %[[HPT:.*]] = arith.minui %[[HPT0]], %[[C2:.*]] : index
// CHECK: %[[GROUPS:.*]] = arith.ceildivui %[[C2]], %[[HPT]] : index
// CHECK: %[[BLOCKS:.*]] = arith.ceildivui %[[S]], %[[RPT]] : index
// CHECK: %[[TASKS:.*]] = arith.muli %[[GROUPS]], %[[C2]] : index
// CHECK: %[[QOUT:.*]] = scf.forall (%{{.*}}, %{{.*}}) in (%[[TASKS]], %[[BLOCKS]]) shared_outs(%[[QACC:.*]] = %[[Q0]]) -> (tensor<2x2x?x32xf32>)
// CHECK: %[[TILE:.*]] = memref.alloca() : memref<1024xf32>
// CHECK: %[[ROWTILE:.*]] = memref.expand_shape %[[TILE]] {{\[}}[0, 1]] output_shape [32, 32]
// CHECK: scf.for
// CHECK: scf.for
// CHECK-COUNT-2: vector.transfer_read %[[Y]]
// RoPE in the tile: pairs (i, i + 16), x cos - y sin and y cos + x sin.
// CHECK: tensor.extract %[[TABLES]]#0
// CHECK: tensor.extract %[[TABLES]]#1
// CHECK: memref.load %[[ROWTILE]]
// CHECK: memref.load %[[ROWTILE]]
// CHECK: arith.negf
// CHECK: memref.store {{.*}}, %[[ROWTILE]]
// CHECK: memref.store {{.*}}, %[[ROWTILE]]
// The tile as [1, heads, rows, 32], a head's rows consecutive.
// CHECK: %[[STRIDE:.*]] = arith.muli %[[RPT]], %[[C32]] : index
// CHECK: %[[SLICE:.*]] = memref.reinterpret_cast %[[TILE]] to offset: [0], sizes: [1, %{{.*}}, %{{.*}}, 32], strides: [1024, %[[STRIDE]], 32, 1]
// CHECK: %[[ROWS:.*]] = bufferization.to_tensor %[[SLICE]] restrict
// CHECK: scf.forall.in_parallel
// CHECK: tensor.parallel_insert_slice %[[ROWS]] into %[[QACC]]
// The keys are rotated too, the values are not.
// CHECK: scf.forall {{.*}} shared_outs({{.*}} = %[[K0]]) -> (tensor<2x1x?x32xf32>)
// CHECK: arith.negf
// CHECK: scf.forall {{.*}} shared_outs({{.*}} = %[[K0]]) -> (tensor<2x1x?x32xf32>)
// CHECK-NOT: arith.negf
// CHECK: return

// With 8 lanes the GEMM blocks are 16 columns wide.
// VL8-LABEL: func.func @in_out_rope(
// VL8: memref.alloca() : memref<516x16xf32>
// VL8: vector.transfer_read {{.*}} : tensor<32x128xf32>, vector<8xf32>
func.func @in_out_rope(%x: tensor<2x?x32xf32>, %w: tensor<32x128xf32>,
    %bias: tensor<128xf32>, %pos: tensor<?xi64>, %q0: tensor<2x2x?x32xf32>,
    %k0: tensor<2x1x?x32xf32>)
    -> (tensor<2x2x?x32xf32>, tensor<2x1x?x32xf32>, tensor<2x1x?x32xf32>) {
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<2x?x32xf32>)
      weights(%w : tensor<32x128xf32>) biases(%bias : tensor<128xf32>)
      rope half positions(%pos : tensor<?xi64>)
      outs(%q0, %k0, %k0 : tensor<2x2x?x32xf32>, tensor<2x1x?x32xf32>, tensor<2x1x?x32xf32>)
      -> tensor<2x2x?x32xf32>, tensor<2x1x?x32xf32>, tensor<2x1x?x32xf32>
  return %q, %k, %v : tensor<2x2x?x32xf32>, tensor<2x1x?x32xf32>, tensor<2x1x?x32xf32>
}

// -----

// out_in weights: with fewer than 6 rows in all, the dot-product kernel
// reads them in place (one input row times one weight row at a time, two
// chunks of 16 along Dm per iteration into two accumulators, reduced across
// lanes once per output); otherwise the blocked kernel transposes 64-row x
// 128-k pieces into its packed panels. Three separate weights write one
// [1, 5, 128] result side by side (Q at column 0, K at 64, V at 96): with
// few rows one loop over the 3 column blocks of all three (block 0 reads
// Q, 1 K, 2 V, through an scf.index_switch; one fork for all three), else
// three blocked GEMMs chained on the result. Each projection's split reads
// its columns of it.

// CHECK-LABEL: func.func @out_in_separate(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x5x64xf32>, %[[WQ:[a-z0-9]+]]: tensor<64x64xf32>, %[[WK:[a-z0-9]+]]: tensor<32x64xf32>, %[[WV:[a-z0-9]+]]: tensor<32x64xf32>)
// CHECK-NOT: linalg.generic
// CHECK: %[[Y0:.*]] = tensor.empty() : tensor<1x5x128xf32>
// CHECK: %[[Y:.*]] = scf.if %{{.*}} -> (tensor<1x5x128xf32>) {
// CHECK: scf.forall (%{{.*}}, %[[BLOCK:.*]], %{{.*}}) in (1, 3, 1) shared_outs(%[[ACC:.*]] = %[[Y0]])
// The block's weight, first block, columns and first result column.
// CHECK: %[[INK:.*]] = arith.cmpi uge, %[[BLOCK]], %[[C1:.*]] : index
// CHECK: %[[PART1:.*]] = arith.select %[[INK]], %[[C1]], %{{.*}} : index
// CHECK: %[[COLS1:.*]] = arith.select %[[INK]], %c32{{.*}}, %c64{{.*}} : index
// CHECK: %[[AT1:.*]] = arith.select %[[INK]], %c64{{.*}}, %c0{{.*}} : index
// CHECK: %[[INV:.*]] = arith.cmpi uge, %[[BLOCK]], %[[C2:.*]] : index
// CHECK: %[[PART:.*]] = arith.select %[[INV]], %[[C2]], %[[PART1]] : index
// CHECK: arith.select %[[INV]], %c32{{.*}}, %[[COLS1]] : index
// CHECK: arith.select %[[INV]], %c96{{.*}}, %[[AT1]] : index
// CHECK: scf.index_switch %[[PART]]
// CHECK: case 0 {
// Fewer than 6 rows: dot products, 1 input row times 1 weight row at a time.
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>) {
// CHECK: vector.transfer_read %[[WQ]]
// CHECK: vector.transfer_read %[[X]]
// CHECK: vector.fma
// CHECK: vector.transfer_read %[[WQ]]
// CHECK: vector.transfer_read %[[X]]
// CHECK: vector.fma
// CHECK: scf.yield
// CHECK: arith.addf {{.*}} : vector<16xf32>
// CHECK: vector.reduction <add>
// CHECK: memref.store
// CHECK: case 1 {
// CHECK: vector.transfer_read %[[WK]]
// CHECK: default {
// CHECK: vector.transfer_read %[[WV]]
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[ACC]]
// Otherwise the packed kernel: out_in weight rows transposed into the panel,
// 16 x 16 at a time in registers (4 rounds of 8 shuffle pairs), each row's
// line of the next panel prefetched.
// CHECK: } else {
// CHECK: %[[YQ:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %[[Y0]]) -> (tensor<1x5x128xf32>)
// CHECK: %[[WQBUF:.*]] = bufferization.to_buffer %[[WQ]] read_only
// CHECK: memref.prefetch %[[WQBUF]]
// CHECK: vector.transfer_read %[[WQ]]
// CHECK-COUNT-64: vector.shuffle
// CHECK: vector.store
// CHECK: vector.fma
// CHECK: %[[YK:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %[[YQ]]) -> (tensor<1x5x128xf32>)
// CHECK: vector.transfer_read %[[WK]]
// CHECK: %[[YV:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %[[YK]]) -> (tensor<1x5x128xf32>)
// CHECK: vector.transfer_read %[[WV]]
// CHECK: scf.yield %[[YV]]
// CHECK: scf.forall
// CHECK: vector.transfer_read %[[Y]]
// CHECK: scf.forall
// CHECK: vector.transfer_read %[[Y]]
// CHECK: scf.forall
// CHECK: vector.transfer_read %[[Y]]
func.func @out_in_separate(%x: tensor<1x5x64xf32>, %wq: tensor<64x64xf32>,
    %wk: tensor<32x64xf32>, %wv: tensor<32x64xf32>)
    -> (tensor<1x2x5x32xf32>, tensor<1x1x5x32xf32>, tensor<1x1x5x32xf32>) {
  %q0 = tensor.empty() : tensor<1x2x5x32xf32>
  %k0 = tensor.empty() : tensor<1x1x5x32xf32>
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x5x64xf32>)
      weights(%wq, %wk, %wv : tensor<64x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>)
      outs(%q0, %k0, %k0 : tensor<1x2x5x32xf32>, tensor<1x1x5x32xf32>, tensor<1x1x5x32xf32>)
      -> tensor<1x2x5x32xf32>, tensor<1x1x5x32xf32>, tensor<1x1x5x32xf32>
  return %q, %k, %v : tensor<1x2x5x32xf32>, tensor<1x1x5x32xf32>, tensor<1x1x5x32xf32>
}

// -----

// Projections the kernels do not cover stay for attn-decompose: f16
// activations. A head dim that is not a multiple of the vector width (20)
// runs on the kernels (projection-cpu-tails.mlir).

// CHECK-LABEL: func.func @unsupported(
// CHECK: scf.forall
// CHECK-NOT: attn.qkv_proj {{.*}}xf32>
// CHECK: attn.qkv_proj ins(%{{.*}} : tensor<1x5x64xf16>)
// CHECK-NOT: attn.qkv_proj
func.func @unsupported(%x: tensor<1x5x40xf32>, %w: tensor<40x120xf32>,
    %xh: tensor<1x5x64xf16>, %wh: tensor<64x128xf16>)
    -> (tensor<1x2x5x20xf32>, tensor<1x2x5x32xf16>) {
  %q0 = tensor.empty() : tensor<1x2x5x20xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x5x40xf32>)
      weights(%w : tensor<40x120xf32>)
      outs(%q0, %q0, %q0 : tensor<1x2x5x20xf32>, tensor<1x2x5x20xf32>, tensor<1x2x5x20xf32>)
      -> tensor<1x2x5x20xf32>, tensor<1x2x5x20xf32>, tensor<1x2x5x20xf32>
  %h0 = tensor.empty() : tensor<1x2x5x32xf16>
  %h1 = tensor.empty() : tensor<1x1x5x32xf16>
  %qh, %kh, %vh = attn.qkv_proj ins(%xh : tensor<1x5x64xf16>)
      weights(%wh : tensor<64x128xf16>)
      outs(%h0, %h1, %h1 : tensor<1x2x5x32xf16>, tensor<1x1x5x32xf16>, tensor<1x1x5x32xf16>)
      -> tensor<1x2x5x32xf16>, tensor<1x1x5x32xf16>, tensor<1x1x5x32xf16>
  return %q, %qh : tensor<1x2x5x20xf32>, tensor<1x2x5x32xf16>
}

// -----

// attn.out_proj: the heads are merged side by side ([B, S, H * Dv]) by one
// forall whose tasks copy rows of one or several heads into their column
// range (as the head split groups them), then the linear kernels project
// the merged rows (here
// out_in weights: the dot-product kernel), starting from the bias and
// writing the op's destination.

// CHECK-LABEL: func.func @out_proj(
// CHECK-SAME: %[[O:[a-z0-9]+]]: tensor<1x4x?x32xf32>, %[[W:[a-z0-9]+]]: tensor<64x128xf32>, %[[BIAS:[a-z0-9]+]]: tensor<64xf32>, %[[Y0:[a-z0-9]+]]: tensor<1x?x64xf32>)
// CHECK: %[[M0:.*]] = tensor.empty(%{{.*}}) : tensor<1x?x128xf32>
// CHECK: %[[M:.*]] = scf.forall (%{{.*}}, %{{.*}}) in (%{{.*}}, %{{.*}}) shared_outs(%[[MACC:.*]] = %[[M0]])
// CHECK: vector.transfer_read %[[O]]
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[MACC]]
// CHECK: scf.forall {{.*}} shared_outs(%{{.*}} = %[[Y0]])
// CHECK: vector.transfer_read %[[W]]
// CHECK: vector.transfer_read %[[M]]
// CHECK: tensor.extract %[[BIAS]]
// CHECK-NOT: attn.out_proj
func.func @out_proj(%o: tensor<1x4x?x32xf32>, %w: tensor<64x128xf32>,
    %bias: tensor<64xf32>, %y0: tensor<1x?x64xf32>) -> tensor<1x?x64xf32> {
  %y = attn.out_proj layout(out_in) ins(%o : tensor<1x4x?x32xf32>)
      weight(%w : tensor<64x128xf32>) bias(%bias : tensor<64xf32>)
      outs(%y0 : tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  return %y : tensor<1x?x64xf32>
}
