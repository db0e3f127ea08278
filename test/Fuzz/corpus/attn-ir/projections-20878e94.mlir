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
