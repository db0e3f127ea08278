//===- TensorLiteral.cpp - Tensors to and from text -------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/TensorLiteral.h"
#include "attnc/Runtime/Float16.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

using namespace attnc::runtime;

namespace {

/// Builds the errors of one literal, which all quote it (shortened when long).
class LiteralError {
public:
  explicit LiteralError(std::string_view literal) {
    constexpr size_t kMaxQuoted = 60;
    quoted = literal.size() <= kMaxQuoted
                 ? std::string(literal)
                 : std::string(literal.substr(0, kMaxQuoted)) + "...";
  }

  Error operator()(const std::string &reason) const {
    return Error::failure("invalid tensor literal '" + quoted + "': " + reason);
  }

private:
  std::string quoted;
};

} // namespace

static bool isSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' ||
         c == '[' || c == ']';
}

static std::vector<std::string_view> splitValues(std::string_view text) {
  std::vector<std::string_view> tokens;
  size_t pos = 0;
  while (pos < text.size()) {
    if (isSeparator(text[pos])) {
      ++pos;
      continue;
    }
    size_t end = pos;
    while (end < text.size() && !isSeparator(text[end]))
      ++end;
    tokens.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return tokens;
}

static std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

/// Parses a whole token as a double; strtod accepts nan/inf and hex floats.
static std::optional<double> parseDouble(std::string_view token) {
  std::string text(token);
  char *end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size())
    return std::nullopt;
  return value;
}

/// Parses a whole token as a decimal integer; fails on overflow.
static std::optional<int64_t> parseInteger(std::string_view token) {
  std::string text(token);
  char *end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE)
    return std::nullopt;
  return int64_t(value);
}

template <typename T> static void store(uint8_t *data, int64_t index, T value) {
  std::memcpy(data + index * int64_t(sizeof(T)), &value, sizeof(T));
}

/// Parses `token` as a `dtype` value and stores it as element `index`.
static Error storeValue(Tensor &tensor, int64_t index, std::string_view token,
                        const LiteralError &error) {
  DType dtype = tensor.getDType();
  std::string dtypeName(stringifyDType(dtype));
  uint8_t *data = tensor.getData();
  if (dtype == DType::I1) {
    if (token == "true" || token == "True" || token == "1")
      data[index] = 1;
    else if (token == "false" || token == "False" || token == "0")
      data[index] = 0;
    else
      return error("'" + std::string(token) +
                   "' is not an i1 value (expected true, false, 0 or 1)");
    return Error::success();
  }
  if (isFloatDType(dtype)) {
    std::optional<double> value = parseDouble(token);
    if (!value)
      return error("'" + std::string(token) + "' is not a valid " + dtypeName +
                   " value");
    switch (dtype) {
    case DType::F64:
      store(data, index, *value);
      break;
    case DType::F32:
      store(data, index, float(*value));
      break;
    case DType::F16:
      store(data, index, f32ToF16(float(*value)));
      break;
    default:
      store(data, index, f32ToBF16(float(*value)));
      break;
    }
    return Error::success();
  }

  std::optional<int64_t> value = parseInteger(token);
  if (!value)
    return error("'" + std::string(token) + "' is not a valid " + dtypeName +
                 " value");
  int64_t min = 0, max = 0;
  switch (dtype) {
  case DType::I8:
    min = std::numeric_limits<int8_t>::min();
    max = std::numeric_limits<int8_t>::max();
    break;
  case DType::U8:
    max = std::numeric_limits<uint8_t>::max();
    break;
  case DType::I32:
    min = std::numeric_limits<int32_t>::min();
    max = std::numeric_limits<int32_t>::max();
    break;
  default:
    min = std::numeric_limits<int64_t>::min();
    max = std::numeric_limits<int64_t>::max();
    break;
  }
  if (*value < min || *value > max)
    return error(std::string(token) + " is out of range for " + dtypeName);
  switch (dtype) {
  case DType::I8:
    store(data, index, int8_t(*value));
    break;
  case DType::U8:
    store(data, index, uint8_t(*value));
    break;
  case DType::I32:
    store(data, index, int32_t(*value));
    break;
  default:
    store(data, index, *value);
    break;
  }
  return Error::success();
}

Expected<Tensor> attnc::runtime::parseTensorLiteral(std::string_view literal) {
  LiteralError error(literal);
  size_t equals = literal.find('=');
  std::string_view typeText = trim(literal.substr(0, equals));

  // The type: dimensions separated by 'x', then the element type.
  std::vector<int64_t> shape;
  size_t lastX = typeText.rfind('x');
  std::string_view dtypeText =
      lastX == std::string_view::npos ? typeText : typeText.substr(lastX + 1);
  if (lastX != std::string_view::npos) {
    std::string_view dims = typeText.substr(0, lastX);
    size_t pos = 0;
    while (true) {
      size_t next = dims.find('x', pos);
      std::string_view dim =
          dims.substr(pos, next == std::string_view::npos ? next : next - pos);
      if (dim.empty() ||
          dim.find_first_not_of("0123456789") != std::string_view::npos)
        return error("expected a dimension, found '" + std::string(dim) + "'");
      std::optional<int64_t> size = parseInteger(dim);
      if (!size)
        return error("dimension " + std::string(dim) + " is too large");
      shape.push_back(*size);
      if (next == std::string_view::npos)
        break;
      pos = next + 1;
    }
  }
  std::optional<DType> dtype = parseDType(dtypeText);
  if (!dtype)
    return error("unknown element type '" + std::string(dtypeText) + "'");

  Expected<Tensor> tensor = Tensor::create(*dtype, shape);
  if (!tensor)
    return error(tensor.getError().getMessage());
  if (equals == std::string_view::npos)
    return tensor;

  std::vector<std::string_view> tokens =
      splitValues(literal.substr(equals + 1));
  int64_t count = tensor->getNumElements();
  if (tokens.size() == 1 && count > 0) {
    // A splat, or the single value of a one-element tensor.
    if (Error err = storeValue(*tensor, 0, tokens[0], error))
      return err;
    size_t elementSize = getDTypeSize(*dtype);
    for (int64_t i = 1; i < count; ++i)
      std::memcpy(tensor->getData() + i * elementSize, tensor->getData(),
                  elementSize);
    return tensor;
  }
  if (int64_t(tokens.size()) != count)
    return error("expected " + std::to_string(count) +
                 " values (or 1 to splat), got " +
                 std::to_string(tokens.size()));
  for (int64_t i = 0; i < count; ++i)
    if (Error err = storeValue(*tensor, i, tokens[i], error))
      return err;
  return tensor;
}

std::string attnc::runtime::formatSummary(const Tensor &tensor,
                                          int64_t maxValues) {
  std::string result = "tensor<" + tensor.getTypeString() + "> [";
  int64_t count = tensor.getNumElements();
  int64_t shown = std::max<int64_t>(0, std::min(count, maxValues));
  const uint8_t *data = tensor.getData();
  char buffer[32];
  for (int64_t i = 0; i < shown; ++i) {
    if (i)
      result += ", ";
    switch (tensor.getDType()) {
    case DType::I64: {
      int64_t value;
      std::memcpy(&value, data + i * 8, 8);
      std::snprintf(buffer, sizeof(buffer), "%" PRId64, value);
      break;
    }
    case DType::F32:
    case DType::F16:
    case DType::BF16:
    case DType::F64:
      std::snprintf(buffer, sizeof(buffer), "%g", tensor.getElementAsDouble(i));
      break;
    default: // Integers of at most 32 bits are exact as doubles.
      std::snprintf(buffer, sizeof(buffer), "%.0f",
                    tensor.getElementAsDouble(i));
      break;
    }
    result += buffer;
  }
  if (shown < count)
    result += shown ? ", ..." : "...";
  result += "]";
  return result;
}
