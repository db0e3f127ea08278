// RUN: attnc-opt %s -split-input-file -attn-decode-cpu="vector-width=16" -cse | FileCheck %s

// Head dims that are not a multiple of the vector width run fused: the
// query tile and the split's (O, m, l) tile are padded to whole vectors, and
// the vector of a query, key or value row that crosses the head dim is a
// masked read (in_bounds = [false], the default: zeros past the end, so the padded lanes
// add 0 to the dot products and only ever reach the padding of O).

// D = Dv = 24 (the demo model), contiguous cache, one row per KV head.
// CHECK-LABEL: func.func @d24_contiguous(
// CHECK-SAME: %[[Q:[a-z0-9]+]]: tensor<1x4x1x24xf32>, %[[KC:[a-z0-9]+]]: tensor<1x4x64x24xf32>, %[[VC:[a-z0-9]+]]: tensor<1x4x64x24xf32>
// CHECK-NOT: linalg.generic
// CHECK: tensor.empty() : tensor<4x1x1x1x34xf32>
// CHECK: scf.forall
// CHECK: memref.alloca() : memref<1x32xf32>
// CHECK: vector.transfer_read %[[Q]]{{.*}} {in_bounds = [true]} : tensor<1x4x1x24xf32>, vector<16xf32>
// CHECK: vector.transfer_read %[[Q]]{{.*}}], %{{[a-z0-9_]+}} : tensor<1x4x1x24xf32>, vector<16xf32>
// CHECK: scf.for
// CHECK: vector.transfer_read %[[KC]]{{.*}} {in_bounds = [true]} : tensor<1x4x64x24xf32>, vector<16xf32>
// CHECK: vector.transfer_read %[[KC]]{{.*}}], %{{[a-z0-9_]+}} : tensor<1x4x64x24xf32>, vector<16xf32>
// CHECK: vector.transfer_read %[[VC]]{{.*}} {in_bounds = [true]} : tensor<1x4x64x24xf32>, vector<16xf32>
// CHECK: vector.transfer_read %[[VC]]{{.*}}], %{{[a-z0-9_]+}} : tensor<1x4x64x24xf32>, vector<16xf32>
// CHECK: tensor.parallel_insert_slice {{.*}} [1, 1, 1, 1, 34]
// CHECK: scf.forall
// CHECK: memref.alloca() : memref<4x32xf32>
// CHECK: tensor.parallel_insert_slice {{.*}} [1, %{{.*}}, 1, 24] [1, 1, 1, 1] : tensor<?x24xf32> into tensor<1x4x1x24xf32>
// CHECK-NOT: attn.decode_attention
func.func @d24_contiguous(%q: tensor<1x4x1x24xf32>, %kc: tensor<1x4x64x24xf32>,
    %vc: tensor<1x4x64x24xf32>, %lens: tensor<1xi32>) -> tensor<1x4x1x24xf32> {
  %o0 = tensor.empty() : tensor<1x4x1x24xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<1x4x1x24xf32>, tensor<1x4x64x24xf32>, tensor<1x4x64x24xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x24xf32>) -> tensor<1x4x1x24xf32>
  return %o : tensor<1x4x1x24xf32>
}

// -----

// f16 paged cache, D = 40 (two whole vectors and a masked one), GQA.
// CHECK-LABEL: func.func @d40_paged_f16(
// CHECK-SAME: %{{[a-z0-9]+}}: tensor<2x4x1x40xf16>, %[[KC:[a-z0-9]+]]: tensor<8x2x16x40xf16>
// CHECK: scf.forall
// CHECK: memref.alloca() : memref<2x48xf32>
// CHECK: scf.for
// CHECK: vector.transfer_read %[[KC]]{{.*}}], %{{[a-z0-9_]+}} : tensor<8x2x16x40xf16>, vector<16xf16>
// CHECK: tensor.parallel_insert_slice {{.*}} [1, 1, 1, 2, 50]
// CHECK: memref.alloca() : memref<4x48xf16>
// CHECK: tensor.parallel_insert_slice {{.*}} [1, %{{.*}}, 1, 40] [1, 1, 1, 1] : tensor<?x40xf16> into tensor<2x4x1x40xf16>
// CHECK-NOT: attn.decode_attention
func.func @d40_paged_f16(%q: tensor<2x4x1x40xf16>, %kc: tensor<8x2x16x40xf16>,
    %vc: tensor<8x2x16x40xf16>, %lens: tensor<2xi32>, %table: tensor<2x4xi32>)
    -> tensor<2x4x1x40xf16> {
  %o0 = tensor.empty() : tensor<2x4x1x40xf16>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<2x4x1x40xf16>, tensor<8x2x16x40xf16>, tensor<8x2x16x40xf16>)
      seq_lens(%lens : tensor<2xi32>) block_table(%table : tensor<2x4xi32>)
      outs(%o0 : tensor<2x4x1x40xf16>) -> tensor<2x4x1x40xf16>
  return %o : tensor<2x4x1x40xf16>
}
