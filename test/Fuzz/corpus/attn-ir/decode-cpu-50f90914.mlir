func.func @one_row(%q: tensor<1x4x1x32xf32>, %kc: tensor<1x4x256x32xf32>,
    %vc: tensor<1x4x256x32xf32>, %lens: tensor<1xi32>) -> tensor<1x4x1x32xf32> {
  %o0 = tensor.empty() : tensor<1x4x1x32xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<1x4x1x32xf32>, tensor<1x4x256x32xf32>, tensor<1x4x256x32xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x32xf32>) -> tensor<1x4x1x32xf32>
  return %o : tensor<1x4x1x32xf32>
}
