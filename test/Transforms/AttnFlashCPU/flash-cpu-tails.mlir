// RUN: attnc-opt %s -split-input-file -attn-flash-cpu="vector-width=16" | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attn-flash-cpu="block-q=4 vector-width=8" \
// RUN:   | FileCheck %s --check-prefix=VL8

// Head dims that are not a multiple of the vector width run fused: the
// Br x Dv accumulator tile is padded to whole vectors, and the vector of a
// V row that crosses Dv is a masked read (in_bounds = [false], the default: zeros past
// Dv, which only ever reach the padding). Only Dv columns are written back.

// Dv = 24 (the demo model's head dim) with 16 lanes: an 8 x 32 tile, V read
// as [0, 16) in bounds and [16, 32) masked.
// CHECK-LABEL: func.func @d24_causal(
// CHECK-SAME: %{{[a-z0-9]+}}: tensor<1x4x9x24xf32>, %{{[a-z0-9]+}}: tensor<1x4x9x24xf32>, %[[V:[a-z0-9]+]]: tensor<1x4x9x24xf32>)
// CHECK-NOT: linalg.generic {{.*}}reduction
// CHECK: scf.forall
// CHECK: %[[OT:.*]] = memref.alloca() : memref<8x32xf32>
// CHECK: scf.for
// CHECK: vector.transfer_read %[[V]][%{{.*}}, %{{.*}}, %{{.*}}, %c0{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<1x4x9x24xf32>, vector<16xf32>
// CHECK: vector.transfer_read %[[V]][%{{.*}}, %{{.*}}, %{{.*}}, %c16{{[_0-9]*}}], %{{[a-z0-9_]+}} : tensor<1x4x9x24xf32>, vector<16xf32>
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, 0] [1, 1, %{{.*}}, 24] [1, 1, 1, 1] : tensor<?x24xf32> into tensor<1x4x9x24xf32>
// CHECK-NOT: attn.attention
// With 8 lanes, 24 is three whole vectors: no masked read.
// VL8-LABEL: func.func @d24_causal(
// VL8: memref.alloca() : memref<4x24xf32>
// VL8-NOT: vector.transfer_read {{.*}}], %{{[a-z0-9_]+}} : tensor<1x4x9x24xf32>
// VL8: tensor.parallel_insert_slice
func.func @d24_causal(%q: tensor<1x4x9x24xf32>, %k: tensor<1x4x9x24xf32>,
    %v: tensor<1x4x9x24xf32>) -> tensor<1x4x9x24xf32> {
  %o0 = tensor.empty() : tensor<1x4x9x24xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>)
      outs(%o0 : tensor<1x4x9x24xf32>) -> tensor<1x4x9x24xf32>
  return %o : tensor<1x4x9x24xf32>
}

// -----

// bf16, D = Dv = 8: less than one vector. V is read in its type, masked,
// and widened into its f32 panels of Bc keys x 16 (zeros past Dv), once
// per call; the normalised tile is narrowed into a padded bf16 tile.
// CHECK-LABEL: func.func @d8_bf16_gqa(
// CHECK-SAME: %{{[a-z0-9]+}}: tensor<1x4x5x8xbf16>, %{{[a-z0-9]+}}: tensor<1x2x7x8xbf16>, %[[V:[a-z0-9]+]]: tensor<1x2x7x8xbf16>)
// CHECK: scf.forall
// CHECK: scf.forall ({{.*}}) -> (tensor<1x2x?x32x16xf32>)
// CHECK: %[[VR:.*]] = vector.transfer_read %[[V]]{{.*}}], %{{[a-z0-9_]+}} : tensor<1x2x7x8xbf16>, vector<16xbf16>
// CHECK: arith.extf %[[VR]] : vector<16xbf16> to vector<16xf32>
// CHECK: scf.forall
// CHECK: memref.alloca() : memref<8x16xf32>
// CHECK: vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x2x?x32x16xf32>, vector<16xf32>
// CHECK: memref.alloca() : memref<8x16xbf16>
// CHECK: arith.truncf %{{.*}} : vector<16xf32> to vector<16xbf16>
// CHECK: tensor.parallel_insert_slice %{{.*}} [1, 1, %{{.*}}, 8] [1, 1, 1, 1] : tensor<?x8xbf16> into tensor<1x4x5x8xbf16>
// CHECK-NOT: attn.attention
// VL8-LABEL: func.func @d8_bf16_gqa(
// VL8: vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<1x2x7x8xbf16>, vector<8xbf16>
func.func @d8_bf16_gqa(%q: tensor<1x4x5x8xbf16>, %k: tensor<1x2x7x8xbf16>,
    %v: tensor<1x2x7x8xbf16>) -> tensor<1x4x5x8xbf16> {
  %o0 = tensor.empty() : tensor<1x4x5x8xbf16>
  %o = attn.attention window(3)
      ins(%q, %k, %v : tensor<1x4x5x8xbf16>, tensor<1x2x7x8xbf16>, tensor<1x2x7x8xbf16>)
      outs(%o0 : tensor<1x4x5x8xbf16>) -> tensor<1x4x5x8xbf16>
  return %o : tensor<1x4x5x8xbf16>
}
