// REQUIRES: ptxas
// A CUDA library exports the C wrapper of each function, not the function it
// wraps (as CPU libraries, see descriptor-offset.mlir); its wrappers pass
// offsets and strides on to the kernels unchanged.

// RUN: attnc compile %s --target=cuda --gpu-chip=sm_80 -o %t.so
// RUN: llvm-nm -D --defined-only %t.so | FileCheck %s
// CHECK-DAG: T _mlir_ciface_attention
// CHECK-DAG: R attnc_signature_attention
// CHECK-NOT: {{ }}attention{{$}}
// RUN: attnc-opt %s --attnc-gpu-pipeline="chip=sm_80 binary=false" \
// RUN:   | FileCheck %s --check-prefix=WRAPPER
// WRAPPER: llvm.func internal @attention(
// WRAPPER: llvm.func @_mlir_ciface_attention(
// WRAPPER-NOT: llvm.getelementptr
// WRAPPER: llvm.call @attention(

func.func @attention(%q: tensor<1x2x16x16xf16>, %k: tensor<1x2x16x16xf16>,
    %v: tensor<1x2x16x16xf16>) -> tensor<1x2x16x16xf16> {
  %o0 = tensor.empty() : tensor<1x2x16x16xf16>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x16x16xf16>, tensor<1x2x16x16xf16>, tensor<1x2x16x16xf16>)
      outs(%o0 : tensor<1x2x16x16xf16>) -> tensor<1x2x16x16xf16>
  return %o : tensor<1x2x16x16xf16>
}
