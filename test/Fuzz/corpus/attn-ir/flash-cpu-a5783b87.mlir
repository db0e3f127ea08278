func.func @softcap(%q: tensor<1x2x8x32xf32>, %k: tensor<1x2x8x32xf32>,
    %v: tensor<1x2x8x32xf32>) -> tensor<1x2x8x32xf32> {
  %o0 = tensor.empty() : tensor<1x2x8x32xf32>
  %o = attn.attention causal softcap(30.0)
      ins(%q, %k, %v : tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>)
      outs(%o0 : tensor<1x2x8x32xf32>) -> tensor<1x2x8x32xf32>
  return %o : tensor<1x2x8x32xf32>
}
