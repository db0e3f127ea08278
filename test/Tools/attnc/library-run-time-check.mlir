// A failed run-time check inside a compiled library (kv_append past the end
// of a contiguous cache) is reported like in the JIT: the check's message with
// the op's location, then attnc-run's one-line error, exit status 1.

// RUN: attnc compile %s -o %t.so
// RUN: not attnc-run call %t.so --function kv_append --input 1x1x3x2xf32=1 \
// RUN:   --input 1x1x3x2xf32=2 --input 1xi64=2 --input 1x1x4x2xf32=0 \
// RUN:   --input 1x1x4x2xf32=0 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=result
// CHECK-DAG: library-run-time-check.mlir:[[# @LINE + 5]]:16: attn.kv_append: write past the end of the cache (start + Snew > Smax)
// CHECK-DAG: {{^}}attnc-run: error: a run-time check in the compiled code failed
func.func @kv_append(%k: tensor<1x1x3x2xf32>, %v: tensor<1x1x3x2xf32>,
    %start: tensor<1xi64>, %kc: tensor<1x1x4x2xf32>, %vc: tensor<1x1x4x2xf32>)
    -> (tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>)
      at(%start : tensor<1xi64>)
      outs(%kc, %vc : tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>)
      -> tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>
  return %kc1, %vc1 : tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>
}
