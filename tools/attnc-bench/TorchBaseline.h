//===- TorchBaseline.h - time PyTorch on the same shapes --------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The optional PyTorch baseline: torch_baseline.py, run by /usr/bin/python3
// with the thread count and the OpenBLAS settings of DESIGN.md section 6, so
// that the baseline is measured at its best.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TOOLS_ATTNC_BENCH_TORCHBASELINE_H
#define ATTNC_TOOLS_ATTNC_BENCH_TORCHBASELINE_H

#include "Shapes.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace mlir::attnc::bench {

/// The Python that runs the baseline.
inline constexpr llvm::StringLiteral kPython = "/usr/bin/python3";

/// Whether `kPython -c "import torch"` succeeds.
bool isTorchAvailable();

/// Runs `script` on `shape` with `threads` threads and returns the median
/// time of `repetitions` calls in milliseconds.
llvm::Expected<double> runTorchBaseline(llvm::StringRef script,
                                        const BenchShape &shape,
                                        unsigned threads, unsigned repetitions,
                                        unsigned seed);

} // namespace mlir::attnc::bench

#endif // ATTNC_TOOLS_ATTNC_BENCH_TORCHBASELINE_H
