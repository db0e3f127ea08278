func.func @kv_append_contiguous(%k: tensor<2x8x1x64xf32>, %v: tensor<2x8x1x64xf32>,
    %start: tensor<2xi64>, %kc: tensor<2x8x4096x64xf32>, %vc: tensor<2x8x4096x64xf32>)
    -> (tensor<2x8x4096x64xf32>, tensor<2x8x4096x64xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<2x8x1x64xf32>, tensor<2x8x1x64xf32>)
      at(%start : tensor<2xi64>)
      outs(%kc, %vc : tensor<2x8x4096x64xf32>, tensor<2x8x4096x64xf32>)
      -> tensor<2x8x4096x64xf32>, tensor<2x8x4096x64xf32>
  return %kc1, %vc1 : tensor<2x8x4096x64xf32>, tensor<2x8x4096x64xf32>
}
