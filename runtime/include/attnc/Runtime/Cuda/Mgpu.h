//===- Mgpu.h - The mgpu* functions MLIR's GPU host code calls ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The C functions that MLIR 22's `gpu-to-llvm` (and NVGPU's TMA lowering)
// emit calls to, with the signatures of MLIR's CudaRuntimeWrappers.cpp
// (docs: /work/shared/GPU-NOTES.md section 6), implemented on the attnc
// driver layer. A compiled CUDA library links libAttncCudaRuntime.a, which
// defines them with hidden visibility: each library has its own copy.
//
// They cannot return errors. The first failure is recorded in the
// library's "last error" slot, read with attnc_cuda_last_error(); from
// then on the calls that do work (loads, launches, copies, allocations) do
// nothing and those returning a pointer return null, until
// attnc_cuda_clear_error(). Calls that release resources (mgpuMemFree,
// mgpuModuleUnload, mgpuStreamDestroy, mgpuEventDestroy,
// mgpuMemHostUnregister*) still release them.
//
// The three attnc_cuda_* functions have default visibility, so that the
// runner can find them in a library with dlsym.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_CUDA_MGPU_H
#define ATTNC_RUNTIME_CUDA_MGPU_H

#include "attnc/Runtime/Cuda/Driver.h"

#include <cstddef>
#include <cstdint>

#define ATTNC_CUDA_EXPORT __attribute__((visibility("default")))

extern "C" {

using attnc::runtime::cuda::CuEvent;
using attnc::runtime::cuda::CuFunction;
using attnc::runtime::cuda::CuModule;
using attnc::runtime::cuda::CuStream;
using attnc::runtime::cuda::CuTensorMap;

/// The first error since the last clear, as one line; null when none.
ATTNC_CUDA_EXPORT const char *attnc_cuda_last_error(void);
/// Forgets the recorded error: calls work again.
ATTNC_CUDA_EXPORT void attnc_cuda_clear_error(void);
/// The stream mgpuStreamCreate returns on the calling thread (so the one
/// this thread's launches, copies and allocations use); null: a stream the
/// runtime creates on first use for each thread (CU_STREAM_DEFAULT flags, so
/// that legacy-stream events bracket it).
ATTNC_CUDA_EXPORT void attnc_cuda_set_stream(void *stream);

CuModule mgpuModuleLoad(void *data, size_t size);
CuModule mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(CuModule module);
CuFunction mgpuModuleGetFunction(CuModule module, const char *name);
void mgpuLaunchKernel(CuFunction function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, CuStream stream,
                      void **params, void **extra, size_t paramsCount);
void mgpuLaunchClusterKernel(CuFunction function, intptr_t clusterX,
                             intptr_t clusterY, intptr_t clusterZ,
                             intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                             intptr_t blockX, intptr_t blockY, intptr_t blockZ,
                             int32_t smem, CuStream stream, void **params,
                             void **extra);
CuStream mgpuStreamCreate(void);
void mgpuStreamDestroy(CuStream stream);
void mgpuStreamSynchronize(CuStream stream);
void mgpuStreamWaitEvent(CuStream stream, CuEvent event);
CuEvent mgpuEventCreate(void);
void mgpuEventDestroy(CuEvent event);
void mgpuEventSynchronize(CuEvent event);
void mgpuEventRecord(CuEvent event, CuStream stream);
void *mgpuMemAlloc(uint64_t sizeBytes, CuStream stream, bool isHostShared);
void mgpuMemFree(void *ptr, CuStream stream);
void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, CuStream stream);
void mgpuMemset32(void *dst, uint32_t value, size_t count, CuStream stream);
void mgpuMemset16(void *dst, uint16_t value, size_t count, CuStream stream);
void mgpuMemHostRegister(void *ptr, uint64_t sizeBytes);
void mgpuMemHostUnregister(void *ptr);
void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                               int64_t elementSizeBytes);
void mgpuMemHostUnregisterMemRef(int64_t rank, void *descriptor,
                                 int64_t elementSizeBytes);
void mgpuSetDefaultDevice(int32_t device);
void *mgpuTensorMapEncodeTiledMemref(int64_t rank, void *rankedDescriptor,
                                     int64_t dataType, int64_t interleave,
                                     int64_t swizzle, int64_t l2Promotion,
                                     int64_t oobFill, int64_t *boxDims);
void mgpuTensorMapEncodeTiled(CuTensorMap *tensorMap, int dataType,
                              uint32_t rank, void *globalAddress,
                              const uint64_t *globalDim,
                              const uint64_t *globalStrides,
                              const uint32_t *boxDim,
                              const uint32_t *elementStrides, int interleave,
                              int swizzle, int l2Promotion, int oobFill);

} // extern "C"

#endif // ATTNC_RUNTIME_CUDA_MGPU_H
