// `attnc compile --report-fallbacks` and `attnc-run call --report-fallbacks`
// name each op that takes the reference lowering instead of a fused kernel
// (a remark at the op, with the reason), and nothing else: attention of head
// dim 24 runs fused, attn.masked_softmax (no fused kernel) does not.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: attnc compile %s --target=cpu -o %t/lib.so --report-fallbacks 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=remark
// RUN: %python -c "import numpy as np; \
// RUN:   [np.save('%t/%%s.npy' %% n, np.ones(s, np.float32)) for n, s in \
// RUN:    (('q', (1, 2, 5, 24)), ('s', (2, 3, 5)))]"
// RUN: attnc-run call %s --function f --input=@%t/q.npy --input=@%t/s.npy \
// RUN:   --output=@%t/o.npy --output=@%t/p.npy --report-fallbacks 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=remark
// Without the flag: no remark.
// RUN: attnc compile %s --target=cpu -o %t/lib.so 2>&1 | count 0

// CHECK: report_fallbacks.mlir:[[@LINE+8]]:8: remark: attn.masked_softmax takes the reference lowering: no fused CPU kernel
func.func @f(%q: tensor<1x2x5x24xf32>, %s: tensor<2x3x5xf32>)
    -> (tensor<1x2x5x24xf32>, tensor<2x3x5xf32>) {
  %o0 = tensor.empty() : tensor<1x2x5x24xf32>
  %o = attn.attention causal
      ins(%q, %q, %q : tensor<1x2x5x24xf32>, tensor<1x2x5x24xf32>, tensor<1x2x5x24xf32>)
      outs(%o0 : tensor<1x2x5x24xf32>) -> tensor<1x2x5x24xf32>
  %p0 = tensor.empty() : tensor<2x3x5xf32>
  %p = attn.masked_softmax causal ins(%s : tensor<2x3x5xf32>)
      outs(%p0 : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %o, %p : tensor<1x2x5x24xf32>, tensor<2x3x5xf32>
}
