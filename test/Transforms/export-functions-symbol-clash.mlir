// A user symbol that happens to be named like a signature global must not be
// erased (it was: the pass deleted @attnc_signature_f, then visited the freed
// op). The pass reports the clash instead.
//
// RUN: not attnc-opt %s -split-input-file -attnc-export-functions 2>&1 | FileCheck %s

// CHECK: error: {{.*}}@attnc_signature_f
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
func.func @attnc_signature_f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}

// -----

// The clashing function is called: erasing it would leave a dangling call.

// CHECK: error: {{.*}}@attnc_signature_g
// CHECK-NOT: does not reference a valid function
func.func private @attnc_signature_g(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
func.func @g(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = func.call @attnc_signature_g(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
