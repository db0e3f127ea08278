// RUN: attnc-opt %s -split-input-file -attn-flash-cpu="query-tiles=2" \
// RUN:   -canonicalize -cse | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attn-flash-cpu="query-tiles=0" \
// RUN:   -canonicalize -cse | FileCheck %s --check-prefix=AUTO
// RUN: attnc-opt %s -split-input-file \
// RUN:   -attn-flash-cpu="query-tiles=0 l1-cache-bytes=32768" \
// RUN:   -canonicalize -cse | FileCheck %s --check-prefix=AUTO32K
// RUN: attnc-opt %s -split-input-file \
// RUN:   -attn-flash-cpu="query-tiles=0 l2-cache-bytes=67108864" \
// RUN:   -canonicalize -cse | FileCheck %s --check-prefix=BIGL2
// RUN: attnc-opt %s -split-input-file \
// RUN:   -attn-flash-cpu="query-tiles=0 bf16-dot=true" \
// RUN:   -canonicalize -cse | FileCheck %s --check-prefix=DOT

// Several register tiles of Br = 8 rows per task share each pass over a key
// block: the scores and softmax of every tile (K panel in L1), then the P V
// of every tile (V block in L1). A tile skips a block it has no key in, and
// a tile past Sq skips every block.
//
// query-tiles=0 picks the count from the caches (attnc::selectFlashQueryTiles):
// K and V of a head here take 2048 * (128 + 128) * 4 B = 2 MiB, more than
// half of the default 1 MiB L2, so a pass serves as many tiles as keep
// each phase in L1: K panel 16 KiB + n * 5 KiB (Q rows and P) within 48 KiB
// gives n = 4, within 32 KiB n = 3. With a 64 MiB L2 K and V stay in L2 and
// one tile per pass is best.

// CHECK-LABEL: func.func @causal_long(
// K is packed by an scf.forall over (B * Hkv, key blocks), one D x Bc panel
// per task.
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (2, 64) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<1x2x64x128x32xf32>)
// CHECK: vector.shuffle
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, 0, 0] [1, 1, 1, 128, 32] [1, 1, 1, 1, 1] : tensor<128x32xf32> into tensor<1x2x64x128x32xf32>
// Tasks of 2 * 8 = 16 query rows: 2048 / 16 = 128 per head.
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (4, 128)
// One P tile and one statistics tile per register tile, one O tile for
// both.
// CHECK: memref.alloca() : memref<8x32xf32>
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<2x16xf32>
// CHECK: memref.alloca() : memref<8x32xf32>
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<2x16xf32>
// CHECK: memref.alloca() : memref<16x128xf32>
// The running maxima and sums of each tile's 8 rows, a vector each.
// CHECK: scf.for %[[J0:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// Tile 0 visits the block if it holds keys it sees (its keys end before
// tile 1's); tile 1 if its first row exists and the block is not before
// its keys.
// CHECK: %[[ACT0:.*]] = arith.cmpi slt, %[[J0]], %{{.*}} : index
// CHECK-NEXT: scf.if %[[ACT0]] -> (vector<16xf32>, vector<16xf32>) {
// CHECK: scf.for
// CHECK-COUNT-16: vector.fma
// CHECK: } else {
// CHECK: %[[ACT1:.*]] = arith.andi %{{.*}}, %{{.*}} : i1{{$}}
// CHECK-NEXT: scf.if %[[ACT1]] -> (vector<16xf32>, vector<16xf32>) {
// CHECK: } else {
// Then P V, tile by tile, into rows 0-7 and 8-15 of the O tile.
// CHECK: scf.if %[[ACT0]] {
// CHECK: vector.load %{{.*}}[%c0, %c0] : memref<16x128xf32>, vector<16xf32>
// CHECK: scf.if %[[ACT1]] {
// CHECK: vector.load %{{.*}}[%c8, %c0] : memref<16x128xf32>, vector<16xf32>
// The rows that exist, up to 16, are written back.
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, 0] [1, 1, %{{.*}}, 128] [1, 1, 1, 1] : tensor<?x128xf32> into tensor<1x4x2048x128xf32>

// AUTO-LABEL: func.func @causal_long(
// AUTO: scf.forall (%{{.*}}, %{{.*}}) in (4, 64)
// AUTO: memref.alloca() : memref<32x128xf32>
// AUTO32K-LABEL: func.func @causal_long(
// AUTO32K: scf.forall (%{{.*}}, %{{.*}}) in (4, 86)
// AUTO32K: memref.alloca() : memref<24x128xf32>
// BIGL2-LABEL: func.func @causal_long(
// BIGL2: scf.forall (%{{.*}}, %{{.*}}) in (4, 256)
// BIGL2: memref.alloca() : memref<8x128xf32>
func.func @causal_long(%q: tensor<1x4x2048x128xf32>, %k: tensor<1x2x2048x128xf32>,
    %v: tensor<1x2x2048x128xf32>) -> tensor<1x4x2048x128xf32> {
  %o0 = tensor.empty() : tensor<1x4x2048x128xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x4x2048x128xf32>, tensor<1x2x2048x128xf32>, tensor<1x2x2048x128xf32>)
      outs(%o0 : tensor<1x4x2048x128xf32>) -> tensor<1x4x2048x128xf32>
  return %o : tensor<1x4x2048x128xf32>
}

// -----

// K and V of a head that fit in half of L2 (512 * (64 + 64) * 4 B = 256
// KiB): one tile per pass when the pass chooses.
// AUTO-LABEL: func.func @short(
// AUTO: scf.forall (%{{.*}}, %{{.*}}) in (12, 64)
// AUTO: memref.alloca() : memref<8x64xf32>
// CHECK-LABEL: func.func @short(
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (12, 32)
func.func @short(%q: tensor<1x12x512x64xf32>, %k: tensor<1x12x512x64xf32>,
    %v: tensor<1x12x512x64xf32>) -> tensor<1x12x512x64xf32> {
  %o0 = tensor.empty() : tensor<1x12x512x64xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x12x512x64xf32>, tensor<1x12x512x64xf32>, tensor<1x12x512x64xf32>)
      outs(%o0 : tensor<1x12x512x64xf32>) -> tensor<1x12x512x64xf32>
  return %o : tensor<1x12x512x64xf32>
}

// -----

// The same long causal attention in bf16 and f16. The vdpbf16ps kernel
// (bf16-dot) reads K and V in half the bytes and reaches the FMA peak with
// one tile: one tile per pass. f16 widens K and V and takes several, as
// f32 does (K panel 16 KiB + n * 5 KiB within 48 KiB: 4).
// DOT-LABEL: func.func @causal_long_bf16(
// DOT: scf.forall (%{{.*}}, %{{.*}}) in (4, 256)
// DOT: x86vector.avx512.dot
// DOT-LABEL: func.func @causal_long_f16(
// DOT: scf.forall (%{{.*}}, %{{.*}}) in (4, 64)
func.func @causal_long_bf16(%q: tensor<1x4x2048x128xbf16>,
    %k: tensor<1x2x2048x128xbf16>, %v: tensor<1x2x2048x128xbf16>)
    -> tensor<1x4x2048x128xbf16> {
  %o0 = tensor.empty() : tensor<1x4x2048x128xbf16>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x4x2048x128xbf16>, tensor<1x2x2048x128xbf16>, tensor<1x2x2048x128xbf16>)
      outs(%o0 : tensor<1x4x2048x128xbf16>) -> tensor<1x4x2048x128xbf16>
  return %o : tensor<1x4x2048x128xbf16>
}

func.func @causal_long_f16(%q: tensor<1x4x2048x128xf16>,
    %k: tensor<1x2x2048x128xf16>, %v: tensor<1x2x2048x128xf16>)
    -> tensor<1x4x2048x128xf16> {
  %o0 = tensor.empty() : tensor<1x4x2048x128xf16>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x4x2048x128xf16>, tensor<1x2x2048x128xf16>, tensor<1x2x2048x128xf16>)
      outs(%o0 : tensor<1x4x2048x128xf16>) -> tensor<1x4x2048x128xf16>
  return %o : tensor<1x4x2048x128xf16>
}
