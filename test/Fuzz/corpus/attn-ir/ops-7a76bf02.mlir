func.func @qkv_proj_rope_epilogue(%x: tensor<1x?x64xf32>, %w: tensor<128x64xf32>,
    %pos: tensor<?xi32>, %q0: tensor<1x2x?x32xf32>, %k0: tensor<1x1x?x32xf32>,
    %v0: tensor<1x1x?x32xf32>) -> tensor<1x2x?x32xf32> {
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x?x64xf32>)
      weights(%w : tensor<128x64xf32>)
      rope interleaved theta(5.0e+05) rotary_dim(16) positions(%pos : tensor<?xi32>)
      outs(%q0, %k0, %v0 : tensor<1x2x?x32xf32>, tensor<1x1x?x32xf32>, tensor<1x1x?x32xf32>)
      -> tensor<1x2x?x32xf32>, tensor<1x1x?x32xf32>, tensor<1x1x?x32xf32>
  return %q : tensor<1x2x?x32xf32>
}

func.func @qkv_proj_rope_epilogue_defaults(%x: tensor<2x8x64xf32>,
    %wq: tensor<64x64xf32>, %wk: tensor<64x32xf32>, %wv: tensor<64x32xf32>,
    %pos: tensor<2x8xi64>) -> tensor<2x4x8x16xf32> {
  %q0 = tensor.empty() : tensor<2x4x8x16xf32>
  %k0 = tensor.empty() : tensor<2x2x8x16xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<2x8x64xf32>)
      weights(%wq, %wk, %wv : tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>)
      rope half positions(%pos : tensor<2x8xi64>)
      outs(%q0, %k0, %k0 : tensor<2x4x8x16xf32>, tensor<2x2x8x16xf32>, tensor<2x2x8x16xf32>)
      -> tensor<2x4x8x16xf32>, tensor<2x2x8x16xf32>, tensor<2x2x8x16xf32>
  return %q : tensor<2x4x8x16xf32>
}
