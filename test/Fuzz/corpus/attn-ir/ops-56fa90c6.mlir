func.func @attention_all_attributes_gqa_padding_mask(%q: tensor<2x8x16x64xf16>,
    %k: tensor<2x2x32x64xf16>, %v: tensor<2x2x32x48xf16>,
    %m: tensor<2x1x1x32xi1>) -> tensor<2x8x16x48xf16> {
  %o0 = tensor.empty() : tensor<2x8x16x48xf16>
  %o = attn.attention causal window(8) softcap(30.0) scale(0.125)
      ins(%q, %k, %v : tensor<2x8x16x64xf16>, tensor<2x2x32x64xf16>, tensor<2x2x32x48xf16>)
      mask(%m : tensor<2x1x1x32xi1>)
      outs(%o0 : tensor<2x8x16x48xf16>) -> tensor<2x8x16x48xf16>
  return %o : tensor<2x8x16x48xf16>
}
