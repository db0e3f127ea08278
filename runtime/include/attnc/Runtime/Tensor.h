//===- Tensor.h - Host tensors: dtype, shape and owned bytes -----*- C++
//-*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// A Tensor is a dense, C-order (row-major) array in host memory: an element
// type, a shape of int64_t dimensions and the bytes, owned and aligned to 64
// bytes (a cache line, and enough for any vector load). It is what the .npy
// reader returns and what attnc-run passes to compiled functions as memrefs.
//
// Element layout: f32/f64 and the integers are native little-endian values;
// f16 and bf16 are their 16-bit patterns (see Float16.h); i1 is one byte per
// element holding 0 or 1, as numpy's bool and MLIR's memref<...xi1> do.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_TENSOR_H
#define ATTNC_RUNTIME_TENSOR_H

#include "attnc/Runtime/Error.h"

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attnc::runtime {

/// Element types, named as in MLIR.
enum class DType : uint8_t { F32, F16, BF16, F64, I1, I8, I32, I64, U8 };

/// Every DType, for tests and for listing what is supported.
inline constexpr DType kAllDTypes[] = {DType::F32, DType::F16, DType::BF16,
                                       DType::F64, DType::I1,  DType::I8,
                                       DType::I32, DType::I64, DType::U8};

/// The size of one element in bytes (1 for i1).
size_t getDTypeSize(DType dtype);
/// The MLIR spelling: "f32", "f16", "bf16", "f64", "i1", "i8", "i32", "i64",
/// "ui8".
std::string_view stringifyDType(DType dtype);
/// Parses a name printed by stringifyDType; also accepts "bool" for i1 and
/// "u8" for ui8.
std::optional<DType> parseDType(std::string_view name);
/// True for f32, f16, bf16 and f64.
bool isFloatDType(DType dtype);

/// The number of bytes of a `dtype` tensor of `shape`. Fails, with a message
/// that does not name the shape, when a dimension is negative or the element
/// count or the byte size does not fit in int64_t.
Expected<int64_t> computeByteSize(DType dtype,
                                  const std::vector<int64_t> &shape);

/// A dense C-order host tensor that owns its 64-byte aligned storage.
/// Move-only, so that large buffers are never copied by accident.
class Tensor {
public:
  static constexpr size_t kAlignment = 64;

  /// Allocates a zero-filled tensor. Fails when the shape is invalid (see
  /// computeByteSize) or the memory cannot be allocated.
  static Expected<Tensor> create(DType dtype, std::vector<int64_t> shape);
  /// As create(), but leaves the contents unspecified; for readers that fill
  /// every byte at once.
  static Expected<Tensor> createUninitialized(DType dtype,
                                              std::vector<int64_t> shape);

  Tensor(Tensor &&) noexcept = default;
  Tensor &operator=(Tensor &&) noexcept = default;
  Tensor(const Tensor &) = delete;
  Tensor &operator=(const Tensor &) = delete;

  DType getDType() const { return dtype; }
  const std::vector<int64_t> &getShape() const { return shape; }
  size_t getRank() const { return shape.size(); }
  /// The product of the dimensions (1 for a scalar).
  int64_t getNumElements() const { return numElements; }
  /// getNumElements() * getDTypeSize(getDType()).
  size_t getByteSize() const { return byteSize; }

  /// The first byte; never null, even for an empty tensor. 64-byte aligned.
  uint8_t *getData() { return storage.get(); }
  const uint8_t *getData() const { return storage.get(); }
  /// The elements as T, which must have the element size (uint16_t for f16
  /// and bf16, uint8_t or bool for i1).
  template <typename T> T *getDataAs() {
    assert(sizeof(T) == getDTypeSize(dtype) && "element size mismatch");
    return reinterpret_cast<T *>(getData());
  }
  template <typename T> const T *getDataAs() const {
    assert(sizeof(T) == getDTypeSize(dtype) && "element size mismatch");
    return reinterpret_cast<const T *>(getData());
  }

  /// Element `index` (in C order) converted to double; f16/bf16 are widened
  /// exactly, i64 beyond 2^53 loses precision.
  double getElementAsDouble(int64_t index) const;

  /// The MLIR tensor type without the `tensor<>`: "2x4xf32", "f32".
  std::string getTypeString() const;

private:
  struct AlignedDelete {
    void operator()(uint8_t *ptr) const;
  };

  Tensor(DType dtype, std::vector<int64_t> shape, int64_t numElements,
         size_t byteSize, std::unique_ptr<uint8_t[], AlignedDelete> storage)
      : dtype(dtype), shape(std::move(shape)), numElements(numElements),
        byteSize(byteSize), storage(std::move(storage)) {}

  static Expected<Tensor> allocate(DType dtype, std::vector<int64_t> shape,
                                   bool zeroFill);

  DType dtype;
  std::vector<int64_t> shape;
  int64_t numElements;
  size_t byteSize;
  std::unique_ptr<uint8_t[], AlignedDelete> storage;
};

/// "2x4" for {2, 4}, "" for a scalar: the dimensions as MLIR prints them.
std::string formatShape(const std::vector<int64_t> &shape);
/// "2x4xf32" for ({2, 4}, f32), "f32" for a scalar: the MLIR tensor type
/// without the `tensor<>`.
std::string formatTensorType(DType dtype, const std::vector<int64_t> &shape);

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_TENSOR_H
