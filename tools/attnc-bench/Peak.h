//===- Peak.h - measure the machine's fp32 FMA peak -------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// attnc-bench reports attention throughput as a fraction of the peak it
// measures in the same run, rather than one assumed for the machine: a loop
// of independent fused multiply-adds on the widest vectors the CPU has
// (AVX-512, else AVX2 with FMA), on one thread and on all of them.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TOOLS_ATTNC_BENCH_PEAK_H
#define ATTNC_TOOLS_ATTNC_BENCH_PEAK_H

#include <string>

namespace mlir::attnc::bench {

struct FmaPeak {
  /// "avx512f", "avx2+fma", or "scalar" when the CPU has neither.
  std::string isa;
  double oneThreadGflops = 0;
  double allThreadsGflops = 0;
  unsigned threads = 1;
};

/// Measures the fp32 FMA throughput on 1 and on `threads` threads (best of a
/// few trials of about `trialMilliseconds` each).
FmaPeak measureFmaPeak(unsigned threads, double trialMilliseconds = 50);

/// Measures the DRAM read bandwidth in GB/s with `threads` threads: the best
/// of a few passes summing a buffer much larger than the caches.
double measureReadBandwidth(unsigned threads);

} // namespace mlir::attnc::bench

#endif // ATTNC_TOOLS_ATTNC_BENCH_PEAK_H
