//===- Compiler.h - compile tensor-level modules for the CPU ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// What attnc-run and attnc compile share: loading and verifying a module,
// running the CPU pipeline, and turning the LLVM dialect into machine code,
// either in memory (JIT) or as a shared library (AOT).
//
// Errors are returned as llvm::Error with a one-line message; MLIR
// diagnostics (parse, verification and pass errors, with their source
// locations) go to the context's diagnostic handler, which the tools install.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_COMPILER_COMPILER_H
#define ATTNC_COMPILER_COMPILER_H

#include "attnc/Pipelines/Pipelines.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace llvm {
class SourceMgr;
class TargetMachine;
class raw_pwrite_stream;
} // namespace llvm

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlir::attnc {

/// A public function of a module: its symbol name and tensor-level type.
struct ExportedFunction {
  std::string name;
  FunctionType type;
};

/// Registers the dialects and LLVM IR translations the compiler needs.
void registerCompilerDialects(DialectRegistry &registry);

/// Parses and verifies `path` ("-" for stdin), adding it to `sourceMgr` so
/// that a SourceMgrDiagnosticHandler on it can show the offending lines.
llvm::Expected<OwningOpRef<ModuleOp>> loadModule(llvm::StringRef path,
                                                 llvm::SourceMgr &sourceMgr,
                                                 MLIRContext &context);

/// The public functions of a tensor-level module, in order.
SmallVector<ExportedFunction> getExportedFunctions(ModuleOp module);

/// Lowers `module` in place with the CPU pipeline.
llvm::Error lowerForCPU(ModuleOp module,
                        const CPUPipelineOptions &options = {});

/// Lowers `module` in place with the GPU pipeline, after checking the chip,
/// the binary format and that the CUDA toolkit's tools are there.
llvm::Error lowerForCUDA(ModuleOp module, const GPUPipelineOptions &options);

/// Writes the kernels that lowerForCUDA embedded in `lowered` (PTX for
/// format isa, a cubin for bin) to `path`.
llvm::Error writeKernelObject(ModuleOp lowered, llvm::StringRef path);

/// Code generation target; empty strings mean the host CPU and its features.
struct TargetOptions {
  std::string cpu;
  std::string features;
};

/// A TargetMachine for the host triple and the requested CPU.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetOptions &options);

/// The f32 lanes of `machine`'s vectors: 16 with AVX-512, 8 otherwise.
int64_t getVectorWidth(const llvm::TargetMachine &machine);

/// Whether `machine` has AVX512-BF16 (vdpbf16ps) and AVX512-VL.
bool hasAvx512Bf16(const llvm::TargetMachine &machine);

/// Whether `machine` has AMX-TILE and AMX-BF16 (tdpbf16ps).
bool hasAMXBF16(const llvm::TargetMachine &machine);

/// Translates a lowered module to LLVM IR (O3-optimised for `machine`) and
/// writes it to `path` as an object file (`.o`), a shared library (`.so`,
/// linked with the system C compiler) or textual IR (`.ll`), by extension.
/// A module lowered for CUDA (with embedded kernels) links the attnc CUDA
/// runtime into its shared library instead of libomp.
/// How a CPU library reaches libomp, which runs its parallel loops.
enum class OpenMPLinkage {
  /// Beside the library first ($ORIGIN), then LLVM's directory (RUNPATH).
  System,
  /// As System, and libomp.so.5 is copied beside the library: the two files
  /// deploy together on machines without LLVM.
  Bundle,
  /// The module was lowered without threads (CPUPipelineOptions::threads
  /// false): the library needs no libomp.
  Off,
};

llvm::Error emitArtifact(ModuleOp lowered, llvm::TargetMachine &machine,
                         llvm::StringRef path,
                         OpenMPLinkage openmp = OpenMPLinkage::System);

/// Writes the file `path` atomically: `write` fills a temporary file beside
/// it (`<path>.tmp-XXXXXX`, in the same directory), which is renamed over
/// `path` once complete. A failed write, or one interrupted by a signal,
/// leaves the previous `path` intact, or none; the temporary file is
/// removed then (SIGKILL aside). Errors read "cannot write '<path>': ...".
llvm::Error writeFileAtomically(
    llvm::StringRef path,
    llvm::function_ref<llvm::Error(llvm::raw_pwrite_stream &)> write);

/// Fails unless `path` is absent, an empty directory, or a directory holding
/// `marker`: what writeDirectoryAtomically may replace.
llvm::Error checkReplaceableDirectory(llvm::StringRef path,
                                      llvm::StringRef marker);

/// Creates the directory `path` atomically: `fill` writes its files into a
/// fresh temporary directory beside it (`<path>.tmp-XXXXXX`), which then
/// takes the place of `path` in one rename (an exchange when `path` exists,
/// after which the previous directory is removed). An existing `path` is
/// replaced only when it is empty or holds `marker` (e.g. manifest.json):
/// anything else is an error and is left alone. A failed `fill` removes the
/// temporary directory and leaves `path` as it was.
llvm::Error writeDirectoryAtomically(
    llvm::StringRef path, llvm::StringRef marker,
    llvm::function_ref<llvm::Error(llvm::StringRef directory)> fill);

/// JIT-compiles a lowered module for the host.
llvm::Expected<std::unique_ptr<ExecutionEngine>> createJIT(ModuleOp lowered);

} // namespace mlir::attnc

#endif // ATTNC_COMPILER_COMPILER_H
