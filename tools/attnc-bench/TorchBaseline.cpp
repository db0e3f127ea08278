//===- TorchBaseline.cpp - time PyTorch on the same shapes ----------------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "TorchBaseline.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <optional>
#include <string>
#include <vector>

extern char **environ;

using namespace mlir::attnc::bench;
using llvm::StringRef;

/// Debian's OpenMP build of OpenBLAS; torch and numpy otherwise link the
/// reference BLAS.
static constexpr StringRef kOpenBlasDir =
    "/usr/lib/x86_64-linux-gnu/openblas-openmp";

bool mlir::attnc::bench::isTorchAvailable() {
  if (!llvm::sys::fs::can_execute(kPython))
    return false;
  StringRef args[] = {kPython, "-c", "import torch"};
  std::optional<StringRef> redirects[] = {StringRef(), StringRef(),
                                          StringRef()};
  return llvm::sys::ExecuteAndWait(kPython, args, std::nullopt, redirects) == 0;
}

/// The current environment with the baseline's thread and BLAS settings.
static std::vector<std::string> makeEnvironment(unsigned threads) {
  std::vector<std::string> env;
  std::string libraryPath;
  bool hasCoreType = false;
  for (char **entry = environ; *entry; ++entry) {
    StringRef var(*entry);
    if (var.starts_with("OMP_NUM_THREADS="))
      continue;
    if (var.consume_front("LD_LIBRARY_PATH=")) {
      libraryPath = var.str();
      continue;
    }
    hasCoreType |= var.starts_with("OPENBLAS_CORETYPE=");
    env.push_back(*entry);
  }
  if (llvm::sys::fs::is_directory(kOpenBlasDir))
    libraryPath = libraryPath.empty()
                      ? kOpenBlasDir.str()
                      : (kOpenBlasDir + ":" + libraryPath).str();
  if (!libraryPath.empty())
    env.push_back("LD_LIBRARY_PATH=" + libraryPath);
  // OpenBLAS 0.3.21 does not recognise recent CPUs (Zen 5); name the best
  // kernels they can run.
  __builtin_cpu_init();
  if (!hasCoreType)
    env.push_back(__builtin_cpu_supports("avx512f")
                      ? "OPENBLAS_CORETYPE=SkylakeX"
                      : "OPENBLAS_CORETYPE=Haswell");
  env.push_back("OMP_NUM_THREADS=" + std::to_string(threads));
  return env;
}

llvm::Expected<double>
mlir::attnc::bench::runTorchBaseline(StringRef script, const BenchShape &shape,
                                     unsigned threads, unsigned repetitions,
                                     unsigned seed) {
  llvm::SmallString<128> outPath, errPath;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "attnc-bench-torch", "out", outPath))
    return llvm::createStringError("cannot create a temporary file: " +
                                   ec.message());
  llvm::FileRemover outRemover(outPath);
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "attnc-bench-torch", "err", errPath))
    return llvm::createStringError("cannot create a temporary file: " +
                                   ec.message());
  llvm::FileRemover errRemover(errPath);

  std::vector<std::string> argStorage = {
      kPython.str(),
      script.str(),
      "--batch=" + std::to_string(shape.batch),
      "--q-heads=" + std::to_string(shape.queryHeads),
      "--kv-heads=" + std::to_string(shape.kvHeads),
      "--q-len=" + std::to_string(shape.queryLength),
      "--kv-len=" + std::to_string(shape.kvLength),
      "--head-dim=" + std::to_string(shape.headDim),
      "--threads=" + std::to_string(threads),
      "--repetitions=" + std::to_string(repetitions),
      "--seed=" + std::to_string(seed)};
  // One new row sees every cached key: the bottom-right causal mask of a
  // decode step hides nothing.
  if (shape.causal && !(shape.decode && shape.queryLength == 1))
    argStorage.push_back("--causal");
  llvm::SmallVector<StringRef> args(argStorage.begin(), argStorage.end());
  std::vector<std::string> envStorage = makeEnvironment(threads);
  llvm::SmallVector<StringRef> env(envStorage.begin(), envStorage.end());
  std::optional<StringRef> redirects[] = {StringRef(), StringRef(outPath),
                                          StringRef(errPath)};
  std::string errorMessage;
  int rc = llvm::sys::ExecuteAndWait(kPython, args, env, redirects,
                                     /*SecondsToWait=*/0, /*MemoryLimit=*/0,
                                     &errorMessage);

  auto out = llvm::MemoryBuffer::getFile(outPath);
  if (rc == 0 && out) {
    // The script's last line: "median_ms=<float> method=<name>".
    llvm::SmallVector<StringRef> lines;
    (*out)->getBuffer().trim().split(lines, '\n');
    StringRef value = lines.empty() ? "" : lines.back();
    double milliseconds = 0;
    if (value.consume_front("median_ms=") &&
        !value.split(' ').first.getAsDouble(milliseconds))
      return milliseconds;
    errorMessage =
        "unexpected output '" + (*out)->getBuffer().trim().str() + "'";
  } else if (auto err = llvm::MemoryBuffer::getFile(errPath)) {
    StringRef text = (*err)->getBuffer().trim();
    // The last line of a traceback says what went wrong.
    errorMessage += text.substr(text.rfind('\n') + 1).str();
  }
  return llvm::createStringError("PyTorch baseline (" + script +
                                 ") failed: " + errorMessage);
}
