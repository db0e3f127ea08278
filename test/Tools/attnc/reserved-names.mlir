// A function defined under a name that compiled code calls (libc, libm,
// libomp, the CUDA runtime) or that the ABI uses would replace that symbol:
// a public @memset made every buffer fill call it (a segfault), @malloc and
// @free failed with a page of IR. Each is now one error naming the function.

// RUN: rm -rf %t && mkdir -p %t && split-file --leading-lines %s %t

// RUN: not attnc compile %t/memset.mlir -o %t/memset.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MEMSET --implicit-check-not=error:
// MEMSET: memset.mlir:[[# @LINE + 23]]:1: error: cannot compile @memset: the name is reserved for the C library functions compiled code calls; rename the function
// MEMSET: {{^}}attnc: error: lowering for the CPU failed{{$}}
// RUN: not ls %t/memset.so
// The CUDA pipeline runs the same attnc-export-functions.
// RUN: not attnc-opt %t/memset.mlir --attnc-export-functions=target=cuda 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MEMSET-CUDA
// MEMSET-CUDA: error: cannot compile @memset: the name is reserved for the C library functions compiled code calls; rename the function

// RUN: not attnc compile %t/malloc.mlir -o %t/malloc.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MALLOC --implicit-check-not=error:
// MALLOC: error: cannot compile @malloc: the name is reserved for the C library functions compiled code calls; rename the function
// MALLOC: error: cannot compile @free: the name is reserved for the C library functions compiled code calls; rename the function
// MALLOC: {{^}}attnc: error: lowering for the CPU failed{{$}}

// RUN: not attnc compile %t/abi.mlir -o %t/abi.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ABI --implicit-check-not=error:
// ABI: error: cannot compile @_mlir_ciface_g: the name is reserved for the C interface of exported functions (_mlir_ciface_*); rename the function
// ABI: error: cannot compile @attnc_f: the name is reserved for the attnc ABI (attnc_*); rename the function
// ABI: error: cannot compile @mgpuMemAlloc: the name is reserved for the CUDA runtime functions compiled code calls; rename the function
// ABI: error: cannot compile @expf: the name is reserved for the C library functions compiled code calls; rename the function
// ABI: {{^}}attnc: error: lowering for the CPU failed{{$}}

//--- memset.mlir
func.func @memset(%a: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%c : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %r = linalg.add ins(%a, %z : tensor<4xf32>, tensor<4xf32>)
      outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

//--- malloc.mlir
func.func @malloc(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
// Private definitions clash too.
func.func private @free(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

//--- abi.mlir
func.func @_mlir_ciface_g(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
func.func @attnc_f(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
func.func @mgpuMemAlloc(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
func.func @expf(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
// A declaration of a libm function is fine.
func.func private @tanhf(f32) -> f32
