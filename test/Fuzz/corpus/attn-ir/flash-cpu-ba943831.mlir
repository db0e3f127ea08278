func.func @f16_fused(%q: tensor<1x2x8x32xf32>, %k: tensor<1x2x8x32xf32>,
    %v: tensor<1x2x8x32xf32>, %qh: tensor<1x2x8x32xf16>,
    %kh: tensor<1x2x8x32xf16>, %vh: tensor<1x2x8x32xf16>)
    -> (tensor<1x2x8x32xf32>, tensor<1x2x8x32xf16>) {
  %o0 = tensor.empty() : tensor<1x2x8x32xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>)
      outs(%o0 : tensor<1x2x8x32xf32>) -> tensor<1x2x8x32xf32>
  %oh0 = tensor.empty() : tensor<1x2x8x32xf16>
  %oh = attn.attention causal
      ins(%qh, %kh, %vh : tensor<1x2x8x32xf16>, tensor<1x2x8x32xf16>, tensor<1x2x8x32xf16>)
      outs(%oh0 : tensor<1x2x8x32xf16>) -> tensor<1x2x8x32xf16>
  return %o, %oh : tensor<1x2x8x32xf32>, tensor<1x2x8x32xf16>
}
