// --target-cpu and --target-features name things LLVM knows; anything else is
// one "attnc: error: ..." line and exit status 1. LLVM's own warnings ("'x' is
// not a recognized processor for this target (ignoring processor)", printed
// once per subtarget created) must not leak, and an unknown feature must not
// be ignored silently (it was: three warnings and exit status 0).

// RUN: not attnc compile %s --target-cpu=not-a-cpu -o %t.cpu.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CPU --implicit-check-not=error: \
// RUN:       --implicit-check-not='not a recognized'
// CPU: {{^}}attnc: error: unknown target CPU 'not-a-cpu' for {{.*}}{{$}}
// RUN: not ls %t.cpu.so

// RUN: not attnc compile %s --target-features=+avx2,+not-a-feature -o %t.features.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=FEATURES --implicit-check-not=error: \
// RUN:       --implicit-check-not='not a recognized'
// FEATURES: {{^}}attnc: error: {{.*}}not-a-feature{{.*$}}
// RUN: not ls %t.features.so
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
