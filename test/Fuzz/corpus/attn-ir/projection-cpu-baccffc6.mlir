func.func @unsupported(%x: tensor<1x5x40xf32>, %w: tensor<40x120xf32>,
    %xh: tensor<1x5x64xf16>, %wh: tensor<64x128xf16>)
    -> (tensor<1x2x5x20xf32>, tensor<1x2x5x32xf16>) {
  %q0 = tensor.empty() : tensor<1x2x5x20xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x5x40xf32>)
      weights(%w : tensor<40x120xf32>)
      outs(%q0, %q0, %q0 : tensor<1x2x5x20xf32>, tensor<1x2x5x20xf32>, tensor<1x2x5x20xf32>)
      -> tensor<1x2x5x20xf32>, tensor<1x2x5x20xf32>, tensor<1x2x5x20xf32>
  %h0 = tensor.empty() : tensor<1x2x5x32xf16>
  %h1 = tensor.empty() : tensor<1x1x5x32xf16>
  %qh, %kh, %vh = attn.qkv_proj ins(%xh : tensor<1x5x64xf16>)
      weights(%wh : tensor<64x128xf16>)
      outs(%h0, %h1, %h1 : tensor<1x2x5x32xf16>, tensor<1x1x5x32xf16>, tensor<1x1x5x32xf16>)
      -> tensor<1x2x5x32xf16>, tensor<1x1x5x32xf16>, tensor<1x1x5x32xf16>
  return %q, %qh : tensor<1x2x5x20xf32>, tensor<1x2x5x32xf16>
}
