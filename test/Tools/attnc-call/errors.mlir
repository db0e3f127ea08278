// attnc-call errors: each exits with status 1 and one line
// "attnc-call: error: ..." (--implicit-check-not=error:), never with a
// signal. The messages are those of `attnc-run call` (call-errors.mlir,
// test/Tools/attnc/library-errors.mlir).

// RUN: attnc compile %s --target=cpu -o %t.so

// The command line.
// RUN: not attnc-call 2>&1 | FileCheck %s --check-prefix=NO-LIBRARY --implicit-check-not=error:
// NO-LIBRARY: {{^}}attnc-call: error: no library given (usage: attnc-call <library.so> --function <name> ...; see --help){{$}}
// RUN: not attnc-call %t.so --function add --frobnicate 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNKNOWN-OPTION --implicit-check-not=error:
// UNKNOWN-OPTION: {{^}}attnc-call: error: unknown option '--frobnicate' (see --help){{$}}
// RUN: not attnc-call %t.so --function 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-VALUE --implicit-check-not=error:
// NO-VALUE: {{^}}attnc-call: error: --function needs a value{{$}}
// RUN: not attnc-call %t.so --function add --repeat many 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPEAT-TEXT --implicit-check-not=error:
// REPEAT-TEXT: {{^}}attnc-call: error: --repeat: expected a non-negative integer, got 'many'{{$}}
// RUN: not attnc-call %t.so --function add --input 2x3xf32=1 \
// RUN:   --input 2x3xf32=1 --repeat 0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPEAT-ZERO --implicit-check-not=error:
// REPEAT-ZERO: {{^}}attnc-call: error: --repeat must be at least 1{{$}}
// RUN: not attnc-call %t.so --function add --device tpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DEVICE-NAME --implicit-check-not=error:
// DEVICE-NAME: {{^}}attnc-call: error: --device tpu: expected cpu or cuda{{$}}

// The library and the function.
// RUN: not attnc-call %t.missing.so --function f 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING --implicit-check-not=error:
// MISSING: {{^}}attnc-call: error: cannot load '{{[^ ]*}}.missing.so': {{.*}}No such file or directory{{$}}
// RUN: not attnc-call %t.so --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-FUNCTION --implicit-check-not=error:
// NO-FUNCTION: {{^}}attnc-call: error: --function is required with a library ('{{[^ ]*}}.so'){{$}}
// RUN: not attnc-call %t.so --function nope 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNKNOWN --implicit-check-not=error:
// UNKNOWN: {{^}}attnc-call: error: '{{[^ ]*}}.so' has no function @nope compiled by attnc (no attnc_signature_nope symbol){{$}}

// A CPU library does not run on CUDA (with or without a driver).
// RUN: not attnc-call %t.so --function add --device cuda --input 2x3xf32=1 \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CPU-ON-CUDA --implicit-check-not=error:
// CPU-ON-CUDA: {{^}}attnc-call: error: '{{[^ ]*}}.so' is a CPU library: --device cuda needs a library compiled with `attnc compile --target=cuda`{{$}}

// Inputs: count, dtype, rank and static dimensions, from literals and
// .npy files.
// RUN: not attnc-call %t.so --function add --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TOO-FEW --implicit-check-not=error:
// TOO-FEW: {{^}}attnc-call: error: @add takes 2 input(s) (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>, got 1{{$}}
// RUN: not attnc-call %t.so --function add --input 2x3xf32=1 \
// RUN:   --input 2x3xf64=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DTYPE --implicit-check-not=error:
// DTYPE: {{^}}attnc-call: error: input 1 (2x3xf64=1) of @add: expected tensor<2x3xf32>, got tensor<2x3xf64>{{$}}
// RUN: not attnc-call %t.so --function dynamic --input 5x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DYNAMIC --implicit-check-not=error:
// DYNAMIC: {{^}}attnc-call: error: input 0 (5x3xf32=1) of @dynamic: expected tensor<?x4xf32>, got tensor<5x3xf32>{{$}}
// RUN: %python -c "import numpy; numpy.save('%t.i32.npy', numpy.zeros((2, 3), dtype=numpy.int32)); numpy.save('%t.f32x24.npy', numpy.zeros((2, 4), dtype=numpy.float32)); numpy.save('%t.u4.npy', numpy.ones((2, 3), dtype=numpy.uint32))"
// RUN: not attnc-call %t.so --function add --input @%t.i32.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-DTYPE --implicit-check-not=error:
// NPY-DTYPE: {{^}}attnc-call: error: {{[^ ]*}}.i32.npy: expected dtype f32, but the file holds i32 ('<i4'){{$}}
// RUN: not attnc-call %t.so --function add --input @%t.f32x24.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-SHAPE --implicit-check-not=error:
// NPY-SHAPE: {{^}}attnc-call: error: input 0 (@{{[^ ]*}}.f32x24.npy) of @add: expected tensor<2x3xf32>, got tensor<2x4xf32>{{$}}
// RUN: not attnc-call %t.so --function add --input @%t.u4.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-U4 --implicit-check-not=error:
// NPY-U4: {{^}}attnc-call: error: {{[^ ]*}}.u4.npy: unsupported dtype '<u4' (supported: {{.*}}){{$}}
// RUN: not attnc-call %t.so --function add --input @%t.missing.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-MISSING --implicit-check-not=error:
// NPY-MISSING: {{^}}attnc-call: error: {{[^ ]*}}.missing.npy: cannot open file: No such file or directory{{$}}
// RUN: not attnc-call %t.so --function add --input "2x3xf32=1 2" \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LITERAL --implicit-check-not=error:
// LITERAL: {{^}}attnc-call: error: --input 2x3xf32=1 2: invalid tensor literal '2x3xf32=1 2': expected 6 values (or 1 to splat), got 2{{$}}

// Outputs.
// RUN: not attnc-call %t.so --function add --input 2x3xf32=1 \
// RUN:   --input 2x3xf32=1 --output - --output - 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OUTPUTS --implicit-check-not=error: --implicit-check-not=result
// OUTPUTS: {{^}}attnc-call: error: 2 --output given but @add has 1 result(s){{$}}
// RUN: not attnc-call %t.so --function add --input 2x3xf32=1 \
// RUN:   --input 2x3xf32=1 --output %t.out.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OUTPUT-SPEC --implicit-check-not=error: --implicit-check-not=result
// OUTPUT-SPEC: {{^}}attnc-call: error: --output {{[^ ]*}}.out.npy: expected @file.npy or - (print a summary){{$}}

func.func @add(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.add ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>)
      outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}
func.func @dynamic(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %a : tensor<?x4xf32>
}
