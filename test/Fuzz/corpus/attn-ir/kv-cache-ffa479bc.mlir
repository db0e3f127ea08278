func.func @decode_attention_contiguous(%q: tensor<2x4x2x4xf32>, %kc: tensor<2x2x16x4xf32>,
    %vc: tensor<2x2x16x4xf32>, %lens: tensor<2xi32>) -> tensor<2x4x2x4xf32> {
  %o0 = tensor.empty() : tensor<2x4x2x4xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<2x4x2x4xf32>, tensor<2x2x16x4xf32>, tensor<2x2x16x4xf32>)
      seq_lens(%lens : tensor<2xi32>)
      outs(%o0 : tensor<2x4x2x4xf32>) -> tensor<2x4x2x4xf32>
  return %o : tensor<2x4x2x4xf32>
}
