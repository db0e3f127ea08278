//===- FakeCudaLibrary.cpp - A CUDA library as attnc compiles one -*- C++ -*-=//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Stands in for a library made by `attnc compile --target=cuda`, with the
// same symbols and the same mgpu* calls as MLIR's host code, but "kernels"
// that compute on the host: it only works with FakeCudaDriver.h (whose
// device memory is host memory), installed with attnc_fake_use_driver, or
// with no driver at all (every mgpu* call then does nothing). It links
// libAttncCudaRuntime.a as a compiled library does.
//
//   @scale(x: tensor<?xf32>) -> tensor<?xf32>       2 * x, a new buffer
//   @accumulate(acc: tensor<4xf32>, x: tensor<4xf32>) -> tensor<4xf32>
//                                                   acc += x, in place
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Cuda/Context.h"
#include "attnc/Runtime/Cuda/Mgpu.h"

#include <cstdint>

using namespace attnc::runtime::cuda;

#define EXPORT extern "C" __attribute__((visibility("default")))

EXPORT const char attnc_target[] = "cuda";
EXPORT const char attnc_signature_scale[] =
    "(tensor<?xf32>) -> tensor<?xf32>";
EXPORT const char attnc_signature_accumulate[] =
    "(tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>";
EXPORT const char attnc_inplace_accumulate[] = "0:0";

namespace {

struct Descriptor1D {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t size;
  int64_t stride;
};

const char kImage[] = "fake fatbin";
CuModule module = nullptr;

/// As MLIR's host code: stream, launch, synchronize, "destroy".
void launch(const char *kernel) {
  CuStream stream = mgpuStreamCreate();
  CuFunction function = mgpuModuleGetFunction(module, kernel);
  mgpuLaunchKernel(function, 1, 1, 1, 32, 1, 1, 0, stream, nullptr, nullptr,
                   0);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
}

__attribute__((constructor)) void loadModule() {
  module = mgpuModuleLoad(const_cast<char *>(kImage), sizeof(kImage));
}

__attribute__((destructor)) void unloadModule() { mgpuModuleUnload(module); }

} // namespace

/// Runs this library's runtime on `table` and loads the module again.
EXPORT void attnc_fake_use_driver(const DriverTable *table) {
  setDriverForTesting(table);
  attnc_cuda_clear_error();
  module = mgpuModuleLoad(const_cast<char *>(kImage), sizeof(kImage));
}

EXPORT void _mlir_ciface_scale(Descriptor1D *result, Descriptor1D *x) {
  CuStream stream = mgpuStreamCreate();
  auto *out = static_cast<float *>(
      mgpuMemAlloc(static_cast<uint64_t>(x->size) * sizeof(float), stream,
                   false));
  launch("scale_kernel");
  // The "kernel": only with the fake driver is device memory addressable.
  if (out && !attnc_cuda_last_error())
    for (int64_t i = 0; i < x->size; ++i)
      out[i] = 2 * x->aligned[x->offset + i * x->stride];
  *result = Descriptor1D{out, out, 0, x->size, 1};
}

EXPORT void _mlir_ciface_accumulate(Descriptor1D *acc, Descriptor1D *x) {
  launch("accumulate_kernel");
  if (!attnc_cuda_last_error())
    for (int64_t i = 0; i < 4; ++i)
      acc->aligned[acc->offset + i] += x->aligned[x->offset + i];
}
