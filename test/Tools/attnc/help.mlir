// `attnc --help` lists attnc's own options, not the ~390 lines of the
// LLVM and MLIR libraries it links.

// RUN: attnc --help | FileCheck %s --check-prefix=TOP --implicit-check-not=-mlir- --implicit-check-not=--x86
// TOP: compile - Compile a module ahead of time into a shared library
// RUN: attnc --help | wc -l | FileCheck %s --check-prefix=SHORT
// RUN: attnc compile --help | wc -l | FileCheck %s --check-prefix=SHORT
// SHORT: {{^ *[1-3]?[0-9]$}}

// RUN: attnc compile --help | FileCheck %s --check-prefix=COMPILE --implicit-check-not=-mlir- --implicit-check-not=--x86
// COMPILE: attnc compile options:
// COMPILE-DAG: --emit-mlir
// COMPILE-DAG: --gpu-chip=<string>
// COMPILE-DAG: -o <path>
// COMPILE-DAG: --target=<string>
// COMPILE-DAG: --target-cpu=<string>

// The hidden options still work.
// RUN: attnc compile %s -o %t.mlir --mlir-print-debuginfo
// RUN: FileCheck %s --check-prefix=DEBUGINFO < %t.mlir
// DEBUGINFO: loc(

// An output that is the input is refused (it used to overwrite the source).
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %s %t.d/in.mlir
// RUN: not attnc compile %t.d/in.mlir -o %t.d/in.mlir 2>&1 | FileCheck %s --check-prefix=SAME
// RUN: cd %t.d && not attnc compile %t.d/in.mlir -o ./in.mlir 2>&1 | FileCheck %s --check-prefix=SAME
// SAME: attnc: error: -o {{.*}}in.mlir is the input '{{.*}}in.mlir': refusing to overwrite it
// RUN: cmp %s %t.d/in.mlir

func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
