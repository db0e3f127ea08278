func.func @in_out_rope(%x: tensor<2x?x32xf32>, %w: tensor<32x128xf32>,
    %bias: tensor<128xf32>, %pos: tensor<?xi64>, %q0: tensor<2x2x?x32xf32>,
    %k0: tensor<2x1x?x32xf32>)
    -> (tensor<2x2x?x32xf32>, tensor<2x1x?x32xf32>, tensor<2x1x?x32xf32>) {
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<2x?x32xf32>)
      weights(%w : tensor<32x128xf32>) biases(%bias : tensor<128xf32>)
      rope half positions(%pos : tensor<?xi64>)
      outs(%q0, %k0, %k0 : tensor<2x2x?x32xf32>, tensor<2x1x?x32xf32>, tensor<2x1x?x32xf32>)
      -> tensor<2x2x?x32xf32>, tensor<2x1x?x32xf32>, tensor<2x1x?x32xf32>
  return %q, %k, %v : tensor<2x2x?x32xf32>, tensor<2x1x?x32xf32>, tensor<2x1x?x32xf32>
}
