//===- FunctionCall.h - call compiled functions on host tensors -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Calls JIT-compiled functions on runtime Tensors through the C ABI of
// docs/abi.md. The checks, the memref descriptors and the result copies are
// the LLVM-free runtime's (attnc/Runtime/Library.h, shared with attnc-call
// and `attnc-run call lib.so`); this layer describes a JIT entry point and
// its MLIR type to it.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_EXECUTION_FUNCTIONCALL_H
#define ATTNC_EXECUTION_FUNCTIONCALL_H

#include "attnc/Runtime/Library.h"
#include "attnc/Runtime/Tensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlir::attnc {

/// The runtime dtype of a tensor element type, if the ABI supports it.
std::optional<::attnc::runtime::DType> getDType(Type elementType);

/// A callable compiled function: its `_mlir_ciface_` entry point and type.
struct CompiledFunction {
  std::string name;
  FunctionType type;
  void *entryPoint = nullptr;
  /// `_mlir_ciface_attnc_into_<name>`, when the function was compiled with
  /// the C ABI (export-functions): it writes the results into the caller's
  /// buffers, and its temporaries come from the per-thread pool.
  void *intoEntryPoint = nullptr;
  /// For each result of `type`, the argument it is computed into in place
  /// (and so not returned by the entry point), or -1 (see
  /// attnc-drop-inplace-results).
  std::vector<int64_t> inPlaceResults;
};

/// The function `name` of `type` that a JIT holds: its `_mlir_ciface_`
/// entry point (an error when missing) and, where the module has them, its
/// destination-passing entry point and its in-place results. `lookup`
/// returns a symbol's address, or an error when there is none (as
/// ExecutionEngine::lookup does).
llvm::Expected<CompiledFunction> lookupCompiledFunction(
    llvm::StringRef name, FunctionType type,
    llvm::function_ref<llvm::Expected<void *>(llvm::StringRef)> lookup);

/// Fills `function.inPlaceResults` from the `attnc_inplace_<f>` string
/// ("result:argument,..."); null means every result is returned.
/// `function` as the runtime describes a library function (libraryPath
/// "<jit>"): its MLIR type, printed as `attnc_signature_<f>` holds it,
/// parsed back. What the runtime's checkInputs and callFunction take.
llvm::Expected<::attnc::runtime::LibraryFunction>
describeFunction(const CompiledFunction &function);

llvm::Error setInPlaceResults(CompiledFunction &function, const char *text);

/// Checks `inputs` against `function`'s argument types: count, element type,
/// rank and every static dimension. `inputNames` (for messages) names each
/// input the way the user gave it.
llvm::Error checkInputs(const CompiledFunction &function,
                        const std::vector<::attnc::runtime::Tensor> &inputs,
                        const std::vector<std::string> &inputNames);

/// Calls `function` on `inputs` (which must pass checkInputs) and returns its
/// results. Inputs may be updated in place when the function computes a
/// result into an argument's buffer (e.g. a KV cache). `callMilliseconds`,
/// when given, receives the time of the call itself, without marshalling.
/// With an `intoEntryPoint`, the results of an earlier call passed as
/// `reuse` are computed into again, as ::attnc::runtime::callFunction does
/// for libraries: repeated calls then allocate nothing.
llvm::Expected<std::vector<::attnc::runtime::Tensor>>
callFunction(const CompiledFunction &function,
             std::vector<::attnc::runtime::Tensor> &inputs,
             double *callMilliseconds = nullptr,
             std::vector<::attnc::runtime::Tensor> *reuse = nullptr);

} // namespace mlir::attnc

#endif // ATTNC_EXECUTION_FUNCTIONCALL_H
