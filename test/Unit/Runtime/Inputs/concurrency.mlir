// The functions ConcurrencyTest calls from several threads at once: causal
// attention (the fused flash kernel: OpenMP-parallel tiles, temporaries of
// its own), and the same through the unfused reference decomposition
// pieces (a matmul, a masked softmax) that allocate full-size temporaries.

func.func @attention(%q: tensor<1x4x96x32xf32>, %k: tensor<1x4x96x32xf32>,
    %v: tensor<1x4x96x32xf32>) -> tensor<1x4x96x32xf32> {
  %o0 = tensor.empty() : tensor<1x4x96x32xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x4x96x32xf32>, tensor<1x4x96x32xf32>, tensor<1x4x96x32xf32>)
      outs(%o0 : tensor<1x4x96x32xf32>) -> tensor<1x4x96x32xf32>
  return %o : tensor<1x4x96x32xf32>
}
