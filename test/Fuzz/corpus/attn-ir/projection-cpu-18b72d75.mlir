func.func @out_in_separate(%x: tensor<1x5x64xf32>, %wq: tensor<64x64xf32>,
    %wk: tensor<32x64xf32>, %wv: tensor<32x64xf32>)
    -> (tensor<1x2x5x32xf32>, tensor<1x1x5x32xf32>, tensor<1x1x5x32xf32>) {
  %q0 = tensor.empty() : tensor<1x2x5x32xf32>
  %k0 = tensor.empty() : tensor<1x1x5x32xf32>
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x5x64xf32>)
      weights(%wq, %wk, %wv : tensor<64x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>)
      outs(%q0, %k0, %k0 : tensor<1x2x5x32xf32>, tensor<1x1x5x32xf32>, tensor<1x1x5x32xf32>)
      -> tensor<1x2x5x32xf32>, tensor<1x1x5x32xf32>, tensor<1x1x5x32xf32>
  return %q, %k, %v : tensor<1x2x5x32xf32>, tensor<1x1x5x32xf32>, tensor<1x1x5x32xf32>
}
