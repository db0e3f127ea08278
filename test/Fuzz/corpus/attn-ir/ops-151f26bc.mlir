func.func @qkv_proj_bf16_weights(%x: tensor<1x8x64xf32>, %w: tensor<128x64xbf16>,
    %q0: tensor<1x2x8x32xf32>, %k0: tensor<1x1x8x32xf32>) -> tensor<1x2x8x32xf32> {
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x8x64xf32>)
      weights(%w : tensor<128x64xbf16>)
      outs(%q0, %k0, %k0 : tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>, tensor<1x1x8x32xf32>)
      -> tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>, tensor<1x1x8x32xf32>
  return %q : tensor<1x2x8x32xf32>
}
