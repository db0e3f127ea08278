//===- FunctionCall.cpp - call compiled functions on host tensors -*- C++ -*-=//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// JIT-compiled functions are called exactly as library functions are: the
// checks, the descriptor marshalling and the result copies live once, in the
// LLVM-free runtime (attnc/Runtime/Library.h), which attnc-call and
// `attnc-run call lib.so` use too. This file only describes a JIT entry
// point to it.
//
//===----------------------------------------------------------------------===//

#include "attnc/Execution/FunctionCall.h"

#include "attnc/Runtime/Library.h"
#include "attnc/Transforms/Passes.h"

#include "llvm/Support/raw_ostream.h"

namespace mlir::attnc {

namespace runtime = ::attnc::runtime;
using runtime::DType;
using runtime::Tensor;

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

namespace {

llvm::Error toLLVMError(const runtime::Error &error) {
  if (!error)
    return llvm::Error::success();
  return llvm::createStringError(error.getMessage());
}

} // namespace

llvm::Expected<runtime::LibraryFunction>
describeFunction(const CompiledFunction &function) {
  runtime::LibraryFunction described;
  described.name = function.name;
  described.libraryPath = "<jit>";
  llvm::raw_string_ostream(described.signatureText) << function.type;
  auto signature = runtime::parseFunctionSignature(described.signatureText);
  if (!signature)
    return llvm::createStringError("@" + function.name + ": " +
                                   signature.getError().getMessage());
  described.signature = *signature;
  described.target = runtime::Target::CPU;
  described.entryPoint = function.entryPoint;
  described.intoEntryPoint = function.intoEntryPoint;
  described.inPlaceResults = function.inPlaceResults;
  return described;
}

llvm::Error setInPlaceResults(CompiledFunction &function, const char *text) {
  auto described = describeFunction(function);
  if (!described)
    return described.takeError();
  if (llvm::Error error =
          toLLVMError(runtime::setInPlaceResults(*described, text)))
    return error;
  function.inPlaceResults = described->inPlaceResults;
  return llvm::Error::success();
}

llvm::Expected<CompiledFunction> lookupCompiledFunction(
    llvm::StringRef name, FunctionType type,
    llvm::function_ref<llvm::Expected<void *>(llvm::StringRef)> lookup) {
  CompiledFunction function;
  function.name = name.str();
  function.type = type;
  auto entryPoint = lookup((kCInterfacePrefix + name).str());
  if (!entryPoint)
    return entryPoint.takeError();
  function.entryPoint = *entryPoint;
  // The optional symbols: the destination-passing entry point, and the
  // in-place list (most functions return every result).
  auto optional = [&](const llvm::Twine &symbol) -> void * {
    auto address = lookup(symbol.str());
    if (address)
      return *address;
    llvm::consumeError(address.takeError());
    return nullptr;
  };
  function.intoEntryPoint =
      optional(kCInterfacePrefix + kDestinationEntryPrefix + name);
  const char *inPlace =
      static_cast<const char *>(optional(kInPlaceSymbolPrefix + name));
  if (llvm::Error error = setInPlaceResults(function, inPlace))
    return std::move(error);
  return function;
}

llvm::Error checkInputs(const CompiledFunction &function,
                        const std::vector<Tensor> &inputs,
                        const std::vector<std::string> &inputNames) {
  auto described = describeFunction(function);
  if (!described)
    return described.takeError();
  return toLLVMError(runtime::checkInputs(*described, inputs, inputNames));
}

llvm::Expected<std::vector<Tensor>>
callFunction(const CompiledFunction &function, std::vector<Tensor> &inputs,
             double *callMilliseconds, std::vector<Tensor> *reuse) {
  auto described = describeFunction(function);
  if (!described)
    return described.takeError();
  auto results =
      runtime::callFunction(*described, inputs, callMilliseconds, reuse);
  if (!results)
    return llvm::createStringError(results.getError().getMessage());
  return results.take();
}

} // namespace mlir::attnc
