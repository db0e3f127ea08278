// The output kind comes from the extension; an unknown one is refused with a
// message that lists every kind, .mlir included (it listed ".so, .o or .ll"),
// and no file is written.

// RUN: not attnc compile %s -o %t.txt 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=error:
// CHECK: {{^}}attnc: error: unknown output kind '{{[^ ]*}}.txt': expected {{.*}}.so{{.*}}.o{{.*}}.ll{{.*}}.mlir{{$}}
// RUN: not ls %t.txt
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
