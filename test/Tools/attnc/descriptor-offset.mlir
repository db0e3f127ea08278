// A C caller may pass descriptors whose offset is not 0 (docs/abi.md: "in
// elements, from aligned"). The bodies are bufferized with identity layouts
// (static offset 0), so the offset used to be ignored and the results read
// the elements before the tensor. Non-contiguous strides are rejected at
// run time with a message that names the argument.

// RUN: attnc compile %s -o %t.so
// RUN: cc %S/Inputs/descriptor_offset.c %t.so -o %t.exe
// RUN: %t.exe offsets | FileCheck %s --check-prefix=OFFSETS
// OFFSETS: add: ok
// OFFSETS-NEXT: add_i64: ok

// RUN: not --crash %t.exe strided 2>&1 | FileCheck %s --check-prefix=STRIDED
// STRIDED: _mlir_ciface_add: argument #0 (tensor<2x3xf32>) has non-contiguous strides: attnc libraries take row-major contiguous tensors
// STRIDED-NOT: add: ok

// The JIT compiles the same wrappers (attnc-run always passes offset 0).
// RUN: attnc-run call %s --function add --input "2x3xf32=1 2 3 4 5 6" \
// RUN:   --input 2x3xf32=1 | FileCheck %s --check-prefix=JIT
// JIT: result[0]: tensor<2x3xf32> [2, 3, 4, 5, 6, 7]

// Only the C wrappers are exported, not the functions they wrap.
// RUN: llvm-nm -D --defined-only %t.so | FileCheck %s --check-prefix=SYMBOLS
// SYMBOLS-DAG: T _mlir_ciface_add
// SYMBOLS-DAG: T _mlir_ciface_add_i64
// SYMBOLS-NOT: {{ }}add{{$}}
// SYMBOLS-NOT: {{ }}add_i64{{$}}

func.func @add(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.add ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>)
      outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

func.func @add_i64(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  %e = tensor.empty() : tensor<4xi64>
  %r = linalg.add ins(%a, %b : tensor<4xi64>, tensor<4xi64>)
      outs(%e : tensor<4xi64>) -> tensor<4xi64>
  return %r : tensor<4xi64>
}
