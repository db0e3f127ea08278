func.func @attention_mqa_cross_additive_mask(%q: tensor<1x4x7x40xbf16>,
    %k: tensor<1x1x129x40xbf16>, %v: tensor<1x1x129x40xbf16>,
    %m: tensor<1x1x7x129xf32>) -> tensor<1x4x7x40xbf16> {
  %o0 = tensor.empty() : tensor<1x4x7x40xbf16>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x7x40xbf16>, tensor<1x1x129x40xbf16>, tensor<1x1x129x40xbf16>)
      mask(%m : tensor<1x1x7x129xf32>)
      outs(%o0 : tensor<1x4x7x40xbf16>) -> tensor<1x4x7x40xbf16>
  return %o : tensor<1x4x7x40xbf16>
}
