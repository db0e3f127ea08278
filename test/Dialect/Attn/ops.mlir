// RUN: attnc-opt %s -split-input-file | FileCheck %s
// Verify the printed output can be parsed.
// RUN: attnc-opt %s -split-input-file | attnc-opt -split-input-file | FileCheck %s
// Verify the generic form can be parsed.
// RUN: attnc-opt %s -split-input-file -mlir-print-op-generic | attnc-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func @qkv_proj_separate
func.func @qkv_proj_separate(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>,
    %wk: tensor<64x32xf32>, %wv: tensor<64x32xf32>) -> tensor<2x4x16x16xf32> {
  %q0 = tensor.empty() : tensor<2x4x16x16xf32>
  %k0 = tensor.empty() : tensor<2x2x16x16xf32>
  %v0 = tensor.empty() : tensor<2x2x16x16xf32>
  // CHECK: attn.qkv_proj ins(%{{.*}} : tensor<2x16x64xf32>)
  // CHECK-SAME: weights(%{{.*}}, %{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>)
  // CHECK-SAME: outs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x4x16x16xf32>, tensor<2x2x16x16xf32>, tensor<2x2x16x16xf32>)
  // CHECK-SAME: -> tensor<2x4x16x16xf32>, tensor<2x2x16x16xf32>, tensor<2x2x16x16xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<2x16x64xf32>)
      weights(%wq, %wk, %wv : tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>)
      outs(%q0, %k0, %v0 : tensor<2x4x16x16xf32>, tensor<2x2x16x16xf32>, tensor<2x2x16x16xf32>)
      -> tensor<2x4x16x16xf32>, tensor<2x2x16x16xf32>, tensor<2x2x16x16xf32>
  return %q : tensor<2x4x16x16xf32>
}

// -----

// CHECK-LABEL: func @qkv_proj_rope_epilogue
func.func @qkv_proj_rope_epilogue(%x: tensor<1x?x64xf32>, %w: tensor<128x64xf32>,
    %pos: tensor<?xi32>, %q0: tensor<1x2x?x32xf32>, %k0: tensor<1x1x?x32xf32>,
    %v0: tensor<1x1x?x32xf32>) -> tensor<1x2x?x32xf32> {
  // CHECK: attn.qkv_proj layout(out_in) ins(%{{.*}} : tensor<1x?x64xf32>)
  // CHECK-SAME: weights(%{{.*}} : tensor<128x64xf32>)
  // CHECK-SAME: rope interleaved theta(5.000000e+05) rotary_dim(16) positions(%{{.*}} : tensor<?xi32>)
  // CHECK-SAME: outs(
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x?x64xf32>)
      weights(%w : tensor<128x64xf32>)
      rope interleaved theta(5.0e+05) rotary_dim(16) positions(%pos : tensor<?xi32>)
      outs(%q0, %k0, %v0 : tensor<1x2x?x32xf32>, tensor<1x1x?x32xf32>, tensor<1x1x?x32xf32>)
      -> tensor<1x2x?x32xf32>, tensor<1x1x?x32xf32>, tensor<1x1x?x32xf32>
  return %q : tensor<1x2x?x32xf32>
}

// CHECK-LABEL: func @qkv_proj_rope_epilogue_defaults
func.func @qkv_proj_rope_epilogue_defaults(%x: tensor<2x8x64xf32>,
    %wq: tensor<64x64xf32>, %wk: tensor<64x32xf32>, %wv: tensor<64x32xf32>,
    %pos: tensor<2x8xi64>) -> tensor<2x4x8x16xf32> {
  %q0 = tensor.empty() : tensor<2x4x8x16xf32>
  %k0 = tensor.empty() : tensor<2x2x8x16xf32>
  // CHECK: attn.qkv_proj ins(
  // CHECK-SAME: rope half positions(%{{.*}} : tensor<2x8xi64>) outs(
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<2x8x64xf32>)
      weights(%wq, %wk, %wv : tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>)
      rope half positions(%pos : tensor<2x8xi64>)
      outs(%q0, %k0, %k0 : tensor<2x4x8x16xf32>, tensor<2x2x8x16xf32>, tensor<2x2x8x16xf32>)
      -> tensor<2x4x8x16xf32>, tensor<2x2x8x16xf32>, tensor<2x2x8x16xf32>
  return %q : tensor<2x4x8x16xf32>
}

// -----

// RoPE frequency scaling on the epilogue and on attn.rope round-trips.
// CHECK-LABEL: func @rope_scaling
func.func @rope_scaling(%x: tensor<1x8x64xf32>, %w: tensor<128x64xf32>,
    %pos: tensor<8xi64>, %q0: tensor<1x2x8x32xf32>, %k0: tensor<1x1x8x32xf32>)
    -> (tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>) {
  // CHECK: rope half theta(5.000000e+05) scaling(llama3 factor(8.000000e+00) low_freq_factor(1.000000e+00) high_freq_factor(4.000000e+00) original_max_positions(8.192000e+03)) positions(
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x8x64xf32>)
      weights(%w : tensor<128x64xf32>)
      rope half theta(5.0e+05) scaling(llama3 factor(8.0) low_freq_factor(1.0)
          high_freq_factor(4.0) original_max_positions(8192.0))
      positions(%pos : tensor<8xi64>)
      outs(%q0, %k0, %k0 : tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>, tensor<1x1x8x32xf32>)
      -> tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>, tensor<1x1x8x32xf32>
  // CHECK: attn.rope half scaling(linear factor(4.000000e+00)) ins(
  %q1, %k1 = attn.rope half scaling(linear factor(4.0))
      ins(%q, %k, %pos : tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>, tensor<8xi64>)
      outs(%q0, %k0 : tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>)
      -> tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>
  return %q, %q1 : tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>
}

// -----

// CHECK-LABEL: func @qkv_proj_fused_bias_transposed
func.func @qkv_proj_fused_bias_transposed(%x: tensor<1x8x48xbf16>,
    %w: tensor<144x48xbf16>, %b: tensor<144xbf16>) -> tensor<1x3x8x16xbf16> {
  %q0 = tensor.empty() : tensor<1x3x8x16xbf16>
  %k0 = tensor.empty() : tensor<1x3x8x16xbf16>
  %v0 = tensor.empty() : tensor<1x3x8x16xbf16>
  // CHECK: attn.qkv_proj layout(out_in) ins(%{{.*}} : tensor<1x8x48xbf16>)
  // CHECK-SAME: weights(%{{.*}} : tensor<144x48xbf16>) biases(%{{.*}} : tensor<144xbf16>)
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x8x48xbf16>)
      weights(%w : tensor<144x48xbf16>) biases(%b : tensor<144xbf16>)
      outs(%q0, %k0, %v0 : tensor<1x3x8x16xbf16>, tensor<1x3x8x16xbf16>, tensor<1x3x8x16xbf16>)
      -> tensor<1x3x8x16xbf16>, tensor<1x3x8x16xbf16>, tensor<1x3x8x16xbf16>
  return %q : tensor<1x3x8x16xbf16>
}

// -----

// CHECK-LABEL: func @qkv_proj_dynamic_sequence
func.func @qkv_proj_dynamic_sequence(%x: tensor<?x?x64xf16>, %wq: tensor<64x64xf16>,
    %wk: tensor<64x64xf16>, %wv: tensor<64x32xf16>, %bq: tensor<64xf16>,
    %bk: tensor<64xf16>, %bv: tensor<32xf16>, %q0: tensor<?x4x?x16xf16>,
    %k0: tensor<?x4x?x16xf16>, %v0: tensor<?x4x?x8xf16>) -> tensor<?x4x?x8xf16> {
  // CHECK: attn.qkv_proj ins(%{{.*}} : tensor<?x?x64xf16>)
  // CHECK-SAME: biases(%{{.*}}, %{{.*}}, %{{.*}} : tensor<64xf16>, tensor<64xf16>, tensor<32xf16>)
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<?x?x64xf16>)
      weights(%wq, %wk, %wv : tensor<64x64xf16>, tensor<64x64xf16>, tensor<64x32xf16>)
      biases(%bq, %bk, %bv : tensor<64xf16>, tensor<64xf16>, tensor<32xf16>)
      outs(%q0, %k0, %v0 : tensor<?x4x?x16xf16>, tensor<?x4x?x16xf16>, tensor<?x4x?x8xf16>)
      -> tensor<?x4x?x16xf16>, tensor<?x4x?x16xf16>, tensor<?x4x?x8xf16>
  return %v : tensor<?x4x?x8xf16>
}

// -----

// CHECK-LABEL: func @rope_half
func.func @rope_half(%q: tensor<1x8x16x64xf32>, %k: tensor<1x2x16x64xf32>,
    %pos: tensor<1x16xi64>) -> tensor<1x8x16x64xf32> {
  %q0 = tensor.empty() : tensor<1x8x16x64xf32>
  %k0 = tensor.empty() : tensor<1x2x16x64xf32>
  // CHECK: attn.rope half ins(
  // CHECK-NOT: theta
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>, tensor<1x16xi64>)
      outs(%q0, %k0 : tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>)
      -> tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>
  return %q1 : tensor<1x8x16x64xf32>
}

// -----

// CHECK-LABEL: func @rope_interleaved_partial
func.func @rope_interleaved_partial(%q: tensor<2x4x?x32xf16>, %k: tensor<2x4x?x32xf16>,
    %pos: tensor<?xi32>, %q0: tensor<2x4x?x32xf16>, %k0: tensor<2x4x?x32xf16>)
    -> tensor<2x4x?x32xf16> {
  // CHECK: attn.rope interleaved theta(5.000000e+05) rotary_dim(16) ins(
  // CHECK-SAME: tensor<?xi32>
  %q1, %k1 = attn.rope interleaved theta(500000.0) rotary_dim(16)
      ins(%q, %k, %pos : tensor<2x4x?x32xf16>, tensor<2x4x?x32xf16>, tensor<?xi32>)
      outs(%q0, %k0 : tensor<2x4x?x32xf16>, tensor<2x4x?x32xf16>)
      -> tensor<2x4x?x32xf16>, tensor<2x4x?x32xf16>
  return %k1 : tensor<2x4x?x32xf16>
}

// -----

// CHECK-LABEL: func @attention_plain
func.func @attention_plain(%q: tensor<1x12x64x64xf32>, %k: tensor<1x12x64x64xf32>,
    %v: tensor<1x12x64x64xf32>) -> tensor<1x12x64x64xf32> {
  %o0 = tensor.empty() : tensor<1x12x64x64xf32>
  // CHECK: attn.attention ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x12x64x64xf32>, tensor<1x12x64x64xf32>, tensor<1x12x64x64xf32>)
  // CHECK-SAME: outs(%{{.*}} : tensor<1x12x64x64xf32>) -> tensor<1x12x64x64xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x12x64x64xf32>, tensor<1x12x64x64xf32>, tensor<1x12x64x64xf32>)
      outs(%o0 : tensor<1x12x64x64xf32>) -> tensor<1x12x64x64xf32>
  return %o : tensor<1x12x64x64xf32>
}

// -----

// CHECK-LABEL: func @attention_all_attributes_gqa_padding_mask
func.func @attention_all_attributes_gqa_padding_mask(%q: tensor<2x8x16x64xf16>,
    %k: tensor<2x2x32x64xf16>, %v: tensor<2x2x32x48xf16>,
    %m: tensor<2x1x1x32xi1>) -> tensor<2x8x16x48xf16> {
  %o0 = tensor.empty() : tensor<2x8x16x48xf16>
  // CHECK: attn.attention causal window(8) softcap(3.000000e+01) scale(1.250000e-01)
  // CHECK-SAME: mask(%{{.*}} : tensor<2x1x1x32xi1>)
  %o = attn.attention causal window(8) softcap(30.0) scale(0.125)
      ins(%q, %k, %v : tensor<2x8x16x64xf16>, tensor<2x2x32x64xf16>, tensor<2x2x32x48xf16>)
      mask(%m : tensor<2x1x1x32xi1>)
      outs(%o0 : tensor<2x8x16x48xf16>) -> tensor<2x8x16x48xf16>
  return %o : tensor<2x8x16x48xf16>
}

// -----

// CHECK-LABEL: func @attention_mqa_cross_additive_mask
func.func @attention_mqa_cross_additive_mask(%q: tensor<1x4x7x40xbf16>,
    %k: tensor<1x1x129x40xbf16>, %v: tensor<1x1x129x40xbf16>,
    %m: tensor<1x1x7x129xf32>) -> tensor<1x4x7x40xbf16> {
  %o0 = tensor.empty() : tensor<1x4x7x40xbf16>
  // CHECK: attn.attention ins(
  // CHECK-SAME: mask(%{{.*}} : tensor<1x1x7x129xf32>)
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x7x40xbf16>, tensor<1x1x129x40xbf16>, tensor<1x1x129x40xbf16>)
      mask(%m : tensor<1x1x7x129xf32>)
      outs(%o0 : tensor<1x4x7x40xbf16>) -> tensor<1x4x7x40xbf16>
  return %o : tensor<1x4x7x40xbf16>
}

// -----

// CHECK-LABEL: func @attention_dynamic_sequences
func.func @attention_dynamic_sequences(%q: tensor<?x8x?x64xf32>, %k: tensor<?x8x?x64xf32>,
    %v: tensor<?x8x?x64xf32>, %o0: tensor<?x8x?x64xf32>) -> tensor<?x8x?x64xf32> {
  // CHECK: attn.attention causal ins(
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<?x8x?x64xf32>, tensor<?x8x?x64xf32>, tensor<?x8x?x64xf32>)
      outs(%o0 : tensor<?x8x?x64xf32>) -> tensor<?x8x?x64xf32>
  return %o : tensor<?x8x?x64xf32>
}

// -----

// The modifiers parse in any order and print in the canonical one.
// CHECK-LABEL: func @modifiers_any_order
func.func @modifiers_any_order(%q: tensor<1x4x1x8xf32>, %k: tensor<1x2x8x8xf32>,
    %v: tensor<1x2x8x8xf32>, %l: tensor<1xi32>, %s: tensor<1x2x4x4xf32>)
    -> (tensor<1x4x1x8xf32>, tensor<1x4x1x8xf32>, tensor<1x2x4x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x1x8xf32>
  // CHECK: attn.attention causal window(4) softcap(3.000000e+01) scale(1.250000e-01) ins(
  %a = attn.attention scale(0.125) softcap(30.0) window(4) causal
      ins(%q, %k, %v : tensor<1x4x1x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>)
      outs(%o0 : tensor<1x4x1x8xf32>) -> tensor<1x4x1x8xf32>
  // CHECK: attn.decode_attention causal window(2) scale(5.000000e-01) ins(
  %d = attn.decode_attention window(2) scale(0.5) causal
      ins(%q, %k, %v : tensor<1x4x1x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>)
      seq_lens(%l : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x8xf32>) -> tensor<1x4x1x8xf32>
  %p0 = tensor.empty() : tensor<1x2x4x4xf32>
  // CHECK: attn.masked_softmax causal softcap(5.000000e+00) ins(
  %p = attn.masked_softmax softcap(5.0) causal ins(%s : tensor<1x2x4x4xf32>)
      outs(%p0 : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %a, %d, %p : tensor<1x4x1x8xf32>, tensor<1x4x1x8xf32>, tensor<1x2x4x4xf32>
}

// -----

// CHECK-LABEL: func @masked_softmax
func.func @masked_softmax(%s: tensor<1x12x64x64xf32>, %m: tensor<1x1x64x64xi1>)
    -> tensor<1x12x64x64xf32> {
  %p0 = tensor.empty() : tensor<1x12x64x64xf32>
  // CHECK: attn.masked_softmax causal window(16) softcap(5.000000e+01) scale(1.250000e-01)
  // CHECK-SAME: ins(%{{.*}} : tensor<1x12x64x64xf32>) mask(%{{.*}} : tensor<1x1x64x64xi1>)
  %p = attn.masked_softmax causal window(16) softcap(50.0) scale(0.125)
      ins(%s : tensor<1x12x64x64xf32>) mask(%m : tensor<1x1x64x64xi1>)
      outs(%p0 : tensor<1x12x64x64xf32>) -> tensor<1x12x64x64xf32>
  return %p : tensor<1x12x64x64xf32>
}

// -----

// CHECK-LABEL: func @masked_softmax_rank2
func.func @masked_softmax_rank2(%s: tensor<5x9xf16>) -> tensor<5x9xf16> {
  %p0 = tensor.empty() : tensor<5x9xf16>
  // CHECK: attn.masked_softmax ins(%{{.*}} : tensor<5x9xf16>) outs(
  %p = attn.masked_softmax ins(%s : tensor<5x9xf16>)
      outs(%p0 : tensor<5x9xf16>) -> tensor<5x9xf16>
  return %p : tensor<5x9xf16>
}

// -----

// CHECK-LABEL: func @out_proj
func.func @out_proj(%o: tensor<1x12x16x64xf32>, %w: tensor<768x768xf32>,
    %b: tensor<768xf32>) -> tensor<1x16x768xf32> {
  %y0 = tensor.empty() : tensor<1x16x768xf32>
  // CHECK: attn.out_proj ins(%{{.*}} : tensor<1x12x16x64xf32>) weight(%{{.*}} : tensor<768x768xf32>)
  // CHECK-SAME: bias(%{{.*}} : tensor<768xf32>) outs(%{{.*}} : tensor<1x16x768xf32>)
  %y = attn.out_proj ins(%o : tensor<1x12x16x64xf32>)
      weight(%w : tensor<768x768xf32>) bias(%b : tensor<768xf32>)
      outs(%y0 : tensor<1x16x768xf32>) -> tensor<1x16x768xf32>
  return %y : tensor<1x16x768xf32>
}

// -----

// CHECK-LABEL: func @out_proj_transposed_no_bias
func.func @out_proj_transposed_no_bias(%o: tensor<2x4x?x32xf32>, %w: tensor<96x128xf32>,
    %y0: tensor<2x?x96xf32>) -> tensor<2x?x96xf32> {
  // CHECK: attn.out_proj layout(out_in) ins(
  // CHECK-NOT: bias
  %y = attn.out_proj layout(out_in) ins(%o : tensor<2x4x?x32xf32>)
      weight(%w : tensor<96x128xf32>)
      outs(%y0 : tensor<2x?x96xf32>) -> tensor<2x?x96xf32>
  return %y : tensor<2x?x96xf32>
}

// -----

// CHECK-LABEL: func @kv_append_contiguous
func.func @kv_append_contiguous(%k: tensor<2x8x1x64xf32>, %v: tensor<2x8x1x64xf32>,
    %start: tensor<2xi64>, %kc: tensor<2x8x4096x64xf32>, %vc: tensor<2x8x4096x64xf32>)
    -> (tensor<2x8x4096x64xf32>, tensor<2x8x4096x64xf32>) {
  // CHECK: attn.kv_append ins(%{{.*}}, %{{.*}} : tensor<2x8x1x64xf32>, tensor<2x8x1x64xf32>)
  // CHECK-SAME: at(%{{.*}} : tensor<2xi64>) outs(
  // CHECK-NOT: block_table
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<2x8x1x64xf32>, tensor<2x8x1x64xf32>)
      at(%start : tensor<2xi64>)
      outs(%kc, %vc : tensor<2x8x4096x64xf32>, tensor<2x8x4096x64xf32>)
      -> tensor<2x8x4096x64xf32>, tensor<2x8x4096x64xf32>
  return %kc1, %vc1 : tensor<2x8x4096x64xf32>, tensor<2x8x4096x64xf32>
}

// -----

// CHECK-LABEL: func @kv_append_paged
func.func @kv_append_paged(%k: tensor<1x8x5x64xf16>, %v: tensor<1x8x5x32xf16>,
    %start: tensor<1xi32>, %table: tensor<1x64xi32>,
    %kc: tensor<256x8x16x64xf16>, %vc: tensor<256x8x16x32xf16>)
    -> (tensor<256x8x16x64xf16>, tensor<256x8x16x32xf16>) {
  // CHECK: attn.kv_append ins(
  // CHECK-SAME: block_table(%{{.*}} : tensor<1x64xi32>)
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x8x5x64xf16>, tensor<1x8x5x32xf16>)
      at(%start : tensor<1xi32>) block_table(%table : tensor<1x64xi32>)
      outs(%kc, %vc : tensor<256x8x16x64xf16>, tensor<256x8x16x32xf16>)
      -> tensor<256x8x16x64xf16>, tensor<256x8x16x32xf16>
  return %kc1, %vc1 : tensor<256x8x16x64xf16>, tensor<256x8x16x32xf16>
}

// -----

// Low-precision caches: f32 rows rounded into f16/bf16 caches, and an f32
// query attending to them.
// CHECK-LABEL: func @lowp_cache
func.func @lowp_cache(%k: tensor<1x2x1x64xf32>, %v: tensor<1x2x1x64xf32>,
    %q: tensor<1x4x1x64xf32>, %start: tensor<1xi32>, %lens: tensor<1xi32>,
    %kc: tensor<1x2x512x64xbf16>, %vc: tensor<1x2x512x64xbf16>)
    -> tensor<1x4x1x64xf32> {
  // CHECK: attn.kv_append ins(%{{.*}}, %{{.*}} : tensor<1x2x1x64xf32>, tensor<1x2x1x64xf32>)
  // CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<1x2x512x64xbf16>, tensor<1x2x512x64xbf16>)
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x64xf32>, tensor<1x2x1x64xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x512x64xbf16>, tensor<1x2x512x64xbf16>)
      -> tensor<1x2x512x64xbf16>, tensor<1x2x512x64xbf16>
  %o0 = tensor.empty() : tensor<1x4x1x64xf32>
  // CHECK: attn.decode_attention causal ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x4x1x64xf32>, tensor<1x2x512x64xbf16>, tensor<1x2x512x64xbf16>)
  %o = attn.decode_attention causal
      ins(%q, %kc1, %vc1 : tensor<1x4x1x64xf32>, tensor<1x2x512x64xbf16>, tensor<1x2x512x64xbf16>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x64xf32>) -> tensor<1x4x1x64xf32>
  return %o : tensor<1x4x1x64xf32>
}

// -----

// CHECK-LABEL: func @decode_attention_contiguous
func.func @decode_attention_contiguous(%q: tensor<4x32x1x128xf32>,
    %kc: tensor<4x8x4096x128xf32>, %vc: tensor<4x8x4096x128xf32>,
    %lens: tensor<4xi32>) -> tensor<4x32x1x128xf32> {
  %o0 = tensor.empty() : tensor<4x32x1x128xf32>
  // CHECK: attn.decode_attention ins(
  // CHECK-SAME: seq_lens(%{{.*}} : tensor<4xi32>) outs(
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<4x32x1x128xf32>, tensor<4x8x4096x128xf32>, tensor<4x8x4096x128xf32>)
      seq_lens(%lens : tensor<4xi32>)
      outs(%o0 : tensor<4x32x1x128xf32>) -> tensor<4x32x1x128xf32>
  return %o : tensor<4x32x1x128xf32>
}

// -----

// CHECK-LABEL: func @decode_attention_paged_speculative
func.func @decode_attention_paged_speculative(%q: tensor<2x8x4x64xf16>,
    %kc: tensor<512x2x32x64xf16>, %vc: tensor<512x2x32x64xf16>,
    %lens: tensor<2xi64>, %table: tensor<2x128xi32>) -> tensor<2x8x4x64xf16> {
  %o0 = tensor.empty() : tensor<2x8x4x64xf16>
  // CHECK: attn.decode_attention causal window(1024) softcap(5.000000e+01) scale(1.250000e-01) ins(
  // CHECK-SAME: seq_lens(%{{.*}} : tensor<2xi64>) block_table(%{{.*}} : tensor<2x128xi32>)
  %o = attn.decode_attention causal window(1024) softcap(50.0) scale(0.125)
      ins(%q, %kc, %vc : tensor<2x8x4x64xf16>, tensor<512x2x32x64xf16>, tensor<512x2x32x64xf16>)
      seq_lens(%lens : tensor<2xi64>) block_table(%table : tensor<2x128xi32>)
      outs(%o0 : tensor<2x8x4x64xf16>) -> tensor<2x8x4x64xf16>
  return %o : tensor<2x8x4x64xf16>
}

// -----

// f32 activations with bf16 weights (a checkpoint used in place).
// CHECK-LABEL: func @qkv_proj_bf16_weights
// CHECK: attn.qkv_proj layout(out_in) ins(%{{.*}} : tensor<1x8x64xf32>) weights(%{{.*}} : tensor<128x64xbf16>)
func.func @qkv_proj_bf16_weights(%x: tensor<1x8x64xf32>, %w: tensor<128x64xbf16>,
    %q0: tensor<1x2x8x32xf32>, %k0: tensor<1x1x8x32xf32>) -> tensor<1x2x8x32xf32> {
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x8x64xf32>)
      weights(%w : tensor<128x64xbf16>)
      outs(%q0, %k0, %k0 : tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>, tensor<1x1x8x32xf32>)
      -> tensor<1x2x8x32xf32>, tensor<1x1x8x32xf32>, tensor<1x1x8x32xf32>
  return %q : tensor<1x2x8x32xf32>
}
