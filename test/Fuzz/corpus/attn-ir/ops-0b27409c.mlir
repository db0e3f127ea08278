func.func @rope_scaling(%x: tensor<1x8x64xf32>, %w: tensor<128x64xf32>,
    %pos: tensor<8xi64>, %q0: tensor<1x2x8x32xf32>, %k0: tensor<1x1x8x32xf32>)
    -> (tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>) {
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x8x64xf32>)
      weights(%w : tensor<128x64xf32>)
      rope half theta(5.0e+05) scaling(llama3 factor(8.0) low_freq_factor(1.0)
          high_freq_factor(4.0) original_max_positions(8192.0))
      positions(%pos : tensor<8xi64>)
      outs(%q0, %k0, %k0 : tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>, tensor<1x1x8x32xf32>)
      -> tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>, tensor<1x1x8x32xf32>
  %q1, %k1 = attn.rope half scaling(linear factor(4.0))
      ins(%q, %k, %pos : tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>, tensor<8xi64>)
      outs(%q0, %k0 : tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>)
      -> tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>
  return %q, %q1 : tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>
}
