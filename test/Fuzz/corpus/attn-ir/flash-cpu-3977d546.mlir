func.func @gqa_full(%q: tensor<2x4x12x24xf32>, %k: tensor<2x2x40x24xf32>,
    %v: tensor<2x2x40x48xf32>) -> tensor<2x4x12x48xf32> {
  %o0 = tensor.empty() : tensor<2x4x12x48xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<2x4x12x24xf32>, tensor<2x2x40x24xf32>, tensor<2x2x40x48xf32>)
      outs(%o0 : tensor<2x4x12x48xf32>) -> tensor<2x4x12x48xf32>
  return %o : tensor<2x4x12x48xf32>
}
