// Invalid tilings of attn-flash-cpu fail the pass with one error that names
// the values, and leave nothing half-rewritten.

// RUN: not attnc-opt %s -attn-flash-cpu="vector-width=12" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-VL
// RUN: not attnc-opt %s -attn-flash-cpu="vector-width=4" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-VL4
// RUN: not attnc-opt %s -attn-flash-cpu="vector-registers=4" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-REGS
// RUN: not attnc-opt %s -attn-flash-cpu="block-q=-3 vector-width=8" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-BQ-NEG

// BAD-VL: error: attn-flash-cpu: expected 0 <= block-q <= vector-width, vector-width 8 or 16 and vector-registers 0 or >= 8, got 0, 12 and 0{{$}}
// BAD-VL-NOT: scf.forall
// BAD-VL4: error: attn-flash-cpu: expected 0 <= block-q <= vector-width, vector-width 8 or 16 and vector-registers 0 or >= 8, got 0, 4 and 0{{$}}
// BAD-REGS: error: attn-flash-cpu: expected 0 <= block-q <= vector-width, vector-width 8 or 16 and vector-registers 0 or >= 8, got 0, 16 and 4{{$}}
// BAD-REGS-NOT: scf.forall
// BAD-BQ-NEG: error: attn-flash-cpu: expected 0 <= block-q <= vector-width, vector-width 8 or 16 and vector-registers 0 or >= 8, got -3, 8 and 0{{$}}
func.func @attention(%q: tensor<1x2x8x32xf32>, %k: tensor<1x2x8x32xf32>,
    %v: tensor<1x2x8x32xf32>) -> tensor<1x2x8x32xf32> {
  %o0 = tensor.empty() : tensor<1x2x8x32xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>)
      outs(%o0 : tensor<1x2x8x32xf32>) -> tensor<1x2x8x32xf32>
  return %o : tensor<1x2x8x32xf32>
}
