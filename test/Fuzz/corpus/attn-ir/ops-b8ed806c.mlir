func.func @modifiers_any_order(%q: tensor<1x4x1x8xf32>, %k: tensor<1x2x8x8xf32>,
    %v: tensor<1x2x8x8xf32>, %l: tensor<1xi32>, %s: tensor<1x2x4x4xf32>)
    -> (tensor<1x4x1x8xf32>, tensor<1x4x1x8xf32>, tensor<1x2x4x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x1x8xf32>
  %a = attn.attention scale(0.125) softcap(30.0) window(4) causal
      ins(%q, %k, %v : tensor<1x4x1x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>)
      outs(%o0 : tensor<1x4x1x8xf32>) -> tensor<1x4x1x8xf32>
  %d = attn.decode_attention window(2) scale(0.5) causal
      ins(%q, %k, %v : tensor<1x4x1x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>)
      seq_lens(%l : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x8xf32>) -> tensor<1x4x1x8xf32>
  %p0 = tensor.empty() : tensor<1x2x4x4xf32>
  %p = attn.masked_softmax softcap(5.0) causal ins(%s : tensor<1x2x4x4xf32>)
      outs(%p0 : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %a, %d, %p : tensor<1x4x1x8xf32>, tensor<1x4x1x8xf32>, tensor<1x2x4x4xf32>
}
