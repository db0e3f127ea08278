// attnc-run call on this module: literal and splat inputs, the summary line
// of each result, .npy outputs read back by numpy, every ABI element type
// but bf16 (see bf16.mlir), several results, results that are arguments,
// 0-d and dynamically shaped tensors. The values are computed by hand.

// Causal attention with identical queries and keys weighs the visible keys
// equally: row i of the output is the mean of V rows 0..i. With V = 2
// everywhere it is 2 everywhere; with V row j = j it is i / 2.
// RUN: attnc-run call %s --function attention --input 1x1x4x2xf32=0.5 \
// RUN:   --input 1x1x4x2xf32=0.5 --input 1x1x4x2xf32=2 \
// RUN:   | FileCheck %s --check-prefix=SPLAT
// SPLAT: result[0]: tensor<1x1x4x2xf32> [2, 2, 2, 2, 2, 2, 2, 2]
// RUN: attnc-run call %s --function attention --input 1x1x4x2xf32=0.5 \
// RUN:   --input 1x1x4x2xf32=0.5 --input "1x1x4x2xf32=0 0 1 1 2 2 3 3" \
// RUN:   | FileCheck %s --check-prefix=CAUSAL
// CAUSAL: result[0]: tensor<1x1x4x2xf32> [0, 0, 0.5, 0.5, 1, 1, 1.5, 1.5]

// The summary shows --print-values values, then "..."; nested brackets
// in a literal are separators.
// RUN: attnc-run call %s --function attention --input 1x1x4x2xf32=0.5 \
// RUN:   --input 1x1x4x2xf32=0.5 --input "1x1x4x2xf32=[[0, 0], [1, 1], [2, 2], [3, 3]]" \
// RUN:   --print-values=3 | FileCheck %s --check-prefix=PRINT3OK
// PRINT3OK: result[0]: tensor<1x1x4x2xf32> [0, 0, 0.5, ...]

// The time goes to stderr, the summary to stdout.
// RUN: attnc-run call %s --function attention --input 1x1x4x2xf32=0 \
// RUN:   --input 1x1x4x2xf32=0 --input 1x1x4x2xf32=1 2>&1 >/dev/null \
// RUN:   | FileCheck %s --check-prefix=TIME
// TIME: @attention ran in {{[0-9.]+}} ms
func.func @attention(%q: tensor<1x1x4x2xf32>, %k: tensor<1x1x4x2xf32>,
    %v: tensor<1x1x4x2xf32>) -> tensor<1x1x4x2xf32> {
  %o0 = tensor.empty() : tensor<1x1x4x2xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>)
      outs(%o0 : tensor<1x1x4x2xf32>) -> tensor<1x1x4x2xf32>
  return %o : tensor<1x1x4x2xf32>
}

// --output @file writes a .npy file numpy reads back; "-" (or no --output)
// prints the summary.
// RUN: attnc-run call %s --function attention --input 1x1x4x2xf32=0.5 \
// RUN:   --input 1x1x4x2xf32=0.5 --input "1x1x4x2xf32=0 0 1 1 2 2 3 3" \
// RUN:   --output @%t.attention.npy | count 0
// RUN: %python -c "import numpy; a = numpy.load('%t.attention.npy'); print(a.dtype, a.shape, a.ravel().tolist())" \
// RUN:   | FileCheck %s --check-prefix=NPY
// NPY: float32 (1, 1, 4, 2) [0.0, 0.0, 0.5, 0.5, 1.0, 1.0, 1.5, 1.5]

// Two results, each to its own destination.
// RUN: attnc-run call %s --function two_results --input "3xf32=1 2 3" \
// RUN:   --output - --output @%t.second.npy | FileCheck %s --check-prefix=TWO
// TWO: result[0]: tensor<3xf32> [2, 4, 6]
// TWO-NOT: result[1]
// RUN: %python -c "import numpy; a = numpy.load('%t.second.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=TWO-NPY
// TWO-NPY: float32 (3,) [1.0, 4.0, 9.0]
// RUN: attnc-run call %s --function two_results --input "3xf32=1 2 3" \
// RUN:   | FileCheck %s --check-prefix=TWO-SUMMARY
// TWO-SUMMARY: result[0]: tensor<3xf32> [2, 4, 6]
// TWO-SUMMARY-NEXT: result[1]: tensor<3xf32> [1, 4, 9]
func.func @two_results(%a: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %e = tensor.empty() : tensor<3xf32>
  %sum = linalg.add ins(%a, %a : tensor<3xf32>, tensor<3xf32>)
      outs(%e : tensor<3xf32>) -> tensor<3xf32>
  %f = tensor.empty() : tensor<3xf32>
  %square = linalg.mul ins(%a, %a : tensor<3xf32>, tensor<3xf32>)
      outs(%f : tensor<3xf32>) -> tensor<3xf32>
  return %sum, %square : tensor<3xf32>, tensor<3xf32>
}

// A function that returns its argument (once or twice) hands back the
// caller's buffer: it must be neither freed nor freed twice.
// RUN: attnc-run call %s --function identity --input "2x3xf32=1 2 3 4 5 6" \
// RUN:   | FileCheck %s --check-prefix=IDENTITY
// IDENTITY: result[0]: tensor<2x3xf32> [1, 2, 3, 4, 5, 6]
// RUN: attnc-run call %s --function identity_twice --input "2x3xf32=1 2 3 4 5 6" \
// RUN:   | FileCheck %s --check-prefix=IDENTITY2
// IDENTITY2: result[0]: tensor<2x3xf32> [1, 2, 3, 4, 5, 6]
// IDENTITY2-NEXT: result[1]: tensor<2x3xf32> [1, 2, 3, 4, 5, 6]
func.func @identity(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %a : tensor<2x3xf32>
}
func.func @identity_twice(%a: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  return %a, %a : tensor<2x3xf32>, tensor<2x3xf32>
}

// A constant result lives in a global, not in a malloc'ed buffer.
// RUN: attnc-run call %s --function constant | FileCheck %s --check-prefix=CONSTANT
// CONSTANT: result[0]: tensor<3xi32> [7, 8, 9]
func.func @constant() -> tensor<3xi32> {
  %c = arith.constant dense<[7, 8, 9]> : tensor<3xi32>
  return %c : tensor<3xi32>
}

// No result at all: nothing is printed.
// RUN: attnc-run call %s --function no_result --input "2xf32=1" | count 0
func.func @no_result(%a: tensor<2xf32>) {
  return
}

// 0-d tensors in and out: "f32=1.5" is a scalar literal.
// RUN: attnc-run call %s --function scalar --input "f32=1.5" --input "i64=-4" \
// RUN:   | FileCheck %s --check-prefix=SCALAR
// SCALAR: result[0]: tensor<f32> [-6]
// RUN: attnc-run call %s --function scalar --input "f32=1.5" --input "i64=-4" \
// RUN:   --output @%t.scalar.npy
// RUN: %python -c "import numpy; a = numpy.load('%t.scalar.npy'); print(a.dtype, a.shape, float(a))" \
// RUN:   | FileCheck %s --check-prefix=SCALAR-NPY
// SCALAR-NPY: float32 () -6.0
func.func @scalar(%a: tensor<f32>, %b: tensor<i64>) -> tensor<f32> {
  %x = tensor.extract %a[] : tensor<f32>
  %n = tensor.extract %b[] : tensor<i64>
  %y = arith.sitofp %n : i64 to f32
  %r = arith.mulf %x, %y : f32
  %t = tensor.from_elements %r : tensor<f32>
  return %t : tensor<f32>
}

// Dynamic dimensions take their size from the input, results too; an empty
// tensor is fine.
// RUN: attnc-run call %s --function dynamic --input "3x4xf32=1" \
// RUN:   --print-values=12 | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: result[0]: tensor<3x4xf32> [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]
// RUN: attnc-run call %s --function dynamic --input "1x4xf32=1 2 3 4" \
// RUN:   | FileCheck %s --check-prefix=DYNAMIC1
// DYNAMIC1: result[0]: tensor<1x4xf32> [2, 4, 6, 8]
// RUN: attnc-run call %s --function dynamic --input "0x4xf32" \
// RUN:   | FileCheck %s --check-prefix=DYNAMIC0
// DYNAMIC0: result[0]: tensor<0x4xf32> []
// RUN: %python -c "import numpy; numpy.save('%t.dyn.npy', numpy.arange(20, dtype=numpy.float32).reshape(5, 4))"
// RUN: attnc-run call %s --function dynamic --input @%t.dyn.npy --output @%t.dyn.out.npy
// RUN: %python -c "import numpy; a = numpy.load('%t.dyn.out.npy'); print(a.dtype, a.shape, a[4].tolist())" \
// RUN:   | FileCheck %s --check-prefix=DYNAMIC-NPY
// DYNAMIC-NPY: float32 (5, 4) [32.0, 34.0, 36.0, 38.0]
func.func @dynamic(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %d = tensor.dim %a, %c0 : tensor<?x4xf32>
  %e = tensor.empty(%d) : tensor<?x4xf32>
  %r = linalg.add ins(%a, %a : tensor<?x4xf32>, tensor<?x4xf32>)
      outs(%e : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// i1 and i32: true/false/0/1 literals, a .npy bool file.
// RUN: attnc-run call %s --function select --input "4xi1=1 0 true false" \
// RUN:   --input "4xi32=1 2 3 4" --input "4xi32=-1 -2 -3 -4" \
// RUN:   | FileCheck %s --check-prefix=SELECT
// SELECT: result[0]: tensor<4xi32> [1, -2, 3, -4]
// RUN: %python -c "import numpy; numpy.save('%t.mask.npy', numpy.array([False, True, True, False]))"
// RUN: attnc-run call %s --function select --input @%t.mask.npy \
// RUN:   --input "4xi32=2147483647" --input "4xi32=-2147483648" \
// RUN:   | FileCheck %s --check-prefix=SELECT-NPY
// SELECT-NPY: result[0]: tensor<4xi32> [-2147483648, 2147483647, 2147483647, -2147483648]
func.func @select(%c: tensor<4xi1>, %a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %e = tensor.empty() : tensor<4xi32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>,
      affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
      iterator_types = ["parallel"]}
      ins(%c, %a, %b : tensor<4xi1>, tensor<4xi32>, tensor<4xi32>) outs(%e : tensor<4xi32>) {
  ^bb0(%x: i1, %y: i32, %z: i32, %o: i32):
    %s = arith.select %x, %y, %z : i32
    linalg.yield %s : i32
  } -> tensor<4xi32>
  return %r : tensor<4xi32>
}

// An i1 result is written as numpy bool.
// RUN: attnc-run call %s --function negate --input "3xi1=1 0 1" \
// RUN:   | FileCheck %s --check-prefix=NEGATE
// NEGATE: result[0]: tensor<3xi1> [0, 1, 0]
// RUN: attnc-run call %s --function negate --input "3xi1=true" --output @%t.bool.npy
// RUN: %python -c "import numpy; a = numpy.load('%t.bool.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=NEGATE-NPY
// NEGATE-NPY: bool (3,) [False, False, False]
func.func @negate(%c: tensor<3xi1>) -> tensor<3xi1> {
  %e = tensor.empty() : tensor<3xi1>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
      iterator_types = ["parallel"]}
      ins(%c : tensor<3xi1>) outs(%e : tensor<3xi1>) {
  ^bb0(%x: i1, %o: i1):
    %t = arith.constant true
    %y = arith.xori %x, %t : i1
    linalg.yield %y : i1
  } -> tensor<3xi1>
  return %r : tensor<3xi1>
}

// i64 values past 2^53 are printed exactly; i8 wraps as in two's complement.
// RUN: attnc-run call %s --function add_i64 --input "2xi64=9000000000000000000 -5" \
// RUN:   --input "2xi64=1 2" | FileCheck %s --check-prefix=I64
// I64: result[0]: tensor<2xi64> [9000000000000000001, -3]
// RUN: attnc-run call %s --function add_i64 --input "2xi64=1 2" --input "2xi64=3 4" \
// RUN:   --output @%t.i64.npy
// RUN: %python -c "import numpy; a = numpy.load('%t.i64.npy'); print(a.dtype, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=I64-NPY
// I64-NPY: int64 [4, 6]
func.func @add_i64(%a: tensor<2xi64>, %b: tensor<2xi64>) -> tensor<2xi64> {
  %e = tensor.empty() : tensor<2xi64>
  %r = linalg.add ins(%a, %b : tensor<2xi64>, tensor<2xi64>)
      outs(%e : tensor<2xi64>) -> tensor<2xi64>
  return %r : tensor<2xi64>
}
// RUN: attnc-run call %s --function negate_i8 --input "3xi8=1 -128 127" \
// RUN:   | FileCheck %s --check-prefix=I8
// I8: result[0]: tensor<3xi8> [-1, -128, -127]
// RUN: %python -c "import numpy; numpy.save('%t.i8.npy', numpy.array([5, -6, 0], dtype=numpy.int8))"
// RUN: attnc-run call %s --function negate_i8 --input @%t.i8.npy --output @%t.i8.out.npy
// RUN: %python -c "import numpy; a = numpy.load('%t.i8.out.npy'); print(a.dtype, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=I8-NPY
// I8-NPY: int8 [-5, 6, 0]
func.func @negate_i8(%a: tensor<3xi8>) -> tensor<3xi8> {
  %e = tensor.empty() : tensor<3xi8>
  %z = arith.constant dense<0> : tensor<3xi8>
  %r = linalg.sub ins(%z, %a : tensor<3xi8>, tensor<3xi8>)
      outs(%e : tensor<3xi8>) -> tensor<3xi8>
  return %r : tensor<3xi8>
}

// f16 in and out through .npy, and f64.
// RUN: %python -c "import numpy; numpy.save('%t.f16.npy', numpy.array([[0.5, 1.5, -2], [3, 4, 16376]], dtype=numpy.float16))"
// RUN: attnc-run call %s --function double_f16 --input @%t.f16.npy --output @%t.f16.out.npy
// RUN: %python -c "import numpy; a = numpy.load('%t.f16.out.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=F16
// F16: float16 (2, 3) {{\[\[}}1.0, 3.0, -4.0], [6.0, 8.0, 32752.0]]
// RUN: attnc-run call %s --function double_f16 --input "2x3xf16=0.25" \
// RUN:   | FileCheck %s --check-prefix=F16-LITERAL
// F16-LITERAL: result[0]: tensor<2x3xf16> [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
func.func @double_f16(%a: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %e = tensor.empty() : tensor<2x3xf16>
  %r = linalg.add ins(%a, %a : tensor<2x3xf16>, tensor<2x3xf16>)
      outs(%e : tensor<2x3xf16>) -> tensor<2x3xf16>
  return %r : tensor<2x3xf16>
}
// RUN: %python -c "import numpy; numpy.save('%t.f64.npy', numpy.array([0.1, 1e300]))"
// RUN: attnc-run call %s --function double_f64 --input @%t.f64.npy --output @%t.f64.out.npy
// RUN: %python -c "import numpy; a = numpy.load('%t.f64.out.npy'); print(a.dtype, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=F64
// F64: float64 [0.2, 2e+300]
func.func @double_f64(%a: tensor<2xf64>) -> tensor<2xf64> {
  %e = tensor.empty() : tensor<2xf64>
  %r = linalg.add ins(%a, %a : tensor<2xf64>, tensor<2xf64>)
      outs(%e : tensor<2xf64>) -> tensor<2xf64>
  return %r : tensor<2xf64>
}
