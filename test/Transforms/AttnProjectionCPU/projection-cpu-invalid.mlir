// An invalid vector width fails attn-projection-cpu with one error that
// names it.

// RUN: not attnc-opt %s -attn-projection-cpu="vector-width=4" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-VL

// BAD-VL: error: attn-projection-cpu: expected vector-width 8 or 16, got 4{{$}}
// BAD-VL-NOT: scf.forall
func.func @qkv(%x: tensor<1x5x64xf32>, %w: tensor<64x128xf32>)
    -> tensor<1x2x5x32xf32> {
  %q0 = tensor.empty() : tensor<1x2x5x32xf32>
  %k0 = tensor.empty() : tensor<1x1x5x32xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x5x64xf32>)
      weights(%w : tensor<64x128xf32>)
      outs(%q0, %k0, %k0 : tensor<1x2x5x32xf32>, tensor<1x1x5x32xf32>, tensor<1x1x5x32xf32>)
      -> tensor<1x2x5x32xf32>, tensor<1x1x5x32xf32>, tensor<1x1x5x32xf32>
  return %q : tensor<1x2x5x32xf32>
}
