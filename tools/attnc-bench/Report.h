//===- Report.h - attnc-bench's table and CSV output ------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// What attnc-bench prints: a machine line (CPU, threads, measured FMA peak),
// then one row per shape with the fused kernel's median time, GFLOP/s and
// share of the peak, the baselines' times and the speedups over them, and
// the largest relative difference from the reference output. As an aligned
// table, or as comma-separated values with --csv.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TOOLS_ATTNC_BENCH_REPORT_H
#define ATTNC_TOOLS_ATTNC_BENCH_REPORT_H

#include "Peak.h"
#include "Shapes.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace mlir::attnc::bench {

/// What one row reports; baselines that did not run are absent.
struct Measurement {
  /// Median of the timed calls of the fused kernel.
  double attncMs = 0;
  std::optional<double> referenceMs;
  /// Timed calls of the reference; 0 when referenceMs is its one (cold)
  /// warm-up call.
  unsigned referenceRuns = 0;
  std::optional<double> torchMs;
  /// max |attnc - reference| / max |reference|.
  std::optional<double> maxRelativeError;
};

/// What the machine line says.
struct MachineInfo {
  std::string cpu;
  unsigned threads = 1;
  FmaPeak peak;
  /// Why PyTorch does not run ("python3-torch not installed"), or empty.
  std::string torchSkipped;
};

/// The "model name" of /proc/cpuinfo, else LLVM's name for the host CPU.
std::string getCPUModel();

/// Prints the machine line(s) and the table (or CSV) header.
void printPreamble(llvm::raw_ostream &os, const MachineInfo &machine, bool csv);

/// Prints one row.
void printRow(llvm::raw_ostream &os, const BenchShape &shape,
              const Measurement &measurement, const MachineInfo &machine,
              bool csv);

} // namespace mlir::attnc::bench

#endif // ATTNC_TOOLS_ATTNC_BENCH_REPORT_H
