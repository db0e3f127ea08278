func.func @causal_window(%q: tensor<1x2x20x16xf32>, %k: tensor<1x2x50x16xf32>,
    %v: tensor<1x2x50x32xf32>) -> tensor<1x2x20x32xf32> {
  %o0 = tensor.empty() : tensor<1x2x20x32xf32>
  %o = attn.attention causal window(5)
      ins(%q, %k, %v : tensor<1x2x20x16xf32>, tensor<1x2x50x16xf32>, tensor<1x2x50x32xf32>)
      outs(%o0 : tensor<1x2x20x32xf32>) -> tensor<1x2x20x32xf32>
  return %o : tensor<1x2x20x32xf32>
}
