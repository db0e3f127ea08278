// RUN: attnc-opt %s -split-input-file -attn-decode-cpu="vector-width=16" -cse | FileCheck %s

// Low-precision caches (issue 14 item 4): an f32 query reads f16/bf16
// caches in place, one vector<16xf16|bf16> per 16 elements of a row (half
// the bytes of f32), widened to f32 by arith.extf in registers; the query,
// the partial results and the output stay f32, and no copy of the cache is
// made. The prefetch walks the rows a 64-byte line at a time: every 32
// elements of a 2-byte cache (d = 0 and 32 of a 64-wide row), where an f32
// cache needs 0, 16, 32, 48.

// CHECK-LABEL: func.func @f16_cache(
// CHECK-SAME: %[[Q:[a-z0-9]+]]: tensor<1x8x1x64xf32>, %[[KC:[a-z0-9]+]]: tensor<1x2x1024x64xf16>, %[[VC:[a-z0-9]+]]: tensor<1x2x1024x64xf16>
// CHECK-NOT: linalg.generic
// CHECK: tensor.empty(){{.*}} : tensor<2x1x{{[0-9?]+}}x4x66xf32>
// CHECK: scf.forall
// CHECK: vector.transfer_read %[[Q]]{{.*}} : tensor<1x8x1x64xf32>, vector<16xf32>
// CHECK: scf.for
// CHECK: memref.prefetch %[[KB:[0-9]+]][%{{.*}}, %{{.*}}, %[[ROW:[0-9]+]], %c0], read, locality<3>, data : memref<1x2x1024x64xf16>
// CHECK-NEXT: memref.prefetch %[[KB]][%{{.*}}, %{{.*}}, %[[ROW]], %c32], read, locality<3>, data : memref<1x2x1024x64xf16>
// CHECK-NOT: %c16], read
// CHECK: %[[K:.*]] = vector.transfer_read %[[KC]]{{.*}} {in_bounds = [true]} : tensor<1x2x1024x64xf16>, vector<16xf16>
// CHECK-NEXT: arith.extf %[[K]] : vector<16xf16> to vector<16xf32>
// CHECK: %[[V:.*]] = vector.transfer_read %[[VC]]{{.*}} {in_bounds = [true]} : tensor<1x2x1024x64xf16>, vector<16xf16>
// CHECK-NEXT: arith.extf %[[V]] : vector<16xf16> to vector<16xf32>
// CHECK: tensor.parallel_insert_slice {{.*}} : tensor<4x66xf32> into tensor<2x1x{{[0-9?]+}}x4x66xf32>
// CHECK: scf.forall
// CHECK: memref.alloca() : memref<8x64xf32>
// CHECK-NOT: arith.truncf
// CHECK: tensor.parallel_insert_slice {{.*}} : tensor<?x64xf32> into tensor<1x8x1x64xf32>
// CHECK-NOT: attn.decode_attention
func.func @f16_cache(%q: tensor<1x8x1x64xf32>, %kc: tensor<1x2x1024x64xf16>,
    %vc: tensor<1x2x1024x64xf16>, %lens: tensor<1xi32>) -> tensor<1x8x1x64xf32> {
  %o0 = tensor.empty() : tensor<1x8x1x64xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<1x8x1x64xf32>, tensor<1x2x1024x64xf16>, tensor<1x2x1024x64xf16>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x8x1x64xf32>) -> tensor<1x8x1x64xf32>
  return %o : tensor<1x8x1x64xf32>
}

// -----

// bf16, paged, head dim 40: the last vector of each row is a masked read
// (zeros past the end) of bf16, widened alike.
// CHECK-LABEL: func.func @bf16_paged_d40(
// CHECK-SAME: %{{[a-z0-9]+}}: tensor<2x4x1x40xf32>, %[[KC:[a-z0-9]+]]: tensor<8x2x16x40xbf16>, %[[VC:[a-z0-9]+]]: tensor<8x2x16x40xbf16>
// CHECK: scf.forall
// CHECK: memref.alloca() : memref<2x48xf32>
// CHECK: scf.for
// CHECK: %[[K:.*]] = vector.transfer_read %[[KC]]{{.*}}], %{{[a-z0-9_]+}} : tensor<8x2x16x40xbf16>, vector<16xbf16>
// CHECK-NEXT: arith.extf %[[K]] : vector<16xbf16> to vector<16xf32>
// CHECK: %[[V:.*]] = vector.transfer_read %[[VC]]{{.*}}], %{{[a-z0-9_]+}} : tensor<8x2x16x40xbf16>, vector<16xbf16>
// CHECK-NEXT: arith.extf %[[V]] : vector<16xbf16> to vector<16xf32>
// CHECK: tensor.parallel_insert_slice {{.*}} : tensor<?x40xf32> into tensor<2x4x1x40xf32>
// CHECK-NOT: attn.decode_attention
func.func @bf16_paged_d40(%q: tensor<2x4x1x40xf32>, %kc: tensor<8x2x16x40xbf16>,
    %vc: tensor<8x2x16x40xbf16>, %lens: tensor<2xi32>, %table: tensor<2x4xi32>)
    -> tensor<2x4x1x40xf32> {
  %o0 = tensor.empty() : tensor<2x4x1x40xf32>
  %o = attn.decode_attention causal window(32) softcap(30.0)
      ins(%q, %kc, %vc : tensor<2x4x1x40xf32>, tensor<8x2x16x40xbf16>, tensor<8x2x16x40xbf16>)
      seq_lens(%lens : tensor<2xi32>) block_table(%table : tensor<2x4xi32>)
      outs(%o0 : tensor<2x4x1x40xf32>) -> tensor<2x4x1x40xf32>
  return %o : tensor<2x4x1x40xf32>
}
