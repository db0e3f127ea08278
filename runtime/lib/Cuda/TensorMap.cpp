//===- TensorMap.cpp - TMA descriptors, encoded once --------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Cuda/TensorMap.h"

#include <cstring>
#include <iterator>
#include <map>
#include <mutex>
#include <tuple>

namespace attnc::runtime::cuda {

namespace {

struct TensorMapCache {
  std::mutex mutex;
  std::map<TensorMapDescription, CuDevicePtr> maps;
};

TensorMapCache &getCache() {
  // Never destroyed: mgpu* calls may come from global destructors.
  static auto *cache = new TensorMapCache();
  return *cache;
}

} // namespace

bool TensorMapDescription::operator<(const TensorMapDescription &other) const {
  if (dataType != other.dataType)
    return dataType < other.dataType;
  if (rank != other.rank)
    return rank < other.rank;
  if (address != other.address)
    return address < other.address;
  if (int c = std::memcmp(dims, other.dims, sizeof(dims)))
    return c < 0;
  if (int c = std::memcmp(strides, other.strides, sizeof(strides)))
    return c < 0;
  if (int c = std::memcmp(box, other.box, sizeof(box)))
    return c < 0;
  if (int c = std::memcmp(elementStrides, other.elementStrides,
                          sizeof(elementStrides)))
    return c < 0;
  return std::tie(interleave, swizzle, l2Promotion, oobFill) <
         std::tie(other.interleave, other.swizzle, other.l2Promotion,
                  other.oobFill);
}

int getTensorMapElementSize(int64_t dataType) {
  // UINT8, UINT16, UINT32, INT32, UINT64, INT64, FLOAT16, FLOAT32, FLOAT64,
  // BFLOAT16, FLOAT32_FTZ, TFLOAT32, TFLOAT32_FTZ.
  static constexpr int sizes[] = {1, 2, 4, 4, 8, 8, 2, 4, 8, 2, 4, 4, 4};
  if (dataType < 0 || dataType >= static_cast<int64_t>(std::size(sizes)))
    return 0;
  return sizes[dataType];
}

Expected<TensorMapDescription>
describeMemref(int64_t rank, const void *descriptor, int64_t dataType,
               int64_t interleave, int64_t swizzle, int64_t l2Promotion,
               int64_t oobFill, const int64_t *box) {
  if (rank < 1 || rank > 5)
    return Error::failure("tensor map of rank " + std::to_string(rank) +
                          ": the driver takes ranks 1 to 5");
  int elementSize = getTensorMapElementSize(dataType);
  if (elementSize == 0)
    return Error::failure("tensor map: unknown data type " +
                          std::to_string(dataType));
  // allocated, aligned, offset, sizes[rank], strides[rank]: 8 bytes each.
  int64_t words[3 + 2 * 5];
  std::memcpy(words, descriptor, sizeof(int64_t) * (3 + 2 * rank));
  const int64_t *sizes = words + 3;
  const int64_t *strides = words + 3 + rank;
  TensorMapDescription description;
  description.dataType = static_cast<int>(dataType);
  description.rank = static_cast<unsigned>(rank);
  description.address =
      static_cast<uint64_t>(words[1] + words[2] * elementSize);
  for (int64_t d = 0; d < rank; ++d) {
    // The driver counts from the innermost dimension.
    int64_t memrefDim = rank - 1 - d;
    if (sizes[memrefDim] <= 0 || box[memrefDim] <= 0 || box[memrefDim] > 256)
      return Error::failure(
          "tensor map: dimension " + std::to_string(memrefDim) + " of size " +
          std::to_string(sizes[memrefDim]) + " with a box of " +
          std::to_string(box[memrefDim]) +
          " (sizes must be positive, boxes 1 to 256)");
    description.dims[d] = static_cast<uint64_t>(sizes[memrefDim]);
    description.box[d] = static_cast<unsigned>(box[memrefDim]);
    if (d > 0)
      description.strides[d - 1] =
          static_cast<uint64_t>(strides[memrefDim]) * elementSize;
  }
  description.interleave = static_cast<int>(interleave);
  description.swizzle = static_cast<int>(swizzle);
  description.l2Promotion = static_cast<int>(l2Promotion);
  description.oobFill = static_cast<int>(oobFill);
  return description;
}

Expected<CuTensorMap> encodeTensorMap(const DriverTable &driver,
                                      const TensorMapDescription &d) {
  if (!driver.cuTensorMapEncodeTiled)
    return Error::failure("cuTensorMapEncodeTiled is not available in this "
                          "CUDA driver (TMA needs CUDA 12)");
  CuTensorMap map;
  std::memset(&map, 0, sizeof(map));
  if (Error error = checkDriver(
          driver, "cuTensorMapEncodeTiled",
          driver.cuTensorMapEncodeTiled(
              &map, d.dataType, d.rank,
              reinterpret_cast<void *>(static_cast<uintptr_t>(d.address)),
              d.dims, d.strides, d.box, d.elementStrides, d.interleave,
              d.swizzle, d.l2Promotion, d.oobFill)))
    return error;
  return map;
}

Expected<void *> getDeviceTensorMap(const DriverTable &driver,
                                    const TensorMapDescription &description) {
  TensorMapCache &cache = getCache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  auto found = cache.maps.find(description);
  if (found != cache.maps.end())
    return reinterpret_cast<void *>(static_cast<uintptr_t>(found->second));
  Expected<CuTensorMap> map = encodeTensorMap(driver, description);
  if (!map)
    return map.takeError();
  CuDevicePtr device = 0;
  if (Error error = checkDriver(driver, "cuMemAlloc",
                                driver.cuMemAlloc(&device, sizeof(*map))))
    return error;
  if (Error error = checkDriver(driver, "cuMemcpyHtoD",
                                driver.cuMemcpyHtoD(device, &*map,
                                                    sizeof(*map)))) {
    (void)driver.cuMemFree(device);
    return error;
  }
  cache.maps.emplace(description, device);
  return reinterpret_cast<void *>(static_cast<uintptr_t>(device));
}

size_t getNumCachedTensorMaps() {
  TensorMapCache &cache = getCache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  return cache.maps.size();
}

void clearTensorMapCache() {
  TensorMapCache &cache = getCache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  cache.maps.clear();
}

} // namespace attnc::runtime::cuda
