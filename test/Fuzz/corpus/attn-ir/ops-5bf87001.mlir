func.func @out_proj_transposed_no_bias(%o: tensor<2x4x?x32xf32>, %w: tensor<96x128xf32>,
    %y0: tensor<2x?x96xf32>) -> tensor<2x?x96xf32> {
  %y = attn.out_proj layout(out_in) ins(%o : tensor<2x4x?x32xf32>)
      weight(%w : tensor<96x128xf32>)
      outs(%y0 : tensor<2x?x96xf32>) -> tensor<2x?x96xf32>
  return %y : tensor<2x?x96xf32>
}
