//===- Peak.h - the machine's FMA peak, bandwidth and name ------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// attnc-bench reports attention throughput as a fraction of the peak it
// measures in the same run, rather than one assumed for the machine: a loop
// of independent fused multiply-adds on the widest vectors the CPU has
// (AVX-512, else AVX2 with FMA), on one thread and on all of them. It and
// `attnc-run bench` report decode against the read bandwidth measured here
// the same way: with the widest loads, since a core keeps more lines in
// flight when each load is a whole line (64-bit loads of the same buffer
// measured ~20% less on the AMD EPYC VM).
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

/// The CPU's "model name" in /proc/cpuinfo ("AMD EPYC 9B45"); empty where
/// there is none.
std::string getCPUModel();

/// The 1, 5 and 15 minute load averages of /proc/loadavg ("1.29 1.12
/// 0.68"), which say how busy a shared machine was; empty where unknown.
std::string getLoadAverage();

} // namespace mlir::attnc::bench

#endif // ATTNC_TOOLS_ATTNC_BENCH_PEAK_H
