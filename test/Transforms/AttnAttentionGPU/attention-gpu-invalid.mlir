// RUN: attnc-opt %s -split-input-file -attn-attention-gpu=chip=sm_80 -verify-diagnostics
// RUN: not attnc-opt %s -split-input-file -attn-attention-gpu=chip=sm_70 2>&1 | FileCheck %s --check-prefix=CHIP
// CHIP: error: unknown GPU chip 'sm_70' (expected one of sm_80, {{.*}})

func.func @head_dim_72(%q: tensor<1x2x8x72xf16>, %k: tensor<1x2x8x72xf16>, %v: tensor<1x2x8x72xf16>) -> tensor<1x2x8x72xf16> {
  %e = tensor.empty() : tensor<1x2x8x72xf16>
  // expected-error @+1 {{'attn.attention' op is not supported by the cuda target: the head dim (72) is not a multiple of 16}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x8x72xf16>, tensor<1x2x8x72xf16>, tensor<1x2x8x72xf16>) outs(%e : tensor<1x2x8x72xf16>) -> tensor<1x2x8x72xf16>
  return %o : tensor<1x2x8x72xf16>
}

// -----

func.func @value_dim_40(%q: tensor<1x2x8x64xf32>, %k: tensor<1x2x8x64xf32>, %v: tensor<1x2x8x40xf32>) -> tensor<1x2x8x40xf32> {
  %e = tensor.empty() : tensor<1x2x8x40xf32>
  // expected-error @+1 {{'attn.attention' op is not supported by the cuda target: the value head dim (40) is not a multiple of 16}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>, tensor<1x2x8x40xf32>) outs(%e : tensor<1x2x8x40xf32>) -> tensor<1x2x8x40xf32>
  return %o : tensor<1x2x8x40xf32>
}
