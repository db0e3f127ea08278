func.func @additive_mask_keys_broadcast(%q: tensor<1x2x8x32xf32>,
    %k: tensor<1x2x8x32xf32>, %v: tensor<1x2x8x32xf32>,
    %m: tensor<1x2x8x1xf16>) -> tensor<1x2x8x32xf32> {
  %o0 = tensor.empty() : tensor<1x2x8x32xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>)
      mask(%m : tensor<1x2x8x1xf16>)
      outs(%o0 : tensor<1x2x8x32xf32>) -> tensor<1x2x8x32xf32>
  return %o : tensor<1x2x8x32xf32>
}
