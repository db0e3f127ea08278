//===- FunctionCall.cpp - call compiled functions on host tensors -*- C++ -*-=//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Execution/FunctionCall.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace mlir::attnc {

using ::attnc::runtime::DType;
using ::attnc::runtime::Tensor;
using llvm::createStringError;

std::optional<DType> getDType(Type elementType) {
  if (elementType.isF32())
    return DType::F32;
  if (elementType.isF16())
    return DType::F16;
  if (elementType.isBF16())
    return DType::BF16;
  if (elementType.isF64())
    return DType::F64;
  if (elementType.isSignlessInteger(1))
    return DType::I1;
  if (elementType.isSignlessInteger(8))
    return DType::I8;
  if (elementType.isSignlessInteger(32))
    return DType::I32;
  if (elementType.isSignlessInteger(64))
    return DType::I64;
  return std::nullopt;
}

static std::string printType(Type type) {
  std::string text;
  llvm::raw_string_ostream(text) << type;
  return text;
}

llvm::Error checkInputs(const CompiledFunction &function,
                        const std::vector<Tensor> &inputs,
                        const std::vector<std::string> &inputNames) {
  ArrayRef<Type> argTypes = function.type.getInputs();
  if (inputs.size() != argTypes.size())
    return createStringError("@%s takes %zu input(s) %s, got %zu",
                             function.name.c_str(), argTypes.size(),
                             printType(function.type).c_str(), inputs.size());
  for (auto [idx, input, argType] : llvm::enumerate(inputs, argTypes)) {
    auto expected = cast<ShapedType>(argType);
    std::optional<DType> dtype = getDType(expected.getElementType());
    bool matches = dtype && *dtype == input.getDType() &&
                   expected.getRank() == static_cast<int64_t>(input.getRank());
    for (int64_t d = 0; matches && d < expected.getRank(); ++d)
      matches = expected.isDynamicDim(d) ||
                expected.getDimSize(d) == input.getShape()[d];
    if (!matches)
      return createStringError(
          "input %zu (%s) of @%s: expected %s, got tensor<%s>", idx,
          inputNames[idx].c_str(), function.name.c_str(),
          printType(expected).c_str(), input.getTypeString().c_str());
  }
  return llvm::Error::success();
}

namespace {

/// A memref descriptor as int64 words: allocated, aligned, offset, sizes,
/// strides (StridedMemRefType<T, N> has no padding: every field is 8 bytes).
struct Descriptor {
  static size_t numWords(int64_t rank) { return 3 + 2 * rank; }

  static void fill(int64_t *words, void *data,
                   const std::vector<int64_t> &shape) {
    auto rank = static_cast<int64_t>(shape.size());
    words[0] = reinterpret_cast<int64_t>(data);
    words[1] = reinterpret_cast<int64_t>(data);
    words[2] = 0;
    int64_t stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      words[3 + d] = shape[d];
      words[3 + rank + d] = stride;
      stride *= shape[d];
    }
  }
};

/// Calls `fn` with `args.size()` pointer arguments.
template <size_t... I>
void callWithPointers(void *fn, void **args, std::index_sequence<I...>) {
  using Signature =
      void (*)(decltype((void)I, static_cast<void *>(nullptr))...);
  reinterpret_cast<Signature>(fn)(args[I]...);
}

constexpr size_t kMaxPointers = 33;

template <size_t... N> constexpr auto makeCallTable(std::index_sequence<N...>) {
  return std::array<void (*)(void *, void **), sizeof...(N)>{
      [](void *fn, void **args) {
        callWithPointers(fn, args, std::make_index_sequence<N>());
      }...};
}

constexpr auto kCallTable =
    makeCallTable(std::make_index_sequence<kMaxPointers>());

/// Copies a (possibly strided) result out of the callee's buffer.
llvm::Expected<Tensor> copyResult(const int64_t *words, ShapedType type) {
  int64_t rank = type.getRank();
  std::vector<int64_t> shape(words + 3, words + 3 + rank);
  const int64_t *strides = words + 3 + rank;
  DType dtype = *getDType(type.getElementType());
  auto tensor = Tensor::createUninitialized(dtype, shape);
  if (!tensor)
    return createStringError("result: %s",
                             tensor.getError().getMessage().c_str());
  size_t elementSize = ::attnc::runtime::getDTypeSize(dtype);
  const auto *base = reinterpret_cast<const uint8_t *>(words[1]) +
                     words[2] * static_cast<int64_t>(elementSize);
  uint8_t *out = tensor->getData();
  // The ABI's results are row-major contiguous: one memcpy.
  bool contiguous = true;
  for (int64_t d = rank - 1, expected = 1; d >= 0; --d) {
    contiguous &= shape[d] == 1 || strides[d] == expected;
    expected *= shape[d];
  }
  if (contiguous) {
    std::memcpy(out, base, tensor->getByteSize());
    return tensor.take();
  }
  std::vector<int64_t> index(rank, 0);
  for (int64_t n = 0; n < tensor->getNumElements(); ++n) {
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d)
      offset += index[d] * strides[d];
    std::memcpy(out + n * elementSize, base + offset * elementSize,
                elementSize);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return tensor.take();
}

} // namespace

llvm::Error setInPlaceResults(CompiledFunction &function, const char *text) {
  size_t numResults = function.type.getNumResults();
  size_t numArgs = function.type.getNumInputs();
  function.inPlaceResults.assign(numResults, -1);
  if (!text)
    return llvm::Error::success();
  SmallVector<StringRef> pairs;
  StringRef(text).split(pairs, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef pair : pairs) {
    auto [resultText, argText] = pair.split(':');
    unsigned result, arg;
    if (resultText.getAsInteger(10, result) || argText.getAsInteger(10, arg) ||
        result >= numResults || arg >= numArgs ||
        function.inPlaceResults[result] != -1)
      return createStringError("@%s: malformed in-place result list '%s'",
                               function.name.c_str(), text);
    function.inPlaceResults[result] = arg;
  }
  return llvm::Error::success();
}

llvm::Expected<std::vector<Tensor>>
callFunction(const CompiledFunction &function, std::vector<Tensor> &inputs,
             double *callMilliseconds) {
  // Results computed in place are not returned by the entry point.
  auto isReturned = [&](size_t idx) {
    return idx >= function.inPlaceResults.size() ||
           function.inPlaceResults[idx] < 0;
  };
  SmallVector<Type> resultTypes;
  for (auto [idx, type] : llvm::enumerate(function.type.getResults()))
    if (isReturned(idx))
      resultTypes.push_back(type);
  bool hasResults = !resultTypes.empty();
  if (inputs.size() + hasResults >= kMaxPointers)
    return createStringError("@%s has too many arguments for attnc-run (at "
                             "most %zu)",
                             function.name.c_str(), kMaxPointers - 2);

  // All descriptors live in one array of words: results first, then inputs.
  size_t numWords = 0;
  for (Type type : resultTypes)
    numWords += Descriptor::numWords(cast<ShapedType>(type).getRank());
  size_t resultWords = numWords;
  for (const Tensor &input : inputs)
    numWords += Descriptor::numWords(input.getRank());
  std::vector<int64_t> words(numWords, 0);

  std::vector<void *> args;
  if (hasResults)
    args.push_back(words.data());
  size_t cursor = resultWords;
  for (Tensor &input : inputs) {
    Descriptor::fill(words.data() + cursor, input.getData(), input.getShape());
    args.push_back(words.data() + cursor);
    cursor += Descriptor::numWords(input.getRank());
  }

  auto start = std::chrono::steady_clock::now();
  kCallTable[args.size()](function.entryPoint, args.data());
  if (callMilliseconds)
    *callMilliseconds = std::chrono::duration<double, std::milli>(
                            std::chrono::steady_clock::now() - start)
                            .count();

  // The callee's buffers are ours to free, once each, except those that are
  // inputs' buffers (results computed in place).
  llvm::SmallPtrSet<void *, 8> notOurs;
  for (Tensor &input : inputs)
    notOurs.insert(input.getData());
  std::vector<Tensor> results;
  llvm::Error error = llvm::Error::success();
  cursor = 0;
  for (auto [idx, type] : llvm::enumerate(function.type.getResults())) {
    auto shaped = cast<ShapedType>(type);
    if (!isReturned(idx)) {
      // The argument's buffer holds the result now.
      const Tensor &updated = inputs[function.inPlaceResults[idx]];
      auto copy =
          Tensor::createUninitialized(updated.getDType(), updated.getShape());
      if (!copy) {
        error = llvm::joinErrors(
            std::move(error),
            createStringError("result: %s",
                              copy.getError().getMessage().c_str()));
        continue;
      }
      std::memcpy(copy->getData(), updated.getData(), updated.getByteSize());
      results.push_back(copy.take());
      continue;
    }
    const int64_t *descriptor = words.data() + cursor;
    cursor += Descriptor::numWords(shaped.getRank());
    auto result = copyResult(descriptor, shaped);
    auto *allocated = reinterpret_cast<void *>(descriptor[0]);
    if (notOurs.insert(allocated).second)
      std::free(allocated);
    if (!result) {
      error = llvm::joinErrors(std::move(error), result.takeError());
      continue;
    }
    results.push_back(std::move(*result));
  }
  if (error)
    return std::move(error);
  return results;
}

} // namespace mlir::attnc
