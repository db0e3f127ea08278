// RUN: attnc-opt %s -split-input-file -attn-flash-cpu | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attn-flash-cpu="block-q=4 vector-width=8" \
// RUN:   | FileCheck %s --check-prefix=VL8
// RUN: attnc-opt %s -split-input-file -attn-flash-cpu \
// RUN:   | FileCheck %s --check-prefix=NOSCORES

// The fused kernel: K packed once into [B, Hkv, ceil(Skv/Bc), D, Bc] panels
// (Bc = 2 * vector-width, zero past Skv), then an scf.forall over
// (B * Hq, ceil(Sq / Br)) whose body streams key blocks: 2 * Br vector FMA
// accumulators per d, scaled once per block, online softmax (running max and
// sum per row), P in a Br x Bc L1 tile, P V accumulated into a Br x Dv L1
// tile, and the rows that exist written back with
// tensor.parallel_insert_slice.

// CHECK-LABEL: func.func @gqa_full(
// CHECK-SAME: %[[Q:[a-z0-9]+]]: tensor<2x4x12x24xf32>, %[[K:[a-z0-9]+]]: tensor<2x2x40x24xf32>, %[[V:[a-z0-9]+]]: tensor<2x2x40x48xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x4x12x48xf32>
// CHECK-DAG: %[[SQ:.*]] = arith.constant 12 : index
// CHECK-DAG: %[[SKV:.*]] = arith.constant 40 : index
// CHECK-DAG: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32

// Packed K: key block jb, column c is key jb * 32 + c; zero past Skv. The
// number of blocks, ceil(40 / 32) = 2, is computed at run time so far. One
// task of an scf.forall over (B * Hkv, blocks) fills each 24 x 32 panel in
// 16 x 16 tiles: 16 key rows read as vectors along D (clamped to the last
// key, selected to zero past it), transposed by 4 rounds of 8 shuffle
// pairs, written as rows of the panel. D = 24: one whole 16-dim step, then
// the last 8 dims read element by element.
// CHECK: %[[BC:.*]] = arith.constant 32 : index
// CHECK: %[[NBLK:.*]] = arith.ceildivui %[[SKV]], %[[BC]] : index
// CHECK: %[[LASTK:.*]] = arith.subi %[[SKV]], %{{.*}} : index
// CHECK: %[[KT_INIT:.*]] = tensor.empty(%[[NBLK]]) : tensor<2x2x?x24x32xf32>
// CHECK: %[[KT:.*]] = scf.forall (%[[PBH:.*]], %[[PBLK:.*]]) in (%{{.*}}, %[[NBLK]]) shared_outs(%[[PACKED:.*]] = %[[KT_INIT]]) -> (tensor<2x2x?x24x32xf32>) {
// CHECK: %[[PB:.*]] = arith.divui %[[PBH]], %{{.*}} : index
// CHECK: %[[PH:.*]] = arith.remui %[[PBH]], %{{.*}} : index
// CHECK: %[[JB:.*]] = arith.muli %[[PBLK]], %{{.*}} : index
// CHECK: %[[PANEL:.*]] = tensor.extract_slice %[[PACKED]][%[[PB]], %[[PH]], %[[PBLK]], 0, 0] [1, 1, 1, 24, 32] [1, 1, 1, 1, 1] : tensor<2x2x?x24x32xf32> to tensor<24x32xf32>
// CHECK: %[[WHOLE:.*]] = scf.for %[[D0:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[PANEL]]) -> (tensor<24x32xf32>) {
// CHECK: %[[J:.*]] = arith.addi %[[JB]], %{{.*}} : index
// CHECK: %[[VALID:.*]] = arith.cmpi slt, %[[J]], %[[SKV]] : index
// CHECK: %[[CLAMPED:.*]] = arith.minsi %[[J]], %[[LASTK]] : index
// CHECK: %[[ROW:.*]] = vector.transfer_read %[[K]][%[[PB]], %[[PH]], %[[CLAMPED]], %[[D0]]], %{{.*}} {in_bounds = [true]} : tensor<2x2x40x24xf32>, vector<16xf32>
// CHECK: arith.select %[[VALID]], %[[ROW]], %{{.*}} : vector<16xf32>
// CHECK-COUNT-64: vector.shuffle
// CHECK: %[[DD:.*]] = arith.addi %[[D0]], %{{.*}} : index
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%[[DD]], %{{.*}}] {in_bounds = [true]} : vector<16xf32>, tensor<24x32xf32>
// CHECK: scf.yield
// CHECK: tensor.extract %[[K]][%[[PB]], %[[PH]], %{{.*}}, %{{.*}}] : tensor<2x2x40x24xf32>
// CHECK: vector.insert %{{.*}}, %{{.*}} [0] : f32 into vector<16xf32>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] {in_bounds = [true]} : vector<16xf32>, tensor<24x32xf32>
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[PACKED]][%[[PB]], %[[PH]], %[[PBLK]], 0, 0] [1, 1, 1, 24, 32] [1, 1, 1, 1, 1] : tensor<24x32xf32> into tensor<2x2x?x24x32xf32>
// That is the only pass over an operand: Q is read in place.
// CHECK-NOT: linalg.generic

// One tile per (b * Hq + h, block of 8 query rows): 2 * 4 by ceil(12 / 8).
// CHECK: %[[NB:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[NH:.*]] = arith.constant 4 : index
// CHECK-NEXT: %[[BH:.*]] = arith.muli %[[NB]], %[[NH]] : index
// CHECK-NEXT: %[[BR:.*]] = arith.constant 8 : index
// CHECK-NEXT: %[[NQB:.*]] = arith.ceildivui %[[SQ]], %[[BR]] : index
// CHECK-NEXT: %[[RES:.*]] = scf.forall (%[[BHI:.*]], %[[QBI:.*]]) in (%[[BH]], %[[NQB]]) shared_outs(%[[OUT:.*]] = %[[INIT]]) -> (tensor<2x4x12x48xf32>) {

// GQA: the KV head of query head h is h / (Hq / Hkv) = h / 2.
// CHECK: %[[BI:.*]] = arith.divui %[[BHI]], %{{.*}} : index
// CHECK: %[[H:.*]] = arith.remui %[[BHI]], %{{.*}} : index
// CHECK: %[[GROUPS:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[KVH:.*]] = arith.divui %[[H]], %[[GROUPS]] : index
// CHECK: %[[Q0:.*]] = arith.muli %[[QBI]], %{{.*}} : index
// CHECK: %[[ROWS:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK: %[[R0:.*]] = arith.minsi %{{.*}}, %{{.*}} : index

// The L1 tiles: P [Br, Bc], the block's statistics in the rows' lanes
// (the shifting maxima, then alpha: 2 lanes per row) and O [Br, Dv], O
// zeroed.
// CHECK: %[[PT:.*]] = memref.alloca() : memref<8x32xf32>
// CHECK: %[[ST:.*]] = memref.alloca() {alignment = 64 : i64} : memref<2x16xf32>
// CHECK: %[[OT:.*]] = memref.alloca() : memref<8x48xf32>
// CHECK-COUNT-24: vector.store %{{.*}}, %[[OT]][%{{.*}}, %{{.*}}] : memref<8x48xf32>, vector<16xf32>

// No mask: all keys, block by block; the running maxima (a vector, -inf)
// and sums (a vector, 0) of the 8 rows, two lanes each.
// CHECK: %[[NEG_INF_S:.*]] = vector.broadcast %[[NEG_INF]] : f32 to vector<16xf32>
// CHECK: %[[KV:.*]]:2 = scf.for %[[J0:.*]] = %{{.*}} to %[[SKV]] step %{{.*}} iter_args(%[[KV_M:.*]] = %[[NEG_INF_S]], %[[KV_L:.*]] = %{{.*}}) -> (vector<16xf32>, vector<16xf32>) {
// CHECK: %[[BLK:.*]] = arith.divui %[[J0]], %{{.*}} : index

// Scores: per d, two vectors of 16 keys from the packed panel of KV head
// h / 2, and 2 * 8 FMAs with the queries of head h; then the 16 score
// vectors of the block are scaled by the default scale 1/sqrt(24).
// CHECK: %[[S:.*]]:16 = scf.for %[[D:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[K0:.*]] = vector.transfer_read %[[KT]][%[[BI]], %[[KVH]], %[[BLK]], %[[D]], %[[C0]]], %{{.*}} {in_bounds = [true]} : tensor<2x2x?x24x32xf32>, vector<16xf32>
// CHECK-NEXT: %[[C16:.*]] = arith.constant 16 : index
// CHECK-NEXT: %[[K1:.*]] = vector.transfer_read %[[KT]][%[[BI]], %[[KVH]], %[[BLK]], %[[D]], %[[C16]]], %{{.*}} {in_bounds = [true]} : tensor<2x2x?x24x32xf32>, vector<16xf32>
// CHECK-NEXT: %[[Q00:.*]] = tensor.extract %[[Q]][%[[BI]], %[[H]], %[[R0]], %[[D]]] : tensor<2x4x12x24xf32>
// CHECK-NEXT: %[[QV:.*]] = vector.broadcast %[[Q00]] : f32 to vector<16xf32>
// CHECK-NEXT: vector.fma %[[QV]], %[[K0]], %{{.*}} : vector<16xf32>
// CHECK-NEXT: vector.fma %[[QV]], %[[K1]], %{{.*}} : vector<16xf32>
// CHECK-COUNT-14: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NOT: vector.fma
// CHECK: scf.yield
// CHECK-NEXT: }
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant 0.204124138 : f32
// CHECK-NEXT: %[[SCALEV:.*]] = vector.broadcast %[[SCALE]] : f32 to vector<16xf32>
// CHECK-NEXT: %[[SC0:.*]] = arith.mulf %[[S]]#0, %[[SCALEV]] : vector<16xf32>
// CHECK-NEXT: %[[SC1:.*]] = arith.mulf %[[S]]#1, %[[SCALEV]] : vector<16xf32>
// CHECK-COUNT-14: arith.mulf %[[S]]#{{[0-9]+}}, %[[SCALEV]] : vector<16xf32>

// Only blocks that reach past Skv are masked (j < Skv); no position rule.
// CHECK: %[[BEND:.*]] = arith.addi %[[J0]], %{{.*}} : index
// CHECK-NEXT: %[[AFTER_BEGIN:.*]] = arith.cmpi sge, %[[J0]], %{{.*}} : index
// CHECK-NEXT: %[[IN_KEYS:.*]] = arith.cmpi sle, %[[BEND]], %[[SKV]] : index
// CHECK-NEXT: %[[CLEAN:.*]] = arith.andi %[[AFTER_BEGIN]], %[[IN_KEYS]] : i1
// CHECK-NEXT: %[[SM:.*]]:16 = scf.if %[[CLEAN]] -> (
// CHECK-NEXT: scf.yield %[[SC0]], %[[SC1]], {{.*}} :
// CHECK-NEXT: } else {
// CHECK: %[[STEP:.*]] = vector.step : vector<16xindex>
// CHECK-NOT: arith.cmpi sle
// CHECK: arith.cmpi slt, %{{.*}}, %{{.*}} : vector<16xi64>
// CHECK-NEXT: arith.select %{{.*}}, %[[SC0]], %[[NEG_INF_V:.*]] : vector<16xi1>, vector<16xf32>
// CHECK-NOT: arith.cmpi sle
// CHECK: scf.yield

// Online softmax: per row max(S0, S1) (x > y ? x : y, vmaxps); the 8 rows'
// maxima in one reduction tree (pairs of vectors merge their segments'
// halves: 4, 2, 1 merges, then lanes meet their partner), so that lanes
// 2r and 2r + 1 hold row r's; m' = max(m, rowmax) for all rows at once,
// m' = -inf replaced by 0, alpha = exp(m - m') in one vector exp; both to
// the statistics tile, from which each row's lane is broadcast: P = exp(S -
// m'); l' = l * alpha + the rows' sums, by the same tree.
// CHECK: %[[GT01:.*]] = arith.cmpf ogt, %[[SM]]#0, %[[SM]]#1 : vector<16xf32>
// CHECK-NEXT: %[[MAX01:.*]] = arith.select %[[GT01]], %[[SM]]#0, %[[SM]]#1 : vector<16xi1>, vector<16xf32>
// CHECK-COUNT-7: arith.select %{{.*}} : vector<16xi1>, vector<16xf32>
// CHECK: %[[LO:.*]] = vector.shuffle %[[MAX01]], %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23] : vector<16xf32>, vector<16xf32>
// CHECK-NEXT: %[[HI:.*]] = vector.shuffle %[[MAX01]], %{{.*}} [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31] : vector<16xf32>, vector<16xf32>
// CHECK-NEXT: arith.cmpf ogt, %[[LO]], %[[HI]] : vector<16xf32>
// CHECK-COUNT-3: vector.shuffle {{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]
// CHECK: vector.shuffle {{.*}} [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27]
// CHECK: vector.shuffle {{.*}} [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29]
// CHECK: vector.shuffle %[[T:.*]], %[[T]] [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14]
// CHECK: %[[ROWMAX:.*]] = arith.select %{{.*}} : vector<16xi1>, vector<16xf32>
// CHECK-NEXT: %[[GTM:.*]] = arith.cmpf ogt, %[[KV_M]], %[[ROWMAX]] : vector<16xf32>
// CHECK-NEXT: %[[M:.*]] = arith.select %[[GTM]], %[[KV_M]], %[[ROWMAX]] : vector<16xi1>, vector<16xf32>
// CHECK: %[[NONE:.*]] = arith.cmpf oeq, %[[M]], %{{.*}} : vector<16xf32>
// CHECK-NEXT: %[[SAFE:.*]] = arith.select %[[NONE]], %{{.*}}, %[[M]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT: %[[DM:.*]] = arith.subf %[[KV_M]], %[[SAFE]] : vector<16xf32>
// CHECK-NEXT: %[[ALPHA:.*]] = math.exp %[[DM]] : vector<16xf32>
// CHECK: vector.store %[[SAFE]], %[[ST]][%{{.*}}, %{{.*}}] : memref<2x16xf32>, vector<16xf32>
// CHECK: vector.store %[[ALPHA]], %[[ST]][%{{.*}}, %{{.*}}] : memref<2x16xf32>, vector<16xf32>
// CHECK: %[[SAFE0:.*]] = memref.load %[[ST]][%{{.*}}, %{{.*}}] : memref<2x16xf32>
// CHECK-NEXT: %[[SAFEV:.*]] = vector.broadcast %[[SAFE0]] : f32 to vector<16xf32>
// CHECK-NEXT: %[[D0:.*]] = arith.subf %[[SM]]#0, %[[SAFEV]] : vector<16xf32>
// CHECK-NEXT: %[[P0:.*]] = math.exp %[[D0]] : vector<16xf32>
// CHECK-NEXT: %[[D1:.*]] = arith.subf %[[SM]]#1, %[[SAFEV]] : vector<16xf32>
// CHECK-NEXT: %[[P1:.*]] = math.exp %[[D1]] : vector<16xf32>
// CHECK: vector.store %[[P0]], %[[PT]][%{{.*}}, %{{.*}}] : memref<8x32xf32>, vector<16xf32>
// CHECK: vector.store %[[P1]], %[[PT]][%{{.*}}, %{{.*}}] : memref<8x32xf32>, vector<16xf32>
// CHECK-NEXT: %[[P01:.*]] = arith.addf %[[P0]], %[[P1]] : vector<16xf32>
// CHECK-COUNT-7: memref.load %[[ST]][%{{.*}}, %{{.*}}] : memref<2x16xf32>
// CHECK: %[[LA:.*]] = arith.mulf %[[KV_L]], %[[ALPHA]] : vector<16xf32>
// CHECK: vector.shuffle %[[P01]], %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]
// CHECK: vector.shuffle %[[TS:.*]], %[[TS]] [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14]
// CHECK-NEXT: %[[ROWSUMS:.*]] = arith.addf %[[TS]], %{{.*}} fastmath<reassoc> : vector<16xf32>
// CHECK-NEXT: %[[LNEW:.*]] = arith.addf %[[LA]], %[[ROWSUMS]] : vector<16xf32>

// P V, all three vectors (48 columns) of O at once (8 x 3 accumulators, 3
// V vectors and a broadcast fit the 32 registers): O = O * alpha (row 0's
// from lane 0 of the statistics tile's second row), then per
// key of the block the V row of KV head h / 2 (clamped to a real key)
// times the 8 P values of that key.
// CHECK: %[[LASTK2:.*]] = arith.subi %[[SKV]], %{{.*}} : index
// CHECK: %[[ALPHA0:.*]] = memref.load %[[ST]][%[[C1:.*]], %[[C0:.*]]] : memref<2x16xf32>
// CHECK-NEXT: vector.broadcast %[[ALPHA0]] : f32 to vector<16xf32>
// CHECK: %[[O0:.*]] = vector.load %[[OT]][%{{.*}}, %{{.*}}] : memref<8x48xf32>, vector<16xf32>
// CHECK: scf.for %[[JJ:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-NEXT: %[[JV:.*]] = arith.addi %[[J0]], %[[JJ]] : index
// CHECK-NEXT: %[[JVC:.*]] = arith.minsi %[[JV]], %[[LASTK2]] : index
// CHECK-NEXT: %[[COL0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[V0:.*]] = vector.transfer_read %[[V]][%[[BI]], %[[KVH]], %[[JVC]], %[[COL0]]], %{{.*}} {in_bounds = [true]} : tensor<2x2x40x48xf32>, vector<16xf32>
// CHECK-NEXT: %[[COL16:.*]] = arith.constant 16 : index
// CHECK-NEXT: %[[V1:.*]] = vector.transfer_read %[[V]][%[[BI]], %[[KVH]], %[[JVC]], %[[COL16]]], %{{.*}} {in_bounds = [true]} : tensor<2x2x40x48xf32>, vector<16xf32>
// CHECK-NEXT: %[[COL32:.*]] = arith.constant 32 : index
// CHECK-NEXT: %[[V2:.*]] = vector.transfer_read %[[V]][%[[BI]], %[[KVH]], %[[JVC]], %[[COL32]]], %{{.*}} {in_bounds = [true]} : tensor<2x2x40x48xf32>, vector<16xf32>
// CHECK-NEXT: %[[ROW0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[P00:.*]] = memref.load %[[PT]][%[[ROW0]], %[[JJ]]] : memref<8x32xf32>
// CHECK-NEXT: %[[PV:.*]] = vector.broadcast %[[P00]] : f32 to vector<16xf32>
// CHECK-NEXT: vector.fma %[[PV]], %[[V0]], %{{.*}} : vector<16xf32>
// CHECK-NEXT: vector.fma %[[PV]], %[[V1]], %{{.*}} : vector<16xf32>
// CHECK-NEXT: vector.fma %[[PV]], %[[V2]], %{{.*}} : vector<16xf32>
// CHECK-COUNT-7: memref.load %[[PT]][%{{.*}}, %[[JJ]]] : memref<8x32xf32>
// CHECK: scf.yield
// CHECK-COUNT-24: vector.store %{{.*}}, %[[OT]][%{{.*}}, %{{.*}}] : memref<8x48xf32>, vector<16xf32>
// CHECK-NOT: vector.transfer_read %[[V]]
// CHECK: scf.yield %[[M]], %[[LNEW]] : vector<16xf32>, vector<16xf32>

// O / l (0 for a row without keys), normalised in the O tile, which becomes
// the tensor whose existing rows are written out.
// CHECK: %[[L0:.*]] = vector.extract %[[KV]]#1[0] : f32 from vector<16xf32>
// CHECK: %[[L0ZERO:.*]] = arith.cmpf oeq, %[[L0]], %{{.*}} : f32
// CHECK: %[[INV:.*]] = arith.divf %{{.*}}, %[[L0]] : f32
// CHECK: arith.select %[[L0ZERO]], %{{.*}}, %[[INV]] : f32
// CHECK: vector.store %{{.*}}, %[[OT]]
// CHECK-NOT: tensor.empty
// CHECK: %[[TILE:.*]] = bufferization.to_tensor %[[OT]] restrict : memref<8x48xf32> to tensor<8x48xf32>
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[TILE]][0, 0] [%[[ROWS]], 48] [1, 1] : tensor<8x48xf32> to tensor<?x48xf32>
// CHECK-NEXT: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[SLICE]] into %[[OUT]][%[[BI]], %[[H]], %[[Q0]], 0] [1, 1, %[[ROWS]], 48] [1, 1, 1, 1] : tensor<?x48xf32> into tensor<2x4x12x48xf32>
// CHECK: return %[[RES]] : tensor<2x4x12x48xf32>

// vector-width=8, block-q=4: Bc = 16, P tile 4 x 16, O tile 4 x 48, and
// 2 * 4 FMAs of vector<8xf32> per d.
// VL8-LABEL: func.func @gqa_full(
// VL8-DAG: %[[SQ:.*]] = arith.constant 12 : index
// VL8-DAG: %[[SKV:.*]] = arith.constant 40 : index
// VL8: %[[BC:.*]] = arith.constant 16 : index
// VL8-NEXT: %[[NBLK:.*]] = arith.ceildivui %[[SKV]], %[[BC]] : index
// VL8: tensor.empty(%[[NBLK]]) : tensor<2x2x?x24x16xf32>
// K in 8 x 8 tiles: 3 rounds of 4 shuffle pairs each, D = 24 in 3 whole
// steps.
// VL8: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<24x16xf32>) {
// VL8-COUNT-8: vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<2x2x40x24xf32>, vector<8xf32>
// VL8: vector.shuffle %{{.*}}, %{{.*}} [0, 8, 1, 9, 2, 10, 3, 11] : vector<8xf32>, vector<8xf32>
// VL8: vector.shuffle %{{.*}}, %{{.*}} [4, 12, 5, 13, 6, 14, 7, 15] : vector<8xf32>, vector<8xf32>
// VL8-COUNT-22: vector.shuffle
// VL8-COUNT-8: vector.transfer_write %{{.*}} : vector<8xf32>, tensor<24x16xf32>
// VL8: tensor.parallel_insert_slice %{{.*}} : tensor<24x16xf32> into tensor<2x2x?x24x16xf32>
// VL8: %[[BH:.*]] = arith.muli %{{.*}}, %{{.*}} : index
// VL8-NEXT: %[[BR:.*]] = arith.constant 4 : index
// VL8-NEXT: %[[NQB:.*]] = arith.ceildivui %[[SQ]], %[[BR]] : index
// VL8-NEXT: scf.forall (%{{.*}}, %{{.*}}) in (%[[BH]], %[[NQB]]) shared_outs
// VL8: memref.alloca() : memref<4x16xf32>
// VL8: memref.alloca() {alignment = 64 : i64} : memref<2x8xf32>
// VL8: memref.alloca() : memref<4x48xf32>
// VL8: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>) {
// VL8: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
// VL8: vector.transfer_read {{.*}} : tensor<2x2x?x24x16xf32>, vector<8xf32>
// VL8: vector.transfer_read {{.*}} : tensor<2x2x?x24x16xf32>, vector<8xf32>
// VL8-COUNT-8: vector.fma {{.*}} : vector<8xf32>
// VL8-NOT: vector.fma
// VL8: scf.yield
// VL8: %[[SCALEV:.*]] = vector.broadcast %{{.*}} : f32 to vector<8xf32>
// VL8-COUNT-8: arith.mulf %{{.*}}, %[[SCALEV]] : vector<8xf32>
// 4 rows of 8 lanes: two merges leave 2 lanes per row, which meet.
// VL8: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 8, 9, 10, 11] : vector<8xf32>, vector<8xf32>
// VL8: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 4, 5, 8, 9, 12, 13] : vector<8xf32>, vector<8xf32>
// VL8: vector.shuffle %{{.*}}, %{{.*}} [1, 0, 3, 2, 5, 4, 7, 6] : vector<8xf32>, vector<8xf32>
// VL8: math.exp %{{.*}} : vector<8xf32>
// VL8: memref.load %{{.*}}[%{{.*}}, %{{.*}}] : memref<2x8xf32>
// VL8: math.exp %{{.*}} : vector<8xf32>
// VL8: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, 0] [1, 1, %{{.*}}, 48] [1, 1, 1, 1] : tensor<?x48xf32> into tensor<2x4x12x48xf32>

// The [Sq, Skv] = [12, 40] score matrix never exists.
// NOSCORES-LABEL: func.func @gqa_full(
// NOSCORES-NOT: 12x40xf32
// NOSCORES-NOT: attn.attention
// NOSCORES: return
func.func @gqa_full(%q: tensor<2x4x12x24xf32>, %k: tensor<2x2x40x24xf32>,
    %v: tensor<2x2x40x48xf32>) -> tensor<2x4x12x48xf32> {
  %o0 = tensor.empty() : tensor<2x4x12x48xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<2x4x12x24xf32>, tensor<2x2x40x24xf32>, tensor<2x2x40x48xf32>)
      outs(%o0 : tensor<2x4x12x48xf32>) -> tensor<2x4x12x48xf32>
  return %o : tensor<2x4x12x48xf32>
}

// -----

// Causal (bottom-right: row i sits at p(i) = Skv - Sq + i). The tile's keys
// end after its last row's position, min(Skv, max(p(last) + 1, 0)), so
// blocks past the diagonal are never visited; blocks that end at or before
// p(first) + 1 are entirely visible and skip the mask, the others mask
// j < Skv and j <= p(r) per row.

// CHECK-LABEL: func.func @causal(
// CHECK-DAG: %[[SQ:.*]] = arith.constant 20 : index
// CHECK-DAG: %[[SKV:.*]] = arith.constant 50 : index
// CHECK: scf.forall
// CHECK: %[[OFFSET:.*]] = arith.subi %[[SKV]], %[[SQ]] : index
// CHECK: %[[ROW0:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK-NEXT: %[[POS0:.*]] = arith.addi %[[OFFSET]], %[[ROW0]] : index
// CHECK-COUNT-6: arith.addi %[[OFFSET]], %{{.*}} : index
// CHECK: %[[ROW7:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK-NEXT: %[[POS7:.*]] = arith.addi %[[OFFSET]], %[[ROW7]] : index
// CHECK-NEXT: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[AFTER_LAST:.*]] = arith.addi %[[POS7]], %[[C1]] : index
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[NONNEG:.*]] = arith.maxsi %[[AFTER_LAST]], %[[C0]] : index
// CHECK-NEXT: %[[KV_END:.*]] = arith.minsi %[[SKV]], %[[NONNEG]] : index
// CHECK-NEXT: %[[KV_BEGIN:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[C1B:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[AFTER_FIRST:.*]] = arith.addi %[[POS0]], %[[C1B]] : index
// CHECK-NEXT: %[[C0C:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[AFTER_FIRST0:.*]] = arith.maxsi %[[AFTER_FIRST]], %[[C0C]] : index
// CHECK-NEXT: %[[CLEAN_END:.*]] = arith.minsi %[[SKV]], %[[AFTER_FIRST0]] : index
// CHECK: memref.alloca() : memref<8x32xf32>
// CHECK: memref.alloca() : memref<8x32xf32>
// CHECK: scf.for %[[J0:.*]] = %[[KV_BEGIN]] to %[[KV_END]] step %{{.*}} iter_args(
// CHECK-COUNT-16: vector.fma
// CHECK: %[[BEND:.*]] = arith.addi %[[J0]], %{{.*}} : index
// CHECK-NEXT: %[[AFTER_BEGIN:.*]] = arith.cmpi sge, %[[J0]], %{{.*}} : index
// CHECK-NEXT: %[[VISIBLE:.*]] = arith.cmpi sle, %[[BEND]], %[[CLEAN_END]] : index
// CHECK-NEXT: %[[CLEAN:.*]] = arith.andi %[[AFTER_BEGIN]], %[[VISIBLE]] : i1
// CHECK-NEXT: scf.if %[[CLEAN]] -> (
// CHECK-NEXT: scf.yield
// CHECK-NEXT: } else {
// CHECK: %[[STEP:.*]] = vector.step : vector<16xindex>
// CHECK: %[[JB:.*]] = vector.broadcast %{{.*}} : index to vector<16xindex>
// CHECK-NEXT: %[[JIDX:.*]] = arith.addi %[[JB]], %[[STEP]] : vector<16xindex>
// CHECK-NEXT: %[[J:.*]] = arith.index_cast %[[JIDX]] : vector<16xindex> to vector<16xi64>
// CHECK: %[[P0I:.*]] = arith.index_cast %[[POS0]] : index to i64
// CHECK-NEXT: %[[P0V:.*]] = vector.broadcast %[[P0I]] : i64 to vector<16xi64>
// CHECK-NEXT: %[[EXISTS:.*]] = arith.cmpi slt, %[[J]], %{{.*}} : vector<16xi64>
// CHECK-NEXT: %[[NOT_AHEAD:.*]] = arith.cmpi sle, %[[J]], %[[P0V]] : vector<16xi64>
// CHECK-NEXT: %[[KEEP:.*]] = arith.andi %[[EXISTS]], %[[NOT_AHEAD]] : vector<16xi1>
// CHECK-NEXT: arith.select %[[KEEP]], %{{.*}}, %{{.*}} : vector<16xi1>, vector<16xf32>
// CHECK-COUNT-15: arith.cmpi sle, %{{.*}}, %{{.*}} : vector<16xi64>
// CHECK-NOT: arith.cmpi sle
// CHECK: scf.yield
// CHECK: vector.shuffle
// CHECK: math.exp %{{.*}} : vector<16xf32>
// CHECK: vector.extract %{{.*}}[0] : f32 from vector<16xf32>
// CHECK: tensor.parallel_insert_slice

// NOSCORES-LABEL: func.func @causal(
// NOSCORES-NOT: 20x50xf32
// NOSCORES-NOT: attn.attention
// NOSCORES: return
func.func @causal(%q: tensor<1x2x20x16xf32>, %k: tensor<1x2x50x16xf32>,
    %v: tensor<1x2x50x32xf32>) -> tensor<1x2x20x32xf32> {
  %o0 = tensor.empty() : tensor<1x2x20x32xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x20x16xf32>, tensor<1x2x50x16xf32>, tensor<1x2x50x32xf32>)
      outs(%o0 : tensor<1x2x20x32xf32>) -> tensor<1x2x20x32xf32>
  return %o : tensor<1x2x20x32xf32>
}

// -----

// Causal with a window of 5: the key range also starts at the first row's
// window, max(p(first) + 1 - 5, 0), rounded down to a key block (the packed
// panels are aligned); blocks before p(last) + 1 - 5 need the window mask
// p - j < 5.

// CHECK-LABEL: func.func @causal_window(
// CHECK-DAG: %[[SQ:.*]] = arith.constant 20 : index
// CHECK-DAG: %[[SKV:.*]] = arith.constant 50 : index
// CHECK: scf.forall
// CHECK: %[[OFFSET:.*]] = arith.subi %[[SKV]], %[[SQ]] : index
// CHECK: %[[ROW0:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK-NEXT: %[[POS0:.*]] = arith.addi %[[OFFSET]], %[[ROW0]] : index
// CHECK-COUNT-6: arith.addi %[[OFFSET]], %{{.*}} : index
// CHECK: %[[ROW7:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK-NEXT: %[[POS7:.*]] = arith.addi %[[OFFSET]], %[[ROW7]] : index
// CHECK-NEXT: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[AFTER_LAST:.*]] = arith.addi %[[POS7]], %[[C1]] : index
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[NONNEG:.*]] = arith.maxsi %[[AFTER_LAST]], %[[C0]] : index
// CHECK-NEXT: %[[KV_END:.*]] = arith.minsi %[[SKV]], %[[NONNEG]] : index
// CHECK: %[[AFTER_FIRST:.*]] = arith.addi %[[POS0]], %{{.*}} : index
// CHECK-NEXT: %[[W:.*]] = arith.constant 5 : index
// CHECK-NEXT: %[[FIRST_KEY:.*]] = arith.subi %[[AFTER_FIRST]], %[[W]] : index
// CHECK-NEXT: %[[C0B:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[FIRST_KEY0:.*]] = arith.maxsi %[[FIRST_KEY]], %[[C0B]] : index
// CHECK-NEXT: %[[BC:.*]] = arith.constant 32 : index
// CHECK-NEXT: %[[FIRST_BLOCK:.*]] = arith.divsi %[[FIRST_KEY0]], %[[BC]] : index
// CHECK-NEXT: %[[BC2:.*]] = arith.constant 32 : index
// CHECK-NEXT: %[[KV_BEGIN:.*]] = arith.muli %[[FIRST_BLOCK]], %[[BC2]] : index
// CHECK: %[[AFTER_FIRST2:.*]] = arith.addi %[[POS0]], %{{.*}} : index
// CHECK-NEXT: %[[C0D:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[AFTER_FIRST20:.*]] = arith.maxsi %[[AFTER_FIRST2]], %[[C0D]] : index
// CHECK-NEXT: %[[CLEAN_END:.*]] = arith.minsi %[[SKV]], %[[AFTER_FIRST20]] : index
// CHECK: %[[AFTER_LAST2:.*]] = arith.addi %[[POS7]], %{{.*}} : index
// CHECK-NEXT: %[[W2:.*]] = arith.constant 5 : index
// CHECK-NEXT: %[[LAST_FIRST_KEY:.*]] = arith.subi %[[AFTER_LAST2]], %[[W2]] : index
// CHECK-NEXT: %[[C0E:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[CLEAN_BEGIN:.*]] = arith.maxsi %[[LAST_FIRST_KEY]], %[[C0E]] : index
// CHECK: scf.for %[[J0:.*]] = %[[KV_BEGIN]] to %[[KV_END]] step %{{.*}} iter_args(
// CHECK: %[[BEND:.*]] = arith.addi %[[J0]], %{{.*}} : index
// CHECK-NEXT: %[[IN_WINDOW:.*]] = arith.cmpi sge, %[[J0]], %[[CLEAN_BEGIN]] : index
// CHECK-NEXT: %[[VISIBLE:.*]] = arith.cmpi sle, %[[BEND]], %[[CLEAN_END]] : index
// CHECK-NEXT: %[[CLEAN:.*]] = arith.andi %[[IN_WINDOW]], %[[VISIBLE]] : i1
// CHECK-NEXT: scf.if %[[CLEAN]] -> (
// CHECK: } else {
// CHECK: %[[P0I:.*]] = arith.index_cast %[[POS0]] : index to i64
// CHECK-NEXT: %[[P0V:.*]] = vector.broadcast %[[P0I]] : i64 to vector<16xi64>
// CHECK-NEXT: %[[EXISTS:.*]] = arith.cmpi slt, %[[J:.*]], %{{.*}} : vector<16xi64>
// CHECK-NEXT: %[[NOT_AHEAD:.*]] = arith.cmpi sle, %[[J]], %[[P0V]] : vector<16xi64>
// CHECK-NEXT: %[[K1:.*]] = arith.andi %[[EXISTS]], %[[NOT_AHEAD]] : vector<16xi1>
// CHECK-NEXT: %[[WV:.*]] = arith.constant dense<5> : vector<16xi64>
// CHECK-NEXT: %[[BEHIND:.*]] = arith.subi %[[P0V]], %[[J]] : vector<16xi64>
// CHECK-NEXT: %[[IN_W:.*]] = arith.cmpi slt, %[[BEHIND]], %[[WV]] : vector<16xi64>
// CHECK-NEXT: %[[KEEP:.*]] = arith.andi %[[K1]], %[[IN_W]] : vector<16xi1>
// CHECK-NEXT: arith.select %[[KEEP]], %{{.*}}, %{{.*}} : vector<16xi1>, vector<16xf32>
// CHECK: tensor.parallel_insert_slice

// NOSCORES-LABEL: func.func @causal_window(
// NOSCORES-NOT: 20x50xf32
// NOSCORES-NOT: attn.attention
// NOSCORES: return
func.func @causal_window(%q: tensor<1x2x20x16xf32>, %k: tensor<1x2x50x16xf32>,
    %v: tensor<1x2x50x32xf32>) -> tensor<1x2x20x32xf32> {
  %o0 = tensor.empty() : tensor<1x2x20x32xf32>
  %o = attn.attention causal window(5)
      ins(%q, %k, %v : tensor<1x2x20x16xf32>, tensor<1x2x50x16xf32>, tensor<1x2x50x32xf32>)
      outs(%o0 : tensor<1x2x20x32xf32>) -> tensor<1x2x20x32xf32>
  return %o : tensor<1x2x20x32xf32>
}

// -----

// A symmetric window (no causal) on MQA: keys end at p(last) + W, and the
// mask keeps |p - j| < W; every query head reads KV head h / 4 = 0.

// CHECK-LABEL: func.func @mqa_window(
// CHECK-DAG: %[[SQ:.*]] = arith.constant 20 : index
// CHECK-DAG: %[[SKV:.*]] = arith.constant 50 : index
// CHECK: scf.forall
// CHECK: scf.forall
// CHECK: %[[H:.*]] = arith.remui %{{.*}}, %{{.*}} : index
// CHECK-NEXT: %[[GROUPS:.*]] = arith.constant 4 : index
// CHECK-NEXT: %[[KVH:.*]] = arith.divui %[[H]], %[[GROUPS]] : index
// CHECK: %[[OFFSET:.*]] = arith.subi %[[SKV]], %[[SQ]] : index
// CHECK: %[[ROW0:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK-NEXT: %[[POS0:.*]] = arith.addi %[[OFFSET]], %[[ROW0]] : index
// CHECK-COUNT-6: arith.addi %[[OFFSET]], %{{.*}} : index
// CHECK: %[[ROW7:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK-NEXT: %[[POS7:.*]] = arith.addi %[[OFFSET]], %[[ROW7]] : index
// CHECK-NEXT: %[[W:.*]] = arith.constant 5 : index
// CHECK-NEXT: %[[AFTER_LAST:.*]] = arith.addi %[[POS7]], %[[W]] : index
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[NONNEG:.*]] = arith.maxsi %[[AFTER_LAST]], %[[C0]] : index
// CHECK-NEXT: %[[KV_END:.*]] = arith.minsi %[[SKV]], %[[NONNEG]] : index
// CHECK: %[[KV_BEGIN:.*]] = arith.muli %{{.*}}, %{{.*}} : index
// CHECK: scf.for %[[J0:.*]] = %[[KV_BEGIN]] to %[[KV_END]] step %{{.*}} iter_args(
// CHECK: vector.transfer_read %{{.*}}[%{{.*}}, %[[KVH]], %{{.*}}, %{{.*}}, %{{.*}}]
// CHECK: } else {
// CHECK: %[[P0I:.*]] = arith.index_cast %[[POS0]] : index to i64
// CHECK-NEXT: %[[P0V:.*]] = vector.broadcast %[[P0I]] : i64 to vector<16xi64>
// CHECK-NEXT: %[[EXISTS:.*]] = arith.cmpi slt, %[[J:.*]], %{{.*}} : vector<16xi64>
// CHECK-NEXT: %[[WV:.*]] = arith.constant dense<5> : vector<16xi64>
// CHECK-NEXT: %[[BEHIND:.*]] = arith.subi %[[P0V]], %[[J]] : vector<16xi64>
// CHECK-NEXT: %[[IN_BEHIND:.*]] = arith.cmpi slt, %[[BEHIND]], %[[WV]] : vector<16xi64>
// CHECK-NEXT: %[[K1:.*]] = arith.andi %[[EXISTS]], %[[IN_BEHIND]] : vector<16xi1>
// CHECK-NEXT: %[[AHEAD:.*]] = arith.subi %[[J]], %[[P0V]] : vector<16xi64>
// CHECK-NEXT: %[[IN_AHEAD:.*]] = arith.cmpi slt, %[[AHEAD]], %[[WV]] : vector<16xi64>
// CHECK-NEXT: %[[KEEP:.*]] = arith.andi %[[K1]], %[[IN_AHEAD]] : vector<16xi1>
// CHECK-NEXT: arith.select %[[KEEP]], %{{.*}}, %{{.*}} : vector<16xi1>, vector<16xf32>
// CHECK: vector.transfer_read %{{.*}}[%{{.*}}, %[[KVH]], %{{.*}}, %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<1x1x50x32xf32>, vector<16xf32>
// CHECK: tensor.parallel_insert_slice

// NOSCORES-LABEL: func.func @mqa_window(
// NOSCORES-NOT: 20x50xf32
// NOSCORES-NOT: attn.attention
// NOSCORES: return
func.func @mqa_window(%q: tensor<1x4x20x16xf32>, %k: tensor<1x1x50x16xf32>,
    %v: tensor<1x1x50x32xf32>) -> tensor<1x4x20x32xf32> {
  %o0 = tensor.empty() : tensor<1x4x20x32xf32>
  %o = attn.attention window(5)
      ins(%q, %k, %v : tensor<1x4x20x16xf32>, tensor<1x1x50x16xf32>, tensor<1x1x50x32xf32>)
      outs(%o0 : tensor<1x4x20x32xf32>) -> tensor<1x4x20x32xf32>
  return %o : tensor<1x4x20x32xf32>
}

// -----

// Dynamic B, Sq and Skv are read with tensor.dim; an explicit scale scales
// the score vectors.

// CHECK-LABEL: func.func @dynamic_scale(
// CHECK-SAME: %[[Q:[a-z0-9]+]]: tensor<?x2x?x16xf32>, %[[K:[a-z0-9]+]]: tensor<?x2x?x16xf32>
// The run-time shape checks (B of Q/K, Q/V, init/Q; Sq; Skv) come first.
// CHECK-COUNT-5: llvm.call @abort
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[SQ:.*]] = tensor.dim %[[Q]], %[[C2]] : tensor<?x2x?x16xf32>
// CHECK-NEXT: %[[C2B:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[SKV:.*]] = tensor.dim %[[K]], %[[C2B]] : tensor<?x2x?x16xf32>
// CHECK: %[[NBLK:.*]] = arith.ceildivui %[[SKV]], %{{.*}} : index
// CHECK: tensor.empty(%{{.*}}, %[[NBLK]]) : tensor<?x2x?x16x32xf32>
// CHECK: %[[B:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<?x2x?x16xf32>
// CHECK-NEXT: %[[NH:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[BH:.*]] = arith.muli %[[B]], %[[NH]] : index
// CHECK-NEXT: %[[BR:.*]] = arith.constant 8 : index
// CHECK-NEXT: %[[NQB:.*]] = arith.ceildivui %[[SQ]], %[[BR]] : index
// CHECK-NEXT: scf.forall (%{{.*}}, %{{.*}}) in (%[[BH]], %[[NQB]]) shared_outs
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(
// CHECK: %[[SCALE:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: %[[SCALEV:.*]] = vector.broadcast %[[SCALE]] : f32 to vector<16xf32>
// CHECK-COUNT-16: arith.mulf %{{.*}}, %[[SCALEV]] : vector<16xf32>
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}} : tensor<?x16xf32> into tensor<?x2x?x16xf32>
func.func @dynamic_scale(%q: tensor<?x2x?x16xf32>, %k: tensor<?x2x?x16xf32>,
    %v: tensor<?x2x?x16xf32>, %o0: tensor<?x2x?x16xf32>) -> tensor<?x2x?x16xf32> {
  %o = attn.attention causal scale(0.5)
      ins(%q, %k, %v : tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>)
      outs(%o0 : tensor<?x2x?x16xf32>) -> tensor<?x2x?x16xf32>
  return %o : tensor<?x2x?x16xf32>
}

// -----

// f16 (and bf16 without bf16-dot) are fused too: K is widened while it is
// packed, V once per call into f32 panels of Bc keys (read like f32 V by
// the P V loop), each tile's query rows once into an f32 L1 tile (read like
// f32 queries by the score loop); scores, softmax and accumulation are f32,
// and the normalised tile is narrowed into a tile of the result type.

// CHECK-LABEL: func.func @f16_fused(
// CHECK: scf.forall (
// CHECK: vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x2x8x32xf16>, vector<16xf16>
// CHECK: arith.extf %{{.*}} : vector<16xf16> to vector<16xf32>
// CHECK: vector.shuffle
// CHECK: scf.forall ({{.*}}) -> (tensor<1x2x?x32x32xf32>)
// CHECK: vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x2x8x32xf16>, vector<16xf16>
// CHECK: arith.extf %{{.*}} : vector<16xf16> to vector<16xf32>
// CHECK: vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<16xf32>, tensor<32x32xf32>
// CHECK: scf.forall (
// CHECK: %[[QT:.*]] = memref.alloca() : memref<8x32xf32>
// CHECK: %[[QROW:.*]] = vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x2x8x32xf16>, vector<16xf16>
// CHECK: %[[QW:.*]] = arith.extf %[[QROW]] : vector<16xf16> to vector<16xf32>
// CHECK: vector.store %[[QW]], %[[QT]]
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[QE:.*]] = memref.load %[[QT]]
// CHECK: vector.broadcast %[[QE]] : f32 to vector<16xf32>
// CHECK: vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x2x?x32x32xf32>, vector<16xf32>
// CHECK-NOT: arith.extf %{{.*}} : vector<16xf16>
// CHECK: %[[OUT:.*]] = memref.alloca() : memref<8x32xf16>
// CHECK: arith.truncf %{{.*}} : vector<16xf32> to vector<16xf16>
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}} : tensor<?x32xf16> into tensor<1x2x8x32xf16>
// CHECK-NOT: attn.attention
// VL8-LABEL: func.func @f16_fused(
// VL8: scf.forall
// VL8: arith.extf %{{.*}} : vector<8xf16> to vector<8xf32>
// VL8-NOT: attn.attention
func.func @f16_fused(%q: tensor<1x2x8x32xf32>, %k: tensor<1x2x8x32xf32>,
    %v: tensor<1x2x8x32xf32>, %qh: tensor<1x2x8x32xf16>,
    %kh: tensor<1x2x8x32xf16>, %vh: tensor<1x2x8x32xf16>)
    -> (tensor<1x2x8x32xf32>, tensor<1x2x8x32xf16>) {
  %o0 = tensor.empty() : tensor<1x2x8x32xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>)
      outs(%o0 : tensor<1x2x8x32xf32>) -> tensor<1x2x8x32xf32>
  %oh0 = tensor.empty() : tensor<1x2x8x32xf16>
  %oh = attn.attention causal
      ins(%qh, %kh, %vh : tensor<1x2x8x32xf16>, tensor<1x2x8x32xf16>, tensor<1x2x8x32xf16>)
      outs(%oh0 : tensor<1x2x8x32xf16>) -> tensor<1x2x8x32xf16>
  return %o, %oh : tensor<1x2x8x32xf32>, tensor<1x2x8x32xf16>
}

// -----

// An i1 keep-mask broadcast over heads: widened once to i8 (LLVM would pack
// a vector of i1 into bits, memrefs store a byte per i1), then read a vector
// of keys at a time on every key block (not only edge blocks), compared with
// 0 and selected against -inf before the online softmax.

// CHECK-LABEL: func.func @keep_mask(
// CHECK-SAME: %[[M:[a-z0-9]+]]: tensor<1x1x8x40xi1>)
// CHECK: %[[BYTES:.*]] = linalg.generic {{.*}} ins(%[[M]] : tensor<1x1x8x40xi1>) outs(%{{.*}} : tensor<1x1x8x40xi8>)
// CHECK: arith.extui %{{.*}} : i1 to i8
// CHECK: scf.forall
// CHECK: scf.for
// CHECK: %[[MV:.*]] = vector.transfer_read %[[BYTES]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}], %{{.*}} : tensor<1x1x8x40xi8>, vector<16xi8>
// CHECK: %[[KEEP:.*]] = arith.cmpi ne, %[[MV]], %{{.*}} : vector<16xi8>
// CHECK: arith.select %[[KEEP]], %{{.*}}, %{{.*}} : vector<16xi1>, vector<16xf32>
// CHECK: scf.if
// CHECK-NOT: attn.attention
// VL8-LABEL: func.func @keep_mask(
// VL8: vector.transfer_read {{.*}} : tensor<1x1x8x40xi8>, vector<8xi8>
func.func @keep_mask(%q: tensor<1x2x8x32xf32>, %k: tensor<1x2x40x32xf32>,
    %v: tensor<1x2x40x32xf32>, %m: tensor<1x1x8x40xi1>) -> tensor<1x2x8x32xf32> {
  %o0 = tensor.empty() : tensor<1x2x8x32xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x2x8x32xf32>, tensor<1x2x40x32xf32>, tensor<1x2x40x32xf32>)
      mask(%m : tensor<1x1x8x40xi1>)
      outs(%o0 : tensor<1x2x8x32xf32>) -> tensor<1x2x8x32xf32>
  return %o : tensor<1x2x8x32xf32>
}

// -----

// An additive f16 mask broadcast over keys: one element per row, extended to
// f32 and added to the scaled scores.

// CHECK-LABEL: func.func @additive_mask_keys_broadcast(
// CHECK-SAME: %[[M:[a-z0-9]+]]: tensor<1x2x8x1xf16>)
// CHECK: scf.forall
// CHECK: %[[E:.*]] = tensor.extract %[[M]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : tensor<1x2x8x1xf16>
// CHECK: %[[EV:.*]] = vector.broadcast %[[E]] : f16 to vector<16xf16>
// CHECK: %[[EF:.*]] = arith.extf %[[EV]] : vector<16xf16> to vector<16xf32>
// CHECK: arith.addf %{{.*}}, %[[EF]] : vector<16xf32>
func.func @additive_mask_keys_broadcast(%q: tensor<1x2x8x32xf32>,
    %k: tensor<1x2x8x32xf32>, %v: tensor<1x2x8x32xf32>,
    %m: tensor<1x2x8x1xf16>) -> tensor<1x2x8x32xf32> {
  %o0 = tensor.empty() : tensor<1x2x8x32xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>)
      mask(%m : tensor<1x2x8x1xf16>)
      outs(%o0 : tensor<1x2x8x32xf32>) -> tensor<1x2x8x32xf32>
  return %o : tensor<1x2x8x32xf32>
}

// -----

// Softcap: cap * tanh(s / cap) on the scaled scores of every block, before
// any mask.

// CHECK-LABEL: func.func @softcap(
// CHECK: scf.forall
// CHECK-DAG: arith.constant 3.000000e+01 : f32
// CHECK-DAG: arith.constant 0.0333333351 : f32
// CHECK: %[[S:.*]] = arith.mulf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: %[[T:.*]] = arith.mulf %[[S]], %{{.*}} : vector<16xf32>
// CHECK: %[[TANH:.*]] = math.tanh %[[T]] : vector<16xf32>
// CHECK: arith.mulf %{{.*}}, %[[TANH]] : vector<16xf32>
// CHECK-NOT: attn.attention
func.func @softcap(%q: tensor<1x2x8x32xf32>, %k: tensor<1x2x8x32xf32>,
    %v: tensor<1x2x8x32xf32>) -> tensor<1x2x8x32xf32> {
  %o0 = tensor.empty() : tensor<1x2x8x32xf32>
  %o = attn.attention causal softcap(30.0)
      ins(%q, %k, %v : tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>)
      outs(%o0 : tensor<1x2x8x32xf32>) -> tensor<1x2x8x32xf32>
  return %o : tensor<1x2x8x32xf32>
}

// -----

// Dv = 40 is not a multiple of 16: fused with vector-width=16 too, the
// O tile padded to 48 columns and the third vector of each V row a masked
// read (flash-cpu-tails.mlir has more); with vector-width=8, five 8-wide
// column chunks of the 4 x 40 O tile.

// CHECK-LABEL: func.func @dv40(
// CHECK: scf.forall (
// CHECK: memref.alloca() : memref<8x48xf32>
// CHECK: tensor.parallel_insert_slice %{{.*}} [1, 1, %{{.*}}, 40] [1, 1, 1, 1] : tensor<?x40xf32> into tensor<1x2x8x40xf32>
// CHECK-NOT: attn.attention
// VL8-LABEL: func.func @dv40(
// VL8-NOT: attn.attention
// VL8: scf.forall
// VL8: memref.alloca() : memref<4x16xf32>
// VL8: %[[OT:.*]] = memref.alloca() : memref<4x40xf32>
// VL8-COUNT-20: vector.store %{{.*}}, %[[OT]][%{{.*}}, %{{.*}}] : memref<4x40xf32>, vector<8xf32>
// VL8: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, 0] [1, 1, %{{.*}}, 40] [1, 1, 1, 1] : tensor<?x40xf32> into tensor<1x2x8x40xf32>
// VL8-NOT: attn.attention
func.func @dv40(%q: tensor<1x2x8x40xf32>, %k: tensor<1x2x8x40xf32>,
    %v: tensor<1x2x8x40xf32>) -> tensor<1x2x8x40xf32> {
  %o0 = tensor.empty() : tensor<1x2x8x40xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x2x8x40xf32>, tensor<1x2x8x40xf32>, tensor<1x2x8x40xf32>)
      outs(%o0 : tensor<1x2x8x40xf32>) -> tensor<1x2x8x40xf32>
  return %o : tensor<1x2x8x40xf32>
}
