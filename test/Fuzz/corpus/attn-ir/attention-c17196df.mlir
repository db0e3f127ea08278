func.func @attention_gqa_causal_window_softcap_f16(%q: tensor<1x4x3x8xf16>,
    %k: tensor<1x2x5x8xf16>, %v: tensor<1x2x5x6xf16>) -> tensor<1x4x3x6xf16> {
  %o0 = tensor.empty() : tensor<1x4x3x6xf16>
  %o = attn.attention causal window(2) softcap(20.0)
      ins(%q, %k, %v : tensor<1x4x3x8xf16>, tensor<1x2x5x8xf16>, tensor<1x2x5x6xf16>)
      outs(%o0 : tensor<1x4x3x6xf16>) -> tensor<1x4x3x6xf16>
  return %o : tensor<1x4x3x6xf16>
}
