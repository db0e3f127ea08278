//===- Library.h - Call functions of compiled attnc libraries ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Runs functions of a shared library made by `attnc compile` (docs/abi.md)
// on host tensors, without LLVM or MLIR: the signature symbol is parsed by
// a small parser of the tensor types the ABI allows, the inputs are checked
// against it, marshalled into memref descriptors, and the results copied
// out. A library compiled for CUDA (`attnc_target` = "cuda") takes device
// pointers: the inputs are copied to the device first, the results back.
//
//   Expected<Library> library = Library::open("attn.so");
//   Expected<LibraryFunction> fn = library->lookup("attention");
//   if (Error error = checkInputs(*fn, inputs, names)) ...
//   Expected<std::vector<Tensor>> results =
//       callFunction(*fn, inputs, library->getTarget(), &milliseconds);
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_LIBRARY_H
#define ATTNC_RUNTIME_LIBRARY_H

#include "attnc/Runtime/Error.h"
#include "attnc/Runtime/Tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attnc::runtime {

/// Where a library's functions run.
enum class Target { CPU, CUDA };

/// "cpu" or "cuda".
std::string_view stringifyTarget(Target target);
std::optional<Target> parseTarget(std::string_view name);

/// A ranked tensor type of a signature.
struct TensorType {
  static constexpr int64_t kDynamic = -1;

  DType dtype = DType::F32;
  /// The dimensions; kDynamic for `?`.
  std::vector<int64_t> shape;

  /// True when `tensor` has this dtype, rank and every static dimension.
  bool matches(const Tensor &tensor) const;
  /// As MLIR prints it: "tensor<?x4xf32>", "tensor<f32>".
  std::string str() const;
};

/// The argument and result types of a function.
struct FunctionSignature {
  std::vector<TensorType> inputs;
  std::vector<TensorType> results;
};

/// Parses an MLIR function type of ranked tensors, as `attnc_signature_<f>`
/// holds it: "(tensor<2x?xf16>, tensor<f32>) -> tensor<2xf32>", with
/// results "()", one type, or "(t, ...)". Element types: f16, bf16, f32,
/// f64, i1, i8, i32, i64. Fails with what was expected where.
Expected<FunctionSignature> parseFunctionSignature(std::string_view text);

/// A function of a library, ready to call.
struct LibraryFunction {
  std::string name;
  /// The library's path, as given to Library::open.
  std::string libraryPath;
  /// The signature as the library spells it (for messages).
  std::string signatureText;
  FunctionSignature signature;
  Target target = Target::CPU;
  /// `_mlir_ciface_<name>`.
  void *entryPoint = nullptr;
  /// `_mlir_ciface_attnc_into_<name>`, which writes the results into the
  /// caller's buffers (absent in libraries older than it, and for
  /// functions without results).
  void *intoEntryPoint = nullptr;
  /// For each result, the argument it is computed into in place (and so
  /// not returned by the entry point), or -1 (`attnc_inplace_<name>`).
  std::vector<int64_t> inPlaceResults;
  /// CUDA libraries: their copy of the runtime's error slot.
  const char *(*cudaLastError)() = nullptr;
  void (*cudaClearError)() = nullptr;
};

/// Fills `function.inPlaceResults` from "result:argument,..." (null: every
/// result is returned).
Error setInPlaceResults(LibraryFunction &function, const char *text);

/// A library made by `attnc compile`, loaded for the life of the process
/// (its code may have started threads, and results may point into it).
class Library {
public:
  /// dlopen()s `path` (made absolute: dlopen searches for names without a
  /// slash) and reads `attnc_target` (absent: cpu).
  static Expected<Library> open(const std::string &path);

  const std::string &getPath() const { return path; }
  Target getTarget() const { return target; }

  /// Finds function `name`: its entry point, signature and in-place list.
  Expected<LibraryFunction> lookup(const std::string &name) const;

private:
  Library(void *handle, std::string path, Target target)
      : handle(handle), path(std::move(path)), target(target) {}

  void *handle;
  std::string path;
  Target target;
};

/// The functions the library at `path` (made by `attnc compile`) exports:
/// the names of its `attnc_signature_<name>` symbols, sorted, without the
/// destination-passing entry points (`attnc_into_<name>`), read from the
/// file's dynamic symbol table. A one-line error naming the file when it is
/// not a 64-bit little-endian ELF file or its table lies outside it.
Expected<std::vector<std::string>>
listLibraryFunctions(const std::string &path);

/// Checks that a function of `function.target` can run on `device`:
/// a one-line error for a CPU library on CUDA and the reverse.
Error checkDevice(const LibraryFunction &function, Target device);

/// Checks `inputs` against the function's argument types: count, element
/// type, rank and every static dimension. `inputNames` names each input as
/// the user gave it, for the messages.
Error checkInputs(const LibraryFunction &function,
                  const std::vector<Tensor> &inputs,
                  const std::vector<std::string> &inputNames);

/// Calls `function` on `inputs` (which must pass checkInputs and
/// checkDevice) and returns its results; arguments computed in place are
/// updated in `inputs` too. `milliseconds`, when given, receives the time
/// of the call itself: host time on the CPU; on CUDA the time between
/// events recorded on the legacy stream around it (the library's streams
/// are ordered with it), after a context synchronize. On CUDA the inputs
/// are copied to device memory, the results copied back and their device
/// memory freed, and the library's attnc_cuda_last_error() is checked.
///
/// On the CPU, a function whose returned results have static shapes is
/// called through its destination-passing entry point (intoEntryPoint):
/// the results are computed directly in the returned tensors. Passing the
/// results of an earlier call as `reuse` computes them into those tensors
/// again (consumed; any that do not fit are replaced), so that repeated
/// calls allocate nothing, as a C caller that keeps its buffers.
Expected<std::vector<Tensor>> callFunction(const LibraryFunction &function,
                                           std::vector<Tensor> &inputs,
                                           double *milliseconds = nullptr,
                                           std::vector<Tensor> *reuse = nullptr);

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_LIBRARY_H
