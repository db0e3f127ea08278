func.func @rope_interleaved_partial_f16(%q: tensor<1x2x3x8xf16>, %k: tensor<1x2x3x8xf16>,
    %pos: tensor<3xi32>) -> (tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16>) {
  %q0 = tensor.empty() : tensor<1x2x3x8xf16>
  %k0 = tensor.empty() : tensor<1x2x3x8xf16>
  %q1, %k1 = attn.rope interleaved theta(500000.0) rotary_dim(4)
      ins(%q, %k, %pos : tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16>, tensor<3xi32>)
      outs(%q0, %k0 : tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16>)
      -> tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16>
  return %q1, %k1 : tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16>
}
