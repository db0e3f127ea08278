//===- Driver.h - The CUDA driver API, loaded at run time --------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// attnc never links against libcuda: the driver is dlopen()ed on first use
// ("libcuda.so.1") and its entry points are resolved into a DriverTable, a
// struct of function pointers. Unit tests install a fake table with
// setDriverForTesting().
//
// The few driver types and constants the runtime needs are declared here, so
// that the runtime builds without the CUDA headers. They are ABI-compatible
// with cuda.h (CUDA 12/13): handles are opaque pointers, CUresult and enums
// are ints, CUdeviceptr is a 64-bit integer.
//
// Every driver failure becomes a one-line message (formatDriverError):
//   cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE (invalid argument)
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_CUDA_DRIVER_H
#define ATTNC_RUNTIME_CUDA_DRIVER_H

#include "attnc/Runtime/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace attnc::runtime::cuda {

// Driver types (cuda.h names in the comments).
using CuResult = int;                    // CUresult
using CuDevice = int;                    // CUdevice
using CuDevicePtr = unsigned long long;  // CUdeviceptr
using CuContext = struct CuContextOpaque *;   // CUcontext
using CuModule = struct CuModuleOpaque *;     // CUmodule
using CuFunction = struct CuFunctionOpaque *; // CUfunction
using CuStream = struct CuStreamOpaque *;     // CUstream
using CuEvent = struct CuEventOpaque *;       // CUevent

/// CUtensorMap: 128 opaque bytes, 64-byte aligned.
struct alignas(64) CuTensorMap {
  uint64_t opaque[16];
};
static_assert(sizeof(CuTensorMap) == 128, "CUtensorMap is 128 bytes");

/// CUlaunchAttribute: an id, padding, and a 64-byte value union, of which
/// attnc uses the cluster dimension and the scheduling policy.
struct CuLaunchAttribute {
  int id;
  char pad[4];
  union {
    char bytes[64];
    struct {
      unsigned x, y, z;
    } clusterDim;
    int clusterSchedulingPolicyPreference;
  } value;
};
static_assert(sizeof(CuLaunchAttribute) == 72, "CUlaunchAttribute layout");

/// CUlaunchConfig.
struct CuLaunchConfig {
  unsigned gridDimX, gridDimY, gridDimZ;
  unsigned blockDimX, blockDimY, blockDimZ;
  unsigned sharedMemBytes;
  CuStream hStream;
  CuLaunchAttribute *attrs;
  unsigned numAttrs;
};

// Constants (the cuda.h enumerators of the same name).
inline constexpr CuResult kCudaSuccess = 0;
inline constexpr CuResult kCudaErrorInvalidValue = 1;
inline constexpr CuResult kCudaErrorNoDevice = 100;
inline constexpr CuResult kCudaErrorNotFound = 500;
inline constexpr int kStreamDefault = 0;       // CU_STREAM_DEFAULT
inline constexpr int kStreamNonBlocking = 1;   // CU_STREAM_NON_BLOCKING
inline constexpr int kEventDefault = 0;        // CU_EVENT_DEFAULT
inline constexpr int kEventDisableTiming = 2;  // CU_EVENT_DISABLE_TIMING
inline constexpr int kMemAttachGlobal = 1;     // CU_MEM_ATTACH_GLOBAL
inline constexpr int kDeviceAttributeMultiprocessorCount = 16;
inline constexpr int kDeviceAttributeComputeCapabilityMajor = 75;
inline constexpr int kDeviceAttributeComputeCapabilityMinor = 76;
inline constexpr int kDeviceAttributeMaxSharedMemoryPerBlockOptin = 97;
inline constexpr int kFuncAttributeMaxDynamicSharedSizeBytes = 8;
inline constexpr int kFuncAttributeNonPortableClusterSizeAllowed = 14;
inline constexpr int kJitErrorLogBuffer = 5;            // CU_JIT_ERROR_LOG_BUFFER
inline constexpr int kJitErrorLogBufferSizeBytes = 6;   // ..._SIZE_BYTES
inline constexpr int kJitOptimizationLevel = 7;         // CU_JIT_OPTIMIZATION_LEVEL
inline constexpr int kLaunchAttributeClusterDimension = 4;
inline constexpr int kLaunchAttributeClusterSchedulingPolicyPreference = 5;
inline constexpr int kClusterSchedulingPolicySpread = 1;
/// Shared memory a kernel may use without opting in (48 KiB).
inline constexpr int kDefaultSharedMemoryLimit = 48 * 1024;

/// The driver entry points attnc uses; the comment names the versioned
/// symbol looked up in libcuda.so.1 where it differs from the member name.
/// Members marked optional may be null (older drivers); callers report
/// "<name> is not available in this CUDA driver".
struct DriverTable {
  CuResult (*cuGetErrorName)(CuResult, const char **);
  CuResult (*cuGetErrorString)(CuResult, const char **);
  CuResult (*cuInit)(unsigned);
  CuResult (*cuDriverGetVersion)(int *);
  CuResult (*cuDeviceGetCount)(int *);
  CuResult (*cuDeviceGet)(CuDevice *, int);
  CuResult (*cuDeviceGetName)(char *, int, CuDevice);
  CuResult (*cuDeviceGetAttribute)(int *, int, CuDevice);
  CuResult (*cuDevicePrimaryCtxRetain)(CuContext *, CuDevice);
  CuResult (*cuCtxGetCurrent)(CuContext *);
  CuResult (*cuCtxSetCurrent)(CuContext);
  CuResult (*cuCtxPushCurrent)(CuContext);  // cuCtxPushCurrent_v2
  CuResult (*cuCtxPopCurrent)(CuContext *); // cuCtxPopCurrent_v2
  CuResult (*cuCtxSynchronize)();
  CuResult (*cuModuleLoadData)(CuModule *, const void *);
  CuResult (*cuModuleLoadDataEx)(CuModule *, const void *, unsigned, int *,
                                 void **);
  CuResult (*cuModuleUnload)(CuModule);
  CuResult (*cuModuleGetFunction)(CuFunction *, CuModule, const char *);
  CuResult (*cuFuncSetAttribute)(CuFunction, int, int);
  CuResult (*cuLaunchKernel)(CuFunction, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, unsigned, CuStream,
                             void **, void **);
  /// Optional (CUDA 12.0).
  CuResult (*cuLaunchKernelEx)(const CuLaunchConfig *, CuFunction, void **,
                               void **);
  CuResult (*cuStreamCreate)(CuStream *, unsigned);
  CuResult (*cuStreamDestroy)(CuStream); // cuStreamDestroy_v2
  CuResult (*cuStreamSynchronize)(CuStream);
  CuResult (*cuStreamWaitEvent)(CuStream, CuEvent, unsigned);
  CuResult (*cuEventCreate)(CuEvent *, unsigned);
  CuResult (*cuEventDestroy)(CuEvent); // cuEventDestroy_v2
  CuResult (*cuEventRecord)(CuEvent, CuStream);
  CuResult (*cuEventSynchronize)(CuEvent);
  /// cuEventElapsedTime_v2 (CUDA 12.8), else cuEventElapsedTime.
  CuResult (*cuEventElapsedTime)(float *, CuEvent, CuEvent);
  CuResult (*cuMemAlloc)(CuDevicePtr *, size_t); // cuMemAlloc_v2
  CuResult (*cuMemAllocManaged)(CuDevicePtr *, size_t, unsigned);
  CuResult (*cuMemFree)(CuDevicePtr); // cuMemFree_v2
  CuResult (*cuMemcpy)(CuDevicePtr, CuDevicePtr, size_t);
  CuResult (*cuMemcpyAsync)(CuDevicePtr, CuDevicePtr, size_t, CuStream);
  CuResult (*cuMemcpyHtoD)(CuDevicePtr, const void *, size_t); // _v2
  CuResult (*cuMemcpyDtoH)(void *, CuDevicePtr, size_t);       // _v2
  CuResult (*cuMemsetD8)(CuDevicePtr, unsigned char, size_t);  // _v2
  CuResult (*cuMemsetD8Async)(CuDevicePtr, unsigned char, size_t, CuStream);
  CuResult (*cuMemsetD16Async)(CuDevicePtr, unsigned short, size_t,
                               CuStream);
  CuResult (*cuMemsetD32Async)(CuDevicePtr, unsigned, size_t, CuStream);
  CuResult (*cuMemHostRegister)(void *, size_t, unsigned); // _v2
  CuResult (*cuMemHostUnregister)(void *);
  /// Optional (CUDA 12.0).
  CuResult (*cuTensorMapEncodeTiled)(CuTensorMap *, int, unsigned, void *,
                                     const uint64_t *, const uint64_t *,
                                     const unsigned *, const unsigned *, int,
                                     int, int, int);
};

/// Opens `libraryName` (normally "libcuda.so.1") and resolves the table.
/// Fails with "no CUDA driver: <library> cannot be loaded (<dlerror>)", or
/// "no CUDA driver: <library> has no <symbol>" for a required entry point.
Expected<DriverTable> loadDriverTable(const char *libraryName);

/// The process's driver: the table installed by setDriverForTesting, or
/// libcuda.so.1 loaded on first use (a failure is remembered and returned
/// again).
Expected<const DriverTable *> getDriver();

/// Makes getDriver() return `table` (not copied; it must outlive its use),
/// or, with null, load the real driver again. Also forgets the context,
/// streams, caches and options of Context.h (resetRuntimeForTesting).
void setDriverForTesting(const DriverTable *table);

/// "<function> failed: CUDA_ERROR_X (description)", with the names from the
/// driver when it has them, else "error <code>".
std::string formatDriverError(const DriverTable &driver, const char *function,
                              CuResult result);

/// Error::success() for kCudaSuccess, else formatDriverError as an Error.
Error checkDriver(const DriverTable &driver, const char *function,
                  CuResult result);

} // namespace attnc::runtime::cuda

#endif // ATTNC_RUNTIME_CUDA_DRIVER_H
