func.func @masked_softmax(%s: tensor<1x12x64x64xf32>, %m: tensor<1x1x64x64xi1>)
    -> tensor<1x12x64x64xf32> {
  %p0 = tensor.empty() : tensor<1x12x64x64xf32>
  %p = attn.masked_softmax causal window(16) softcap(50.0) scale(0.125)
      ins(%s : tensor<1x12x64x64xf32>) mask(%m : tensor<1x1x64x64xi1>)
      outs(%p0 : tensor<1x12x64x64xf32>) -> tensor<1x12x64x64xf32>
  return %p : tensor<1x12x64x64xf32>
}
