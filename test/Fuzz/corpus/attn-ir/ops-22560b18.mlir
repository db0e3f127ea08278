func.func @decode_attention_paged_speculative(%q: tensor<2x8x4x64xf16>,
    %kc: tensor<512x2x32x64xf16>, %vc: tensor<512x2x32x64xf16>,
    %lens: tensor<2xi64>, %table: tensor<2x128xi32>) -> tensor<2x8x4x64xf16> {
  %o0 = tensor.empty() : tensor<2x8x4x64xf16>
  %o = attn.decode_attention causal window(1024) softcap(50.0) scale(0.125)
      ins(%q, %kc, %vc : tensor<2x8x4x64xf16>, tensor<512x2x32x64xf16>, tensor<512x2x32x64xf16>)
      seq_lens(%lens : tensor<2xi64>) block_table(%table : tensor<2x128xi32>)
      outs(%o0 : tensor<2x8x4x64xf16>) -> tensor<2x8x4x64xf16>
  return %o : tensor<2x8x4x64xf16>
}
