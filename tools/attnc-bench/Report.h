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
  /// Measured DRAM read bandwidth (GB/s), when a decode shape runs.
  std::optional<double> bandwidthGBs;
  /// /proc/loadavg's three averages when the run started, or empty.
  std::string loadAverage;
  /// Why PyTorch does not run ("python3-torch not installed"), or empty.
  std::string torchSkipped;
};

/// Prints the machine line(s) (or the CSV machine line and header).
void printPreamble(llvm::raw_ostream &os, const MachineInfo &machine, bool csv);

/// Prints the header of the prefill table (GFLOP/s, % of the FMA peak).
void printPrefillHeader(llvm::raw_ostream &os, const MachineInfo &machine);

/// Prints the header of the decode table (GB/s of K and V read, % of the
/// measured bandwidth).
void printDecodeHeader(llvm::raw_ostream &os, const MachineInfo &machine);

/// Prints one row: GFLOP/s and % of peak for prefill shapes, GB/s and % of
/// the measured bandwidth for decode shapes.
void printRow(llvm::raw_ostream &os, const BenchShape &shape,
              const Measurement &measurement, const MachineInfo &machine,
              bool csv);

} // namespace mlir::attnc::bench

#endif // ATTNC_TOOLS_ATTNC_BENCH_REPORT_H
