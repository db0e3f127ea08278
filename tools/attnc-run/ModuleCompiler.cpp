//===- ModuleCompiler.cpp - attnc-run's compiler plugin ---------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// AttncRunCompiler.so: what `attnc-run call module.mlir` needs of MLIR and
// LLVM, loaded only by that command (see ModuleCompiler.h). It parses the
// module, chooses the function, and JIT-compiles it through the CPU
// pipeline, or compiles the module for a CUDA chip into a temporary library
// (as `attnc compile --target=cuda` does).
//
//===----------------------------------------------------------------------===//

#include "ModuleCompiler.h"

#include "attnc/Compiler/Compiler.h"
#include "attnc/Execution/FunctionCall.h"
#include "attnc/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
namespace compiler = mlir::attnc;
using ::attnc::run::CompiledModule;
using ::attnc::run::ModuleRequest;

namespace {

/// Compiles the module for `request.cudaChip` into a temporary library.
llvm::Expected<std::string> compileForCUDA(ModuleOp module,
                                           const ModuleRequest &request) {
  if (compiler::getExportedFunctions(module).empty())
    return llvm::createStringError("'%s' has no public function to run",
                                   request.path.c_str());
  compiler::GPUPipelineOptions options;
  options.chip = request.cudaChip;
  if (llvm::Error error = compiler::lowerForCUDA(module, options))
    return std::move(error);
  auto machine = compiler::createTargetMachine({});
  if (!machine)
    return machine.takeError();
  llvm::SmallString<128> path;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("attnc-run", "so", path))
    return llvm::createStringError("cannot create a temporary file: %s",
                                   ec.message().c_str());
  if (llvm::Error error = compiler::emitArtifact(module, **machine, path)) {
    llvm::sys::fs::remove(path);
    return std::move(error);
  }
  return path.str().str();
}

/// JIT-compiles the function `request` names (or the only public one) for
/// this CPU into `compiled`.
llvm::Error compileForCPU(ModuleOp module, const ModuleRequest &request,
                          CompiledModule &compiled) {
  SmallVector<compiler::ExportedFunction> exported =
      compiler::getExportedFunctions(module);
  std::string available =
      llvm::join(llvm::map_range(exported,
                                 [](const compiler::ExportedFunction &fn) {
                                   return "@" + fn.name;
                                 }),
                 ", ");
  std::string name = request.function;
  if (name.empty()) {
    if (exported.empty())
      return llvm::createStringError("'%s' has no public function to run",
                                     request.path.c_str());
    if (exported.size() != 1)
      return llvm::createStringError(
          "'%s' has %zu public functions (%s): choose one with --function",
          request.path.c_str(), exported.size(), available.c_str());
    name = exported.front().name;
  }
  const auto *found =
      llvm::find_if(exported, [&](const compiler::ExportedFunction &fn) {
        return fn.name == name;
      });
  if (found == exported.end())
    return llvm::createStringError("no public function @%s in '%s' "
                                   "(available: %s)",
                                   name.c_str(), request.path.c_str(),
                                   available.empty() ? "none"
                                                     : available.c_str());
  FunctionType type = found->type;
  compiler::CPUPipelineOptions pipelineOptions;
  pipelineOptions.reference = request.reference;
  pipelineOptions.reportFallbacks = request.reportFallbacks;
  if (llvm::Error error = compiler::lowerForCPU(module, pipelineOptions))
    return error;
  auto engine = compiler::createJIT(module);
  if (!engine)
    return engine.takeError();
  // The destination-passing entry point (the C ABI's attnc_into_<f>) lets
  // --repeat compute into the previous run's results.
  auto function =
      compiler::lookupCompiledFunction(name, type, [&](llvm::StringRef symbol) {
        return (*engine)->lookup(symbol);
      });
  if (!function)
    return function.takeError();
  auto described = compiler::describeFunction(*function);
  if (!described)
    return described.takeError();
  compiled.function = std::move(*described);
  compiled.engine = std::shared_ptr<ExecutionEngine>(std::move(*engine));
  return llvm::Error::success();
}

} // namespace

extern "C" __attribute__((visibility("default"))) bool
attnc_run_compile_module(const ModuleRequest &request, CompiledModule &compiled,
                         std::string &error) {
  // The plugin's own copy of LLVM's signal handlers and options stay
  // untouched: attnc-run installed its handlers and parsed the command
  // line already.
  DialectRegistry registry;
  compiler::registerCompilerDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  auto fail = [&](llvm::Error failure) {
    error = llvm::toString(std::move(failure));
    return false;
  };
  auto module = compiler::loadModule(request.path, sourceMgr, context);
  if (!module)
    return fail(module.takeError());
  if (!request.cudaChip.empty()) {
    auto library = compileForCUDA(**module, request);
    if (!library)
      return fail(library.takeError());
    compiled.libraryPath = *library;
    return true;
  }
  if (llvm::Error failure = compileForCPU(**module, request, compiled))
    return fail(std::move(failure));
  return true;
}
