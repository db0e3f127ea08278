//===- TensorMap.h - TMA descriptors, encoded once ---------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Hopper TMA copies read a 128-byte CUtensorMap that describes a global
// tensor (address, sizes, byte strides) and the box a copy moves. Code that
// MLIR's NVGPU lowering emits asks for one per launch, through
// mgpuTensorMapEncodeTiledMemref, and expects a device pointer to it. The
// runtime encodes each distinct description once and keeps its device copy:
// the same buffer with the same shape and box gets the same pointer back.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_CUDA_TENSORMAP_H
#define ATTNC_RUNTIME_CUDA_TENSORMAP_H

#include "attnc/Runtime/Cuda/Driver.h"
#include "attnc/Runtime/Error.h"

#include <cstdint>

namespace attnc::runtime::cuda {

/// What cuTensorMapEncodeTiled encodes; the cache key. Dimension 0 is the
/// innermost (fastest varying) one, as the driver counts.
struct TensorMapDescription {
  int dataType = 0; // CUtensorMapDataType
  unsigned rank = 0;
  uint64_t address = 0;
  uint64_t dims[5] = {1, 1, 1, 1, 1};
  /// Byte strides of dimensions 1..rank-1.
  uint64_t strides[4] = {0, 0, 0, 0};
  unsigned box[5] = {1, 1, 1, 1, 1};
  unsigned elementStrides[5] = {1, 1, 1, 1, 1};
  int interleave = 0;
  int swizzle = 0;
  int l2Promotion = 0;
  int oobFill = 0;

  bool operator<(const TensorMapDescription &other) const;
};

/// The size in bytes of an element of CUtensorMapDataType `dataType` (0 to
/// 12), or 0 for a type attnc does not know.
int getTensorMapElementSize(int64_t dataType);

/// Describes a tensor given as a ranked memref descriptor (allocated,
/// aligned, offset, sizes, strides; rank 1 to 5) and a box in memref
/// order (outermost first), as mgpuTensorMapEncodeTiledMemref receives
/// them. Fails on a rank, data type or box the driver cannot take.
Expected<TensorMapDescription>
describeMemref(int64_t rank, const void *descriptor, int64_t dataType,
               int64_t interleave, int64_t swizzle, int64_t l2Promotion,
               int64_t oobFill, const int64_t *box);

/// Encodes `description` with cuTensorMapEncodeTiled.
Expected<CuTensorMap> encodeTensorMap(const DriverTable &driver,
                                      const TensorMapDescription &description);

/// The device copy of the encoded `description`: encoded, allocated and
/// copied on the first request, then the same pointer. Needs a current
/// context.
Expected<void *> getDeviceTensorMap(const DriverTable &driver,
                                    const TensorMapDescription &description);

/// The number of cached tensor maps (for tests).
size_t getNumCachedTensorMaps();
/// Forgets the cache without freeing (resetRuntimeForTesting).
void clearTensorMapCache();

} // namespace attnc::runtime::cuda

#endif // ATTNC_RUNTIME_CUDA_TENSORMAP_H
