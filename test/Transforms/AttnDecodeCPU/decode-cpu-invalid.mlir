// Invalid options of attn-decode-cpu fail the pass with one error that names
// both values.

// RUN: not attnc-opt %s -attn-decode-cpu="vector-width=32" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-VL
// RUN: not attnc-opt %s -attn-decode-cpu="min-work-items=0" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-ITEMS

// BAD-VL: error: attn-decode-cpu: expected min-work-items > 0 and vector-width 8 or 16, got 64 and 32{{$}}
// BAD-VL-NOT: scf.forall
// BAD-ITEMS: error: attn-decode-cpu: expected min-work-items > 0 and vector-width 8 or 16, got 0 and 16{{$}}
// BAD-ITEMS-NOT: scf.forall
func.func @decode(%q: tensor<1x2x1x32xf32>, %kc: tensor<1x2x64x32xf32>,
    %vc: tensor<1x2x64x32xf32>, %lens: tensor<1xi32>) -> tensor<1x2x1x32xf32> {
  %o0 = tensor.empty() : tensor<1x2x1x32xf32>
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x2x1x32xf32>, tensor<1x2x64x32xf32>, tensor<1x2x64x32xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x2x1x32xf32>) -> tensor<1x2x1x32xf32>
  return %o : tensor<1x2x1x32xf32>
}
