// The attention half of a Llama-style decoder layer in the attn dialect:
// fused-free Q/K/V projection (weights stored [out, in] as in a Hugging Face
// checkpoint), rotary embedding, causal grouped-query attention (8 query
// heads over 2 key/value heads) with a padding mask, and the output
// projection.
//
//   attnc-opt examples/attention_block.mlir --attn-decompose
//
// lowers it through the reference path.

func.func @attention_block(%x: tensor<1x128x512xf32>,
    %wq: tensor<512x512xf32>, %wk: tensor<128x512xf32>, %wv: tensor<128x512xf32>,
    %wo: tensor<512x512xf32>, %positions: tensor<1x128xi64>,
    %padding: tensor<1x1x1x128xi1>) -> tensor<1x128x512xf32> {
  %q0 = tensor.empty() : tensor<1x8x128x64xf32>
  %k0 = tensor.empty() : tensor<1x2x128x64xf32>
  %v0 = tensor.empty() : tensor<1x2x128x64xf32>
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x128x512xf32>)
      weights(%wq, %wk, %wv : tensor<512x512xf32>, tensor<128x512xf32>, tensor<128x512xf32>)
      outs(%q0, %k0, %v0 : tensor<1x8x128x64xf32>, tensor<1x2x128x64xf32>, tensor<1x2x128x64xf32>)
      -> tensor<1x8x128x64xf32>, tensor<1x2x128x64xf32>, tensor<1x2x128x64xf32>

  %qr0 = tensor.empty() : tensor<1x8x128x64xf32>
  %kr0 = tensor.empty() : tensor<1x2x128x64xf32>
  %qr, %kr = attn.rope half theta(500000.0)
      ins(%q, %k, %positions : tensor<1x8x128x64xf32>, tensor<1x2x128x64xf32>, tensor<1x128xi64>)
      outs(%qr0, %kr0 : tensor<1x8x128x64xf32>, tensor<1x2x128x64xf32>)
      -> tensor<1x8x128x64xf32>, tensor<1x2x128x64xf32>

  %o0 = tensor.empty() : tensor<1x8x128x64xf32>
  %o = attn.attention causal
      ins(%qr, %kr, %v : tensor<1x8x128x64xf32>, tensor<1x2x128x64xf32>, tensor<1x2x128x64xf32>)
      mask(%padding : tensor<1x1x1x128xi1>)
      outs(%o0 : tensor<1x8x128x64xf32>) -> tensor<1x8x128x64xf32>

  %y0 = tensor.empty() : tensor<1x128x512xf32>
  %y = attn.out_proj layout(out_in) ins(%o : tensor<1x8x128x64xf32>)
      weight(%wo : tensor<512x512xf32>)
      outs(%y0 : tensor<1x128x512xf32>) -> tensor<1x128x512xf32>
  return %y : tensor<1x128x512xf32>
}
