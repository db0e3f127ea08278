func.func @attention_dynamic_causal(%q: tensor<1x2x?x8xf32>, %k: tensor<1x2x?x8xf32>,
    %v: tensor<1x2x?x8xf32>, %o0: tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32> {
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x?x8xf32>, tensor<1x2x?x8xf32>, tensor<1x2x?x8xf32>)
      outs(%o0 : tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  return %o : tensor<1x2x?x8xf32>
}
