// RUN: attnc-opt %s -split-input-file -attn-projection-cpu="vector-width=16" -cse | FileCheck %s

// Head dims that are not a multiple of the vector width run on the kernels:
// the head split's L1 tile is padded to whole vectors, and the vector of a
// head's row that crosses the head dim is read with a mask (its other lanes
// would read the next head). Only D columns are written back.

// The demo model's projection (tiny GPT-2: fused [96, 288] weight with a
// bias, 4 heads of 24): one GEMM, then Q, K and V split with a mask of the
// last 24 - 16 = 8 lanes. Nine rows fill a 32-row tile with three heads, so
// each split is two tasks (heads 0-2 and head 3).
// CHECK-LABEL: func.func @gpt2_fused_d24(
// CHECK-NOT: linalg.generic
// CHECK: %[[Y:.*]] = scf.if
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (2, 1)
// CHECK: %[[TILE:.*]] = memref.alloca() : memref<1024xf32>
// CHECK: %[[ROWS:.*]] = memref.expand_shape %[[TILE]] {{\[}}[0, 1]] output_shape [32, 32]
// CHECK: %[[MASK:.*]] = vector.create_mask %c8{{.*}} : vector<16xi1>
// CHECK: vector.transfer_read %[[Y]]{{.*}} {in_bounds = [true]} : tensor<1x9x288xf32>, vector<16xf32>
// CHECK: vector.store %{{.*}}, %[[ROWS]]
// CHECK: vector.transfer_read %[[Y]]{{.*}}, %[[MASK]] {in_bounds = [true]} : tensor<1x9x288xf32>, vector<16xf32>
// CHECK: vector.store %{{.*}}, %[[ROWS]]
// CHECK: %[[SLICE:.*]] = memref.reinterpret_cast %[[TILE]] to offset: [0], sizes: [1, %{{.*}}, %{{.*}}, 24], strides: [1024, %{{.*}}, 32, 1]
// CHECK: %[[PART:.*]] = bufferization.to_tensor %[[SLICE]] restrict
// CHECK: tensor.parallel_insert_slice %[[PART]] into {{.*}} [1, %{{.*}}, %{{.*}}, 24] [1, 1, 1, 1] : tensor<1x?x?x24xf32> into tensor<1x4x9x24xf32>
// CHECK-COUNT-2: scf.forall
// CHECK-NOT: attn.qkv_proj
func.func @gpt2_fused_d24(%x: tensor<1x9x96xf32>, %w: tensor<96x288xf32>,
    %bias: tensor<288xf32>)
    -> (tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>) {
  %h0 = tensor.empty() : tensor<1x4x9x24xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x9x96xf32>)
      weights(%w : tensor<96x288xf32>) biases(%bias : tensor<288xf32>)
      outs(%h0, %h0, %h0 : tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>)
      -> tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>
  return %q, %k, %v : tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>
}

// -----

// attn.out_proj merges heads of 24 into [1, 9, 96] the same way (the last
// vector of each head's row read and stored with a mask, the heads of a
// row side by side in the tile), then one linear layer.
// CHECK-LABEL: func.func @out_proj_d24(
// CHECK-SAME: %[[O:[a-z0-9]+]]: tensor<1x4x9x24xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (2, 1)
// CHECK: %[[TILE:.*]] = memref.alloca() : memref<1024xf32>
// CHECK: %[[MASK:.*]] = vector.create_mask %c8{{.*}} : vector<16xi1>
// CHECK: %[[FULL:.*]] = vector.transfer_read %[[O]]{{.*}} {in_bounds = [true]} : tensor<1x4x9x24xf32>, vector<16xf32>
// CHECK: vector.store %[[FULL]], %[[TILE]]
// CHECK: %[[TAIL:.*]] = vector.transfer_read %[[O]]{{.*}}, %[[MASK]] {in_bounds = [true]} : tensor<1x4x9x24xf32>, vector<16xf32>
// CHECK: vector.maskedstore %[[TILE]][%{{.*}}], %[[MASK]], %[[TAIL]]
// CHECK: %[[SLICE:.*]] = memref.reinterpret_cast %[[TILE]] to offset: [0], sizes: [1, %{{.*}}, %{{.*}}], strides: [1024, %{{.*}}, 1]
// CHECK: %[[PART:.*]] = bufferization.to_tensor %[[SLICE]] restrict
// CHECK: tensor.parallel_insert_slice %[[PART]] into {{.*}} [1, %{{.*}}, %{{.*}}] [1, 1, 1] : tensor<1x?x?xf32> into tensor<1x9x96xf32>
// CHECK: vector.fma
// CHECK-NOT: attn.out_proj
func.func @out_proj_d24(%o: tensor<1x4x9x24xf32>, %w: tensor<96x96xf32>,
    %bias: tensor<96xf32>) -> tensor<1x9x96xf32> {
  %y0 = tensor.empty() : tensor<1x9x96xf32>
  %y = attn.out_proj ins(%o : tensor<1x4x9x24xf32>) weight(%w : tensor<96x96xf32>)
      bias(%bias : tensor<96xf32>) outs(%y0 : tensor<1x9x96xf32>) -> tensor<1x9x96xf32>
  return %y : tensor<1x9x96xf32>
}
