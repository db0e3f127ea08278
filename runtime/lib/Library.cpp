//===- Library.cpp - Call functions of compiled attnc libraries ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Library.h"
#include "attnc/Runtime/Cuda/Context.h"
#include "attnc/Runtime/Cuda/Device.h"
#include "attnc/Runtime/Symbols.h"

#include "ForeignCall.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <set>
#include <unistd.h>
#include <utility>

namespace attnc::runtime {

//===----------------------------------------------------------------------===//
// Targets and types
//===----------------------------------------------------------------------===//

std::string_view stringifyTarget(Target target) {
  return target == Target::CUDA ? "cuda" : "cpu";
}

std::optional<Target> parseTarget(std::string_view name) {
  if (name == "cpu")
    return Target::CPU;
  if (name == "cuda")
    return Target::CUDA;
  return std::nullopt;
}

bool TensorType::matches(const Tensor &tensor) const {
  if (tensor.getDType() != dtype || tensor.getRank() != shape.size())
    return false;
  for (size_t d = 0; d < shape.size(); ++d)
    if (shape[d] != kDynamic && shape[d] != tensor.getShape()[d])
      return false;
  return true;
}

std::string TensorType::str() const {
  std::string text = "tensor<";
  for (int64_t dim : shape)
    text += (dim == kDynamic ? std::string("?") : std::to_string(dim)) + "x";
  text += stringifyDType(dtype);
  return text + ">";
}

namespace {

/// A recursive-descent parser of the function types of the ABI.
class SignatureParser {
public:
  explicit SignatureParser(std::string_view text) : text(text) {}

  Expected<FunctionSignature> parse() {
    FunctionSignature signature;
    if (Error error = parseTypeList(signature.inputs))
      return error;
    skipSpaces();
    if (!consume("->"))
      return fail("'->'");
    skipSpaces();
    if (peek() == '(') {
      if (Error error = parseTypeList(signature.results))
        return error;
    } else {
      Expected<TensorType> type = parseTensorType();
      if (!type)
        return type.takeError();
      signature.results.push_back(type.take());
    }
    skipSpaces();
    if (pos != text.size())
      return fail("the end");
    return signature;
  }

private:
  char peek() const { return pos < text.size() ? text[pos] : '\0'; }
  void skipSpaces() {
    while (pos < text.size() && text[pos] == ' ')
      ++pos;
  }
  bool consume(std::string_view token) {
    if (text.substr(pos, token.size()) != token)
      return false;
    pos += token.size();
    return true;
  }
  Error fail(std::string_view expected) const {
    std::string found =
        pos < text.size() ? "'" + std::string(text.substr(pos, 12)) + "'"
                          : std::string("the end");
    return Error::failure("expected " + std::string(expected) +
                          " at offset " + std::to_string(pos) + ", found " +
                          found);
  }

  Error parseTypeList(std::vector<TensorType> &types) {
    skipSpaces();
    if (!consume("("))
      return fail("'('");
    skipSpaces();
    if (consume(")"))
      return Error::success();
    while (true) {
      skipSpaces();
      Expected<TensorType> type = parseTensorType();
      if (!type)
        return type.takeError();
      types.push_back(type.take());
      skipSpaces();
      if (consume(")"))
        return Error::success();
      if (!consume(","))
        return fail("',' or ')'");
    }
  }

  Expected<TensorType> parseTensorType() {
    if (!consume("tensor<"))
      return fail("'tensor<'");
    TensorType type;
    while (true) {
      size_t start = pos;
      if (consume("?")) {
        type.shape.push_back(TensorType::kDynamic);
      } else if (peek() >= '0' && peek() <= '9') {
        int64_t dim = 0;
        while (peek() >= '0' && peek() <= '9') {
          if (dim > (INT64_MAX - 9) / 10)
            return fail("a smaller dimension");
          dim = dim * 10 + (text[pos++] - '0');
        }
        type.shape.push_back(dim);
      } else {
        break;
      }
      if (!consume("x")) {
        pos = start;
        return fail("'x' after a dimension");
      }
    }
    size_t start = pos;
    while (pos < text.size() &&
           ((text[pos] >= 'a' && text[pos] <= 'z') ||
            (text[pos] >= '0' && text[pos] <= '9')))
      ++pos;
    std::string_view element = text.substr(start, pos - start);
    std::optional<DType> dtype = parseDType(element);
    if (!dtype || element == "ui8" || element == "bool" || element == "u8") {
      pos = start;
      return fail("an element type (f16, bf16, f32, f64, i1, i8, i32, i64)");
    }
    type.dtype = *dtype;
    if (!consume(">"))
      return fail("'>'");
    return type;
  }

  std::string_view text;
  size_t pos = 0;
};

} // namespace

Expected<FunctionSignature> parseFunctionSignature(std::string_view text) {
  return SignatureParser(text).parse();
}

//===----------------------------------------------------------------------===//
// Libraries
//===----------------------------------------------------------------------===//

Error setInPlaceResults(LibraryFunction &function, const char *text) {
  size_t numResults = function.signature.results.size();
  size_t numArgs = function.signature.inputs.size();
  function.inPlaceResults.assign(numResults, -1);
  if (!text)
    return Error::success();
  auto malformed = [&] {
    return Error::failure("@" + function.name +
                          ": malformed in-place result list '" + text + "'");
  };
  std::string_view rest(text);
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view pair = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view()
                                           : rest.substr(comma + 1);
    if (pair.empty())
      continue;
    size_t colon = pair.find(':');
    if (colon == std::string_view::npos)
      return malformed();
    auto parseIndex = [](std::string_view digits) -> int64_t {
      if (digits.empty() || digits.size() > 9)
        return -1;
      int64_t value = 0;
      for (char c : digits) {
        if (c < '0' || c > '9')
          return -1;
        value = value * 10 + (c - '0');
      }
      return value;
    };
    int64_t result = parseIndex(pair.substr(0, colon));
    int64_t arg = parseIndex(pair.substr(colon + 1));
    if (result < 0 || arg < 0 || static_cast<size_t>(result) >= numResults ||
        static_cast<size_t>(arg) >= numArgs ||
        function.inPlaceResults[result] != -1)
      return malformed();
    function.inPlaceResults[result] = arg;
  }
  return Error::success();
}

Expected<Library> Library::open(const std::string &path) {
  std::string absolute = path;
  if (absolute.empty() || absolute[0] != '/') {
    char cwd[4096];
    if (!getcwd(cwd, sizeof(cwd)))
      return Error::failure("cannot load '" + path + "': " +
                            std::strerror(errno));
    absolute = std::string(cwd) + "/" + path;
  }
  void *handle = dlopen(absolute.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *reason = dlerror();
    return Error::failure("cannot load '" + path + "': " +
                          (reason ? reason : "unknown reason"));
  }
  Target target = Target::CPU;
  if (const auto *name =
          static_cast<const char *>(dlsym(handle, attnc_symbols::kTarget))) {
    std::optional<Target> parsed = parseTarget(name);
    if (!parsed)
      return Error::failure("'" + path + "': unknown target '" +
                            std::string(name) + "' in attnc_target");
    target = *parsed;
  }
  return Library(handle, path, target);
}

Expected<LibraryFunction> Library::lookup(const std::string &name) const {
  std::string signatureSymbol = attnc_symbols::kSignaturePrefix + name;
  auto *signature =
      static_cast<const char *>(dlsym(handle, signatureSymbol.c_str()));
  void *entryPoint =
      dlsym(handle, (attnc_symbols::kCInterfacePrefix + name).c_str());
  if (!signature || !entryPoint)
    return Error::failure("'" + path + "' has no function @" + name +
                          " compiled by attnc (no " + signatureSymbol +
                          " symbol)");
  Expected<FunctionSignature> parsed = parseFunctionSignature(signature);
  if (!parsed)
    return Error::failure("'" + path + "': malformed signature of @" + name +
                          ": '" + signature +
                          "': " + parsed.getError().getMessage());
  LibraryFunction function;
  function.name = name;
  function.libraryPath = path;
  function.signatureText = signature;
  function.signature = parsed.take();
  function.target = target;
  function.entryPoint = entryPoint;
  function.intoEntryPoint =
      dlsym(handle, (std::string(attnc_symbols::kCInterfacePrefix) +
                     attnc_symbols::kDestinationEntryPrefix + name)
                        .c_str());
  auto *inPlace = static_cast<const char *>(
      dlsym(handle, (attnc_symbols::kInPlacePrefix + name).c_str()));
  if (Error error = setInPlaceResults(function, inPlace))
    return error;
  if (target == Target::CUDA) {
    function.cudaLastError = reinterpret_cast<const char *(*)()>(
        dlsym(handle, "attnc_cuda_last_error"));
    function.cudaClearError = reinterpret_cast<void (*)()>(
        dlsym(handle, "attnc_cuda_clear_error"));
    if (!function.cudaLastError || !function.cudaClearError)
      return Error::failure("'" + path +
                            "' is a CUDA library without "
                            "attnc_cuda_last_error (it must link "
                            "libAttncCudaRuntime.a)");
  }
  return function;
}

Error checkDevice(const LibraryFunction &function, Target device) {
  if (function.target == device)
    return Error::success();
  if (device == Target::CUDA)
    return Error::failure("'" + function.libraryPath +
                          "' is a CPU library: --device cuda needs a library "
                          "compiled with `attnc compile --target=cuda`");
  return Error::failure("'" + function.libraryPath +
                        "' is a CUDA library: it runs with --device cuda, "
                        "not --device " +
                        std::string(stringifyTarget(device)));
}

Error checkInputs(const LibraryFunction &function,
                  const std::vector<Tensor> &inputs,
                  const std::vector<std::string> &inputNames) {
  const std::vector<TensorType> &argTypes = function.signature.inputs;
  if (inputs.size() != argTypes.size())
    return Error::failure("@" + function.name + " takes " +
                          std::to_string(argTypes.size()) + " input(s) " +
                          function.signatureText + ", got " +
                          std::to_string(inputs.size()));
  for (size_t idx = 0; idx < inputs.size(); ++idx)
    if (!argTypes[idx].matches(inputs[idx]))
      return Error::failure(
          "input " + std::to_string(idx) + " (" +
          (idx < inputNames.size() ? inputNames[idx] : std::string("?")) +
          ") of @" + function.name + ": expected " + argTypes[idx].str() +
          ", got tensor<" + inputs[idx].getTypeString() + ">");
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

namespace {

/// A memref descriptor as int64 words: allocated, aligned, offset, sizes,
/// strides (StridedMemRefType<T, N> has no padding: every field is 8 bytes).
size_t getDescriptorWords(size_t rank) { return 3 + 2 * rank; }

/// The pointer arguments of one call into a library: memref descriptors in
/// one array of words (sized up front, so pointers into it stay valid), and
/// the pointers the entry point takes.
class CallArguments {
public:
  explicit CallArguments(size_t numWords) { words.reserve(numWords); }

  /// Appends `count` zeroed words.
  int64_t *appendWords(size_t count) {
    assert(words.size() + count <= words.capacity() && "words not reserved");
    size_t at = words.size();
    words.resize(at + count, 0);
    return words.data() + at;
  }

  void addPointer(void *pointer) { pointers.push_back(pointer); }

  /// Appends the descriptor of a contiguous buffer of `shape` at `data`.
  void addDescriptor(const void *data, const std::vector<int64_t> &shape) {
    auto rank = static_cast<int64_t>(shape.size());
    int64_t *descriptor = appendWords(getDescriptorWords(rank));
    descriptor[0] = reinterpret_cast<int64_t>(data);
    descriptor[1] = reinterpret_cast<int64_t>(data);
    int64_t stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      descriptor[3 + d] = shape[d];
      descriptor[3 + rank + d] = stride;
      stride *= shape[d];
    }
    pointers.push_back(descriptor);
  }

  const int64_t *getWords() const { return words.data(); }
  size_t size() const { return pointers.size(); }

  /// Calls `entryPoint` with the pointers (at most kMaxPointers).
  void call(void *entryPoint);

  /// Calls it on the CPU and times it into `*milliseconds` when not null.
  void callTimed(void *entryPoint, double *milliseconds) {
    auto begin = std::chrono::steady_clock::now();
    call(entryPoint);
    if (milliseconds)
      *milliseconds = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - begin)
                          .count();
  }

private:
  std::vector<int64_t> words;
  std::vector<void *> pointers;
};

/// Calls `fn` with `args.size()` pointer arguments. `fn` is compiled code
/// (the JIT's or a library's): see ForeignCall.h.
template <size_t... I>
ATTNC_NO_SANITIZE_FUNCTION void callWithPointers(void *fn, void **args,
                                                 std::index_sequence<I...>) {
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

void CallArguments::call(void *entryPoint) {
  assert(pointers.size() < kMaxPointers && "too many arguments");
  kCallTable[pointers.size()](entryPoint, pointers.data());
}

/// The error a CUDA library's copy of the runtime holds (a call into the
/// library: see ForeignCall.h).
ATTNC_NO_SANITIZE_FUNCTION const char *
getCudaLastError(const LibraryFunction &function) {
  return function.cudaLastError();
}

/// A copy of `tensor`: the result of a call computed in an argument's buffer.
Expected<Tensor> copyTensor(const Tensor &tensor) {
  Expected<Tensor> copy =
      Tensor::createUninitialized(tensor.getDType(), tensor.getShape());
  if (!copy)
    return Error::failure("result: " + copy.getError().getMessage());
  std::memcpy(copy->getData(), tensor.getData(), tensor.getByteSize());
  return copy;
}

/// Copies a (possibly strided) result out of the callee's buffer; on CUDA
/// the buffer is device memory.
Expected<Tensor> copyResult(const int64_t *words, const TensorType &type,
                            Target target) {
  size_t rank = type.shape.size();
  std::vector<int64_t> shape(words + 3, words + 3 + rank);
  const int64_t *strides = words + 3 + rank;
  Expected<Tensor> tensor = Tensor::createUninitialized(type.dtype, shape);
  if (!tensor)
    return Error::failure("result: " + tensor.getError().getMessage());
  if (tensor->getNumElements() == 0)
    return tensor;
  auto elementSize = static_cast<int64_t>(getDTypeSize(type.dtype));
  const auto *base = reinterpret_cast<const uint8_t *>(words[1]) +
                     words[2] * elementSize;
  // The span of elements the result covers, from its first one.
  bool contiguous = true;
  int64_t span = 1;
  for (int64_t d = static_cast<int64_t>(rank) - 1, expected = 1; d >= 0;
       --d) {
    contiguous &= shape[d] == 1 || strides[d] == expected;
    expected *= shape[d];
    if (strides[d] < 0)
      return Error::failure("result: negative stride " +
                            std::to_string(strides[d]));
    span += (shape[d] - 1) * strides[d];
  }
  // On CUDA, bring the span to the host first.
  std::vector<uint8_t> staging;
  if (target == Target::CUDA) {
    size_t bytes = static_cast<size_t>(contiguous ? tensor->getNumElements()
                                                  : span) *
                   elementSize;
    uint8_t *destination = tensor->getData();
    if (!contiguous) {
      staging.resize(bytes);
      destination = staging.data();
    }
    if (Error error = cuda::copyDeviceToHost(destination, base, bytes))
      return Error::failure("result: " + error.getMessage());
    if (contiguous)
      return tensor;
    base = staging.data();
  }
  uint8_t *out = tensor->getData();
  if (contiguous) {
    std::memcpy(out, base, tensor->getByteSize());
    return tensor;
  }
  std::vector<int64_t> index(rank, 0);
  for (int64_t n = 0; n < tensor->getNumElements(); ++n) {
    int64_t offset = 0;
    for (size_t d = 0; d < rank; ++d)
      offset += index[d] * strides[d];
    std::memcpy(out + n * elementSize, base + offset * elementSize,
                elementSize);
    for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return tensor;
}

/// Appends `error`'s message to `message` ("; " between).
void join(std::string &message, const Error &error) {
  if (!error)
    return;
  message += (message.empty() ? "" : "; ") + error.getMessage();
}

} // namespace

namespace {

/// The CPU call through `_mlir_ciface_attnc_into_f(inputs..., outputs...)`:
/// the returned results are computed in tensors allocated here (or taken
/// from `reuse`), so nothing is copied after the call.
Expected<std::vector<Tensor>> callInto(const LibraryFunction &function,
                                       std::vector<Tensor> &inputs,
                                       const std::vector<size_t> &returned,
                                       double *milliseconds,
                                       std::vector<Tensor> *reuse) {
  const std::vector<TensorType> &resultTypes = function.signature.results;
  std::vector<Tensor> outputs;
  for (size_t idx : returned) {
    const TensorType &type = resultTypes[idx];
    if (reuse && idx < reuse->size() && type.matches((*reuse)[idx])) {
      outputs.push_back(std::move((*reuse)[idx]));
      continue;
    }
    Expected<Tensor> output =
        Tensor::createUninitialized(type.dtype, type.shape);
    if (!output)
      return Error::failure("result: " + output.getError().getMessage());
    outputs.push_back(output.take());
  }

  size_t numWords = 0;
  for (const Tensor &input : inputs)
    numWords += getDescriptorWords(input.getRank());
  for (const Tensor &output : outputs)
    numWords += getDescriptorWords(output.getRank());
  CallArguments args(numWords);
  for (const Tensor &input : inputs)
    args.addDescriptor(input.getData(), input.getShape());
  for (const Tensor &output : outputs)
    args.addDescriptor(output.getData(), output.getShape());
  args.callTimed(function.intoEntryPoint, milliseconds);

  std::vector<Tensor> results;
  size_t next = 0;
  for (size_t idx = 0; idx < resultTypes.size(); ++idx) {
    int64_t arg = idx < function.inPlaceResults.size()
                      ? function.inPlaceResults[idx]
                      : -1;
    if (arg < 0) {
      results.push_back(std::move(outputs[next++]));
      continue;
    }
    // The argument's buffer holds the result now.
    Expected<Tensor> copy = copyTensor(inputs[arg]);
    if (!copy)
      return copy.takeError();
    results.push_back(copy.take());
  }
  return results;
}

} // namespace

Expected<std::vector<Tensor>> callFunction(const LibraryFunction &function,
                                           std::vector<Tensor> &inputs,
                                           double *milliseconds,
                                           std::vector<Tensor> *reuse) {
  bool onDevice = function.target == Target::CUDA;
  const std::vector<TensorType> &resultTypes = function.signature.results;
  // Results computed in place are not returned by the entry point.
  auto isReturned = [&](size_t idx) {
    return idx >= function.inPlaceResults.size() ||
           function.inPlaceResults[idx] < 0;
  };
  std::vector<size_t> returned;
  for (size_t idx = 0; idx < resultTypes.size(); ++idx)
    if (isReturned(idx))
      returned.push_back(idx);
  bool hasResults = !returned.empty();
  if (inputs.size() + hasResults >= kMaxPointers)
    return Error::failure("@" + function.name +
                          " has too many arguments to call (at most " +
                          std::to_string(kMaxPointers - 2) + ")");
  // On the CPU, results of static shapes go straight into our tensors.
  bool staticResults = std::all_of(returned.begin(), returned.end(), [&](size_t idx) {
    for (int64_t size : resultTypes[idx].shape)
      if (size == TensorType::kDynamic)
        return false;
    return true;
  });
  if (!onDevice && hasResults && function.intoEntryPoint && staticResults &&
      inputs.size() + returned.size() < kMaxPointers)
    return callInto(function, inputs, returned, milliseconds, reuse);

  if (onDevice) {
    // No driver or no device: say so before anything else.
    if (Expected<cuda::DeviceHandle> device = cuda::getDevice(); !device)
      return device.takeError();
    // A failure left by loading the library (its kernels are loaded when it
    // is opened), or by an earlier call.
    if (const char *error = getCudaLastError(function))
      return Error::failure("'" + function.libraryPath + "': " + error);
  }

  // On CUDA, the inputs live in device buffers for the call.
  std::vector<cuda::DeviceBuffer> deviceInputs;
  std::vector<const void *> inputData;
  for (Tensor &input : inputs) {
    if (!onDevice) {
      inputData.push_back(input.getData());
      continue;
    }
    Expected<cuda::DeviceBuffer> buffer =
        cuda::DeviceBuffer::allocate(input.getByteSize());
    if (!buffer)
      return buffer.takeError();
    if (Error error =
            buffer->copyFromHost(input.getData(), input.getByteSize()))
      return error;
    inputData.push_back(buffer->get());
    deviceInputs.push_back(buffer.take());
  }

  // All descriptors live in one array of words: results first, then inputs.
  size_t numWords = 0;
  for (size_t idx : returned)
    numWords += getDescriptorWords(resultTypes[idx].shape.size());
  size_t resultWords = numWords;
  for (const Tensor &input : inputs)
    numWords += getDescriptorWords(input.getRank());
  CallArguments args(numWords);
  int64_t *resultDescriptors = args.appendWords(resultWords);
  if (hasResults)
    args.addPointer(resultDescriptors);
  for (size_t idx = 0; idx < inputs.size(); ++idx)
    args.addDescriptor(inputData[idx], inputs[idx].getShape());

  std::string callError;
  if (onDevice) {
    Expected<cuda::Event> start = cuda::Event::create();
    Expected<cuda::Event> end = cuda::Event::create();
    if (!start)
      return start.takeError();
    if (!end)
      return end.takeError();
    if (Error error = start->record(cuda::Stream::legacy()))
      return error;
    args.call(function.entryPoint);
    join(callError, end->record(cuda::Stream::legacy()));
    join(callError, cuda::synchronizeContext());
    if (const char *error = getCudaLastError(function))
      callError = error;
    if (callError.empty() && milliseconds) {
      Expected<float> elapsed = cuda::Event::getElapsedMilliseconds(*start,
                                                                     *end);
      if (elapsed)
        *milliseconds = *elapsed;
      else
        callError = elapsed.getError().getMessage();
    }
  } else {
    args.callTimed(function.entryPoint, milliseconds);
  }

  // The callee's buffers are ours to free, once each, except those that are
  // inputs' buffers (results computed in place). On a failed CUDA call they
  // may be null (mgpuMemAlloc did nothing).
  std::set<const void *> notOurs(inputData.begin(), inputData.end());
  std::vector<Tensor> results;
  std::string message;
  size_t cursor = 0;
  for (size_t idx = 0; idx < resultTypes.size(); ++idx) {
    const TensorType &type = resultTypes[idx];
    if (!isReturned(idx)) {
      // The argument's buffer holds the result now.
      int64_t arg = function.inPlaceResults[idx];
      Tensor &updated = inputs[arg];
      if (onDevice && callError.empty())
        join(message, deviceInputs[arg].copyToHost(updated.getData(),
                                                   updated.getByteSize()));
      Expected<Tensor> copy = copyTensor(updated);
      if (copy)
        results.push_back(copy.take());
      else
        join(message, copy.getError());
      continue;
    }
    const int64_t *descriptor = args.getWords() + cursor;
    cursor += getDescriptorWords(type.shape.size());
    auto *allocated = reinterpret_cast<void *>(descriptor[0]);
    if (callError.empty()) {
      Expected<Tensor> result =
          copyResult(descriptor, type, function.target);
      if (result)
        results.push_back(result.take());
      else
        join(message, result.getError());
    }
    if (allocated && notOurs.insert(allocated).second) {
      if (onDevice)
        join(message, cuda::freeDeviceMemory(allocated));
      else
        std::free(allocated);
    }
  }
  if (!callError.empty())
    return Error::failure("@" + function.name + " failed: " + callError);
  if (!message.empty())
    return Error::failure(message);
  return results;
}

} // namespace attnc::runtime
