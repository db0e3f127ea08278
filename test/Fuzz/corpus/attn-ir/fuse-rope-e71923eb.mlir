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
