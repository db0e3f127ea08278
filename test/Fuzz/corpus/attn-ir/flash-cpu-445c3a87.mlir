func.func @keep_mask(%q: tensor<1x2x8x32xf32>, %k: tensor<1x2x40x32xf32>,
    %v: tensor<1x2x40x32xf32>, %m: tensor<1x1x8x40xi1>) -> tensor<1x2x8x32xf32> {
  %o0 = tensor.empty() : tensor<1x2x8x32xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x2x8x32xf32>, tensor<1x2x40x32xf32>, tensor<1x2x40x32xf32>)
      mask(%m : tensor<1x1x8x40xi1>)
      outs(%o0 : tensor<1x2x8x32xf32>) -> tensor<1x2x8x32xf32>
  return %o : tensor<1x2x8x32xf32>
}
