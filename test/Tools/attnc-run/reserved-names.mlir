// The JIT compiles through the same pipeline: a function named @memset used
// to segfault (every buffer fill called it); now it is one error naming the
// function. See also test/Tools/attnc/reserved-names.mlir.

// RUN: not attnc-run call %s --input 4xf32=1 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=error:
// CHECK: reserved-names.mlir:[[# @LINE + 3]]:1: error: cannot compile @memset: the name is reserved for the C library functions compiled code calls; rename the function
// CHECK: {{^}}attnc-run: error: lowering for the CPU failed{{$}}

func.func @memset(%a: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%c : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %r = linalg.add ins(%a, %z : tensor<4xf32>, tensor<4xf32>)
      outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
