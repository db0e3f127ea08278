func.func @attention_additive_mask_symmetric_window(%q: tensor<1x1x4x8xf32>,
    %k: tensor<1x1x4x8xf32>, %v: tensor<1x1x4x8xf32>, %m: tensor<1x1x4x4xf16>)
    -> tensor<1x1x4x8xf32> {
  %o0 = tensor.empty() : tensor<1x1x4x8xf32>
  %o = attn.attention window(2)
      ins(%q, %k, %v : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
      mask(%m : tensor<1x1x4x4xf16>)
      outs(%o0 : tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return %o : tensor<1x1x4x8xf32>
}
