func.func @attention_dynamic_sequences(%q: tensor<?x8x?x64xf32>, %k: tensor<?x8x?x64xf32>,
    %v: tensor<?x8x?x64xf32>, %o0: tensor<?x8x?x64xf32>) -> tensor<?x8x?x64xf32> {
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<?x8x?x64xf32>, tensor<?x8x?x64xf32>, tensor<?x8x?x64xf32>)
      outs(%o0 : tensor<?x8x?x64xf32>) -> tensor<?x8x?x64xf32>
  return %o : tensor<?x8x?x64xf32>
}
