func.func @kv_append_paged(%k: tensor<2x2x3x4xf32>, %v: tensor<2x2x3x4xf32>,
    %start: tensor<2xi32>, %table: tensor<2x4xi32>, %kc: tensor<8x2x2x4xf32>,
    %vc: tensor<8x2x2x4xf32>) -> (tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<2x2x3x4xf32>, tensor<2x2x3x4xf32>)
      at(%start : tensor<2xi32>) block_table(%table : tensor<2x4xi32>)
      outs(%kc, %vc : tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>)
      -> tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>
  return %kc1, %vc1 : tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>
}
