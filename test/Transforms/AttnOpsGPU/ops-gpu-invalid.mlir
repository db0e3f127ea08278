// RUN: attnc-opt %s -attn-ops-gpu=chip=sm_70 -verify-diagnostics

// The kernels are built for a chip the pass knows.

// expected-error @+1 {{unknown chip 'sm_70', expected one of sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a, sm_100, sm_100a, sm_120}}
module {
  func.func @rope(%q: tensor<1x1x2x8xf32>, %k: tensor<1x1x2x8xf32>, %pos: tensor<2xi32>) -> (tensor<1x1x2x8xf32>, tensor<1x1x2x8xf32>) {
    %q1, %k1 = attn.rope half ins(%q, %k, %pos : tensor<1x1x2x8xf32>, tensor<1x1x2x8xf32>, tensor<2xi32>)
        outs(%q, %k : tensor<1x1x2x8xf32>, tensor<1x1x2x8xf32>) -> tensor<1x1x2x8xf32>, tensor<1x1x2x8xf32>
    return %q1, %k1 : tensor<1x1x2x8xf32>, tensor<1x1x2x8xf32>
  }
}
