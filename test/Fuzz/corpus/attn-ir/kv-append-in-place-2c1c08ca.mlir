func.func @append(%k: tensor<2x4x1x64xf32>, %v: tensor<2x4x1x64xf32>,
    %pos: tensor<2xi32>, %kc: tensor<2x4x4096x64xf32>,
    %vc: tensor<2x4x4096x64xf32>)
    -> (tensor<2x4x4096x64xf32>, tensor<2x4x4096x64xf32>) {
  %a, %b = attn.kv_append ins(%k, %v : tensor<2x4x1x64xf32>, tensor<2x4x1x64xf32>)
      at(%pos : tensor<2xi32>)
      outs(%kc, %vc : tensor<2x4x4096x64xf32>, tensor<2x4x4096x64xf32>)
      -> tensor<2x4x4096x64xf32>, tensor<2x4x4096x64xf32>
  return %a, %b : tensor<2x4x4096x64xf32>, tensor<2x4x4096x64xf32>
}

func.func @append_paged(%k: tensor<2x4x3x64xf32>, %v: tensor<2x4x3x64xf32>,
    %pos: tensor<2xi32>, %table: tensor<2x16xi32>,
    %kc: tensor<64x4x16x64xf32>, %vc: tensor<64x4x16x64xf32>)
    -> (tensor<64x4x16x64xf32>, tensor<64x4x16x64xf32>) {
  %a, %b = attn.kv_append ins(%k, %v : tensor<2x4x3x64xf32>, tensor<2x4x3x64xf32>)
      at(%pos : tensor<2xi32>) block_table(%table : tensor<2x16xi32>)
      outs(%kc, %vc : tensor<64x4x16x64xf32>, tensor<64x4x16x64xf32>)
      -> tensor<64x4x16x64xf32>, tensor<64x4x16x64xf32>
  return %a, %b : tensor<64x4x16x64xf32>, tensor<64x4x16x64xf32>
}
