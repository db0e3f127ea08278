func.func @out_proj(%o: tensor<1x12x16x64xf32>, %w: tensor<768x768xf32>,
    %b: tensor<768xf32>) -> tensor<1x16x768xf32> {
  %y0 = tensor.empty() : tensor<1x16x768xf32>
  %y = attn.out_proj ins(%o : tensor<1x12x16x64xf32>)
      weight(%w : tensor<768x768xf32>) bias(%b : tensor<768xf32>)
      outs(%y0 : tensor<1x16x768xf32>) -> tensor<1x16x768xf32>
  return %y : tensor<1x16x768xf32>
}
