func.func @rope_interleaved_partial(%q: tensor<2x4x?x32xf16>, %k: tensor<2x4x?x32xf16>,
    %pos: tensor<?xi32>, %q0: tensor<2x4x?x32xf16>, %k0: tensor<2x4x?x32xf16>)
    -> tensor<2x4x?x32xf16> {
  %q1, %k1 = attn.rope interleaved theta(500000.0) rotary_dim(16)
      ins(%q, %k, %pos : tensor<2x4x?x32xf16>, tensor<2x4x?x32xf16>, tensor<?xi32>)
      outs(%q0, %k0 : tensor<2x4x?x32xf16>, tensor<2x4x?x32xf16>)
      -> tensor<2x4x?x32xf16>, tensor<2x4x?x32xf16>
  return %k1 : tensor<2x4x?x32xf16>
}
