//===- FakeCpuLibrary.cpp - A CPU library as attnc compiles one --*- C++ -*-=//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The symbols of a library made by `attnc compile` (no attnc_target: an
// older CPU library), for the Library tests:
//
//   @transpose(x: tensor<2x3xi32>) -> (tensor<3x2xi32>, tensor<i64>)
//       the transpose as a strided view of a new buffer, and the sum
//   @bad_signature: a signature the parser rejects
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstdlib>

#define EXPORT extern "C" __attribute__((visibility("default")))

EXPORT const char attnc_signature_transpose[] =
    "(tensor<2x3xi32>) -> (tensor<3x2xi32>, tensor<i64>)";
EXPORT const char attnc_signature_bad_signature[] =
    "(tensor<2x3xf32, #enc>) -> ()";

struct Descriptor2D {
  int32_t *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
};
struct Descriptor0D {
  int64_t *allocated, *aligned;
  int64_t offset;
};
struct Results {
  Descriptor2D transposed;
  Descriptor0D sum;
};

EXPORT void _mlir_ciface_transpose(Results *results, Descriptor2D *x) {
  // A copy of x, returned as its transpose: sizes 3x2, strides 1x3, and an
  // offset of one element in an allocation of 7.
  auto *data = static_cast<int32_t *>(std::malloc(7 * sizeof(int32_t)));
  int64_t sum = 0;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) {
      int32_t value = x->aligned[x->offset + i * x->strides[0] +
                                 j * x->strides[1]];
      data[1 + i * 3 + j] = value;
      sum += value;
    }
  results->transposed = Descriptor2D{data, data, 1, {3, 2}, {1, 3}};
  auto *total = static_cast<int64_t *>(std::malloc(sizeof(int64_t)));
  *total = sum;
  results->sum = Descriptor0D{total, total, 0};
}

EXPORT void _mlir_ciface_bad_signature(void *) {}
