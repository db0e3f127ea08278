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
