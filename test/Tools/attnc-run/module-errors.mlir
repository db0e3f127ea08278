// attnc-run errors about the module: it cannot be read, does not parse or
// verify, or cannot be lowered. MLIR's diagnostic (file:line:col) comes
// first, then one line "attnc-run: error: ..."; the exit status is 1.

// RUN: rm -rf %t && split-file --leading-lines %s %t

// RUN: not attnc-run call %t/missing.mlir 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING --implicit-check-not=error:
// MISSING: {{^}}attnc-run: error: cannot read '{{[^ ]*}}missing.mlir': {{.*}}No such file or directory{{$}}

// RUN: not attnc-run call %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DIRECTORY --implicit-check-not=error:
// DIRECTORY: {{^}}attnc-run: error: cannot read '{{[^ ]*}}': {{.*}}Is a directory{{$}}

// RUN: not attnc-run call %t/parse.mlir 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PARSE --implicit-check-not=error:
// PARSE: {{^[^ ]*}}parse.mlir:[[# @LINE + 21]]:10: error: use of undeclared SSA value name
// PARSE: {{^}}attnc-run: error: '{{[^ ]*}}parse.mlir' is not a valid MLIR module{{$}}

// RUN: not attnc-run call %t/verify.mlir 2>&1 \
// RUN:   | FileCheck %s --check-prefix=VERIFY --implicit-check-not=error:
// VERIFY: {{^[^ ]*}}verify.mlir:[[# @LINE + 21]]:3: error: type of return operand 0 ('tensor<2xf32>') doesn't match function result type ('tensor<3xf32>') in function @f
// VERIFY: {{^}}attnc-run: error: '{{[^ ]*}}verify.mlir' is not a valid MLIR module{{$}}

// RUN: not attnc-run call %t/attn-verify.mlir 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ATTN --implicit-check-not=error:
// ATTN: {{^[^ ]*}}attn-verify.mlir:[[# @LINE + 23]]:8: error: 'attn.attention' op expected key dimension 3 (D) to be 8 as in query, got 4
// ATTN: {{^}}attnc-run: error: '{{[^ ]*}}attn-verify.mlir' is not a valid MLIR module{{$}}

// RUN: not attnc-run call %t/not-lowered.mlir --input i64=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LOWER --implicit-check-not=error:
// LOWER: {{^[^ ]*}}not-lowered.mlir:[[# @LINE + 28]]:8: error: 'gpu.thread_id' was not lowered to the LLVM dialect
// LOWER: {{^[^ ]*}}not-lowered.mlir:[[# @LINE + 28]]:8: error: 'builtin.unrealized_conversion_cast' was not lowered to the LLVM dialect
// LOWER: {{^}}attnc-run: error: lowering for the CPU failed{{$}}

//--- parse.mlir
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %b : tensor<2xf32>
}

//--- verify.mlir
func.func @f(%a: tensor<2xf32>) -> tensor<3xf32> {
  return %a : tensor<2xf32>
}

//--- attn-verify.mlir
func.func @attention(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x4xf32>,
    %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %o0 = tensor.empty() : tensor<1x2x4x8xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>)
      outs(%o0 : tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

//--- not-lowered.mlir
// A GPU op on the CPU path; the cast that bridged it to its LLVM user is
// left over as well.
func.func @thread_id(%a: tensor<i64>) -> tensor<i64> {
  %x = tensor.extract %a[] : tensor<i64>
  %t = gpu.thread_id x
  %i = arith.index_cast %t : index to i64
  %y = arith.addi %x, %i : i64
  %r = tensor.from_elements %y : tensor<i64>
  return %r : tensor<i64>
}
