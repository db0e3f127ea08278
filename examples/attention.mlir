// Multi-head attention at the P1 benchmark shape (B=1, H=12, S=512, D=64):
// the whole computation, as a user writes it for `attnc-run call`.
//
//   attnc-run call examples/attention.mlir --function attention_causal \
//       --input @q.npy --input @k.npy --input @v.npy --output @o.npy

func.func @attention(%q: tensor<1x12x512x64xf32>, %k: tensor<1x12x512x64xf32>,
    %v: tensor<1x12x512x64xf32>) -> tensor<1x12x512x64xf32> {
  %o0 = tensor.empty() : tensor<1x12x512x64xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x12x512x64xf32>, tensor<1x12x512x64xf32>, tensor<1x12x512x64xf32>)
      outs(%o0 : tensor<1x12x512x64xf32>) -> tensor<1x12x512x64xf32>
  return %o : tensor<1x12x512x64xf32>
}

func.func @attention_causal(%q: tensor<1x12x512x64xf32>, %k: tensor<1x12x512x64xf32>,
    %v: tensor<1x12x512x64xf32>) -> tensor<1x12x512x64xf32> {
  %o0 = tensor.empty() : tensor<1x12x512x64xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x12x512x64xf32>, tensor<1x12x512x64xf32>, tensor<1x12x512x64xf32>)
      outs(%o0 : tensor<1x12x512x64xf32>) -> tensor<1x12x512x64xf32>
  return %o : tensor<1x12x512x64xf32>
}
