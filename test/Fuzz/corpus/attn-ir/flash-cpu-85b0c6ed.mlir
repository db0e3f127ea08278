func.func @dv40(%q: tensor<1x2x8x40xf32>, %k: tensor<1x2x8x40xf32>,
    %v: tensor<1x2x8x40xf32>) -> tensor<1x2x8x40xf32> {
  %o0 = tensor.empty() : tensor<1x2x8x40xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x2x8x40xf32>, tensor<1x2x8x40xf32>, tensor<1x2x8x40xf32>)
      outs(%o0 : tensor<1x2x8x40xf32>) -> tensor<1x2x8x40xf32>
  return %o : tensor<1x2x8x40xf32>
}
