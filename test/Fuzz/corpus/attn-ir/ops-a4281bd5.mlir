func.func @rope_half(%q: tensor<1x8x16x64xf32>, %k: tensor<1x2x16x64xf32>,
    %pos: tensor<1x16xi64>) -> tensor<1x8x16x64xf32> {
  %q0 = tensor.empty() : tensor<1x8x16x64xf32>
  %k0 = tensor.empty() : tensor<1x2x16x64xf32>
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>, tensor<1x16xi64>)
      outs(%q0, %k0 : tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>)
      -> tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>
  return %q1 : tensor<1x8x16x64xf32>
}
