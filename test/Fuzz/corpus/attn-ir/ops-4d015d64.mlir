func.func @decode_attention_contiguous(%q: tensor<4x32x1x128xf32>,
    %kc: tensor<4x8x4096x128xf32>, %vc: tensor<4x8x4096x128xf32>,
    %lens: tensor<4xi32>) -> tensor<4x32x1x128xf32> {
  %o0 = tensor.empty() : tensor<4x32x1x128xf32>
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<4x32x1x128xf32>, tensor<4x8x4096x128xf32>, tensor<4x8x4096x128xf32>)
      seq_lens(%lens : tensor<4xi32>)
      outs(%o0 : tensor<4x32x1x128xf32>) -> tensor<4x32x1x128xf32>
  return %o : tensor<4x32x1x128xf32>
}
