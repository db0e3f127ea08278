func.func @masked_softmax_rank2(%s: tensor<5x9xf16>) -> tensor<5x9xf16> {
  %p0 = tensor.empty() : tensor<5x9xf16>
  %p = attn.masked_softmax ins(%s : tensor<5x9xf16>)
      outs(%p0 : tensor<5x9xf16>) -> tensor<5x9xf16>
  return %p : tensor<5x9xf16>
}
