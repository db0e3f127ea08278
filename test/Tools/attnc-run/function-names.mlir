// Naming functions: `--function @f` works (the MLIR spelling), a wrong name
// lists the available ones (JIT and library), a library with one function
// needs no --function, and `--input q.npy` (no '@') hints at @q.npy.

// RUN: rm -rf %t && mkdir -p %t && split-file %s %t
// RUN: attnc compile %t/two.mlir -o %t/two.so
// RUN: attnc compile %t/one.mlir -o %t/one.so

// RUN: attnc-run call %t/two.mlir --function @twice --input 2xf32=1.5 \
// RUN:   | FileCheck %s --check-prefix=TWICE
// RUN: attnc-run call %t/two.so --function @twice --input 2xf32=1.5 \
// RUN:   | FileCheck %s --check-prefix=TWICE
// RUN: attnc-run call %t/one.so --input 2xf32=1.5 | FileCheck %s --check-prefix=TWICE
// A library is recognised by its content, whatever its name.
// RUN: cp %t/one.so %t/libone.so.1
// RUN: attnc-run call %t/libone.so.1 --input 2xf32=1.5 | FileCheck %s --check-prefix=TWICE
// TWICE: result[0]: tensor<2xf32> [3, 3]

// RUN: not attnc-run call %t/two.so --function thrice --input 2xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=WRONG-SO
// WRONG-SO: attnc-run: error: '{{.*}}two.so' has no function @thrice {{.*}}(available: @neg, @twice)
// RUN: not attnc-run call %t/two.mlir --function thrice --input 2xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=WRONG-JIT
// WRONG-JIT: attnc-run: error: no public function @thrice in '{{.*}}two.mlir' (available: @twice, @neg)
// RUN: not attnc-run call %t/two.so --input 2xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CHOOSE
// CHOOSE: attnc-run: error: '{{.*}}two.so' has 2 functions (@neg, @twice): choose one with --function

// RUN: cd %t && touch q.npy && not attnc-run call %t/one.so --input q.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=HINT
// HINT: attnc-run: error: --input q.npy: {{.*}} (to read the file 'q.npy', write --input @q.npy)

//--- two.mlir
func.func @twice(%a: tensor<2xf32>) -> tensor<2xf32> {
  %e = tensor.empty() : tensor<2xf32>
  %r = linalg.add ins(%a, %a : tensor<2xf32>, tensor<2xf32>)
      outs(%e : tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}
func.func @neg(%a: tensor<2xf32>) -> tensor<2xf32> {
  %e = tensor.empty() : tensor<2xf32>
  %r = linalg.negf ins(%a : tensor<2xf32>) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}

//--- one.mlir
func.func @twice(%a: tensor<2xf32>) -> tensor<2xf32> {
  %e = tensor.empty() : tensor<2xf32>
  %r = linalg.add ins(%a, %a : tensor<2xf32>, tensor<2xf32>)
      outs(%e : tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}
