//===- Bench.h - attnc-run bench --------------------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TOOLS_ATTNC_RUN_BENCH_H
#define ATTNC_TOOLS_ATTNC_RUN_BENCH_H

namespace attnc::run {

/// True when the command line chose `bench`.
bool isBenchCommand();

/// Run `attnc-run bench`; return the exit status.
int runBench();

} // namespace attnc::run

#endif // ATTNC_TOOLS_ATTNC_RUN_BENCH_H
