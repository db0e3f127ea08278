func.func @gqa_contiguous(%q: tensor<1x8x1x32xf32>, %kc: tensor<1x2x1024x32xf32>,
    %vc: tensor<1x2x1024x32xf32>, %lens: tensor<1xi32>) -> tensor<1x8x1x32xf32> {
  %o0 = tensor.empty() : tensor<1x8x1x32xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<1x8x1x32xf32>, tensor<1x2x1024x32xf32>, tensor<1x2x1024x32xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x8x1x32xf32>) -> tensor<1x8x1x32xf32>
  return %o : tensor<1x8x1x32xf32>
}
