// RUN: attnc-opt %s --attnc-approximate-math | FileCheck %s

// exp and tanh on f32 scalars and vectors become polynomials (arith ops, no
// math.exp or math.tanh, hence no libm call per lane); on tensors they stay
// as they are, for the CPU pipeline's convert-elementwise-to-linalg (the
// upstream patterns would build an arith.cmpf of a tensor and an f32).

// CHECK-LABEL: func.func @scalar_and_vector(
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK: arith.mulf
// CHECK: return
func.func @scalar_and_vector(%x: f32, %v: vector<16xf32>) -> (f32, vector<16xf32>) {
  %e = math.exp %x : f32
  %t = math.tanh %v : vector<16xf32>
  return %e, %t : f32, vector<16xf32>
}

// CHECK-LABEL: func.func @tensor(
// CHECK-NEXT: %[[E:.*]] = math.exp %{{.*}} : tensor<2x3xf32>
// CHECK-NEXT: %[[T:.*]] = math.tanh %[[E]] : tensor<2x3xf32>
// CHECK-NEXT: return %[[T]]
func.func @tensor(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = math.exp %x : tensor<2x3xf32>
  %t = math.tanh %e : tensor<2x3xf32>
  return %t : tensor<2x3xf32>
}
