// RUN: attnc-opt %s -split-input-file -attn-fuse-rope | FileCheck %s

// attn.rope of the queries and keys of one projection becomes that
// projection's RoPE epilogue; the values pass through, the rope's own
// destinations go away.

// CHECK-LABEL: func.func @fused(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x6x32xf32>, %[[W:[a-z0-9]+]]: tensor<128x32xf32>, %[[POS:[a-z0-9]+]]: tensor<6xi64>)
// CHECK: %[[Q0:.*]] = tensor.empty() : tensor<1x2x6x32xf32>
// CHECK: %[[K0:.*]] = tensor.empty() : tensor<1x1x6x32xf32>
// CHECK: %[[Q:.*]], %[[K:.*]], %[[V:.*]] = attn.qkv_proj layout(out_in) ins(%[[X]] : tensor<1x6x32xf32>) weights(%[[W]] : tensor<128x32xf32>)
// CHECK-SAME: rope interleaved theta(5.000000e+05) rotary_dim(16) positions(%[[POS]] : tensor<6xi64>)
// CHECK-SAME: outs(%[[Q0]], %[[K0]], %[[K0]] :
// CHECK-NOT: attn.rope
// CHECK: return %[[Q]], %[[K]], %[[V]]
func.func @fused(%x: tensor<1x6x32xf32>, %w: tensor<128x32xf32>, %pos: tensor<6xi64>)
    -> (tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>) {
  %q0 = tensor.empty() : tensor<1x2x6x32xf32>
  %k0 = tensor.empty() : tensor<1x1x6x32xf32>
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x6x32xf32>)
      weights(%w : tensor<128x32xf32>)
      outs(%q0, %k0, %k0 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>
  %q1 = tensor.empty() : tensor<1x2x6x32xf32>
  %k1 = tensor.empty() : tensor<1x1x6x32xf32>
  %qr, %kr = attn.rope interleaved theta(5.0e+05) rotary_dim(16)
      ins(%q, %k, %pos : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<6xi64>)
      outs(%q1, %k1 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>
  return %qr, %kr, %v : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>
}

// -----

// The rope's frequency scaling moves into the epilogue with it.

// CHECK-LABEL: func.func @fused_scaling(
// CHECK: attn.qkv_proj
// CHECK-SAME: rope half theta(1.000000e+04) scaling(llama3 factor(8.000000e+00) low_freq_factor(1.000000e+00) high_freq_factor(4.000000e+00) original_max_positions(8.192000e+03)) positions(
// CHECK-NOT: attn.rope
func.func @fused_scaling(%x: tensor<1x6x32xf32>, %w: tensor<128x32xf32>, %pos: tensor<6xi64>)
    -> (tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>) {
  %q0 = tensor.empty() : tensor<1x2x6x32xf32>
  %k0 = tensor.empty() : tensor<1x1x6x32xf32>
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x6x32xf32>)
      weights(%w : tensor<128x32xf32>)
      outs(%q0, %k0, %k0 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>
  %qr, %kr = attn.rope half scaling(llama3 factor(8.0) low_freq_factor(1.0)
          high_freq_factor(4.0) original_max_positions(8192.0))
      ins(%q, %k, %pos : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<6xi64>)
      outs(%q0, %k0 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>
  return %qr, %kr : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>
}

// -----

// The unrotated queries are still needed: nothing changes.

// CHECK-LABEL: func.func @unrotated_used(
// CHECK: attn.qkv_proj ins(
// CHECK-NOT: rope half
// CHECK-SAME: outs(
// CHECK: attn.rope half
func.func @unrotated_used(%x: tensor<1x6x32xf32>, %w: tensor<32x128xf32>, %pos: tensor<6xi64>)
    -> (tensor<1x2x6x32xf32>, tensor<1x2x6x32xf32>) {
  %q0 = tensor.empty() : tensor<1x2x6x32xf32>
  %k0 = tensor.empty() : tensor<1x1x6x32xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x6x32xf32>)
      weights(%w : tensor<32x128xf32>)
      outs(%q0, %k0, %k0 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>
  %qr, %kr = attn.rope half
      ins(%q, %k, %pos : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<6xi64>)
      outs(%q0, %k0 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>
  return %qr, %q : tensor<1x2x6x32xf32>, tensor<1x2x6x32xf32>
}

// -----

// The positions are computed after the projection: the fused op could not
// take its place, so nothing changes.

// CHECK-LABEL: func.func @positions_after(
// CHECK: attn.qkv_proj ins(
// CHECK-NOT: positions(
// CHECK-SAME: outs(
// CHECK: arith.addi
// CHECK: attn.rope half
func.func @positions_after(%x: tensor<1x6x32xf32>, %w: tensor<32x128xf32>, %pos: tensor<6xi64>)
    -> (tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>) {
  %q0 = tensor.empty() : tensor<1x2x6x32xf32>
  %k0 = tensor.empty() : tensor<1x1x6x32xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x6x32xf32>)
      weights(%w : tensor<32x128xf32>)
      outs(%q0, %k0, %k0 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>
  %shifted = arith.addi %pos, %pos : tensor<6xi64>
  %qr, %kr = attn.rope half
      ins(%q, %k, %shifted : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<6xi64>)
      outs(%q0, %k0 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>
  return %qr, %kr : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>
}

// -----

// Queries and keys from two different projections: nothing changes.

// CHECK-LABEL: func.func @two_projections(
// CHECK-COUNT-2: attn.qkv_proj ins(
// CHECK: attn.rope half
func.func @two_projections(%x: tensor<1x6x32xf32>, %w: tensor<32x128xf32>, %pos: tensor<6xi64>)
    -> (tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>) {
  %q0 = tensor.empty() : tensor<1x2x6x32xf32>
  %k0 = tensor.empty() : tensor<1x1x6x32xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x6x32xf32>)
      weights(%w : tensor<32x128xf32>)
      outs(%q0, %k0, %k0 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>
  %q2, %k2, %v2 = attn.qkv_proj ins(%x : tensor<1x6x32xf32>)
      weights(%w : tensor<32x128xf32>)
      outs(%q0, %k0, %k0 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>
  %qr, %kr = attn.rope half
      ins(%q, %k2, %pos : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<6xi64>)
      outs(%q0, %k0 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>
  return %qr, %kr : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>
}
