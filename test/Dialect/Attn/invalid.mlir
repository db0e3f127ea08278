// RUN: attnc-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// attn.qkv_proj
//===----------------------------------------------------------------------===//

func.func @qkv_proj_input_rank(%x: tensor<4x16xf32>, %wq: tensor<16x32xf32>,
    %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected input to have rank 3 [B, S, Dm], got rank 2}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_query_init_rank(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x32xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected query_init to have rank 4 [B, Hq, S, D], got rank 3}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x32xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x32xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_key_init_rank(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x4x16xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected key_init to have rank 4 [B, Hkv, S, D], got rank 3}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x4x16xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x4x16xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_value_init_rank(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4x1xf32>
  // expected-error @+1 {{expected value_init to have rank 4 [B, Hkv, S, Dv], got rank 5}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4x1xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4x1xf32>
  return
}

// -----

func.func @qkv_proj_query_init_element_type(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf16>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected query_init element type to be 'f32' as in input, got 'f16'}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf16>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf16>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_key_init_element_type(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xbf16>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected key_init element type to be 'f32' as in input, got 'bf16'}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xbf16>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xbf16>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_value_init_element_type(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf16>
  // expected-error @+1 {{expected value_init element type to be 'f32' as in input, got 'f16'}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf16>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf16>
  return
}

// -----

func.func @qkv_proj_query_init_batch(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<2x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected query_init dimension 0 (B) to be 1 as in input, got 2}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<2x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<2x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_key_init_batch(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<2x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected key_init dimension 0 (B) to be 1 as in input, got 2}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<2x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<2x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_value_init_batch(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<2x2x4x4xf32>
  // expected-error @+1 {{expected value_init dimension 0 (B) to be 1 as in input, got 2}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<2x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<2x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_query_init_dynamic_heads(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>,
    %n: index) {
  %q0 = tensor.empty(%n) : tensor<1x?x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected query_init dimension 1 (Hq) to be static}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x?x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x?x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_key_init_dynamic_heads(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>,
    %n: index) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty(%n) : tensor<1x?x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected key_init dimension 1 (Hkv) to be static}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x?x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x?x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_value_init_dynamic_heads(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>,
    %n: index) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty(%n) : tensor<1x?x4x4xf32>
  // expected-error @+1 {{expected value_init dimension 1 (Hkv) to be static}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x?x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x?x4x4xf32>
  return
}

// -----

func.func @qkv_proj_query_init_seq(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x5x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected query_init dimension 2 (S) to be 4 as in input, got 5}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x5x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x5x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_key_init_seq(%x: tensor<1x4x16xf32>, %wq: tensor<16x32xf32>,
    %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x3x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected key_init dimension 2 (S) to be 4 as in input, got 3}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_value_init_seq(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x8x4xf32>
  // expected-error @+1 {{expected value_init dimension 2 (S) to be 4 as in input, got 8}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>
  return
}

// -----

func.func @qkv_proj_query_init_dynamic_head_dim(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>,
    %n: index) {
  %q0 = tensor.empty(%n) : tensor<1x4x4x?xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected query_init dimension 3 (D) to be static}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x?xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x?xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_key_init_dynamic_head_dim(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>,
    %n: index) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty(%n) : tensor<1x2x4x?xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected key_init dimension 3 (D) to be static}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x?xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x?xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_value_init_dynamic_head_dim(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>,
    %n: index) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty(%n) : tensor<1x2x4x?xf32>
  // expected-error @+1 {{expected value_init dimension 3 (Dv) to be static}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x?xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x?xf32>
  return
}

// -----

func.func @qkv_proj_key_head_dim_mismatch(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x12xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x6xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected key_init dimension 3 (D) to be 8 as in query_init, got 6}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x12xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x6xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x6xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_value_heads_mismatch(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x12xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x3x4x4xf32>
  // expected-error @+1 {{expected value_init dimension 1 (Hkv) to be 2 as in key_init, got 3}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x12xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x3x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x3x4x4xf32>
  return
}

// -----

func.func @qkv_proj_two_weights(%x: tensor<1x4x16xf32>, %wq: tensor<16x32xf32>,
    %wk: tensor<16x24xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected 1 fused weight or 3 separate weights, got 2}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk : tensor<16x32xf32>, tensor<16x24xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_no_weights(%x: tensor<1x4x16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // The custom syntax cannot spell an empty weight list; use the generic form.
  // expected-error @+1 {{expected 1 fused weight or 3 separate weights, got 0}}
  %q, %k, %v = "attn.qkv_proj"(%x, %q0, %k0, %v0)
      <{operandSegmentSizes = array<i32: 1, 0, 0, 1, 1, 1, 0>}>
      : (tensor<1x4x16xf32>, tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>,
         tensor<1x2x4x4xf32>)
      -> (tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @qkv_proj_bias_count_separate(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>,
    %b: tensor<32xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected no biases or one per weight (3), got 1}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      biases(%b : tensor<32xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_bias_count_fused(%x: tensor<1x4x16xf32>,
    %w: tensor<16x56xf32>, %bq: tensor<32xf32>, %bk: tensor<16xf32>,
    %bv: tensor<8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected no biases or one per weight (1), got 3}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%w : tensor<16x56xf32>)
      biases(%bq, %bk, %bv : tensor<32xf32>, tensor<16xf32>, tensor<8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_weight0_rank(%x: tensor<1x4x16xf32>, %wq: tensor<512xf32>,
    %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 0 to have rank 2 [Dm, N], got rank 1}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<512xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_weight1_rank(%x: tensor<1x4x16xf32>, %wq: tensor<16x32xf32>,
    %wk: tensor<1x16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 1 to have rank 2 [Dm, N], got rank 3}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<1x16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_weight2_rank(%x: tensor<1x4x16xf32>, %wq: tensor<16x32xf32>,
    %wk: tensor<16x16xf32>, %wv: tensor<128xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 2 to have rank 2 [Dm, N], got rank 1}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<128xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_weight0_element_type(%x: tensor<1x4x16xf16>,
    %wq: tensor<16x32xbf16>, %wk: tensor<16x16xf16>, %wv: tensor<16x8xf16>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf16>
  %k0 = tensor.empty() : tensor<1x2x4x8xf16>
  %v0 = tensor.empty() : tensor<1x2x4x4xf16>
  // expected-error @+1 {{expected weight 0 element type to be 'f16' as in input, got 'bf16'}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf16>)
      weights(%wq, %wk, %wv : tensor<16x32xbf16>, tensor<16x16xf16>, tensor<16x8xf16>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf16>, tensor<1x2x4x8xf16>, tensor<1x2x4x4xf16>)
      -> tensor<1x4x4x8xf16>, tensor<1x2x4x8xf16>, tensor<1x2x4x4xf16>
  return
}

// -----

func.func @qkv_proj_weight1_element_type(%x: tensor<1x4x16xf16>,
    %wq: tensor<16x32xf16>, %wk: tensor<16x16xbf16>, %wv: tensor<16x8xf16>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf16>
  %k0 = tensor.empty() : tensor<1x2x4x8xf16>
  %v0 = tensor.empty() : tensor<1x2x4x4xf16>
  // expected-error @+1 {{expected weight 1 element type to be 'f16' as in input, got 'bf16'}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf16>)
      weights(%wq, %wk, %wv : tensor<16x32xf16>, tensor<16x16xbf16>, tensor<16x8xf16>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf16>, tensor<1x2x4x8xf16>, tensor<1x2x4x4xf16>)
      -> tensor<1x4x4x8xf16>, tensor<1x2x4x8xf16>, tensor<1x2x4x4xf16>
  return
}

// -----

func.func @qkv_proj_weight2_element_type(%x: tensor<1x4x16xf16>,
    %wq: tensor<16x32xf16>, %wk: tensor<16x16xf16>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf16>
  %k0 = tensor.empty() : tensor<1x2x4x8xf16>
  %v0 = tensor.empty() : tensor<1x2x4x4xf16>
  // expected-error @+1 {{expected weight 2 element type to be 'f16' as in input, got 'f32'}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf16>)
      weights(%wq, %wk, %wv : tensor<16x32xf16>, tensor<16x16xf16>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf16>, tensor<1x2x4x8xf16>, tensor<1x2x4x4xf16>)
      -> tensor<1x4x4x8xf16>, tensor<1x2x4x8xf16>, tensor<1x2x4x4xf16>
  return
}

// -----

func.func @qkv_proj_weight0_model_dim(%x: tensor<1x4x16xf32>,
    %wq: tensor<32x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 0 dimension 0 (Dm) to be 16 as in input, got 32}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<32x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_weight1_model_dim(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<8x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 1 dimension 0 (Dm) to be 16 as in input, got 8}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<8x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_weight2_model_dim(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<4x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 2 dimension 0 (Dm) to be 16 as in input, got 4}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<4x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

// N of the query weight is Hq * D = 4 * 8.
func.func @qkv_proj_weight0_columns(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 0 dimension 1 (N) to be 32 as in Hq * D of query_init, got 16}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

// N of the key weight is Hkv * D = 2 * 8.
func.func @qkv_proj_weight1_columns(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x32xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 1 dimension 1 (N) to be 16 as in Hkv * D of key_init, got 32}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x32xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

// N of the value weight is Hkv * Dv = 2 * 4.
func.func @qkv_proj_weight2_columns(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 2 dimension 1 (N) to be 8 as in Hkv * Dv of value_init, got 16}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x16xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_out_in_weight0_rank(%x: tensor<1x4x16xf32>,
    %wq: tensor<32x16x1xf32>, %wk: tensor<16x16xf32>, %wv: tensor<8x16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 0 to have rank 2 [N, Dm], got rank 3}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<32x16x1xf32>, tensor<16x16xf32>, tensor<8x16xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_out_in_weight1_rank(%x: tensor<1x4x16xf32>,
    %wq: tensor<32x16xf32>, %wk: tensor<256xf32>, %wv: tensor<8x16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 1 to have rank 2 [N, Dm], got rank 1}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<32x16xf32>, tensor<256xf32>, tensor<8x16xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_out_in_weight2_rank(%x: tensor<1x4x16xf32>,
    %wq: tensor<32x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<128xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 2 to have rank 2 [N, Dm], got rank 1}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<32x16xf32>, tensor<16x16xf32>, tensor<128xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_out_in_weight0_element_type(%x: tensor<1x4x16xf16>,
    %wq: tensor<32x16xbf16>, %wk: tensor<16x16xf16>, %wv: tensor<8x16xf16>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf16>
  %k0 = tensor.empty() : tensor<1x2x4x8xf16>
  %v0 = tensor.empty() : tensor<1x2x4x4xf16>
  // expected-error @+1 {{expected weight 0 element type to be 'f16' as in input, got 'bf16'}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf16>)
      weights(%wq, %wk, %wv : tensor<32x16xbf16>, tensor<16x16xf16>, tensor<8x16xf16>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf16>, tensor<1x2x4x8xf16>, tensor<1x2x4x4xf16>)
      -> tensor<1x4x4x8xf16>, tensor<1x2x4x8xf16>, tensor<1x2x4x4xf16>
  return
}

// -----

// A weight in the in_out shape is rejected with layout(out_in).
func.func @qkv_proj_out_in_weight0_model_dim(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<8x16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 0 dimension 1 (Dm) to be 16 as in input, got 32}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<8x16xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_out_in_weight1_model_dim(%x: tensor<1x4x16xf32>,
    %wq: tensor<32x16xf32>, %wk: tensor<16x8xf32>, %wv: tensor<8x16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 1 dimension 1 (Dm) to be 16 as in input, got 8}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<32x16xf32>, tensor<16x8xf32>, tensor<8x16xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_out_in_weight2_model_dim(%x: tensor<1x4x16xf32>,
    %wq: tensor<32x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<8x12xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 2 dimension 1 (Dm) to be 16 as in input, got 12}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<32x16xf32>, tensor<16x16xf32>, tensor<8x12xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_out_in_weight0_columns(%x: tensor<1x4x16xf32>,
    %wq: tensor<24x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<8x16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 0 dimension 0 (N) to be 32 as in Hq * D of query_init, got 24}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<24x16xf32>, tensor<16x16xf32>, tensor<8x16xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_out_in_weight1_columns(%x: tensor<1x4x16xf32>,
    %wq: tensor<32x16xf32>, %wk: tensor<8x16xf32>, %wv: tensor<8x16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 1 dimension 0 (N) to be 16 as in Hkv * D of key_init, got 8}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<32x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_out_in_weight2_columns(%x: tensor<1x4x16xf32>,
    %wq: tensor<32x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 2 dimension 0 (N) to be 8 as in Hkv * Dv of value_init, got 16}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<32x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_fused_weight_rank(%x: tensor<1x4x16xf32>,
    %w: tensor<1x16x56xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 0 to have rank 2 [Dm, N], got rank 3}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%w : tensor<1x16x56xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_fused_weight_element_type(%x: tensor<1x4x16xf16>,
    %w: tensor<16x56xbf16>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf16>
  %k0 = tensor.empty() : tensor<1x2x4x8xf16>
  %v0 = tensor.empty() : tensor<1x2x4x4xf16>
  // expected-error @+1 {{expected weight 0 element type to be 'f16' as in input, got 'bf16'}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf16>)
      weights(%w : tensor<16x56xbf16>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf16>, tensor<1x2x4x8xf16>, tensor<1x2x4x4xf16>)
      -> tensor<1x4x4x8xf16>, tensor<1x2x4x8xf16>, tensor<1x2x4x4xf16>
  return
}

// -----

func.func @qkv_proj_fused_weight_model_dim(%x: tensor<1x4x16xf32>,
    %w: tensor<56x16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 0 dimension 0 (Dm) to be 16 as in input, got 56}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%w : tensor<56x16xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

// The fused N is Hq * D + Hkv * D + Hkv * Dv = 32 + 16 + 8.
func.func @qkv_proj_fused_weight_columns(%x: tensor<1x4x16xf32>,
    %w: tensor<16x48xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 0 dimension 1 (N) to be 56 as in Hq * D + Hkv * D + Hkv * Dv of the inits, got 48}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%w : tensor<16x48xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_fused_out_in_weight_rank(%x: tensor<1x4x16xf32>,
    %w: tensor<896xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 0 to have rank 2 [N, Dm], got rank 1}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%w : tensor<896xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_fused_out_in_weight_model_dim(%x: tensor<1x4x16xf32>,
    %w: tensor<16x56xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 0 dimension 1 (Dm) to be 16 as in input, got 56}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%w : tensor<16x56xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_fused_out_in_weight_columns(%x: tensor<1x4x16xf32>,
    %w: tensor<64x16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight 0 dimension 0 (N) to be 56 as in Hq * D + Hkv * D + Hkv * Dv of the inits, got 64}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%w : tensor<64x16xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_bias0_rank(%x: tensor<1x4x16xf32>, %wq: tensor<16x32xf32>,
    %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>, %bq: tensor<1x32xf32>,
    %bk: tensor<16xf32>, %bv: tensor<8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected bias 0 to have rank 1 [N], got rank 2}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      biases(%bq, %bk, %bv : tensor<1x32xf32>, tensor<16xf32>, tensor<8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_bias1_rank(%x: tensor<1x4x16xf32>, %wq: tensor<16x32xf32>,
    %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>, %bq: tensor<32xf32>,
    %bk: tensor<2x8xf32>, %bv: tensor<8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected bias 1 to have rank 1 [N], got rank 2}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      biases(%bq, %bk, %bv : tensor<32xf32>, tensor<2x8xf32>, tensor<8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_bias2_rank(%x: tensor<1x4x16xf32>, %wq: tensor<16x32xf32>,
    %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>, %bq: tensor<32xf32>,
    %bk: tensor<16xf32>, %bv: tensor<2x4xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected bias 2 to have rank 1 [N], got rank 2}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      biases(%bq, %bk, %bv : tensor<32xf32>, tensor<16xf32>, tensor<2x4xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_bias0_element_type(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>,
    %bq: tensor<32xf16>, %bk: tensor<16xf32>, %bv: tensor<8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected bias 0 element type to be 'f32' as in input, got 'f16'}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      biases(%bq, %bk, %bv : tensor<32xf16>, tensor<16xf32>, tensor<8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_bias1_element_type(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>,
    %bq: tensor<32xf32>, %bk: tensor<16xbf16>, %bv: tensor<8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected bias 1 element type to be 'f32' as in input, got 'bf16'}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      biases(%bq, %bk, %bv : tensor<32xf32>, tensor<16xbf16>, tensor<8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_bias2_element_type(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>,
    %bq: tensor<32xf32>, %bk: tensor<16xf32>, %bv: tensor<8xf16>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected bias 2 element type to be 'f32' as in input, got 'f16'}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      biases(%bq, %bk, %bv : tensor<32xf32>, tensor<16xf32>, tensor<8xf16>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_bias0_size(%x: tensor<1x4x16xf32>, %wq: tensor<16x32xf32>,
    %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>, %bq: tensor<16xf32>,
    %bk: tensor<16xf32>, %bv: tensor<8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected bias 0 dimension 0 (N) to be 32 as in Hq * D of query_init, got 16}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      biases(%bq, %bk, %bv : tensor<16xf32>, tensor<16xf32>, tensor<8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_bias1_size(%x: tensor<1x4x16xf32>, %wq: tensor<16x32xf32>,
    %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>, %bq: tensor<32xf32>,
    %bk: tensor<8xf32>, %bv: tensor<8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected bias 1 dimension 0 (N) to be 16 as in Hkv * D of key_init, got 8}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      biases(%bq, %bk, %bv : tensor<32xf32>, tensor<8xf32>, tensor<8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_bias2_size(%x: tensor<1x4x16xf32>, %wq: tensor<16x32xf32>,
    %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>, %bq: tensor<32xf32>,
    %bk: tensor<16xf32>, %bv: tensor<16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected bias 2 dimension 0 (N) to be 8 as in Hkv * Dv of value_init, got 16}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      biases(%bq, %bk, %bv : tensor<32xf32>, tensor<16xf32>, tensor<16xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_out_in_bias_size(%x: tensor<1x4x16xf32>,
    %wq: tensor<32x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<8x16xf32>,
    %bq: tensor<32xf32>, %bk: tensor<32xf32>, %bv: tensor<8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected bias 1 dimension 0 (N) to be 16 as in Hkv * D of key_init, got 32}}
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<32x16xf32>, tensor<16x16xf32>, tensor<8x16xf32>)
      biases(%bq, %bk, %bv : tensor<32xf32>, tensor<32xf32>, tensor<8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_fused_bias_rank(%x: tensor<1x4x16xf32>,
    %w: tensor<16x56xf32>, %b: tensor<1x56xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected bias 0 to have rank 1 [N], got rank 2}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%w : tensor<16x56xf32>)
      biases(%b : tensor<1x56xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_fused_bias_size(%x: tensor<1x4x16xf32>,
    %w: tensor<16x56xf32>, %b: tensor<32xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected bias 0 dimension 0 (N) to be 56 as in Hq * D + Hkv * D + Hkv * Dv of the inits, got 32}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%w : tensor<16x56xf32>)
      biases(%b : tensor<32xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_value_result_type(%x: tensor<1x4x16xf32>,
    %wq: tensor<16x32xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x8xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected type of operand #6 ('tensor<1x2x4x4xf32>') to match type of corresponding result ('tensor<1x2x4x8xf32>')}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x32xf32>, tensor<16x16xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// attn.rope
//===----------------------------------------------------------------------===//

func.func @rope_query_rank(%q: tensor<4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected query to have rank 4 [B, Hq, S, D], got rank 3}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_key_rank(%q: tensor<1x4x4x8xf32>, %k: tensor<2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<2x4x8xf32>
  // expected-error @+1 {{expected key to have rank 4 [B, Hkv, S, D], got rank 3}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<2x4x8xf32>
  return
}

// -----

func.func @rope_key_element_type(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf16>, %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf16>
  // expected-error @+1 {{expected key element type to be 'f32' as in query, got 'f16'}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf16>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf16>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf16>
  return
}

// -----

func.func @rope_key_batch(%q: tensor<1x4x4x8xf32>, %k: tensor<2x2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<2x2x4x8xf32>
  // expected-error @+1 {{expected key dimension 0 (B) to be 1 as in query, got 2}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<2x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<2x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<2x2x4x8xf32>
  return
}

// -----

func.func @rope_key_seq(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x6x8xf32>
  // expected-error @+1 {{expected key dimension 2 (S) to be 4 as in query, got 6}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>
  return
}

// -----

func.func @rope_dynamic_head_dim(%q: tensor<1x4x4x?xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<1x4xi64>, %n: index) {
  %q0 = tensor.empty(%n) : tensor<1x4x4x?xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected query dimension 3 (D) to be static}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x?xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x?xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x?xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_key_head_dim(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x4xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected key dimension 3 (D) to be 8 as in query, got 4}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x4xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @rope_query_init_type(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf16>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected query_init type to match query type 'tensor<1x4x4x8xf32>', got 'tensor<1x4x4x8xf16>'}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf16>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf16>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_key_init_type(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x5x8xf32>
  // expected-error @+1 {{expected key_init type to match key type 'tensor<1x2x4x8xf32>', got 'tensor<1x2x5x8xf32>'}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x5x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x5x8xf32>
  return
}

// -----

func.func @rope_positions_1d_seq(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<5xi32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected positions dimension 0 (S) to be 4 as in query, got 5}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<5xi32>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_positions_2d_batch(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<2x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected positions dimension 0 (B) to be 1 as in query, got 2}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<2x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_positions_2d_seq(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<1x3xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected positions dimension 1 (S) to be 4 as in query, got 3}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x3xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_positions_rank_0(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<i64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected positions to have rank 1 [S] or 2 [B, S], got rank 0}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<i64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_positions_rank_3(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<1x1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected positions to have rank 1 [S] or 2 [B, S], got rank 3}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_rotary_dim_zero(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected an even rotary dim in (0, 8], got 0}}
  %q1, %k1 = attn.rope half rotary_dim(0)
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_rotary_dim_negative(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected an even rotary dim in (0, 8], got -2}}
  %q1, %k1 = attn.rope half rotary_dim(-2)
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_rotary_dim_odd(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected an even rotary dim in (0, 8], got 3}}
  %q1, %k1 = attn.rope half rotary_dim(3)
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_rotary_dim_too_large(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected an even rotary dim in (0, 8], got 10}}
  %q1, %k1 = attn.rope half rotary_dim(10)
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

// Without rotary_dim the whole head dim rotates, so it must be even.
func.func @rope_odd_head_dim(%q: tensor<1x4x4x7xf32>, %k: tensor<1x2x4x7xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x7xf32>
  %k0 = tensor.empty() : tensor<1x2x4x7xf32>
  // expected-error @+1 {{expected an even rotary dim in (0, 7], got 7}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x7xf32>, tensor<1x2x4x7xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x7xf32>, tensor<1x2x4x7xf32>)
      -> tensor<1x4x4x7xf32>, tensor<1x2x4x7xf32>
  return
}

// -----

func.func @rope_theta_zero(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected theta to be positive and finite, got 0.000000e+00}}
  %q1, %k1 = attn.rope half theta(0.0)
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_theta_negative(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected theta to be positive and finite, got -1.000000e+04}}
  %q1, %k1 = attn.rope half theta(-1.0e+04)
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_theta_inf(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected theta to be positive and finite, got INF}}
  %q1, %k1 = attn.rope half theta(0x7F800000)
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_theta_nan(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected theta to be positive and finite, got nan}}
  %q1, %k1 = attn.rope half theta(0x7FC00000)
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_key_result_type(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected type of operand #4 ('tensor<1x2x4x8xf32>') to match type of corresponding result ('tensor<1x4x4x8xf32>')}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// attn.attention
//===----------------------------------------------------------------------===//

func.func @attention_query_rank(%q: tensor<4x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected query to have rank 4 [B, Hq, Sq, D], got rank 3}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_key_rank(%q: tensor<1x4x4x8xf32>, %k: tensor<2x6x8xf32>,
    %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected key to have rank 4 [B, Hkv, Skv, D], got rank 3}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_value_rank(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4x1xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected value to have rank 4 [B, Hkv, Skv, Dv], got rank 5}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4x1xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_init_rank(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected init to have rank 4 [B, Hq, Sq, Dv], got rank 3}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @attention_key_element_type(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf16>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected key element type to be 'f32' as in query, got 'f16'}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf16>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_value_element_type(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xbf16>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected value element type to be 'f32' as in query, got 'bf16'}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xbf16>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_init_element_type(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf16>
  // expected-error @+1 {{expected init element type to be 'f32' as in query, got 'f16'}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf16>) -> tensor<1x4x4x4xf16>
  return
}

// -----

func.func @attention_key_batch(%q: tensor<1x4x4x8xf32>, %k: tensor<2x2x6x8xf32>,
    %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected key dimension 0 (B) to be 1 as in query, got 2}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<2x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_key_head_dim(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x16xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected key dimension 3 (D) to be 8 as in query, got 16}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x16xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_value_batch(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<3x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected value dimension 0 (B) to be 1 as in query, got 3}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<3x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_value_heads(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x4x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected value dimension 1 (Hkv) to be 2 as in key, got 4}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x4x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_value_seq(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %v: tensor<1x2x7x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected value dimension 2 (Skv) to be 6 as in key, got 7}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x7x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_init_batch(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<2x4x4x4xf32>
  // expected-error @+1 {{expected init dimension 0 (B) to be 1 as in query, got 2}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<2x4x4x4xf32>) -> tensor<2x4x4x4xf32>
  return
}

// -----

func.func @attention_init_heads(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected init dimension 1 (Hq) to be 4 as in query, got 2}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @attention_init_seq(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x6x4xf32>
  // expected-error @+1 {{expected init dimension 2 (Sq) to be 4 as in query, got 6}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x6x4xf32>) -> tensor<1x4x6x4xf32>
  return
}

// -----

func.func @attention_init_value_dim(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x8xf32>
  // expected-error @+1 {{expected init dimension 3 (Dv) to be 4 as in value, got 8}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return
}

// -----

func.func @attention_dynamic_query_heads(%q: tensor<1x?x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>, %n: index) {
  %o0 = tensor.empty(%n) : tensor<1x?x4x4xf32>
  // expected-error @+1 {{expected query dimension 1 (Hq) to be static}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x?x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x?x4x4xf32>) -> tensor<1x?x4x4xf32>
  return
}

// -----

func.func @attention_dynamic_key_heads(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x?x6x8xf32>, %v: tensor<1x?x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected key dimension 1 (Hkv) to be static}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x?x6x8xf32>, tensor<1x?x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_head_grouping(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x3x6x8xf32>, %v: tensor<1x3x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected the number of query heads (4) to be a multiple of the number of key/value heads (3)}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x3x6x8xf32>, tensor<1x3x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_zero_key_heads(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x0x6x8xf32>, %v: tensor<1x0x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected the number of query heads (4) to be a multiple of the number of key/value heads (0)}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x0x6x8xf32>, tensor<1x0x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_window_zero(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected window to be positive, got 0}}
  %o = attn.attention causal window(0)
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_window_negative(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected window to be positive, got -4}}
  %o = attn.attention window(-4)
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_softcap_zero(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected softcap to be positive and finite, got 0.000000e+00}}
  %o = attn.attention softcap(0.0)
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_softcap_negative(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected softcap to be positive and finite, got -3.000000e+01}}
  %o = attn.attention softcap(-30.0)
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_softcap_inf(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected softcap to be positive and finite, got INF}}
  %o = attn.attention softcap(0x7F800000)
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_softcap_nan(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected softcap to be positive and finite, got nan}}
  %o = attn.attention softcap(0x7FC00000)
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_scale_inf(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected scale to be finite, got INF}}
  %o = attn.attention scale(0x7F800000)
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_scale_negative_inf(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected scale to be finite, got -INF}}
  %o = attn.attention scale(0xFF800000)
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_scale_nan(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected scale to be finite, got nan}}
  %o = attn.attention scale(0x7FC00000)
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_dynamic_head_dim_without_scale(%q: tensor<1x4x4x?xf32>,
    %k: tensor<1x2x6x?xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected a static non-zero head dim (D) or an explicit scale, got D = ?}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x?xf32>, tensor<1x2x6x?xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_mask_rank(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %v: tensor<1x2x6x4xf32>, %m: tensor<4x6xi1>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected mask to have rank 4 (broadcastable to [B, Hq, Sq, Skv]), got rank 2}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      mask(%m : tensor<4x6xi1>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_mask_batch(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>, %m: tensor<2x1x1x6xi1>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected mask dimension 0 to be 1 (B), got 2}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      mask(%m : tensor<2x1x1x6xi1>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

// A mask per key/value head (Hkv) does not broadcast to Hq.
func.func @attention_mask_heads(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>, %m: tensor<1x2x4x6xi1>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected mask dimension 1 to be 1 or 4 (Hq), got 2}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      mask(%m : tensor<1x2x4x6xi1>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_mask_query_seq(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>, %m: tensor<1x1x6x6xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected mask dimension 2 to be 1 or 4 (Sq), got 6}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      mask(%m : tensor<1x1x6x6xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_mask_key_seq(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>, %m: tensor<1x1x4x4xf16>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected mask dimension 3 to be 1 or 6 (Skv), got 4}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      mask(%m : tensor<1x1x4x4xf16>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_result_type(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected type of operand #3 ('tensor<1x4x4x4xf32>') to match type of corresponding result ('tensor<1x4x4x8xf32>')}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// attn.masked_softmax
//===----------------------------------------------------------------------===//

func.func @masked_softmax_input_rank(%s: tensor<6xf32>) {
  %p0 = tensor.empty() : tensor<6xf32>
  // expected-error @+1 {{expected input to have rank >= 2 [..., Sq, Skv], got rank 1}}
  %p = attn.masked_softmax ins(%s : tensor<6xf32>)
      outs(%p0 : tensor<6xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @masked_softmax_init_type(%s: tensor<1x4x4x6xf32>) {
  %p0 = tensor.empty() : tensor<1x4x4x6xf16>
  // expected-error @+1 {{expected init type to match input type 'tensor<1x4x4x6xf32>', got 'tensor<1x4x4x6xf16>'}}
  %p = attn.masked_softmax ins(%s : tensor<1x4x4x6xf32>)
      outs(%p0 : tensor<1x4x4x6xf16>) -> tensor<1x4x4x6xf16>
  return
}

// -----

func.func @masked_softmax_window_zero(%s: tensor<1x4x4x6xf32>) {
  %p0 = tensor.empty() : tensor<1x4x4x6xf32>
  // expected-error @+1 {{expected window to be positive, got 0}}
  %p = attn.masked_softmax causal window(0) ins(%s : tensor<1x4x4x6xf32>)
      outs(%p0 : tensor<1x4x4x6xf32>) -> tensor<1x4x4x6xf32>
  return
}

// -----

func.func @masked_softmax_softcap_negative(%s: tensor<1x4x4x6xf32>) {
  %p0 = tensor.empty() : tensor<1x4x4x6xf32>
  // expected-error @+1 {{expected softcap to be positive and finite, got -1.000000e+00}}
  %p = attn.masked_softmax softcap(-1.0) ins(%s : tensor<1x4x4x6xf32>)
      outs(%p0 : tensor<1x4x4x6xf32>) -> tensor<1x4x4x6xf32>
  return
}

// -----

func.func @masked_softmax_scale_inf(%s: tensor<1x4x4x6xf32>) {
  %p0 = tensor.empty() : tensor<1x4x4x6xf32>
  // expected-error @+1 {{expected scale to be finite, got INF}}
  %p = attn.masked_softmax scale(0x7F800000) ins(%s : tensor<1x4x4x6xf32>)
      outs(%p0 : tensor<1x4x4x6xf32>) -> tensor<1x4x4x6xf32>
  return
}

// -----

func.func @masked_softmax_mask_rank(%s: tensor<1x4x4x6xf32>,
    %m: tensor<4x6xi1>) {
  %p0 = tensor.empty() : tensor<1x4x4x6xf32>
  // expected-error @+1 {{expected mask to have rank 4 (broadcastable to the input), got rank 2}}
  %p = attn.masked_softmax ins(%s : tensor<1x4x4x6xf32>)
      mask(%m : tensor<4x6xi1>)
      outs(%p0 : tensor<1x4x4x6xf32>) -> tensor<1x4x4x6xf32>
  return
}

// -----

func.func @masked_softmax_mask_batch(%s: tensor<1x4x4x6xf32>,
    %m: tensor<1x2x4x6xi1>) {
  %p0 = tensor.empty() : tensor<1x4x4x6xf32>
  // expected-error @+1 {{expected mask dimension 1 to be 1 or 4 (batch), got 2}}
  %p = attn.masked_softmax ins(%s : tensor<1x4x4x6xf32>)
      mask(%m : tensor<1x2x4x6xi1>)
      outs(%p0 : tensor<1x4x4x6xf32>) -> tensor<1x4x4x6xf32>
  return
}

// -----

func.func @masked_softmax_mask_query_seq(%s: tensor<1x4x4x6xf32>,
    %m: tensor<1x1x3x6xf32>) {
  %p0 = tensor.empty() : tensor<1x4x4x6xf32>
  // expected-error @+1 {{expected mask dimension 2 to be 1 or 4 (Sq), got 3}}
  %p = attn.masked_softmax ins(%s : tensor<1x4x4x6xf32>)
      mask(%m : tensor<1x1x3x6xf32>)
      outs(%p0 : tensor<1x4x4x6xf32>) -> tensor<1x4x4x6xf32>
  return
}

// -----

// Rank-2 scores [Sq, Skv].
func.func @masked_softmax_mask_key_seq(%s: tensor<4x6xf32>,
    %m: tensor<1x4xi1>) {
  %p0 = tensor.empty() : tensor<4x6xf32>
  // expected-error @+1 {{expected mask dimension 1 to be 1 or 6 (Skv), got 4}}
  %p = attn.masked_softmax ins(%s : tensor<4x6xf32>)
      mask(%m : tensor<1x4xi1>)
      outs(%p0 : tensor<4x6xf32>) -> tensor<4x6xf32>
  return
}

// -----

func.func @masked_softmax_result_type(%s: tensor<1x4x4x6xf32>) {
  %p0 = tensor.empty() : tensor<1x4x4x6xf32>
  // expected-error @+1 {{expected type of operand #1 ('tensor<1x4x4x6xf32>') to match type of corresponding result ('tensor<1x4x6x4xf32>')}}
  %p = attn.masked_softmax ins(%s : tensor<1x4x4x6xf32>)
      outs(%p0 : tensor<1x4x4x6xf32>) -> tensor<1x4x6x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// attn.out_proj
//===----------------------------------------------------------------------===//

func.func @out_proj_input_rank(%o: tensor<1x4x32xf32>, %w: tensor<32x16xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected input to have rank 4 [B, H, S, Dv], got rank 3}}
  %y = attn.out_proj ins(%o : tensor<1x4x32xf32>)
      weight(%w : tensor<32x16xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_weight_rank(%o: tensor<1x4x4x8xf32>, %w: tensor<512xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected weight to have rank 2 [H * Dv, Dm], got rank 1}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<512xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_out_in_weight_rank(%o: tensor<1x4x4x8xf32>,
    %w: tensor<1x16x32xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected weight to have rank 2 [Dm, H * Dv], got rank 3}}
  %y = attn.out_proj layout(out_in) ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<1x16x32xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_init_rank(%o: tensor<1x4x4x8xf32>, %w: tensor<32x16xf32>) {
  %y0 = tensor.empty() : tensor<4x16xf32>
  // expected-error @+1 {{expected init to have rank 3 [B, S, Dm], got rank 2}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<32x16xf32>)
      outs(%y0 : tensor<4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @out_proj_dynamic_heads(%o: tensor<1x?x4x8xf32>,
    %w: tensor<32x16xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected input dimension 1 (H) to be static}}
  %y = attn.out_proj ins(%o : tensor<1x?x4x8xf32>)
      weight(%w : tensor<32x16xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_dynamic_value_dim(%o: tensor<1x4x4x?xf32>,
    %w: tensor<32x16xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected input dimension 3 (Dv) to be static}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x?xf32>)
      weight(%w : tensor<32x16xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_weight_element_type(%o: tensor<1x4x4x8xf32>,
    %w: tensor<32x16xf16>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected weight element type to be 'f32' as in input, got 'f16'}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<32x16xf16>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_init_element_type(%o: tensor<1x4x4x8xf32>,
    %w: tensor<32x16xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xbf16>
  // expected-error @+1 {{expected init element type to be 'f32' as in input, got 'bf16'}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<32x16xf32>)
      outs(%y0 : tensor<1x4x16xbf16>) -> tensor<1x4x16xbf16>
  return
}

// -----

func.func @out_proj_weight_rows(%o: tensor<1x4x4x8xf32>,
    %w: tensor<16x16xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected weight dimension 0 (H * Dv) to be 32 as in input, got 16}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<16x16xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_weight_cols(%o: tensor<1x4x4x8xf32>,
    %w: tensor<32x32xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected weight dimension 1 (Dm) to be 16 as in init, got 32}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<32x32xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

// A weight in the in_out shape is rejected with layout(out_in).
func.func @out_proj_out_in_weight_cols(%o: tensor<1x4x4x8xf32>,
    %w: tensor<32x16xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected weight dimension 1 (H * Dv) to be 32 as in input, got 16}}
  %y = attn.out_proj layout(out_in) ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<32x16xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_out_in_weight_rows(%o: tensor<1x4x4x8xf32>,
    %w: tensor<8x32xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected weight dimension 0 (Dm) to be 16 as in init, got 8}}
  %y = attn.out_proj layout(out_in) ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<8x32xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_init_batch(%o: tensor<1x4x4x8xf32>, %w: tensor<32x16xf32>) {
  %y0 = tensor.empty() : tensor<2x4x16xf32>
  // expected-error @+1 {{expected init dimension 0 (B) to be 1 as in input, got 2}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<32x16xf32>)
      outs(%y0 : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  return
}

// -----

func.func @out_proj_init_seq(%o: tensor<1x4x4x8xf32>, %w: tensor<32x16xf32>) {
  %y0 = tensor.empty() : tensor<1x8x16xf32>
  // expected-error @+1 {{expected init dimension 1 (S) to be 4 as in input, got 8}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<32x16xf32>)
      outs(%y0 : tensor<1x8x16xf32>) -> tensor<1x8x16xf32>
  return
}

// -----

func.func @out_proj_bias_rank(%o: tensor<1x4x4x8xf32>, %w: tensor<32x16xf32>,
    %b: tensor<1x16xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected bias to have rank 1 [Dm], got rank 2}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<32x16xf32>) bias(%b : tensor<1x16xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_bias_element_type(%o: tensor<1x4x4x8xf32>,
    %w: tensor<32x16xf32>, %b: tensor<16xf16>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected bias element type to be 'f32' as in input, got 'f16'}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<32x16xf32>) bias(%b : tensor<16xf16>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_bias_size(%o: tensor<1x4x4x8xf32>, %w: tensor<32x16xf32>,
    %b: tensor<32xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected bias dimension 0 (Dm) to be 16 as in init, got 32}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<32x16xf32>) bias(%b : tensor<32xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_result_type(%o: tensor<1x4x4x8xf32>,
    %w: tensor<32x16xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected type of operand #2 ('tensor<1x4x16xf32>') to match type of corresponding result ('tensor<1x4x32xf32>')}}
  %y = attn.out_proj ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<32x16xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x32xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// attn.kv_append
//===----------------------------------------------------------------------===//

func.func @kv_append_key_rank(%k: tensor<2x1x8xf32>, %v: tensor<1x2x1x4xf32>,
    %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected key to have rank 4 [B, Hkv, Snew, D], got rank 3}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_value_rank(%k: tensor<1x2x1x8xf32>, %v: tensor<2x1x4xf32>,
    %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected value to have rank 4 [B, Hkv, Snew, Dv], got rank 3}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_value_element_type(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf16>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected value element type to be 'f32' as in key, got 'f16'}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf16>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_value_batch(%k: tensor<1x2x1x8xf32>,
    %v: tensor<2x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected value dimension 0 (B) to be 1 as in key, got 2}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<2x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_value_heads(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x1x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected value dimension 1 (Hkv) to be 2 as in key, got 1}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x1x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_value_rows(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x2x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected value dimension 2 (Snew) to be 1 as in key, got 2}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x2x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_start_rank(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1x1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected start to have rank 1 [B], got rank 2}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1x1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_start_batch(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<2xi64>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected start dimension 0 (B) to be 1 as in key, got 2}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<2xi64>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_key_cache_rank(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected key_cache to have rank 4 [B, Hkv, Smax, D], got rank 3}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<2x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_value_cache_rank(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<2x16x4xf32>
  // expected-error @+1 {{expected value_cache to have rank 4 [B, Hkv, Smax, Dv], got rank 3}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<2x16x4xf32>
  return
}

// -----

func.func @kv_append_key_cache_batch(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<2x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected key_cache dimension 0 (B) to be 1 as in key, got 2}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<2x2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<2x2x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_key_cache_heads(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x4x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected key_cache dimension 1 (Hkv) to be 2 as in key, got 4}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x4x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x4x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_key_cache_head_dim(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x4xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected key_cache dimension 3 (D) to be 8 as in key, got 4}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x4xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x4xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_value_cache_batch(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<2x2x16x4xf32>
  // expected-error @+1 {{expected value_cache dimension 0 (B) to be 1 as in key_cache, got 2}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<2x2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<2x2x16x4xf32>
  return
}

// -----

func.func @kv_append_value_cache_heads(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x1x16x4xf32>
  // expected-error @+1 {{expected value_cache dimension 1 (Hkv) to be 2 as in key_cache, got 1}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x1x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x1x16x4xf32>
  return
}

// -----

func.func @kv_append_value_cache_capacity(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x8x4xf32>
  // expected-error @+1 {{expected value_cache dimension 2 (Smax) to be 16 as in key_cache, got 8}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x8x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x8x4xf32>
  return
}

// -----

func.func @kv_append_value_cache_value_dim(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x8xf32>
  // expected-error @+1 {{expected value_cache dimension 3 (Dv) to be 4 as in key, got 8}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>
  return
}

// -----

func.func @kv_append_key_cache_element_type(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf16>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected value_cache element type to be 'f16' as in key_cache, got 'f32'}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf16>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x8xf16>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @kv_append_value_cache_element_type(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xbf16>
  // expected-error @+1 {{expected value_cache element type to be 'f32' as in key_cache, got 'bf16'}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x4xbf16>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x4xbf16>
  return
}

// -----

func.func @kv_append_overflow(%k: tensor<1x2x8x8xf32>, %v: tensor<1x2x8x4xf32>,
    %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x4x8xf32>
  %vc = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected at most Smax (4) new rows, got 8}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @kv_append_paged_key_cache_rank(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>, %table: tensor<1x4xi32>) {
  %kc = tensor.empty() : tensor<8x2x32xf32>
  %vc = tensor.empty() : tensor<8x2x4x4xf32>
  // expected-error @+1 {{expected key_cache to have rank 4 [num_blocks, Hkv, block_size, D], got rank 3}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%kc, %vc : tensor<8x2x32xf32>, tensor<8x2x4x4xf32>)
      -> tensor<8x2x32xf32>, tensor<8x2x4x4xf32>
  return
}

// -----

func.func @kv_append_paged_value_cache_rank(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>, %table: tensor<1x4xi32>) {
  %kc = tensor.empty() : tensor<8x2x4x8xf32>
  %vc = tensor.empty() : tensor<8x2x4x4x1xf32>
  // expected-error @+1 {{expected value_cache to have rank 4 [num_blocks, Hkv, block_size, Dv], got rank 5}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%kc, %vc : tensor<8x2x4x8xf32>, tensor<8x2x4x4x1xf32>)
      -> tensor<8x2x4x8xf32>, tensor<8x2x4x4x1xf32>
  return
}

// -----

func.func @kv_append_paged_key_cache_heads(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>, %table: tensor<1x4xi32>) {
  %kc = tensor.empty() : tensor<8x1x4x8xf32>
  %vc = tensor.empty() : tensor<8x1x4x4xf32>
  // expected-error @+1 {{expected key_cache dimension 1 (Hkv) to be 2 as in key, got 1}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%kc, %vc : tensor<8x1x4x8xf32>, tensor<8x1x4x4xf32>)
      -> tensor<8x1x4x8xf32>, tensor<8x1x4x4xf32>
  return
}

// -----

func.func @kv_append_paged_key_cache_head_dim(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>, %table: tensor<1x4xi32>) {
  %kc = tensor.empty() : tensor<8x2x4x16xf32>
  %vc = tensor.empty() : tensor<8x2x4x4xf32>
  // expected-error @+1 {{expected key_cache dimension 3 (D) to be 8 as in key, got 16}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%kc, %vc : tensor<8x2x4x16xf32>, tensor<8x2x4x4xf32>)
      -> tensor<8x2x4x16xf32>, tensor<8x2x4x4xf32>
  return
}

// -----

func.func @kv_append_paged_value_cache_blocks(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>, %table: tensor<1x4xi32>) {
  %kc = tensor.empty() : tensor<8x2x4x8xf32>
  %vc = tensor.empty() : tensor<4x2x4x4xf32>
  // expected-error @+1 {{expected value_cache dimension 0 (num_blocks) to be 8 as in key_cache, got 4}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%kc, %vc : tensor<8x2x4x8xf32>, tensor<4x2x4x4xf32>)
      -> tensor<8x2x4x8xf32>, tensor<4x2x4x4xf32>
  return
}

// -----

func.func @kv_append_paged_value_cache_heads(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>, %table: tensor<1x4xi32>) {
  %kc = tensor.empty() : tensor<8x2x4x8xf32>
  %vc = tensor.empty() : tensor<8x4x4x4xf32>
  // expected-error @+1 {{expected value_cache dimension 1 (Hkv) to be 2 as in key_cache, got 4}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%kc, %vc : tensor<8x2x4x8xf32>, tensor<8x4x4x4xf32>)
      -> tensor<8x2x4x8xf32>, tensor<8x4x4x4xf32>
  return
}

// -----

func.func @kv_append_paged_value_cache_block_size(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>, %table: tensor<1x4xi32>) {
  %kc = tensor.empty() : tensor<8x2x4x8xf32>
  %vc = tensor.empty() : tensor<8x2x16x4xf32>
  // expected-error @+1 {{expected value_cache dimension 2 (block_size) to be 4 as in key_cache, got 16}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%kc, %vc : tensor<8x2x4x8xf32>, tensor<8x2x16x4xf32>)
      -> tensor<8x2x4x8xf32>, tensor<8x2x16x4xf32>
  return
}

// -----

func.func @kv_append_paged_value_cache_value_dim(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>, %table: tensor<1x4xi32>) {
  %kc = tensor.empty() : tensor<8x2x4x8xf32>
  %vc = tensor.empty() : tensor<8x2x4x8xf32>
  // expected-error @+1 {{expected value_cache dimension 3 (Dv) to be 4 as in key, got 8}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%kc, %vc : tensor<8x2x4x8xf32>, tensor<8x2x4x8xf32>)
      -> tensor<8x2x4x8xf32>, tensor<8x2x4x8xf32>
  return
}

// -----

func.func @kv_append_paged_dynamic_block_size(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>, %table: tensor<1x4xi32>,
    %n: index) {
  %kc = tensor.empty(%n) : tensor<8x2x?x8xf32>
  %vc = tensor.empty(%n) : tensor<8x2x?x4xf32>
  // expected-error @+1 {{expected key_cache dimension 2 (block_size) to be static}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%kc, %vc : tensor<8x2x?x8xf32>, tensor<8x2x?x4xf32>)
      -> tensor<8x2x?x8xf32>, tensor<8x2x?x4xf32>
  return
}

// -----

func.func @kv_append_block_table_rank(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>, %table: tensor<4xi32>) {
  %kc = tensor.empty() : tensor<8x2x4x8xf32>
  %vc = tensor.empty() : tensor<8x2x4x4xf32>
  // expected-error @+1 {{expected block_table to have rank 2 [B, max_blocks], got rank 1}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      block_table(%table : tensor<4xi32>)
      outs(%kc, %vc : tensor<8x2x4x8xf32>, tensor<8x2x4x4xf32>)
      -> tensor<8x2x4x8xf32>, tensor<8x2x4x4xf32>
  return
}

// -----

func.func @kv_append_block_table_batch(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>, %table: tensor<2x4xi64>) {
  %kc = tensor.empty() : tensor<8x2x4x8xf32>
  %vc = tensor.empty() : tensor<8x2x4x4xf32>
  // expected-error @+1 {{expected block_table dimension 0 (B) to be 1 as in key, got 2}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      block_table(%table : tensor<2x4xi64>)
      outs(%kc, %vc : tensor<8x2x4x8xf32>, tensor<8x2x4x4xf32>)
      -> tensor<8x2x4x8xf32>, tensor<8x2x4x4xf32>
  return
}

// -----

func.func @kv_append_paged_key_cache_element_type(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>, %table: tensor<1x4xi32>) {
  %kc = tensor.empty() : tensor<8x2x4x8xf16>
  %vc = tensor.empty() : tensor<8x2x4x4xf32>
  // expected-error @+1 {{expected value_cache element type to be 'f16' as in key_cache, got 'f32'}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%kc, %vc : tensor<8x2x4x8xf16>, tensor<8x2x4x4xf32>)
      -> tensor<8x2x4x8xf16>, tensor<8x2x4x4xf32>
  return
}

// -----

func.func @kv_append_value_cache_result_type(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected type of operand #4 ('tensor<1x2x16x4xf32>') to match type of corresponding result ('tensor<1x2x16x8xf32>')}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// attn.decode_attention
//===----------------------------------------------------------------------===//

func.func @decode_attention_query_rank(%q: tensor<4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected query to have rank 4 [B, Hq, Sq, D], got rank 3}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_init_rank(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x4xf32>
  // expected-error @+1 {{expected init to have rank 4 [B, Hq, Sq, Dv], got rank 3}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  return
}

// -----

func.func @decode_attention_key_cache_rank(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<2x16x8xf32>, %vc: tensor<1x2x16x4xf32>, %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected key_cache to have rank 4 [B, Hkv, Smax, D], got rank 3}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_value_cache_rank(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<2x16x4xf32>, %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected value_cache to have rank 4 [B, Hkv, Smax, Dv], got rank 3}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_key_cache_batch(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<2x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected key_cache dimension 0 (B) to be 1 as in query, got 2}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<2x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_key_cache_head_dim(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x4xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected key_cache dimension 3 (D) to be 8 as in query, got 4}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x4xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_value_cache_batch(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<2x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected value_cache dimension 0 (B) to be 1 as in key_cache, got 2}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<2x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_value_cache_heads(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x4x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected value_cache dimension 1 (Hkv) to be 2 as in key_cache, got 4}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x4x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_value_cache_capacity(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x32x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected value_cache dimension 2 (Smax) to be 16 as in key_cache, got 32}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x32x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_key_cache_element_type(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf16>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected value_cache element type to be 'f16' as in key_cache, got 'f32'}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf16>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_value_cache_element_type(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf16>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected value_cache element type to be 'f32' as in key_cache, got 'f16'}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf16>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_init_element_type(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xbf16>
  // expected-error @+1 {{expected init element type to be 'f32' as in query, got 'bf16'}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xbf16>) -> tensor<1x4x1x4xbf16>
  return
}

// -----

// A low-precision cache holds f16/bf16 rows of an f32 query only.
func.func @decode_attention_lowp_cache_of_bf16_query(%q: tensor<1x4x1x8xbf16>,
    %kc: tensor<1x2x16x8xf16>, %vc: tensor<1x2x16x4xf16>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xbf16>
  // expected-error @+1 {{expected key_cache element type to be 'bf16' as in query, got 'f16'}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xbf16>, tensor<1x2x16x8xf16>, tensor<1x2x16x4xf16>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xbf16>) -> tensor<1x4x1x4xbf16>
  return
}

// -----

// The result of a low-precision cache's decode is f32, as the query.
func.func @decode_attention_lowp_cache_init(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xbf16>, %vc: tensor<1x2x16x4xbf16>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xbf16>
  // expected-error @+1 {{expected init element type to be 'f32' as in query, got 'bf16'}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xbf16>, tensor<1x2x16x4xbf16>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xbf16>) -> tensor<1x4x1x4xbf16>
  return
}

// -----

func.func @kv_append_lowp_cache_of_f16_rows(%k: tensor<1x2x1x8xf16>,
    %v: tensor<1x2x1x4xf16>, %start: tensor<1xi32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  // expected-error @+1 {{expected key_cache element type to be 'f16' as in key, got 'f32'}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf16>, tensor<1x2x1x4xf16>)
      at(%start : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @decode_attention_init_batch(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<2x4x1x4xf32>
  // expected-error @+1 {{expected init dimension 0 (B) to be 1 as in query, got 2}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<2x4x1x4xf32>) -> tensor<2x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_init_heads(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x2x1x4xf32>
  // expected-error @+1 {{expected init dimension 1 (Hq) to be 4 as in query, got 2}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x2x1x4xf32>) -> tensor<1x2x1x4xf32>
  return
}

// -----

func.func @decode_attention_init_seq(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{expected init dimension 2 (Sq) to be 1 as in query, got 4}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @decode_attention_init_value_dim(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x8xf32>
  // expected-error @+1 {{expected init dimension 3 (Dv) to be 4 as in value_cache, got 8}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x8xf32>) -> tensor<1x4x1x8xf32>
  return
}

// -----

func.func @decode_attention_seq_lens_rank(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>, %lens: tensor<i32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected seq_lens to have rank 1 [B], got rank 0}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<i32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_seq_lens_batch(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<4xi64>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected seq_lens dimension 0 (B) to be 1 as in query, got 4}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<4xi64>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_dynamic_query_heads(%q: tensor<1x?x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>, %lens: tensor<1xi32>,
    %n: index) {
  %o0 = tensor.empty(%n) : tensor<1x?x1x4xf32>
  // expected-error @+1 {{expected query dimension 1 (Hq) to be static}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x?x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x?x1x4xf32>) -> tensor<1x?x1x4xf32>
  return
}

// -----

func.func @decode_attention_dynamic_key_cache_heads(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x?x16x8xf32>, %vc: tensor<1x?x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected key_cache dimension 1 (Hkv) to be static}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x?x16x8xf32>, tensor<1x?x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_head_grouping(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x3x16x8xf32>, %vc: tensor<1x3x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected the number of query heads (4) to be a multiple of the number of key/value heads (3)}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x3x16x8xf32>, tensor<1x3x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_window_negative(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected window to be positive, got -1}}
  %o = attn.decode_attention causal window(-1)
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_softcap_zero(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected softcap to be positive and finite, got 0.000000e+00}}
  %o = attn.decode_attention softcap(0.0)
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_softcap_inf(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected softcap to be positive and finite, got INF}}
  %o = attn.decode_attention softcap(0x7F800000)
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_scale_nan(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected scale to be finite, got nan}}
  %o = attn.decode_attention scale(0x7FC00000)
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_dynamic_head_dim_without_scale(%q: tensor<1x4x1x?xf32>,
    %kc: tensor<1x2x16x?xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected a static non-zero head dim (D) or an explicit scale, got D = ?}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x?xf32>, tensor<1x2x16x?xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_paged_key_cache_rank(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<8x2x32xf32>, %vc: tensor<8x2x4x4xf32>, %lens: tensor<1xi32>,
    %table: tensor<1x4xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected key_cache to have rank 4 [num_blocks, Hkv, block_size, D], got rank 3}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<8x2x32xf32>, tensor<8x2x4x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_paged_value_cache_rank(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<8x2x4x8xf32>, %vc: tensor<8x2x16xf32>, %lens: tensor<1xi32>,
    %table: tensor<1x4xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected value_cache to have rank 4 [num_blocks, Hkv, block_size, Dv], got rank 3}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<8x2x4x8xf32>, tensor<8x2x16xf32>)
      seq_lens(%lens : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_paged_key_cache_head_dim(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<8x2x4x16xf32>, %vc: tensor<8x2x4x4xf32>, %lens: tensor<1xi32>,
    %table: tensor<1x4xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected key_cache dimension 3 (D) to be 8 as in query, got 16}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<8x2x4x16xf32>, tensor<8x2x4x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_paged_value_cache_blocks(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<8x2x4x8xf32>, %vc: tensor<16x2x4x4xf32>, %lens: tensor<1xi32>,
    %table: tensor<1x4xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected value_cache dimension 0 (num_blocks) to be 8 as in key_cache, got 16}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<8x2x4x8xf32>, tensor<16x2x4x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_paged_value_cache_heads(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<8x2x4x8xf32>, %vc: tensor<8x1x4x4xf32>, %lens: tensor<1xi32>,
    %table: tensor<1x4xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected value_cache dimension 1 (Hkv) to be 2 as in key_cache, got 1}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<8x2x4x8xf32>, tensor<8x1x4x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_paged_value_cache_block_size(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<8x2x4x8xf32>, %vc: tensor<8x2x8x4xf32>, %lens: tensor<1xi32>,
    %table: tensor<1x4xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected value_cache dimension 2 (block_size) to be 4 as in key_cache, got 8}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<8x2x4x8xf32>, tensor<8x2x8x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_paged_dynamic_block_size(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<8x2x?x8xf32>, %vc: tensor<8x2x?x4xf32>, %lens: tensor<1xi32>,
    %table: tensor<1x4xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected key_cache dimension 2 (block_size) to be static}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<8x2x?x8xf32>, tensor<8x2x?x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_block_table_rank(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<8x2x4x8xf32>, %vc: tensor<8x2x4x4xf32>, %lens: tensor<1xi32>,
    %table: tensor<1x1x4xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected block_table to have rank 2 [B, max_blocks], got rank 3}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<8x2x4x8xf32>, tensor<8x2x4x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      block_table(%table : tensor<1x1x4xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_block_table_batch(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<8x2x4x8xf32>, %vc: tensor<8x2x4x4xf32>, %lens: tensor<1xi32>,
    %table: tensor<2x4xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected block_table dimension 0 (B) to be 1 as in query, got 2}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<8x2x4x8xf32>, tensor<8x2x4x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      block_table(%table : tensor<2x4xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_paged_head_grouping(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<8x8x4x8xf32>, %vc: tensor<8x8x4x4xf32>, %lens: tensor<1xi32>,
    %table: tensor<1x4xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected the number of query heads (4) to be a multiple of the number of key/value heads (8)}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<8x8x4x8xf32>, tensor<8x8x4x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      block_table(%table : tensor<1x4xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @decode_attention_result_type(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>,
    %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  // expected-error @+1 {{expected type of operand #4 ('tensor<1x4x1x4xf32>') to match type of corresponding result ('tensor<1x4x4x1xf32>')}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x4x1xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Operand type constraints (ODS)
//===----------------------------------------------------------------------===//

func.func @attention_f64_query(%q: tensor<1x4x4x8xf64>, %k: tensor<1x2x6x8xf64>,
    %v: tensor<1x2x6x4xf64>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf64>
  // expected-error @+1 {{operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float values, but got 'tensor<1x4x4x8xf64>'}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf64>, tensor<1x2x6x8xf64>, tensor<1x2x6x4xf64>)
      outs(%o0 : tensor<1x4x4x4xf64>) -> tensor<1x4x4x4xf64>
  return
}

// -----

func.func @attention_integer_mask(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %v: tensor<1x2x6x4xf32>, %m: tensor<1x1x1x6xi32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{operand #3 must be ranked tensor of 1-bit signless integer or 16-bit float or bfloat16 type or 32-bit float values, but got 'tensor<1x1x1x6xi32>'}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      mask(%m : tensor<1x1x1x6xi32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @rope_float_positions(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %pos: tensor<1x4xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{operand #2 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<1x4xf32>'}}
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xf32>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Custom assembly (parser errors)
//===----------------------------------------------------------------------===//

func.func @rope_unknown_style(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected rope style 'half' or 'interleaved', got 'sideways'}}
  %q1, %k1 = attn.rope sideways
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_missing_style(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected rope style 'half' or 'interleaved', got 'theta'}}
  %q1, %k1 = attn.rope theta(1.0e+04)
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @qkv_proj_unknown_layout(%x: tensor<1x4x16xf32>, %w: tensor<16x56xf32>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  %v0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{expected weight layout 'in_out' or 'out_in', got 'row_major'}}
  %q, %k, %v = attn.qkv_proj layout(row_major) ins(%x : tensor<1x4x16xf32>)
      weights(%w : tensor<16x56xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @attention_misspelt_modifier(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{unknown attention modifier 'casual', expected 'causal', 'window(...)', 'softcap(...)', 'scale(...)' or 'ins'}}
  %o = attn.attention window(8) casual
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_modifier_twice(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{'scale' given twice}}
  %o = attn.attention scale(0.5) causal scale(0.25)
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @masked_softmax_misspelt_modifier(%s: tensor<1x2x4x4xf32>) {
  %p0 = tensor.empty() : tensor<1x2x4x4xf32>
  // expected-error @+1 {{unknown attention modifier 'softcaps'}}
  %p = attn.masked_softmax softcaps(3.0) ins(%s : tensor<1x2x4x4xf32>)
      outs(%p0 : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @decode_attention_no_ins(%q: tensor<1x4x1x8xf32>,
    %k: tensor<1x2x8x8xf32>, %v: tensor<1x2x8x8xf32>, %l: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x8xf32>
  // expected-error @+1 {{expected 'causal', 'window(...)', 'softcap(...)', 'scale(...)' or 'ins'}}
  %o = attn.decode_attention causal (%q, %k, %v : tensor<1x4x1x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>)
      seq_lens(%l : tensor<1xi32>) outs(%o0 : tensor<1x4x1x8xf32>) -> tensor<1x4x1x8xf32>
  return
}

// -----

func.func @attention_float_window(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %v: tensor<1x2x6x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{floating point value not valid for specified type}}
  %o = attn.attention window(1.5)
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_unranked_value(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %v: tensor<*xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<*xf32>)
      outs(%o0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @attention_missing_outs(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %v: tensor<1x2x6x4xf32>) {
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x4xf32>)
      // expected-error @+1 {{expected 'outs'}}
      -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @kv_append_missing_start(%k: tensor<1x2x1x8xf32>, %v: tensor<1x2x1x4xf32>) {
  %kc = tensor.empty() : tensor<1x2x16x8xf32>
  %vc = tensor.empty() : tensor<1x2x16x4xf32>
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      // expected-error @+1 {{expected 'at'}}
      outs(%kc, %vc : tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      -> tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>
  return
}

// -----

func.func @decode_attention_missing_seq_lens(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<1x2x16x8xf32>, %vc: tensor<1x2x16x4xf32>) {
  %o0 = tensor.empty() : tensor<1x4x1x4xf32>
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x4xf32>)
      // expected-error @+1 {{expected 'seq_lens'}}
      outs(%o0 : tensor<1x4x1x4xf32>) -> tensor<1x4x1x4xf32>
  return
}

// -----

func.func @out_proj_quoted_layout(%o: tensor<1x4x4x8xf32>, %w: tensor<16x32xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected valid keyword}}
  %y = attn.out_proj layout("out_in") ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<16x32xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

func.func @out_proj_unclosed_layout(%o: tensor<1x4x4x8xf32>, %w: tensor<16x32xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{expected ')'}}
  %y = attn.out_proj layout(out_in ins(%o : tensor<1x4x4x8xf32>)
      weight(%w : tensor<16x32xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Sizes that only the static side of an operand pair reveals, zero sizes and
// size overflow.
//===----------------------------------------------------------------------===//

func.func @kv_append_value_side_overflow(%k: tensor<1x2x?x8xf32>,
    %v: tensor<1x2x8x4xf32>, %s: tensor<1xi32>, %kc: tensor<1x2x?x8xf32>,
    %vc: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{expected at most Smax (4) new rows, got 8}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x?x8xf32>, tensor<1x2x8x4xf32>)
      at(%s : tensor<1xi32>)
      outs(%kc, %vc : tensor<1x2x?x8xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x2x?x8xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @kv_append_paged_zero_block_size(%k: tensor<1x2x1x8xf32>,
    %v: tensor<1x2x1x4xf32>, %s: tensor<1xi32>, %t: tensor<1x4xi32>,
    %kc: tensor<8x2x0x8xf32>, %vc: tensor<8x2x0x4xf32>) {
  // expected-error @+1 {{expected key_cache dimension 2 (block_size) to be positive, got 0}}
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>)
      at(%s : tensor<1xi32>) block_table(%t : tensor<1x4xi32>)
      outs(%kc, %vc : tensor<8x2x0x8xf32>, tensor<8x2x0x4xf32>)
      -> tensor<8x2x0x8xf32>, tensor<8x2x0x4xf32>
  return
}

// -----

func.func @decode_attention_paged_zero_block_size(%q: tensor<1x4x1x8xf32>,
    %kc: tensor<8x2x0x8xf32>, %vc: tensor<8x2x0x8xf32>, %lens: tensor<1xi32>,
    %t: tensor<1x4xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x8xf32>
  // expected-error @+1 {{expected key_cache dimension 2 (block_size) to be positive, got 0}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x8xf32>, tensor<8x2x0x8xf32>, tensor<8x2x0x8xf32>)
      seq_lens(%lens : tensor<1xi32>) block_table(%t : tensor<1x4xi32>)
      outs(%o0 : tensor<1x4x1x8xf32>) -> tensor<1x4x1x8xf32>
  return
}

// -----

func.func @attention_zero_head_dim_default_scale(%q: tensor<1x4x4x0xf32>,
    %k: tensor<1x2x6x0xf32>, %v: tensor<1x2x6x8xf32>) {
  %o0 = tensor.empty() : tensor<1x4x4x8xf32>
  // expected-error @+1 {{expected a static non-zero head dim (D) or an explicit scale, got D = 0}}
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x4x4x0xf32>, tensor<1x2x6x0xf32>, tensor<1x2x6x8xf32>)
      outs(%o0 : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return
}

// -----

func.func @decode_attention_zero_head_dim_default_scale(%q: tensor<1x4x1x0xf32>,
    %kc: tensor<1x2x16x0xf32>, %vc: tensor<1x2x16x8xf32>, %lens: tensor<1xi32>) {
  %o0 = tensor.empty() : tensor<1x4x1x8xf32>
  // expected-error @+1 {{expected a static non-zero head dim (D) or an explicit scale, got D = 0}}
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x4x1x0xf32>, tensor<1x2x16x0xf32>, tensor<1x2x16x8xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x8xf32>) -> tensor<1x4x1x8xf32>
  return
}

// -----

func.func @qkv_proj_head_size_overflow(%x: tensor<1x4x16xf32>, %wq: tensor<16x0xf32>,
    %wk: tensor<16x8xf32>, %wv: tensor<16x8xf32>,
    %q0: tensor<1x4611686018427387904x4x4xf32>, %k0: tensor<1x2x4x4xf32>,
    %v0: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{size of a projection (H * D) overflows: 4611686018427387904 * 4}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%wq, %wk, %wv : tensor<16x0xf32>, tensor<16x8xf32>, tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x4611686018427387904x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>)
      -> tensor<1x4611686018427387904x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qkv_proj_fused_size_overflow(%x: tensor<1x4x16xf32>, %w: tensor<16x8xf32>,
    %q0: tensor<1x1152921504606846976x4x4xf32>, %k0: tensor<1x1152921504606846976x4x4xf32>,
    %v0: tensor<1x1152921504606846976x4x4xf32>) {
  // expected-error @+1 {{size of the fused projection overflows}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x16xf32>)
      weights(%w : tensor<16x8xf32>)
      outs(%q0, %k0, %v0 : tensor<1x1152921504606846976x4x4xf32>, tensor<1x1152921504606846976x4x4xf32>, tensor<1x1152921504606846976x4x4xf32>)
      -> tensor<1x1152921504606846976x4x4xf32>, tensor<1x1152921504606846976x4x4xf32>, tensor<1x1152921504606846976x4x4xf32>
  return
}

// -----

func.func @out_proj_head_size_overflow(%o: tensor<1x4611686018427387904x4x4xf32>,
    %w: tensor<0x16xf32>) {
  %y0 = tensor.empty() : tensor<1x4x16xf32>
  // expected-error @+1 {{size of the merged heads (H * Dv) overflows: 4611686018427387904 * 4}}
  %y = attn.out_proj ins(%o : tensor<1x4611686018427387904x4x4xf32>)
      weight(%w : tensor<0x16xf32>)
      outs(%y0 : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return
}

// -----

// The RoPE epilogue of attn.qkv_proj shares attn.rope's checks.

func.func @qkv_proj_rope_positions_length(%x: tensor<1x8x32xf32>,
    %w: tensor<32x64xf32>, %pos: tensor<7xi64>) {
  %q0 = tensor.empty() : tensor<1x2x8x16xf32>
  %k0 = tensor.empty() : tensor<1x1x8x16xf32>
  // expected-error @+1 {{expected positions dimension 0 (S) to be 8 as in query, got 7}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x8x32xf32>)
      weights(%w : tensor<32x64xf32>) rope half positions(%pos : tensor<7xi64>)
      outs(%q0, %k0, %k0 : tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>)
      -> tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>
  return
}

// -----

func.func @qkv_proj_rope_positions_rank(%x: tensor<1x8x32xf32>,
    %w: tensor<32x64xf32>, %pos: tensor<1x1x8xi64>) {
  %q0 = tensor.empty() : tensor<1x2x8x16xf32>
  %k0 = tensor.empty() : tensor<1x1x8x16xf32>
  // expected-error @+1 {{expected positions to have rank 1 [S] or 2 [B, S], got rank 3}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x8x32xf32>)
      weights(%w : tensor<32x64xf32>) rope half positions(%pos : tensor<1x1x8xi64>)
      outs(%q0, %k0, %k0 : tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>)
      -> tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>
  return
}

// -----

func.func @qkv_proj_rope_rotary_dim_odd(%x: tensor<1x8x32xf32>,
    %w: tensor<32x64xf32>, %pos: tensor<8xi64>) {
  %q0 = tensor.empty() : tensor<1x2x8x16xf32>
  %k0 = tensor.empty() : tensor<1x1x8x16xf32>
  // expected-error @+1 {{expected an even rotary dim in (0, 16], got 7}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x8x32xf32>)
      weights(%w : tensor<32x64xf32>) rope half rotary_dim(7) positions(%pos : tensor<8xi64>)
      outs(%q0, %k0, %k0 : tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>)
      -> tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>
  return
}

// -----

func.func @qkv_proj_rope_theta(%x: tensor<1x8x32xf32>,
    %w: tensor<32x64xf32>, %pos: tensor<8xi64>) {
  %q0 = tensor.empty() : tensor<1x2x8x16xf32>
  %k0 = tensor.empty() : tensor<1x1x8x16xf32>
  // expected-error @+1 {{expected theta to be positive and finite, got -1}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x8x32xf32>)
      weights(%w : tensor<32x64xf32>) rope half theta(-1.0) positions(%pos : tensor<8xi64>)
      outs(%q0, %k0, %k0 : tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>)
      -> tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>
  return
}

// -----

func.func @qkv_proj_rope_style_missing(%x: tensor<1x8x32xf32>,
    %w: tensor<32x64xf32>, %pos: tensor<8xi64>) {
  %q0 = tensor.empty() : tensor<1x2x8x16xf32>
  %k0 = tensor.empty() : tensor<1x1x8x16xf32>
  // expected-error @+1 {{expected a RoPE epilogue to have both a style and positions, or neither}}
  %q, %k, %v = "attn.qkv_proj"(%x, %w, %q0, %k0, %k0, %pos)
      <{operandSegmentSizes = array<i32: 1, 1, 0, 1, 1, 1, 1>}>
      : (tensor<1x8x32xf32>, tensor<32x64xf32>, tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<8xi64>)
      -> (tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>)
  return
}

// -----

func.func @qkv_proj_rope_theta_without_epilogue(%x: tensor<1x8x32xf32>,
    %w: tensor<32x64xf32>) {
  %q0 = tensor.empty() : tensor<1x2x8x16xf32>
  %k0 = tensor.empty() : tensor<1x1x8x16xf32>
  // expected-error @+1 {{expected no rope_theta, rotary_dim or rope scaling without a RoPE epilogue}}
  %q, %k, %v = "attn.qkv_proj"(%x, %w, %q0, %k0, %k0)
      <{operandSegmentSizes = array<i32: 1, 1, 0, 1, 1, 1, 0>,
        rope_theta = 5.0e+05 : f32}>
      : (tensor<1x8x32xf32>, tensor<32x64xf32>, tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>)
      -> (tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>)
  return
}

// -----

func.func @qkv_proj_rope_missing_positions_keyword(%x: tensor<1x8x32xf32>,
    %w: tensor<32x64xf32>, %pos: tensor<8xi64>) {
  %q0 = tensor.empty() : tensor<1x2x8x16xf32>
  %k0 = tensor.empty() : tensor<1x1x8x16xf32>
  // expected-error @+2 {{expected 'positions'}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x8x32xf32>)
      weights(%w : tensor<32x64xf32>) rope half (%pos : tensor<8xi64>)
      outs(%q0, %k0, %k0 : tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>)
      -> tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>
  return
}

// -----

func.func @qkv_proj_rope_bad_style(%x: tensor<1x8x32xf32>,
    %w: tensor<32x64xf32>, %pos: tensor<8xi64>) {
  %q0 = tensor.empty() : tensor<1x2x8x16xf32>
  %k0 = tensor.empty() : tensor<1x1x8x16xf32>
  // expected-error @+2 {{expected rope style 'half' or 'interleaved', got 'neox'}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x8x32xf32>)
      weights(%w : tensor<32x64xf32>) rope neox positions(%pos : tensor<8xi64>)
      outs(%q0, %k0, %k0 : tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>)
      -> tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>
  return
}

// -----

func.func @rope_scaling_unknown_kind(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected rope scaling 'linear' or 'llama3', got 'yarn'}}
  %q1, %k1 = attn.rope half scaling(yarn factor(4.0))
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_scaling_wrong_parameter_count(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected 4 parameters for llama3 rope scaling, got 1}}
  %q1, %k1 = "attn.rope"(%q, %k, %pos, %q0, %k0)
      <{style = #attn<rope_style half>, rope_scaling = #attn<rope_scaling llama3>,
        rope_scaling_params = array<f32: 8.0>}>
      : (tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>, tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> (tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
  return
}

// -----

func.func @rope_scaling_without_params(%q: tensor<1x4x4x8xf32>,
    %k: tensor<1x2x4x8xf32>, %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected rope_scaling and rope_scaling_params together, or neither}}
  %q1, %k1 = "attn.rope"(%q, %k, %pos, %q0, %k0)
      <{style = #attn<rope_style half>, rope_scaling = #attn<rope_scaling linear>}>
      : (tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>, tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> (tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
  return
}

// -----

func.func @rope_scaling_factor_zero(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %pos: tensor<1x4xi64>) {
  %q0 = tensor.empty() : tensor<1x4x4x8xf32>
  %k0 = tensor.empty() : tensor<1x2x4x8xf32>
  // expected-error @+1 {{expected positive, finite rope scaling parameters, got 0.000000e+00}}
  %q1, %k1 = attn.rope half scaling(linear factor(0.0))
      ins(%q, %k, %pos : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4xi64>)
      outs(%q0, %k0 : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>)
      -> tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>
  return
}

// -----

func.func @rope_scaling_llama3_bands_inverted(%x: tensor<1x4x32xf32>,
    %w: tensor<32x64xf32>, %pos: tensor<4xi64>) {
  %q0 = tensor.empty() : tensor<1x2x4x16xf32>
  %k0 = tensor.empty() : tensor<1x1x4x16xf32>
  // expected-error @+1 {{expected high_freq_factor above low_freq_factor, got 1.000000e+00 <= 4.000000e+00}}
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x32xf32>) weights(%w : tensor<32x64xf32>)
      rope half scaling(llama3 factor(8.0) low_freq_factor(4.0) high_freq_factor(1.0)
          original_max_positions(8192.0))
      positions(%pos : tensor<4xi64>)
      outs(%q0, %k0, %k0 : tensor<1x2x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>)
      -> tensor<1x2x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>
  return
}
