//===- Tensor.cpp - Host tensors: dtype, shape and owned bytes --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Tensor.h"
#include "attnc/Runtime/Float16.h"

#include <cstring>
#include <limits>
#include <new>

using namespace attnc::runtime;

size_t attnc::runtime::getDTypeSize(DType dtype) {
  switch (dtype) {
  case DType::I1:
  case DType::I8:
  case DType::U8:
    return 1;
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F64:
  case DType::I64:
    return 8;
  }
  return 0;
}

std::string_view attnc::runtime::stringifyDType(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F64:
    return "f64";
  case DType::I1:
    return "i1";
  case DType::I8:
    return "i8";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  case DType::U8:
    return "ui8";
  }
  return "<invalid dtype>";
}

std::optional<DType> attnc::runtime::parseDType(std::string_view name) {
  for (DType dtype : kAllDTypes)
    if (name == stringifyDType(dtype))
      return dtype;
  if (name == "bool")
    return DType::I1;
  if (name == "u8")
    return DType::U8;
  return std::nullopt;
}

bool attnc::runtime::isFloatDType(DType dtype) {
  return dtype == DType::F32 || dtype == DType::F16 || dtype == DType::BF16 ||
         dtype == DType::F64;
}

Expected<int64_t>
attnc::runtime::computeByteSize(DType dtype,
                                const std::vector<int64_t> &shape) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  bool hasZero = false;
  for (int64_t dim : shape) {
    if (dim < 0)
      return Error::failure("dimension " + std::to_string(dim) +
                            " is negative");
    hasZero |= dim == 0;
  }
  // Check the product of the non-zero dimensions even when one is zero, so
  // that a shape is valid or not regardless of the other dimensions.
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim == 0)
      continue;
    if (count > kMax / dim)
      return Error::failure("the element count overflows a 64-bit integer");
    count *= dim;
  }
  if (hasZero)
    return int64_t(0);
  int64_t elementSize = int64_t(getDTypeSize(dtype));
  if (count > kMax / elementSize)
    return Error::failure("the size in bytes overflows a 64-bit integer");
  return count * elementSize;
}

void Tensor::AlignedDelete::operator()(uint8_t *ptr) const {
  ::operator delete[](ptr, std::align_val_t(kAlignment));
}

Expected<Tensor> Tensor::allocate(DType dtype, std::vector<int64_t> shape,
                                  bool zeroFill) {
  Expected<int64_t> byteSize = computeByteSize(dtype, shape);
  if (!byteSize)
    return Error::failure("invalid shape " + formatShape(shape) + ": " +
                          byteSize.getError().getMessage());
  if (uint64_t(*byteSize) > std::numeric_limits<size_t>::max())
    return Error::failure("cannot allocate " + std::to_string(*byteSize) +
                          " bytes on this host");
  size_t size = size_t(*byteSize);
  // Allocate at least one byte so that getData() is never null.
  auto *ptr = static_cast<uint8_t *>(::operator new[](
      size ? size : 1, std::align_val_t(kAlignment), std::nothrow));
  if (!ptr)
    return Error::failure("cannot allocate " + std::to_string(size) +
                          " bytes for a tensor<" +
                          formatTensorType(dtype, shape) + ">");
  std::unique_ptr<uint8_t[], AlignedDelete> storage(ptr);
  if (zeroFill)
    std::memset(ptr, 0, size ? size : 1);
  int64_t elementSize = int64_t(getDTypeSize(dtype));
  return Tensor(dtype, std::move(shape), *byteSize / elementSize, size,
                std::move(storage));
}

Expected<Tensor> Tensor::create(DType dtype, std::vector<int64_t> shape) {
  return allocate(dtype, std::move(shape), /*zeroFill=*/true);
}

Expected<Tensor> Tensor::createUninitialized(DType dtype,
                                             std::vector<int64_t> shape) {
  return allocate(dtype, std::move(shape), /*zeroFill=*/false);
}

template <typename T> static T load(const uint8_t *data, int64_t index) {
  T value;
  std::memcpy(&value, data + index * int64_t(sizeof(T)), sizeof(T));
  return value;
}

double Tensor::getElementAsDouble(int64_t index) const {
  assert(index >= 0 && index < numElements && "element index out of range");
  const uint8_t *data = getData();
  switch (dtype) {
  case DType::F32:
    return load<float>(data, index);
  case DType::F16:
    return f16ToF32(load<uint16_t>(data, index));
  case DType::BF16:
    return bf16ToF32(load<uint16_t>(data, index));
  case DType::F64:
    return load<double>(data, index);
  case DType::I1:
    return data[index] ? 1.0 : 0.0;
  case DType::I8:
    return load<int8_t>(data, index);
  case DType::I32:
    return load<int32_t>(data, index);
  case DType::I64:
    return double(load<int64_t>(data, index));
  case DType::U8:
    return data[index];
  }
  return 0.0;
}

std::string Tensor::getTypeString() const {
  return formatTensorType(dtype, shape);
}

std::string attnc::runtime::formatShape(const std::vector<int64_t> &shape) {
  std::string result;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      result += 'x';
    result += std::to_string(shape[i]);
  }
  return result;
}

std::string
attnc::runtime::formatTensorType(DType dtype,
                                 const std::vector<int64_t> &shape) {
  std::string result = formatShape(shape);
  if (!result.empty())
    result += 'x';
  result += stringifyDType(dtype);
  return result;
}
