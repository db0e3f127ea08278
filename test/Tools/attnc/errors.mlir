// `attnc compile` errors: exit status 1 and one line "attnc: error: ...",
// after MLIR's diagnostic where there is one; no output file is left behind.

// RUN: rm -rf %t && mkdir -p %t && split-file --leading-lines %s %t

// RUN: not attnc compile %t/ok.mlir --target=tpu -o %t/tpu.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TARGET --implicit-check-not=error:
// TARGET: {{^}}attnc: error: unsupported --target='tpu' (supported: cpu, cuda){{$}}
// RUN: not ls %t/tpu.so

// RUN: not attnc compile %t/ok.mlir --target=cuda --gpu-chip=sm_70 -o %t/cuda.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CHIP --implicit-check-not=error:
// CHIP: {{^}}attnc: error: unsupported GPU chip 'sm_70' (supported: sm_80, {{.*}}){{$}}
// RUN: not ls %t/cuda.so

// RUN: not attnc compile %t/ok.mlir --target=cuda --gpu-format=elf -o %t/cuda.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=FORMAT --implicit-check-not=error:
// FORMAT: {{^}}attnc: error: unknown GPU binary format 'elf' (expected bin, isa or fatbin){{$}}

// RUN: env CUDA_HOME=%t/no-cuda not attnc compile %t/ok.mlir --target=cuda -o %t/cuda.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PTXAS --implicit-check-not=error:
// PTXAS: {{^}}attnc: error: the CUDA toolkit's ptxas is missing (looked for '{{.*}}no-cuda/bin/ptxas'): install the CUDA toolkit or point CUDA_HOME at it{{$}}
// RUN: not ls %t/cuda.so

// RUN: not attnc compile %attnc_src_root/examples/tiny-gpt2-licenses --max-seq=-5 -o %t/m.attnc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MAXSEQ --implicit-check-not=error:
// MAXSEQ: {{^}}attnc: error: --max-seq=-5: expected a positive number of positions (0 or absent: the model's maximum context){{$}}
// RUN: not ls %t/m.attnc

// RUN: not attnc compile %t/missing.mlir -o %t/missing.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING --implicit-check-not=error:
// MISSING: {{^}}attnc: error: cannot read '{{[^ ]*}}missing.mlir': {{.*}}No such file or directory{{$}}

// RUN: not attnc compile %t/private.mlir -o %t/private.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PRIVATE --implicit-check-not=error:
// PRIVATE: {{^}}attnc: error: '{{[^ ]*}}private.mlir' has no public function to compile{{$}}
// RUN: not ls %t/private.so

// RUN: not attnc compile %t/parse.mlir -o %t/parse.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PARSE --implicit-check-not=error:
// PARSE: {{^[^ ]*}}parse.mlir:[[# @LINE + 27]]:10: error: use of undeclared SSA value name
// PARSE: {{^}}attnc: error: '{{[^ ]*}}parse.mlir' is not a valid MLIR module{{$}}

// RUN: not attnc compile %t/not-lowered.mlir -o %t/not-lowered.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LOWER --implicit-check-not=error:
// LOWER: {{^[^ ]*}}not-lowered.mlir:[[# @LINE + 30]]:8: error: 'gpu.thread_id' was not lowered to the LLVM dialect
// LOWER: {{^[^ ]*}}not-lowered.mlir:[[# @LINE + 30]]:8: error: 'builtin.unrealized_conversion_cast' was not lowered to the LLVM dialect
// LOWER: {{^}}attnc: error: lowering for the CPU failed{{$}}
// RUN: not ls %t/not-lowered.so

// RUN: not attnc compile %t/bad-signature.mlir -o %t/bad-signature.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SIGNATURE --implicit-check-not=error:
// SIGNATURE: {{^[^ ]*}}bad-signature.mlir:[[# @LINE + 31]]:1: error: cannot export @f: argument #0 has type 'f32'; exported functions take and return ranked tensors of
// SIGNATURE: {{^}}attnc: error: lowering for the CPU failed{{$}}

//--- ok.mlir
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}

//--- private.mlir
func.func private @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}

//--- parse.mlir
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %b : tensor<2xf32>
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

//--- bad-signature.mlir
func.func @f(%s: f32) -> tensor<f32> {
  %r = tensor.from_elements %s : tensor<f32>
  return %r : tensor<f32>
}
