//===- ModuleCompiler.h - attnc-run's compiler plugin -----------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// attnc-run links no LLVM or MLIR shared library: `generate`, `logits`,
// `bench`, `tokenize` and `call lib.so` run on the runtime alone, and start
// without relocating libLLVM.so and libMLIR.so (70-90 ms of every process
// on the AMD EPYC VM measured). `call module.mlir` compiles MLIR: attnc-run
// loads the compiler for it from the plugin AttncRunCompiler.so (in the
// lib/ directory beside bin/), whose one entry point is declared here.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TOOLS_ATTNC_RUN_MODULECOMPILER_H
#define ATTNC_TOOLS_ATTNC_RUN_MODULECOMPILER_H

#include "attnc/Runtime/Library.h"

#include <memory>
#include <string>

namespace attnc::run {

/// What `call module.mlir` asks of the plugin.
struct ModuleRequest {
  std::string path;
  /// The function to run; empty: the module's only public one.
  std::string function;
  /// Empty: JIT-compile for this CPU. Otherwise the CUDA chip (sm_90a, ...)
  /// to compile a temporary library for.
  std::string cudaChip;
  /// --reference and --report-fallbacks.
  bool reference = false;
  bool reportFallbacks = false;
};

/// What the plugin gives back.
struct CompiledModule {
  /// CPU: the JIT-compiled function, as a library function (libraryPath
  /// "<jit>"), and what keeps its code alive.
  runtime::LibraryFunction function;
  std::shared_ptr<void> engine;
  /// CUDA: the temporary library compiled for the chip, to open with
  /// runtime::Library::open; the caller removes it.
  std::string libraryPath;
};

/// The plugin's entry point: compiles `request` into `module`, or returns
/// false with a one-line message in `error` (diagnostics of the module's
/// own lines go to stderr first, as attnc-opt prints them).
using CompileModuleFn = bool (*)(const ModuleRequest &request,
                                 CompiledModule &module, std::string &error);
inline constexpr char kCompileModuleSymbol[] = "attnc_run_compile_module";
inline constexpr char kCompilerPluginName[] = "AttncRunCompiler.so";

} // namespace attnc::run

#endif // ATTNC_TOOLS_ATTNC_RUN_MODULECOMPILER_H
