func.func @kv_append_contiguous(%k: tensor<2x2x3x4xf32>, %v: tensor<2x2x3x4xf32>,
    %start: tensor<2xi64>, %kc: tensor<2x2x16x4xf32>, %vc: tensor<2x2x16x4xf32>)
    -> (tensor<2x2x16x4xf32>, tensor<2x2x16x4xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<2x2x3x4xf32>, tensor<2x2x3x4xf32>)
      at(%start : tensor<2xi64>)
      outs(%kc, %vc : tensor<2x2x16x4xf32>, tensor<2x2x16x4xf32>)
      -> tensor<2x2x16x4xf32>, tensor<2x2x16x4xf32>
  return %kc1, %vc1 : tensor<2x2x16x4xf32>, tensor<2x2x16x4xf32>
}
