// RUN: attnc-opt %s -split-input-file -attn-decompose | FileCheck %s

// Each projection is one contraction that indexes the weight column of head h
// directly (h * D + d); no reshape or transpose of the product is needed.

// CHECK-DAG: #[[$X:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d4)>
// CHECK-DAG: #[[$WQ:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d4, d1 * 4 + d3)>
// CHECK-DAG: #[[$WV:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d4, d1 * 2 + d3)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @qkv_proj_separate
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8xf32>, %[[WQ:.*]]: tensor<8x8xf32>, %[[WK:.*]]: tensor<8x4xf32>, %[[WV:.*]]: tensor<8x2xf32>)
// CHECK: %[[Q0:.*]] = tensor.empty() : tensor<2x2x3x4xf32>
// CHECK: %[[K0:.*]] = tensor.empty() : tensor<2x1x3x4xf32>
// CHECK: %[[V0:.*]] = tensor.empty() : tensor<2x1x3x2xf32>
// CHECK: %[[QACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[Q0]]
// CHECK: %[[Q:.*]] = linalg.generic {indexing_maps = [#[[$X]], #[[$WQ]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[WQ]] : tensor<2x3x8xf32>, tensor<8x8xf32>) outs(%[[QACC]] : tensor<2x2x3x4xf32>)
// CHECK:   arith.mulf
// CHECK:   arith.addf
// CHECK: %[[KACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[K0]]
// CHECK: %[[K:.*]] = linalg.generic {indexing_maps = [#[[$X]], #[[$WQ]], #[[$OUT]]], {{.*}} ins(%[[X]], %[[WK]] : {{.*}}) outs(%[[KACC]] :
// CHECK: %[[VACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[V0]]
// CHECK: %[[V:.*]] = linalg.generic {indexing_maps = [#[[$X]], #[[$WV]], #[[$OUT]]], {{.*}} ins(%[[X]], %[[WV]] : {{.*}}) outs(%[[VACC]] :
// CHECK: return %[[Q]], %[[K]], %[[V]]
func.func @qkv_proj_separate(%x: tensor<2x3x8xf32>, %wq: tensor<8x8xf32>,
    %wk: tensor<8x4xf32>, %wv: tensor<8x2xf32>)
    -> (tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>) {
  %q0 = tensor.empty() : tensor<2x2x3x4xf32>
  %k0 = tensor.empty() : tensor<2x1x3x4xf32>
  %v0 = tensor.empty() : tensor<2x1x3x2xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<2x3x8xf32>)
      weights(%wq, %wk, %wv : tensor<8x8xf32>, tensor<8x4xf32>, tensor<8x2xf32>)
      outs(%q0, %k0, %v0 : tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>)
      -> tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>
  return %q, %k, %v : tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>
}

// -----

// A fused [N, Dm] weight (out_in layout): Q, K and V read column ranges
// starting at 0, Hq * D and Hq * D + Hkv * D; the bias initialises each
// accumulator with the same column offsets.

// CHECK-DAG: #[[$BQ:.*]] = affine_map<(d0, d1, d2, d3) -> (d1 * 4 + d3)>
// CHECK-DAG: #[[$BK:.*]] = affine_map<(d0, d1, d2, d3) -> (d1 * 4 + d3 + 8)>
// CHECK-DAG: #[[$BV:.*]] = affine_map<(d0, d1, d2, d3) -> (d1 * 4 + d3 + 12)>
// CHECK-DAG: #[[$WQ:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1 * 4 + d3, d4)>
// CHECK-DAG: #[[$WK:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1 * 4 + d3 + 8, d4)>
// CHECK-DAG: #[[$WV:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1 * 4 + d3 + 12, d4)>
// CHECK-LABEL: func @qkv_proj_fused_bias_out_in
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x8xf32>, %[[W:.*]]: tensor<16x8xf32>, %[[B:.*]]: tensor<16xf32>)
// CHECK-NOT: linalg.fill
// CHECK: %[[QB:.*]] = linalg.generic {indexing_maps = [#[[$BQ]], #{{.*}}]{{.*}} ins(%[[B]] : tensor<16xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$WQ]], #{{.*}}]{{.*}} ins(%[[X]], %[[W]] : {{.*}}) outs(%[[QB]] :
// CHECK: %[[KB:.*]] = linalg.generic {indexing_maps = [#[[$BK]], #{{.*}}]{{.*}} ins(%[[B]] : tensor<16xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$WK]], #{{.*}}]{{.*}} ins(%[[X]], %[[W]] : {{.*}}) outs(%[[KB]] :
// CHECK: %[[VB:.*]] = linalg.generic {indexing_maps = [#[[$BV]], #{{.*}}]{{.*}} ins(%[[B]] : tensor<16xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$WV]], #{{.*}}]{{.*}} ins(%[[X]], %[[W]] : {{.*}}) outs(%[[VB]] :
func.func @qkv_proj_fused_bias_out_in(%x: tensor<1x4x8xf32>, %w: tensor<16x8xf32>,
    %b: tensor<16xf32>)
    -> (tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) {
  %q0 = tensor.empty() : tensor<1x2x4x4xf32>
  %k0 = tensor.empty() : tensor<1x1x4x4xf32>
  %v0 = tensor.empty() : tensor<1x1x4x4xf32>
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x8xf32>)
      weights(%w : tensor<16x8xf32>) biases(%b : tensor<16xf32>)
      outs(%q0, %k0, %v0 : tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>)
      -> tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
  return %q, %k, %v : tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
}

// -----

// out_proj reduces over heads and head dim (two reduction loops) reading
// row h * Dv + e of the weight; f16 accumulates in f32.

// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d1, d4)>
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d3 * 4 + d4, d2)>
// CHECK-DAG: #[[$Y:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
// CHECK-LABEL: func @out_proj_f16
// CHECK-SAME: (%[[O:.*]]: tensor<1x2x4x4xf16>, %[[W:.*]]: tensor<8x6xf16>)
// CHECK: %[[Y0:.*]] = tensor.empty() : tensor<1x4x6xf16>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x4x6xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$W]], #[[$Y]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[O]], %[[W]] : tensor<1x2x4x4xf16>, tensor<8x6xf16>) outs(%[[ACC]] : tensor<1x4x6xf32>)
// CHECK:   arith.extf
// CHECK:   arith.extf
// CHECK: %[[OUT:.*]] = linalg.generic {{.*}} ins(%[[Y]] : tensor<1x4x6xf32>) outs(%[[Y0]] : tensor<1x4x6xf16>)
// CHECK:   arith.truncf
// CHECK: return %[[OUT]]
func.func @out_proj_f16(%o: tensor<1x2x4x4xf16>, %w: tensor<8x6xf16>) -> tensor<1x4x6xf16> {
  %y0 = tensor.empty() : tensor<1x4x6xf16>
  %y = attn.out_proj ins(%o : tensor<1x2x4x4xf16>) weight(%w : tensor<8x6xf16>)
      outs(%y0 : tensor<1x4x6xf16>) -> tensor<1x4x6xf16>
  return %y : tensor<1x4x6xf16>
}

// -----

// out_in layout and a bias: the weight is read as [Dm, H * Dv]; the bias
// [Dm] initialises the accumulator.

// CHECK-DAG: #[[$WT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d3 * 4 + d4)>
// CHECK-DAG: #[[$BIAS:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func @out_proj_bias_out_in
// CHECK-SAME: %[[B:[a-zA-Z0-9]*]]: tensor<6xf32>
// CHECK-NOT: linalg.fill
// CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[$BIAS]], #{{.*}}]{{.*}} ins(%[[B]] : tensor<6xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$WT]], #{{.*}}]{{.*}} outs(%[[ACC]] : tensor<1x4x6xf32>)
func.func @out_proj_bias_out_in(%o: tensor<1x2x4x4xf32>, %w: tensor<6x8xf32>,
    %b: tensor<6xf32>) -> tensor<1x4x6xf32> {
  %y0 = tensor.empty() : tensor<1x4x6xf32>
  %y = attn.out_proj layout(out_in) ins(%o : tensor<1x2x4x4xf32>)
      weight(%w : tensor<6x8xf32>) bias(%b : tensor<6xf32>)
      outs(%y0 : tensor<1x4x6xf32>) -> tensor<1x4x6xf32>
  return %y : tensor<1x4x6xf32>
}

// -----

// A RoPE epilogue projects queries and keys into temporaries and rotates
// them into the destinations with attn.rope's own lowering; values are
// projected straight into theirs.

// CHECK-LABEL: func @qkv_proj_rope_epilogue
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8xf32>, %[[W:.*]]: tensor<8x24xf32>, %[[POS:.*]]: tensor<3xi64>)
// CHECK: %[[Q0:.*]] = tensor.empty() : tensor<1x1x3x8xf32>
// CHECK: %[[QTMP:.*]] = tensor.empty() : tensor<1x1x3x8xf32>
// CHECK: %[[QP:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[W]] : {{.*}}) outs(%{{.*}} : tensor<1x1x3x8xf32>)
// CHECK: %[[QR:.*]] = linalg.generic {{.*}} ins(%[[QP]], %[[POS]] : tensor<1x1x3x8xf32>, tensor<3xi64>) outs(%[[Q0]] : tensor<1x1x3x8xf32>)
// CHECK: math.cos
// CHECK: math.sin
// CHECK: tensor.extract %[[QP]]
// CHECK: %[[KP:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[W]] : {{.*}})
// CHECK: %[[KR:.*]] = linalg.generic {{.*}} ins(%[[KP]], %[[POS]] : tensor<1x1x3x8xf32>, tensor<3xi64>)
// CHECK: %[[V:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[W]] : {{.*}})
// CHECK-NOT: math.cos
// CHECK: return %[[QR]], %[[KR]], %[[V]]
func.func @qkv_proj_rope_epilogue(%x: tensor<1x3x8xf32>, %w: tensor<8x24xf32>,
    %pos: tensor<3xi64>)
    -> (tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>) {
  %q0 = tensor.empty() : tensor<1x1x3x8xf32>
  %k0 = tensor.empty() : tensor<1x1x3x8xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x3x8xf32>)
      weights(%w : tensor<8x24xf32>) rope half positions(%pos : tensor<3xi64>)
      outs(%q0, %k0, %k0 : tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>)
      -> tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>
  return %q, %k, %v : tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>
}
