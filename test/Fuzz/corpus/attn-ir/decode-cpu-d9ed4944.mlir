func.func @paged(%q: tensor<2x2x1x32xf32>, %kc: tensor<64x1x16x32xf32>,
    %vc: tensor<64x1x16x32xf32>, %lens: tensor<2xi32>, %table: tensor<2x8xi32>)
    -> tensor<2x2x1x32xf32> {
  %o0 = tensor.empty() : tensor<2x2x1x32xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<2x2x1x32xf32>, tensor<64x1x16x32xf32>, tensor<64x1x16x32xf32>)
      seq_lens(%lens : tensor<2xi32>) block_table(%table : tensor<2x8xi32>)
      outs(%o0 : tensor<2x2x1x32xf32>) -> tensor<2x2x1x32xf32>
  return %o : tensor<2x2x1x32xf32>
}
