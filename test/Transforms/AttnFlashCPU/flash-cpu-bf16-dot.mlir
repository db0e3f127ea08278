// RUN: attnc-opt %s -split-input-file -attn-flash-cpu="bf16-dot=1" \
// RUN:   -canonicalize -cse | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attn-flash-cpu="bf16-dot=1 block-q=4 vector-width=8" \
// RUN:   -canonicalize -cse | FileCheck %s --check-prefix=VL8
// RUN: attnc-opt %s -split-input-file -attn-flash-cpu \
// RUN:   -canonicalize -cse | FileCheck %s --check-prefix=WIDEN

// bf16 attention on AVX512-BF16 (bf16-dot): K and V are packed once per
// call in pairs along the reduction dim, Q K^T and P V are vdpbf16ps dot
// products (x86vector.avx512.dot) with f32 accumulators, and P is rounded to
// bf16 (vcvtneps2bf16) into a bf16 L1 tile. Without bf16-dot, and for f16 in
// any case, the inputs are widened to f32 in registers and no x86vector op
// is emitted.

// CHECK-LABEL: func.func @bf16_odd_d(
// K pairs: [B, Hkv, ceil(13 / 32), ceil(9 / 2), 2 * 32]; 0 past Skv and D.
// 16 key rows of 32 values (16 pairs along D as 32-bit words; D = 9 read
// with a mask) transposed in registers: a column of words is a pair row.
// CHECK: tensor.empty() : tensor<1x1x1x5x64xbf16>
// CHECK: vector.transfer_read %arg1[{{.*}}], %{{.*}} : tensor<1x1x13x9xbf16>, vector<32xbf16>
// CHECK: vector.bitcast %{{.*}} : vector<32xbf16> to vector<16xi32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 16, 1, 17, {{.*}}] : vector<16xi32>, vector<16xi32>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%c4, %c32] {in_bounds = [true]} : vector<32xbf16>, tensor<5x64xbf16>
// V pairs: [B, Hkv, blocks, 32 / 2, 2 * 32 (Dv = 20 padded to a vector)]:
// row p interleaves key rows 2p and 2p + 1 (zero past Skv; the columns
// past Dv a masked read).
// CHECK: tensor.empty() : tensor<1x1x1x16x64xbf16>
// CHECK: scf.for %[[P:.*]] = %c0 to %c16 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (tensor<16x64xbf16>)
// CHECK: arith.cmpi slt, %{{.*}}, %c13 : index
// CHECK: vector.transfer_read %arg2[{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<1x1x13x20xbf16>, vector<16xbf16>
// CHECK: vector.interleave %{{.*}}, %{{.*}} : vector<16xi16> -> vector<32xi16>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%[[P]], %c0] {in_bounds = [true]} : vector<32xbf16>, tensor<16x64xbf16>
// CHECK: vector.transfer_read %arg2[{{.*}}, %c16], %{{.*}} : tensor<1x1x13x20xbf16>, vector<16xbf16>
// No other pass over an operand.
// CHECK-NOT: linalg.generic
// CHECK: scf.forall
// CHECK: memref.alloca() : memref<8x32xbf16>
// CHECK: memref.alloca() : memref<8x32xf32>
// Scores: one step per pair of dims (5 for D = 9), two packed key vectors,
// each query row's pair broadcast as one 32-bit word; the odd D reads the
// last pair of a Q row with a mask (no in_bounds).
// CHECK: scf.for %{{.*}} = %c0 to %c5 step %c1 iter_args({{.*}}) -> (vector<16xf32>
// CHECK: %[[K0:.*]] = vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x1x1x5x64xbf16>, vector<32xbf16>
// CHECK: %[[K1:.*]] = vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x1x1x5x64xbf16>, vector<32xbf16>
// CHECK: %[[QP:.*]] = vector.transfer_read %arg0[{{.*}}], %{{.*}} : tensor<1x2x7x9xbf16>, vector<2xbf16>
// CHECK: %[[QW:.*]] = vector.bitcast %[[QP]] : vector<2xbf16> to vector<1xi32>
// CHECK: %[[QS:.*]] = vector.extract %[[QW]][0] : i32 from vector<1xi32>
// CHECK: %[[QB:.*]] = vector.broadcast %[[QS]] : i32 to vector<16xi32>
// CHECK: %[[Q:.*]] = vector.bitcast %[[QB]] : vector<16xi32> to vector<32xbf16>
// CHECK: x86vector.avx512.dot %{{.*}}, %[[Q]], %[[K0]] : vector<32xbf16> -> vector<16xf32>
// CHECK: x86vector.avx512.dot %{{.*}}, %[[Q]], %[[K1]] : vector<32xbf16> -> vector<16xf32>
// CHECK-NOT: arith.extf
// CHECK: scf.yield
// Softmax in f32; P rounded to bf16 into the tile.
// CHECK: math.exp %{{.*}} : vector<16xf32>
// CHECK: %[[P:.*]] = x86vector.avx512.cvt.packed.f32_to_bf16 %{{.*}} : vector<16xf32> -> vector<16xbf16>
// CHECK: vector.store %[[P]], %{{.*}} : memref<8x32xbf16>, vector<16xbf16>
// P V: 16 steps of a key pair over the packed V, P's pair broadcast.
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args({{.*}}) -> (vector<16xf32>
// CHECK: %[[V0:.*]] = vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x1x1x16x64xbf16>, vector<32xbf16>
// CHECK: %[[V1:.*]] = vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x1x1x16x64xbf16>, vector<32xbf16>
// CHECK: %[[PP:.*]] = vector.transfer_read %{{.*}} {in_bounds = [true]} : memref<8x32xbf16>, vector<2xbf16>
// CHECK: vector.bitcast %[[PP]] : vector<2xbf16> to vector<1xi32>
// CHECK: %[[PB:.*]] = vector.bitcast %{{.*}} : vector<16xi32> to vector<32xbf16>
// CHECK: x86vector.avx512.dot %{{.*}}, %[[PB]], %[[V0]] : vector<32xbf16> -> vector<16xf32>
// CHECK: x86vector.avx512.dot %{{.*}}, %[[PB]], %[[V1]] : vector<32xbf16> -> vector<16xf32>
// The normalised f32 tile narrowed into the bf16 result.
// CHECK: arith.truncf %{{.*}} : vector<16xf32> to vector<16xbf16>
// CHECK: tensor.parallel_insert_slice

// 256-bit vectors (vector-width 8): vdpbf16ps on 16 bf16 into 8 f32 lanes.
// VL8-LABEL: func.func @bf16_odd_d(
// VL8: x86vector.avx512.dot %{{.*}} : vector<16xbf16> -> vector<8xf32>
// VL8: x86vector.avx512.cvt.packed.f32_to_bf16 %{{.*}} : vector<8xf32> -> vector<8xbf16>

// Without bf16-dot: widened, f32 FMAs, no x86vector op.
// WIDEN-LABEL: func.func @bf16_odd_d(
// WIDEN-NOT: x86vector
// WIDEN: arith.extf %{{.*}} : vector<16xbf16> to vector<16xf32>
// WIDEN-NOT: x86vector
// WIDEN: return
func.func @bf16_odd_d(%q: tensor<1x2x7x9xbf16>, %k: tensor<1x1x13x9xbf16>,
                      %v: tensor<1x1x13x20xbf16>) -> tensor<1x2x7x20xbf16> {
  %init = tensor.empty() : tensor<1x2x7x20xbf16>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x7x9xbf16>, tensor<1x1x13x9xbf16>,
          tensor<1x1x13x20xbf16>)
      outs(%init : tensor<1x2x7x20xbf16>) -> tensor<1x2x7x20xbf16>
  return %o : tensor<1x2x7x20xbf16>
}

// -----

// f16 keeps the widening path even with bf16-dot (vdpbf16ps would round
// its inputs to 8 bits of mantissa): vcvtph2ps-style arith.extf of K while
// it is packed and of V into its f32 panels, f32 FMAs.
// CHECK-LABEL: func.func @f16_d64(
// CHECK-NOT: x86vector
// CHECK: arith.extf %{{.*}} : vector<16xf16> to vector<16xf32>
// CHECK: vector.shuffle
// CHECK: arith.extf %{{.*}} : vector<16xf16> to vector<16xf32>
// CHECK: vector.fma
// CHECK-NOT: x86vector
// CHECK: return
// WIDEN-LABEL: func.func @f16_d64(
// WIDEN-NOT: x86vector
// WIDEN: return
func.func @f16_d64(%q: tensor<1x2x20x64xf16>, %k: tensor<1x2x20x64xf16>,
                   %v: tensor<1x2x20x64xf16>) -> tensor<1x2x20x64xf16> {
  %init = tensor.empty() : tensor<1x2x20x64xf16>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x2x20x64xf16>, tensor<1x2x20x64xf16>,
          tensor<1x2x20x64xf16>)
      outs(%init : tensor<1x2x20x64xf16>) -> tensor<1x2x20x64xf16>
  return %o : tensor<1x2x20x64xf16>
}
