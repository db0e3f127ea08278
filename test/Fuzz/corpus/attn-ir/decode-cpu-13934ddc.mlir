func.func @f16_fused(%q: tensor<1x2x1x32xf16>, %kc: tensor<1x2x64x32xf16>,
    %vc: tensor<1x2x64x32xf16>, %lens: tensor<1xi32>) -> tensor<1x2x1x32xf16> {
  %o0 = tensor.empty() : tensor<1x2x1x32xf16>
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x2x1x32xf16>, tensor<1x2x64x32xf16>, tensor<1x2x64x32xf16>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x2x1x32xf16>) -> tensor<1x2x1x32xf16>
  return %o : tensor<1x2x1x32xf16>
}
