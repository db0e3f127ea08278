func.func @attention_padding_mask_mqa(%q: tensor<2x4x3x8xf32>,
    %k: tensor<2x1x7x8xf32>, %v: tensor<2x1x7x8xf32>, %m: tensor<2x1x1x7xi1>)
    -> tensor<2x4x3x8xf32> {
  %o0 = tensor.empty() : tensor<2x4x3x8xf32>
  %o = attn.attention scale(0.5)
      ins(%q, %k, %v : tensor<2x4x3x8xf32>, tensor<2x1x7x8xf32>, tensor<2x1x7x8xf32>)
      mask(%m : tensor<2x1x1x7xi1>)
      outs(%o0 : tensor<2x4x3x8xf32>) -> tensor<2x4x3x8xf32>
  return %o : tensor<2x4x3x8xf32>
}
