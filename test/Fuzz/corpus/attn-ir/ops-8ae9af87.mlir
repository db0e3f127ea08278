func.func @qkv_proj_separate(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>,
    %wk: tensor<64x32xf32>, %wv: tensor<64x32xf32>) -> tensor<2x4x16x16xf32> {
  %q0 = tensor.empty() : tensor<2x4x16x16xf32>
  %k0 = tensor.empty() : tensor<2x2x16x16xf32>
  %v0 = tensor.empty() : tensor<2x2x16x16xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<2x16x64xf32>)
      weights(%wq, %wk, %wv : tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>)
      outs(%q0, %k0, %v0 : tensor<2x4x16x16xf32>, tensor<2x2x16x16xf32>, tensor<2x2x16x16xf32>)
      -> tensor<2x4x16x16xf32>, tensor<2x2x16x16xf32>, tensor<2x2x16x16xf32>
  return %q : tensor<2x4x16x16xf32>
}
