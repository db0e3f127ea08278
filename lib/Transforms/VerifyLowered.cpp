//===- VerifyLowered.cpp - contract check of lowered modules ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

#include "llvm/ADT/StringSet.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_VERIFYLOWERED
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

/// What compiled code may call without defining: libc, libm and libomp.
bool attnc::isRuntimeLibraryFunction(StringRef name) {
  static const llvm::StringSet<> libc = {
      "malloc", "free",    "aligned_alloc", "calloc",  "realloc",
      "abort",  "exit",    "puts",          "printf",  "fputs",
      "fflush", "putchar", "memcpy",        "memmove", "memset"};
  static const llvm::StringSet<> libm = {
      "exp",   "exp2", "expm1", "log",   "log2", "log10",   "log1p", "pow",
      "sqrt",  "cbrt", "sin",   "cos",   "tan",  "asin",    "acos",  "atan",
      "atan2", "sinh", "cosh",  "tanh",  "erf",  "erfc",    "fma",   "fmod",
      "floor", "ceil", "round", "trunc", "rint", "copysign"};
  if (libc.contains(name) || libm.contains(name))
    return true;
  // The attnc kernel runtime, linked with every compiled CPU library.
  if (name == attnc::kWorkspaceAllocFunction ||
      name == attnc::kWorkspaceFreeFunction)
    return true;
  // libomp, linked with every compiled kernel.
  if (name.starts_with("__kmpc_") || name.starts_with("omp_"))
    return true;
  // Single-precision libm variants: expf, tanhf, ...
  return name.ends_with("f") && libm.contains(name.drop_back());
}

namespace {

/// Reporting stops after this many problems; the first ones say what is wrong.
constexpr int kMaxReported = 10;

struct VerifyLoweredPass
    : public attnc::impl::VerifyLoweredBase<VerifyLoweredPass> {
  using VerifyLoweredBase::VerifyLoweredBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    int numProblems = 0;
    // An op is reported once per location: the attnc_into_ entry point of a
    // function repeats the function's ops (attnc-destination-entries).
    llvm::DenseSet<std::pair<Location, OperationName>> reported;
    module.walk([&](Operation *op) {
      if (op == module.getOperation())
        return WalkResult::advance();
      if (!isa<UnknownLoc>(op->getLoc()) &&
          !reported.insert({op->getLoc(), op->getName()}).second)
        return WalkResult::advance();
      StringRef dialect = op->getName().getDialectNamespace();
      // OpenMP ops on LLVM types translate directly to libomp calls.
      // Kernels stay embedded as gpu.binary and their launches as
      // gpu.launch_func; translation turns them into a global loaded by the
      // CUDA runtime and calls into it.
      if (cuda && isa<gpu::BinaryOp, gpu::LaunchFuncOp>(op))
        return WalkResult::skip();
      if (dialect != LLVM::LLVMDialect::getDialectNamespace() &&
          dialect != "omp") {
        op->emitError("'") << op->getName()
                           << "' was not lowered to the LLVM dialect";
        ++numProblems;
      } else if (auto fn = dyn_cast<LLVM::LLVMFuncOp>(op);
                 fn && fn.isExternal() &&
                 !attnc::isRuntimeLibraryFunction(fn.getName()) &&
                 !(cuda && fn.getName().starts_with("mgpu"))) {
        fn.emitError("compiled code calls @")
            << fn.getName()
            << ", which neither the module nor libc/libm provides";
        ++numProblems;
      }
      return numProblems < kMaxReported ? WalkResult::advance()
                                        : WalkResult::interrupt();
    });
    if (numProblems > 0)
      signalPassFailure();
  }
};

} // namespace
