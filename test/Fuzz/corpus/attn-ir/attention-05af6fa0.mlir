func.func @masked_softmax_rank3_causal_bf16(%s: tensor<2x3x5xbf16>) -> tensor<2x3x5xbf16> {
  %p0 = tensor.empty() : tensor<2x3x5xbf16>
  %p = attn.masked_softmax causal ins(%s : tensor<2x3x5xbf16>)
      outs(%p0 : tensor<2x3x5xbf16>) -> tensor<2x3x5xbf16>
  return %p : tensor<2x3x5xbf16>
}
