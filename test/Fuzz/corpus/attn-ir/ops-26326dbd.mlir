func.func @kv_append_paged(%k: tensor<1x8x5x64xf16>, %v: tensor<1x8x5x32xf16>,
    %start: tensor<1xi32>, %table: tensor<1x64xi32>,
    %kc: tensor<256x8x16x64xf16>, %vc: tensor<256x8x16x32xf16>)
    -> (tensor<256x8x16x64xf16>, tensor<256x8x16x32xf16>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x8x5x64xf16>, tensor<1x8x5x32xf16>)
      at(%start : tensor<1xi32>) block_table(%table : tensor<1x64xi32>)
      outs(%kc, %vc : tensor<256x8x16x64xf16>, tensor<256x8x16x32xf16>)
      -> tensor<256x8x16x64xf16>, tensor<256x8x16x32xf16>
  return %kc1, %vc1 : tensor<256x8x16x64xf16>, tensor<256x8x16x32xf16>
}
