// A module without a public function (only private ones, or nothing) cannot
// be called: say so, instead of "has 0 public functions (): choose one with
// --function", which --function cannot fix.

// RUN: not attnc-run call %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PRIVATE --implicit-check-not=error:
// PRIVATE: {{^}}attnc-run: error: '{{[^ ]*}}no-public-function.mlir' has no public function{{.*$}}
// PRIVATE-NOT: choose one
// RUN: not attnc-run call %s --function helper 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NAMED --implicit-check-not=error:
// NAMED: {{^}}attnc-run: error: no public function @helper in '{{[^ ]*}}no-public-function.mlir' (available: none){{$}}
// RUN: rm -f %t.empty.mlir && touch %t.empty.mlir
// RUN: not attnc-run call %t.empty.mlir 2>&1 \
// RUN:   | FileCheck %s --check-prefix=EMPTY --implicit-check-not=error:
// EMPTY: {{^}}attnc-run: error: '{{[^ ]*}}.empty.mlir' has no public function{{.*$}}
// EMPTY-NOT: choose one
func.func private @helper(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
