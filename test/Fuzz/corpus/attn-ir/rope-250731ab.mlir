func.func @rope_half(%q: tensor<1x2x3x8xf32>, %k: tensor<1x1x3x8xf32>,
    %pos: tensor<1x3xi64>) -> (tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>) {
  %q0 = tensor.empty() : tensor<1x2x3x8xf32>
  %k0 = tensor.empty() : tensor<1x1x3x8xf32>
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x3xi64>)
      outs(%q0, %k0 : tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>)
      -> tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>
  return %q1, %k1 : tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>
}
