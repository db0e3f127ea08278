func.func @out_proj_bias_out_in(%o: tensor<1x2x4x4xf32>, %w: tensor<6x8xf32>,
    %b: tensor<6xf32>) -> tensor<1x4x6xf32> {
  %y0 = tensor.empty() : tensor<1x4x6xf32>
  %y = attn.out_proj layout(out_in) ins(%o : tensor<1x2x4x4xf32>)
      weight(%w : tensor<6x8xf32>) bias(%b : tensor<6xf32>)
      outs(%y0 : tensor<1x4x6xf32>) -> tensor<1x4x6xf32>
  return %y : tensor<1x4x6xf32>
}
