func.func @dynamic_scale(%q: tensor<?x2x?x16xf32>, %k: tensor<?x2x?x16xf32>,
    %v: tensor<?x2x?x16xf32>, %o0: tensor<?x2x?x16xf32>) -> tensor<?x2x?x16xf32> {
  %o = attn.attention causal scale(0.5)
      ins(%q, %k, %v : tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>)
      outs(%o0 : tensor<?x2x?x16xf32>) -> tensor<?x2x?x16xf32>
  return %o : tensor<?x2x?x16xf32>
}
