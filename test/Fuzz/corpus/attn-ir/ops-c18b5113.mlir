func.func @qkv_proj_fused_bias_transposed(%x: tensor<1x8x48xbf16>,
    %w: tensor<144x48xbf16>, %b: tensor<144xbf16>) -> tensor<1x3x8x16xbf16> {
  %q0 = tensor.empty() : tensor<1x3x8x16xbf16>
  %k0 = tensor.empty() : tensor<1x3x8x16xbf16>
  %v0 = tensor.empty() : tensor<1x3x8x16xbf16>
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x8x48xbf16>)
      weights(%w : tensor<144x48xbf16>) biases(%b : tensor<144xbf16>)
      outs(%q0, %k0, %v0 : tensor<1x3x8x16xbf16>, tensor<1x3x8x16xbf16>, tensor<1x3x8x16xbf16>)
      -> tensor<1x3x8x16xbf16>, tensor<1x3x8x16xbf16>, tensor<1x3x8x16xbf16>
  return %q : tensor<1x3x8x16xbf16>
}
