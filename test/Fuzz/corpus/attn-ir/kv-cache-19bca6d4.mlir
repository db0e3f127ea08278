func.func @decode_attention_paged(%q: tensor<2x4x1x4xf32>, %kc: tensor<8x2x2x4xf32>,
    %vc: tensor<8x2x2x4xf32>, %lens: tensor<2xi32>, %table: tensor<2x4xi32>)
    -> tensor<2x4x1x4xf32> {
  %o0 = tensor.empty() : tensor<2x4x1x4xf32>
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<2x4x1x4xf32>, tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>)
      seq_lens(%lens : tensor<2xi32>) block_table(%table : tensor<2x4xi32>)
      outs(%o0 : tensor<2x4x1x4xf32>) -> tensor<2x4x1x4xf32>
  return %o : tensor<2x4x1x4xf32>
}
