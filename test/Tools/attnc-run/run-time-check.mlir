// A failed run-time check in compiled code (cf.assert: kv_append writing past
// the end of a contiguous cache, start + Snew > Smax) exits with status 1, the
// check's message naming the op's location, and attnc-run's own one-line
// error; it neither crashes nor loses the message when stderr and stdout are
// pipes.

// In bounds: rows 1..3 of the 4-row caches are written, row 0 is kept.
// RUN: attnc-run call %s --input 1x1x3x2xf32=1 --input 1x1x3x2xf32=2 \
// RUN:   --input 1xi64=1 --input 1x1x4x2xf32=0 --input 1x1x4x2xf32=0 \
// RUN:   | FileCheck %s --check-prefix=FITS
// FITS: result[0]: tensor<1x1x4x2xf32> [0, 0, 1, 1, 1, 1, 1, 1]
// FITS-NEXT: result[1]: tensor<1x1x4x2xf32> [0, 0, 2, 2, 2, 2, 2, 2]

// RUN: not attnc-run call %s --input 1x1x3x2xf32=1 --input 1x1x3x2xf32=2 \
// RUN:   --input 1xi64=2 --input 1x1x4x2xf32=0 --input 1x1x4x2xf32=0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PAST-END --implicit-check-not=result
// PAST-END-DAG: run-time-check.mlir:[[# @LINE + 11]]:16: attn.kv_append: write past the end of the cache (start + Snew > Smax)
// PAST-END-DAG: {{^}}attnc-run: error: a run-time check in the compiled code failed

// RUN: not attnc-run call %s --input 1x1x3x2xf32=1 --input 1x1x3x2xf32=2 \
// RUN:   --input 1xi64=-1 --input 1x1x4x2xf32=0 --input 1x1x4x2xf32=0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NEGATIVE --implicit-check-not=result
// NEGATIVE-DAG: run-time-check.mlir:[[# @LINE + 5]]:16: attn.kv_append: negative start position
// NEGATIVE-DAG: {{^}}attnc-run: error: a run-time check in the compiled code failed
func.func @kv_append(%k: tensor<1x1x3x2xf32>, %v: tensor<1x1x3x2xf32>,
    %start: tensor<1xi64>, %kc: tensor<1x1x4x2xf32>, %vc: tensor<1x1x4x2xf32>)
    -> (tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>)
      at(%start : tensor<1xi64>)
      outs(%kc, %vc : tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>)
      -> tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>
  return %kc1, %vc1 : tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>
}
