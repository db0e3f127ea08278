// The C and Python examples of docs/abi.md ("From C", "From Python"), built
// against runtime/include/attnc/attnc_abi.h and run on examples/attention.mlir
// compiled for the CPU.

// RUN: rm -rf %t && split-file %s %t
// RUN: attnc compile %attnc_src_root/examples/attention.mlir --target=cpu \
// RUN:   -o %t/libattention.so

// The C example links the library (no dlopen) and checks against a C
// reference.
// RUN: cc -std=c99 -Wall -Wextra -pedantic -Werror -O2 \
// RUN:   -I%attnc_src_root/runtime/include \
// RUN:   %attnc_src_root/examples/c/attention.c %t/libattention.so \
// RUN:   -Wl,-rpath,%t -lm -o %t/attention
// RUN: %t/attention | FileCheck %s --check-prefix=C
// C: target: cpu
// C-NEXT: signature: (tensor<1x12x512x64xf32>, tensor<1x12x512x64xf32>, tensor<1x12x512x64xf32>) -> tensor<1x12x512x64xf32>
// C-NEXT: result: 1x12x512x64, strides 393216 32768 64 1
// C-NEXT: max abs error vs the C reference: {{[0-9.]+}}e-{{0[5-9]|[1-9][0-9]}}
// C-NEXT: into a caller buffer, 3 calls: same result
// C-NEXT: pool holds temporaries: yes
// C-NEXT: ok

// The ctypes example reads attnc_signature_attention_causal as a char array
// and checks against numpy.
// RUN: %python %attnc_src_root/examples/python/attention_ctypes.py \
// RUN:   %t/libattention.so | FileCheck %s --check-prefix=PY
// PY: target: cpu
// PY-NEXT: signature: (tensor<1x12x512x64xf32>, tensor<1x12x512x64xf32>, tensor<1x12x512x64xf32>) -> tensor<1x12x512x64xf32>
// PY-NEXT: result: 1x12x512x64 float32
// PY-NEXT: max abs error vs numpy: {{[0-9.]+}}e-{{0[5-9]|[1-9][0-9]}}
// PY-NEXT: ok

// The header is C++ too, and the symbols a CPU library lacks (the CUDA
// functions, attnc_inplace_f of a function without in-place results) link
// as weak NULLs.
// RUN: c++ -std=c++11 -Wall -Wextra -pedantic -Werror -fsyntax-only \
// RUN:   -I%attnc_src_root/runtime/include %t/header.cpp
// RUN: cc -std=c99 -Wall -Wextra -pedantic -Werror \
// RUN:   -I%attnc_src_root/runtime/include %t/weak.c %t/libattention.so \
// RUN:   -Wl,-rpath,%t -o %t/weak
// RUN: %t/weak | FileCheck %s --check-prefix=WEAK
// WEAK: attnc_target: cpu
// WEAK-NEXT: attnc_cuda_last_error: absent
// WEAK-NEXT: attnc_cuda_clear_error: absent
// WEAK-NEXT: attnc_cuda_set_stream: absent
// WEAK-NEXT: attnc_inplace_attention: absent
// WEAK-NEXT: attnc_signature_attention: (tensor<1x12x512x64xf32>,

//--- header.cpp
#include "attnc/attnc_abi.h"
static_assert(sizeof(attnc_memref_0d) == 24, "");
static_assert(sizeof(ATTNC_MEMREF(4)) == 24 + 2 * 4 * 8, "");
static_assert(sizeof(attnc_memref_5d) == 24 + 2 * 5 * 8, "");
extern "C" void _mlir_ciface_attention(attnc_memref_4d *, attnc_memref_4d *,
                                       attnc_memref_4d *, attnc_memref_4d *);
ATTNC_DECLARE_SIGNATURE(attention);
int main() {
  float data[6] = {0};
  int64_t sizes[2] = {2, 3};
  attnc_memref_2d d;
  attnc_memref_2d_init(&d, data, sizes);
  return d.strides[0] == 3 && d.strides[1] == 1 ? 0 : 1;
}

//--- weak.c
#include "attnc/attnc_abi.h"
#include <stdio.h>
ATTNC_DECLARE_SIGNATURE(attention);
ATTNC_DECLARE_INPLACE(attention);
#define PRESENT(sym) ((sym) ? "present" : "absent")
int main(void) {
  printf("attnc_target: %s\n", attnc_target ? attnc_target : "(absent)");
  printf("attnc_cuda_last_error: %s\n", PRESENT(attnc_cuda_last_error));
  printf("attnc_cuda_clear_error: %s\n", PRESENT(attnc_cuda_clear_error));
  printf("attnc_cuda_set_stream: %s\n", PRESENT(attnc_cuda_set_stream));
  printf("attnc_inplace_attention: %s\n", PRESENT(attnc_inplace_attention));
  printf("attnc_signature_attention: %s\n", attnc_signature_attention);
  return 0;
}
