func.func private @project(%x: tensor<2x3x8xf32>, %wq: tensor<8x8xf32>,
    %wk: tensor<8x4xf32>, %wv: tensor<8x2xf32>)
    -> (tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>) {
  %q0 = tensor.empty() : tensor<2x2x3x4xf32>
  %k0 = tensor.empty() : tensor<2x1x3x4xf32>
  %v0 = tensor.empty() : tensor<2x1x3x2xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<2x3x8xf32>)
      weights(%wq, %wk, %wv : tensor<8x8xf32>, tensor<8x4xf32>, tensor<8x2xf32>)
      outs(%q0, %k0, %v0 : tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>)
      -> tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>
  return %q, %k, %v : tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>
}
func.func @qkv_proj(%x: tensor<2x3x8xf32>, %wq: tensor<8x8xf32>,
    %wk: tensor<8x4xf32>, %wv: tensor<8x2xf32>)
    -> (tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>) {
  %q, %k, %v = func.call @project(%x, %wq, %wk, %wv)
      : (tensor<2x3x8xf32>, tensor<8x8xf32>, tensor<8x4xf32>, tensor<8x2xf32>)
      -> (tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>)
  return %q, %k, %v : tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x2xf32>
}
