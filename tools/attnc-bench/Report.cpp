//===- Report.cpp - attnc-bench's table and CSV output --------------------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "Report.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"
#include "llvm/TargetParser/Host.h"

#include <cstdio>

using namespace mlir::attnc::bench;
using llvm::StringRef;

/// `value` printed with the printf `format`, or `absent` without a value.
static std::string formatValue(std::optional<double> value, const char *format,
                               const char *absent = "-") {
  if (!value)
    return absent;
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), format, *value);
  return buffer;
}

/// A CSV number: full precision, empty when absent.
static std::string csvField(std::optional<double> value) {
  return formatValue(value, "%.6g", "");
}

void mlir::attnc::bench::printPreamble(llvm::raw_ostream &os,
                                       const MachineInfo &machine, bool csv) {
  const FmaPeak &peak = machine.peak;
  if (csv) {
    os << "cpu,threads,isa,peak_1t_gflops,peak_nt_gflops\n"
       << '"' << machine.cpu << "\"," << machine.threads << "," << peak.isa
       << "," << csvField(peak.oneThreadGflops) << ","
       << csvField(peak.allThreadsGflops) << "\n\n"
       << "shape,causal,paged,B,Hq,Hkv,Sq,Skv,D,attnc_ms,gflops,pct_peak,"
          "gbps,pct_bandwidth,ref_ms,ref_runs,ref_speedup,torch_ms,"
          "torch_speedup,max_rel_err,kv_type,dtype\n";
    return;
  }
  os << "machine: " << machine.cpu << " (" << llvm::sys::getHostCPUName()
     << "), " << machine.threads << " threads, fp32 FMA peak (" << peak.isa
     << ", measured): " << llvm::format("%.1f", peak.oneThreadGflops)
     << " GFLOP/s on 1 thread, " << llvm::format("%.1f", peak.allThreadsGflops)
     << " GFLOP/s on " << machine.threads << " threads\n";
  if (machine.bandwidthGBs)
    os << "memory read bandwidth (measured, " << machine.threads
       << " threads): " << llvm::format("%.1f", *machine.bandwidthGBs)
       << " GB/s\n";
  if (!machine.loadAverage.empty())
    os << "load average before the runs: " << machine.loadAverage << "\n";
  if (!machine.torchSkipped.empty())
    os << "PyTorch: skipped (" << machine.torchSkipped << ")\n";
  os << "x ref, x torch = baseline ms / attnc ms; max rel err = max|attnc - "
        "ref| / max|ref|\n";
}

void mlir::attnc::bench::printPrefillHeader(llvm::raw_ostream &os,
                                            const MachineInfo &machine) {
  os << "\nprefill: FLOPs = 4*B*Hq*D*pairs, pairs = Sq*Skv (causal: "
        "Sq*Skv - Sq^2/2, half of a square); %peak of the "
     << machine.threads << "-thread FMA peak\n\n"
     << llvm::format("%-16s %-20s %10s %8s %7s %10s %8s %10s %8s %12s\n",
                     "shape", "dims", "attnc ms", "GFLOP/s", "%peak", "ref ms",
                     "x ref", "torch ms", "x torch", "max rel err");
}

void mlir::attnc::bench::printDecodeHeader(llvm::raw_ostream &os,
                                           const MachineInfo &machine) {
  os << "\ndecode: GB/s = bytes of K and V read (2*B*Hkv*Skv*D*4, *2 for "
        "f16/bf16 caches) / attnc time; %bw of the measured read bandwidth "
        "(DRAM: above 100% when K and V fit in the caches, which repeated "
        "calls then read from); paged/N: a paged cache of N-position blocks "
        "in random order; f16/bf16: a low-precision cache (f32 query and "
        "accumulation)\n\n"
     << llvm::format("%-16s %-20s %10s %8s %7s %10s %8s %10s %8s %12s\n",
                     "shape", "dims", "attnc ms", "GB/s", "%bw", "ref ms",
                     "x ref", "torch ms", "x torch", "max rel err");
}

void mlir::attnc::bench::printRow(llvm::raw_ostream &os,
                                  const BenchShape &shape, const Measurement &m,
                                  const MachineInfo &machine, bool csv) {
  std::optional<double> gflops, percentOfPeak, gbps, percentOfBandwidth;
  if (shape.decode) {
    gbps = shape.getCacheBytes() / (m.attncMs * 1e6);
    if (machine.bandwidthGBs)
      percentOfBandwidth = 100 * *gbps / *machine.bandwidthGBs;
  } else {
    gflops = shape.getFlops() / (m.attncMs * 1e6);
    percentOfPeak = 100 * *gflops / machine.peak.allThreadsGflops;
  }
  double rate = shape.decode ? *gbps : *gflops;
  double percent =
      shape.decode ? percentOfBandwidth.value_or(0) : *percentOfPeak;
  auto speedup = [&](std::optional<double> baselineMs) {
    return baselineMs ? std::optional<double>(*baselineMs / m.attncMs)
                      : std::nullopt;
  };
  if (csv) {
    os << shape.name << "," << (shape.causal ? 1 : 0) << ","
       << (shape.paged ? 1 : 0) << "," << shape.batch << "," << shape.queryHeads
       << "," << shape.kvHeads << "," << shape.queryLength << ","
       << shape.kvLength << "," << shape.headDim << "," << csvField(m.attncMs)
       << "," << csvField(gflops) << "," << csvField(percentOfPeak) << ","
       << csvField(gbps) << "," << csvField(percentOfBandwidth) << ","
       << csvField(m.referenceMs) << "," << m.referenceRuns << ","
       << csvField(speedup(m.referenceMs)) << "," << csvField(m.torchMs) << ","
       << csvField(speedup(m.torchMs)) << "," << csvField(m.maxRelativeError)
       << "," << (shape.decode ? shape.cacheType : "") << ","
       << (shape.decode ? "" : shape.dtype) << "\n";
    return;
  }
  std::string referenceText = formatValue(m.referenceMs, "%.3f");
  if (m.referenceMs && m.referenceRuns == 0)
    referenceText += "*";
  os << llvm::format(
      "%-16s %-20s %10.3f %8.1f %6.1f%% %10s %8s %10s %8s %12s\n",
      shape.getLabel().c_str(), shape.getDims().c_str(), m.attncMs, rate,
      percent, referenceText.c_str(),
      formatValue(speedup(m.referenceMs), "%.1fx").c_str(),
      formatValue(m.torchMs, "%.3f").c_str(),
      formatValue(speedup(m.torchMs), "%.2fx").c_str(),
      formatValue(m.maxRelativeError, "%.2e").c_str());
}
