func.func @out_proj_f16(%o: tensor<1x2x4x4xf16>, %w: tensor<8x6xf16>) -> tensor<1x4x6xf16> {
  %y0 = tensor.empty() : tensor<1x4x6xf16>
  %y = attn.out_proj ins(%o : tensor<1x2x4x4xf16>) weight(%w : tensor<8x6xf16>)
      outs(%y0 : tensor<1x4x6xf16>) -> tensor<1x4x6xf16>
  return %y : tensor<1x4x6xf16>
}
