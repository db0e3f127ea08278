func.func @out_proj(%o: tensor<1x4x?x32xf32>, %w: tensor<64x128xf32>,
    %bias: tensor<64xf32>, %y0: tensor<1x?x64xf32>) -> tensor<1x?x64xf32> {
  %y = attn.out_proj layout(out_in) ins(%o : tensor<1x4x?x32xf32>)
      weight(%w : tensor<64x128xf32>) bias(%bias : tensor<64xf32>)
      outs(%y0 : tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  return %y : tensor<1x?x64xf32>
}
