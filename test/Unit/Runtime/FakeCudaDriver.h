//===- FakeCudaDriver.h - A CUDA driver for tests without a GPU -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// A DriverTable whose entry points record their calls in one global
// FakeDriver and behave like a one-device driver whose "device memory" is
// host memory (so copies are memcpy and kernels do nothing). Tests set
// `results` to make an entry point fail.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TEST_UNIT_RUNTIME_FAKECUDADRIVER_H
#define ATTNC_TEST_UNIT_RUNTIME_FAKECUDADRIVER_H

#include "attnc/Runtime/Cuda/Driver.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace attnc::runtime::test {

using namespace attnc::runtime::cuda;

struct FakeLaunch {
  CuFunction function;
  unsigned grid[3], block[3], sharedMemBytes;
  CuStream stream;
  void **params, **extra;
};

struct FakeDriver {
  /// Entry points (by name, without _v2) that return this result.
  std::map<std::string, CuResult> results;
  /// Calls by name.
  std::map<std::string, int> calls;
  int deviceCount = 1;
  int maxSharedMemoryOptin = 227 * 1024;
  CuContext current = nullptr;
  std::vector<CuContext> pushed;
  CuContext primary = reinterpret_cast<CuContext>(uintptr_t(0xC0));
  const void *loadedImage = nullptr;
  std::string jitLog;
  std::vector<std::pair<int, int>> functionAttributes; // (attribute, value)
  std::vector<FakeLaunch> launches;
  std::vector<unsigned> streamFlags;
  std::vector<CuStream> destroyedStreams;
  std::vector<CuStream> synchronizedStreams;
  std::set<uintptr_t> allocations;
  std::vector<std::pair<CuDevicePtr, size_t>> memsets; // 0xFF fills
  std::vector<std::vector<uint64_t>> encodedDims, encodedStrides;
  std::vector<std::vector<unsigned>> encodedBoxes;
  int nextHandle = 1;

  static FakeDriver &get() {
    static FakeDriver driver;
    return driver;
  }
  void reset() {
    for (uintptr_t pointer : allocations)
      std::free(reinterpret_cast<void *>(pointer));
    *this = FakeDriver();
  }
  CuResult call(const char *name) {
    ++calls[name];
    auto found = results.find(name);
    return found == results.end() ? kCudaSuccess : found->second;
  }
  template <typename T> T newHandle() {
    return reinterpret_cast<T>(uintptr_t(0x1000 * nextHandle++));
  }
};

inline FakeDriver &fake() { return FakeDriver::get(); }

inline DriverTable makeFakeDriverTable() {
  DriverTable t{};
  t.cuGetErrorName = [](CuResult r, const char **s) -> CuResult {
    switch (r) {
    case 0: *s = "CUDA_SUCCESS"; return 0;
    case 1: *s = "CUDA_ERROR_INVALID_VALUE"; return 0;
    case 2: *s = "CUDA_ERROR_OUT_OF_MEMORY"; return 0;
    case 100: *s = "CUDA_ERROR_NO_DEVICE"; return 0;
    case 218: *s = "CUDA_ERROR_INVALID_PTX"; return 0;
    default: *s = nullptr; return 1;
    }
  };
  t.cuGetErrorString = [](CuResult r, const char **s) -> CuResult {
    switch (r) {
    case 0: *s = "no error"; return 0;
    case 1: *s = "invalid argument"; return 0;
    case 2: *s = "out of memory"; return 0;
    case 100: *s = "no CUDA-capable device is detected"; return 0;
    case 218: *s = "a PTX JIT compilation failed"; return 0;
    default: *s = nullptr; return 1;
    }
  };
  t.cuInit = [](unsigned) { return fake().call("cuInit"); };
  t.cuDriverGetVersion = [](int *v) {
    *v = 13000;
    return fake().call("cuDriverGetVersion");
  };
  t.cuDeviceGetCount = [](int *n) {
    *n = fake().deviceCount;
    return fake().call("cuDeviceGetCount");
  };
  t.cuDeviceGet = [](CuDevice *d, int ordinal) {
    *d = ordinal;
    return fake().call("cuDeviceGet");
  };
  t.cuDeviceGetName = [](char *name, int len, CuDevice) {
    std::strncpy(name, "Fake GPU", len);
    return fake().call("cuDeviceGetName");
  };
  t.cuDeviceGetAttribute = [](int *v, int attribute, CuDevice) {
    switch (attribute) {
    case kDeviceAttributeMultiprocessorCount: *v = 132; break;
    case kDeviceAttributeComputeCapabilityMajor: *v = 9; break;
    case kDeviceAttributeComputeCapabilityMinor: *v = 0; break;
    case kDeviceAttributeMaxSharedMemoryPerBlockOptin:
      *v = fake().maxSharedMemoryOptin;
      break;
    default: *v = 0;
    }
    return fake().call("cuDeviceGetAttribute");
  };
  t.cuDevicePrimaryCtxRetain = [](CuContext *c, CuDevice) {
    *c = fake().primary;
    return fake().call("cuDevicePrimaryCtxRetain");
  };
  t.cuCtxGetCurrent = [](CuContext *c) {
    *c = fake().current;
    return fake().call("cuCtxGetCurrent");
  };
  t.cuCtxSetCurrent = [](CuContext c) {
    fake().current = c;
    return fake().call("cuCtxSetCurrent");
  };
  t.cuCtxPushCurrent = [](CuContext c) {
    fake().pushed.push_back(fake().current);
    fake().current = c;
    return fake().call("cuCtxPushCurrent");
  };
  t.cuCtxPopCurrent = [](CuContext *c) {
    *c = fake().current;
    fake().current = fake().pushed.back();
    fake().pushed.pop_back();
    return fake().call("cuCtxPopCurrent");
  };
  t.cuCtxSynchronize = [] { return fake().call("cuCtxSynchronize"); };
  t.cuModuleLoadData = [](CuModule *m, const void *image) {
    fake().loadedImage = image;
    *m = fake().newHandle<CuModule>();
    return fake().call("cuModuleLoadData");
  };
  t.cuModuleLoadDataEx = [](CuModule *m, const void *image, unsigned n,
                            int *options, void **values) {
    fake().loadedImage = image;
    CuResult result = fake().call("cuModuleLoadDataEx");
    for (unsigned i = 0; i < n; ++i)
      if (options[i] == kJitErrorLogBuffer)
        std::strcpy(static_cast<char *>(values[i]), fake().jitLog.c_str());
    *m = result ? nullptr : fake().newHandle<CuModule>();
    return result;
  };
  t.cuModuleUnload = [](CuModule) { return fake().call("cuModuleUnload"); };
  t.cuModuleGetFunction = [](CuFunction *f, CuModule, const char *) {
    *f = fake().newHandle<CuFunction>();
    return fake().call("cuModuleGetFunction");
  };
  t.cuFuncSetAttribute = [](CuFunction, int attribute, int value) {
    fake().functionAttributes.push_back({attribute, value});
    return fake().call("cuFuncSetAttribute");
  };
  t.cuLaunchKernel = [](CuFunction f, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned smem,
                        CuStream s, void **params, void **extra) {
    fake().launches.push_back(
        FakeLaunch{f, {gx, gy, gz}, {bx, by, bz}, smem, s, params, extra});
    return fake().call("cuLaunchKernel");
  };
  t.cuLaunchKernelEx = [](const CuLaunchConfig *c, CuFunction f,
                          void **params, void **extra) {
    fake().launches.push_back(FakeLaunch{
        f,
        {c->gridDimX, c->gridDimY, c->gridDimZ},
        {c->blockDimX, c->blockDimY, c->blockDimZ},
        c->sharedMemBytes,
        c->hStream,
        params,
        extra});
    return fake().call("cuLaunchKernelEx");
  };
  t.cuStreamCreate = [](CuStream *s, unsigned flags) {
    fake().streamFlags.push_back(flags);
    *s = fake().newHandle<CuStream>();
    return fake().call("cuStreamCreate");
  };
  t.cuStreamDestroy = [](CuStream s) {
    fake().destroyedStreams.push_back(s);
    return fake().call("cuStreamDestroy");
  };
  t.cuStreamSynchronize = [](CuStream s) {
    fake().synchronizedStreams.push_back(s);
    return fake().call("cuStreamSynchronize");
  };
  t.cuStreamWaitEvent = [](CuStream, CuEvent, unsigned) {
    return fake().call("cuStreamWaitEvent");
  };
  t.cuEventCreate = [](CuEvent *e, unsigned) {
    *e = fake().newHandle<CuEvent>();
    return fake().call("cuEventCreate");
  };
  t.cuEventDestroy = [](CuEvent) { return fake().call("cuEventDestroy"); };
  t.cuEventRecord = [](CuEvent, CuStream) {
    return fake().call("cuEventRecord");
  };
  t.cuEventSynchronize = [](CuEvent) {
    return fake().call("cuEventSynchronize");
  };
  t.cuEventElapsedTime = [](float *ms, CuEvent, CuEvent) {
    *ms = 1.5f;
    return fake().call("cuEventElapsedTime");
  };
  t.cuMemAlloc = [](CuDevicePtr *p, size_t bytes) {
    CuResult result = fake().call("cuMemAlloc");
    if (result)
      return result;
    void *memory = std::malloc(bytes);
    fake().allocations.insert(reinterpret_cast<uintptr_t>(memory));
    *p = reinterpret_cast<uintptr_t>(memory);
    return result;
  };
  t.cuMemAllocManaged = [](CuDevicePtr *p, size_t bytes, unsigned) {
    void *memory = std::malloc(bytes);
    fake().allocations.insert(reinterpret_cast<uintptr_t>(memory));
    *p = reinterpret_cast<uintptr_t>(memory);
    return fake().call("cuMemAllocManaged");
  };
  t.cuMemFree = [](CuDevicePtr p) {
    CuResult result = fake().call("cuMemFree");
    if (fake().allocations.erase(p))
      std::free(reinterpret_cast<void *>(p));
    else
      result = kCudaErrorInvalidValue;
    return result;
  };
  t.cuMemcpy = [](CuDevicePtr d, CuDevicePtr s, size_t n) {
    std::memcpy(reinterpret_cast<void *>(d), reinterpret_cast<void *>(s), n);
    return fake().call("cuMemcpy");
  };
  t.cuMemcpyAsync = [](CuDevicePtr d, CuDevicePtr s, size_t n, CuStream) {
    std::memcpy(reinterpret_cast<void *>(d), reinterpret_cast<void *>(s), n);
    return fake().call("cuMemcpyAsync");
  };
  t.cuMemcpyHtoD = [](CuDevicePtr d, const void *s, size_t n) {
    std::memcpy(reinterpret_cast<void *>(d), s, n);
    return fake().call("cuMemcpyHtoD");
  };
  t.cuMemcpyDtoH = [](void *d, CuDevicePtr s, size_t n) {
    std::memcpy(d, reinterpret_cast<void *>(s), n);
    return fake().call("cuMemcpyDtoH");
  };
  t.cuMemsetD8 = [](CuDevicePtr d, unsigned char v, size_t n) {
    std::memset(reinterpret_cast<void *>(d), v, n);
    return fake().call("cuMemsetD8");
  };
  t.cuMemsetD8Async = [](CuDevicePtr d, unsigned char v, size_t n,
                         CuStream) {
    std::memset(reinterpret_cast<void *>(d), v, n);
    fake().memsets.push_back({d, n});
    return fake().call("cuMemsetD8Async");
  };
  t.cuMemsetD16Async = [](CuDevicePtr, unsigned short, size_t, CuStream) {
    return fake().call("cuMemsetD16Async");
  };
  t.cuMemsetD32Async = [](CuDevicePtr, unsigned, size_t, CuStream) {
    return fake().call("cuMemsetD32Async");
  };
  t.cuMemHostRegister = [](void *, size_t, unsigned) {
    return fake().call("cuMemHostRegister");
  };
  t.cuMemHostUnregister = [](void *) {
    return fake().call("cuMemHostUnregister");
  };
  t.cuTensorMapEncodeTiled =
      [](CuTensorMap *map, int, unsigned rank, void *, const uint64_t *dims,
         const uint64_t *strides, const unsigned *box, const unsigned *,
         int, int, int, int) {
        fake().encodedDims.emplace_back(dims, dims + rank);
        fake().encodedStrides.emplace_back(strides, strides + rank - 1);
        fake().encodedBoxes.emplace_back(box, box + rank);
        std::memset(map, 0xAB, sizeof(*map));
        return fake().call("cuTensorMapEncodeTiled");
      };
  return t;
}

} // namespace attnc::runtime::test

#endif // ATTNC_TEST_UNIT_RUNTIME_FAKECUDADRIVER_H
