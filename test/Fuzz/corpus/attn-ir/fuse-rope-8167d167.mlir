func.func @fused_scaling(%x: tensor<1x6x32xf32>, %w: tensor<128x32xf32>, %pos: tensor<6xi64>)
    -> (tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>) {
  %q0 = tensor.empty() : tensor<1x2x6x32xf32>
  %k0 = tensor.empty() : tensor<1x1x6x32xf32>
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x6x32xf32>)
      weights(%w : tensor<128x32xf32>)
      outs(%q0, %k0, %k0 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<1x1x6x32xf32>
  %qr, %kr = attn.rope half scaling(llama3 factor(8.0) low_freq_factor(1.0)
          high_freq_factor(4.0) original_max_positions(8192.0))
      ins(%q, %k, %pos : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>, tensor<6xi64>)
      outs(%q0, %k0 : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>)
      -> tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>
  return %qr, %kr : tensor<1x2x6x32xf32>, tensor<1x1x6x32xf32>
}
