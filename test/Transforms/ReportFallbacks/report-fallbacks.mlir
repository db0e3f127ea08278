// Ops that still take the reference lowering say so: with report-fallbacks,
// the pass that leaves an op for attn-decompose (or a linear layer for the
// loops) emits a remark at the op's location naming the op and the reason.
// Each pass, with its option, and the CPU pipeline, with its option, report
// the same remarks; without the option there are none.
//
// RUN: attnc-opt %s -split-input-file -attn-fuse-rope=report-fallbacks=1 \
// RUN:   -attn-projection-cpu=report-fallbacks=1 \
// RUN:   -attn-flash-cpu=report-fallbacks=1 \
// RUN:   -attn-decode-cpu=report-fallbacks=1 \
// RUN:   -attnc-matmul-cpu=report-fallbacks=1 -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=remark
// RUN: attnc-opt %s -split-input-file \
// RUN:   -attnc-cpu-pipeline="vector-width=16 report-fallbacks=1" \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=remark
// RUN: attnc-opt %s -split-input-file -attnc-cpu-pipeline=vector-width=16 \
// RUN:   -o /dev/null 2>&1 | count 0

// The fused kernels take every head dim (24 here: one and a half AVX-512
// vectors): no remark for the demo model's shapes.
func.func @gpt2_layer_d24(%x: tensor<1x9x96xf32>, %w: tensor<96x288xf32>,
    %bias: tensor<288xf32>, %wo: tensor<96x96xf32>, %bo: tensor<96xf32>,
    %kc: tensor<1x4x64x24xf32>, %vc: tensor<1x4x64x24xf32>,
    %lens: tensor<1xi32>) -> (tensor<1x9x96xf32>, tensor<1x4x1x24xf32>) {
  %h0 = tensor.empty() : tensor<1x4x9x24xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x9x96xf32>)
      weights(%w : tensor<96x288xf32>) biases(%bias : tensor<288xf32>)
      outs(%h0, %h0, %h0 : tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>)
      -> tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>, tensor<1x4x9x24xf32>)
      outs(%h0 : tensor<1x4x9x24xf32>) -> tensor<1x4x9x24xf32>
  %y0 = tensor.empty() : tensor<1x9x96xf32>
  %y = attn.out_proj ins(%o : tensor<1x4x9x24xf32>) weight(%wo : tensor<96x96xf32>)
      bias(%bo : tensor<96xf32>) outs(%y0 : tensor<1x9x96xf32>) -> tensor<1x9x96xf32>
  %q1 = tensor.extract_slice %q[0, 0, 8, 0] [1, 4, 1, 24] [1, 1, 1, 1]
      : tensor<1x4x9x24xf32> to tensor<1x4x1x24xf32>
  %d0 = tensor.empty() : tensor<1x4x1x24xf32>
  %d = attn.decode_attention causal
      ins(%q1, %kc, %vc : tensor<1x4x1x24xf32>, tensor<1x4x64x24xf32>, tensor<1x4x64x24xf32>)
      seq_lens(%lens : tensor<1xi32>) outs(%d0 : tensor<1x4x1x24xf32>) -> tensor<1x4x1x24xf32>
  return %y, %d : tensor<1x9x96xf32>, tensor<1x4x1x24xf32>
}

// -----

// CHECK: report-fallbacks.mlir:[[@LINE+5]]:{{[0-9]+}}: remark: attn.qkv_proj takes the reference lowering: only f32 activations are supported so far
func.func @f16_projection(%x: tensor<1x5x64xf16>, %w: tensor<64x128xf16>)
    -> tensor<1x2x5x32xf16> {
  %h0 = tensor.empty() : tensor<1x2x5x32xf16>
  %h1 = tensor.empty() : tensor<1x1x5x32xf16>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x5x64xf16>)
      weights(%w : tensor<64x128xf16>)
      outs(%h0, %h1, %h1 : tensor<1x2x5x32xf16>, tensor<1x1x5x32xf16>, tensor<1x1x5x32xf16>)
      -> tensor<1x2x5x32xf16>, tensor<1x1x5x32xf16>, tensor<1x1x5x32xf16>
  return %q : tensor<1x2x5x32xf16>
}

// -----

// CHECK: report-fallbacks.mlir:[[@LINE+3]]:{{[0-9]+}}: remark: attn.masked_softmax takes the reference lowering: no fused CPU kernel
func.func @masked_softmax(%s: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %p0 = tensor.empty() : tensor<2x3x5xf32>
  %p = attn.masked_softmax causal ins(%s : tensor<2x3x5xf32>)
      outs(%p0 : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %p : tensor<2x3x5xf32>
}

// -----

// CHECK: report-fallbacks.mlir:[[@LINE+5]]:{{[0-9]+}}: remark: attn.rope takes the reference lowering: it does not fold into a projection (queries not from a projection without RoPE)
func.func @rope_alone(%q: tensor<1x2x6x40xf32>, %k: tensor<1x1x6x40xf32>,
    %pos: tensor<6xi64>) -> (tensor<1x2x6x40xf32>, tensor<1x1x6x40xf32>) {
  %q1 = tensor.empty() : tensor<1x2x6x40xf32>
  %k1 = tensor.empty() : tensor<1x1x6x40xf32>
  %qr, %kr = attn.rope half theta(1.0e+04)
      ins(%q, %k, %pos : tensor<1x2x6x40xf32>, tensor<1x1x6x40xf32>, tensor<6xi64>)
      outs(%q1, %k1 : tensor<1x2x6x40xf32>, tensor<1x1x6x40xf32>)
      -> tensor<1x2x6x40xf32>, tensor<1x1x6x40xf32>
  return %qr, %kr : tensor<1x2x6x40xf32>, tensor<1x1x6x40xf32>
}

// -----

// A linear layer with bf16 [out, in] weights and K = 20 (not a multiple of
// 16) stays a loop nest.

// CHECK: report-fallbacks.mlir:[[@LINE+6]]:{{[0-9]+}}: remark: linear layer takes the loop lowering: bf16 [out, in] weights need an input dim that is a multiple of the vector width
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmwt = affine_map<(b, s, n, k) -> (n, k)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @linear_bf16_out_in_k20(%x: tensor<1x4x20xf32>,
    %w: tensor<64x20xbf16>, %init: tensor<1x4x64xf32>) -> tensor<1x4x64xf32> {
  %r = linalg.generic {indexing_maps = [#mmx, #mmwt, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x4x20xf32>, tensor<64x20xbf16>)
      outs(%init : tensor<1x4x64xf32>) {
  ^bb0(%a: f32, %b: bf16, %acc: f32):
    %bw = arith.extf %b : bf16 to f32
    %p = arith.mulf %a, %bw : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x4x64xf32>
  return %r : tensor<1x4x64xf32>
}
