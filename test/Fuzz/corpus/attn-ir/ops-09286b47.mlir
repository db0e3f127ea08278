func.func @attention_plain(%q: tensor<1x12x64x64xf32>, %k: tensor<1x12x64x64xf32>,
    %v: tensor<1x12x64x64xf32>) -> tensor<1x12x64x64xf32> {
  %o0 = tensor.empty() : tensor<1x12x64x64xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x12x64x64xf32>, tensor<1x12x64x64xf32>, tensor<1x12x64x64xf32>)
      outs(%o0 : tensor<1x12x64x64xf32>) -> tensor<1x12x64x64xf32>
  return %o : tensor<1x12x64x64xf32>
}
