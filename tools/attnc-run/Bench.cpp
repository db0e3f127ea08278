//===- Bench.cpp - attnc-run bench: tokens/s of a model ---------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
//   attnc-run bench model.attnc [-p 512] [-n 128] [-d 0,4096] [-r 5]
//       [--threads T] [--bandwidth GB/s]
//
// times a model compiled by `attnc compile`, as llama.cpp's llama-bench
// does: "ppP" is one forward call of P prompt tokens (the logits of the last
// one, as generation computes them), "tgN" N decode steps of one token each;
// "@ dD" runs them after D positions of the KV cache are filled (untimed).
// The token ids are random (fixed seed). Each test runs once as a warm-up,
// then -r times; the table gives the median tokens/s and the range, the
// warm-up run's first call beside the median call (a first call slower than
// the later ones is a cold-start cost a one-shot `generate` pays), and for
// tg the share of the bound that reading memory sets: the bytes of the
// weights and of the KV cache a decode step reads, at the read bandwidth
// (measured in-process by streaming a buffer larger than the caches, or
// given with --bandwidth).
//
//===----------------------------------------------------------------------===//

#include "Bench.h"
#include "Generate.h"
#include "Peak.h"

#include "attnc/Runtime/ModelRunner.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <thread>

using namespace attnc::runtime;
namespace cl = llvm::cl;

static cl::SubCommand
    benchCommand("bench", "Time prompt processing and generation of a model "
                          "compiled by `attnc compile` (as llama-bench)");

static cl::opt<std::string> artifact(cl::Positional, cl::Required,
                                     cl::desc("<model.attnc>"),
                                     cl::sub(benchCommand));
static cl::opt<std::string>
    modelDir("model-dir",
             cl::desc("The Hugging Face model directory (default: the one "
                      "the artifact was compiled from)"),
             cl::value_desc("dir"), cl::sub(benchCommand));
static cl::list<int64_t>
    promptSizes("p", cl::CommaSeparated,
                cl::desc("Prompt-processing tests: tokens per prefill, "
                         "comma-separated (default 512; 0: none)"),
                cl::value_desc("n,..."), cl::sub(benchCommand));
static cl::list<int64_t>
    generateSizes("n", cl::CommaSeparated,
                  cl::desc("Generation tests: decode steps, comma-separated "
                           "(default 128; 0: none)"),
                  cl::value_desc("n,..."), cl::sub(benchCommand));
static cl::list<int64_t>
    depths("d", cl::CommaSeparated,
           cl::desc("KV cache positions filled before each test, "
                    "comma-separated (default 0)"),
           cl::value_desc("n,..."), cl::sub(benchCommand));
static cl::opt<int64_t>
    repetitions("r", cl::init(5),
                cl::desc("Timed runs of each test, after a warm-up run "
                         "(default 5)"),
                cl::sub(benchCommand));
static cl::opt<double> bandwidthOption(
    "bandwidth", cl::init(0),
    cl::desc("Memory read bandwidth in GB/s for the tg bound (default: "
             "measured in-process)"),
    cl::value_desc("GB/s"), cl::sub(benchCommand));

static cl::opt<bool>
    noMmap("no-mmap",
           cl::desc("Copy the weights into memory on huge pages instead of "
                    "reading the checkpoint's mapping (as llama-bench "
                    "--mmap 0)"),
           cl::sub(benchCommand));

bool attnc::run::isBenchCommand() { return static_cast<bool>(benchCommand); }

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "attnc-run") << message << "\n";
  return 1;
}

using Clock = std::chrono::steady_clock;
static double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The threads the kernels run on: --threads sets OMP_NUM_THREADS (main).
static unsigned getThreadCount() {
  if (const char *value = std::getenv("OMP_NUM_THREADS"))
    if (int n = std::atoi(value); n > 0)
      return static_cast<unsigned>(n);
  return std::max(1u, std::thread::hardware_concurrency());
}

namespace {

/// One line of the table.
struct TestResult {
  std::string name;
  /// Tokens/s of each timed run.
  std::vector<double> rates;
  /// Seconds of the warm-up run's first forward call, and of every call of
  /// the timed runs.
  double firstCall = 0;
  std::vector<double> calls;
  /// Decode-step bytes read from memory (weights and cache), averaged over
  /// the steps; 0 for pp.
  double bytesPerStep = 0;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/// Random ids in [0, vocab) (fixed seed: every run reads the same).
std::vector<int32_t> randomTokens(std::mt19937 &rng, int64_t count,
                                  int64_t vocab) {
  std::uniform_int_distribution<int32_t> pick(0,
                                              static_cast<int32_t>(vocab - 1));
  std::vector<int32_t> tokens(count);
  for (int32_t &token : tokens)
    token = pick(rng);
  return tokens;
}

/// Fills the cache with `depth` positions (in prefills of at most 512
/// tokens, so that a long depth needs no large activations).
Error fillCache(ModelRunner &model, std::mt19937 &rng, int64_t depth) {
  model.reset();
  int64_t vocab = model.getConfig().vocabSize;
  while (model.getLength() < depth) {
    int64_t chunk = std::min<int64_t>(512, depth - model.getLength());
    auto logits = model.forward(randomTokens(rng, chunk, vocab), true);
    if (!logits)
      return logits.getError();
  }
  return Error::success();
}

/// Runs a pp (`decode` false: one call of `count` tokens) or tg (`count`
/// calls of one token) test after `depth` positions: a warm-up run, then
/// `runs` timed ones.
Expected<TestResult> runTest(ModelRunner &model, std::mt19937 &rng, bool decode,
                             int64_t count, int64_t depth, int64_t runs) {
  TestResult result;
  result.name = (decode ? "tg" : "pp") + std::to_string(count);
  if (depth > 0)
    result.name += " @ d" + std::to_string(depth);
  int64_t vocab = model.getConfig().vocabSize;
  for (int64_t run = 0; run <= runs; ++run) {
    model.truncate(depth);
    std::vector<int32_t> tokens = randomTokens(rng, count, vocab);
    std::vector<double> calls;
    auto start = Clock::now();
    for (int64_t call = 0; call < (decode ? count : 1); ++call) {
      auto callStart = Clock::now();
      auto logits = decode ? model.forward({tokens[call]}, true)
                           : model.forward(tokens, true);
      if (!logits)
        return logits.getError();
      calls.push_back(secondsSince(callStart));
    }
    double seconds = secondsSince(start);
    if (run == 0) {
      result.firstCall = calls.front();
      continue;
    }
    result.rates.push_back(count / std::max(seconds, 1e-12));
    result.calls.insert(result.calls.end(), calls.begin(), calls.end());
  }
  if (decode) {
    double bytes = 0;
    for (int64_t step = 0; step < count; ++step)
      bytes += model.getWeightBytesPerStep() +
               model.getCacheBytesPerStep(depth + step);
    result.bytesPerStep = bytes / count;
  }
  return result;
}

std::string formatRate(double rate) {
  std::string text;
  llvm::raw_string_ostream(text)
      << llvm::format(rate >= 100 ? "%.1f" : "%.2f", rate);
  return text;
}

/// -p/-n/-d with their defaults; an error names a bad value.
std::optional<std::string> checkSizes(std::vector<int64_t> &prompts,
                                      std::vector<int64_t> &generates,
                                      std::vector<int64_t> &depthList) {
  prompts.assign(promptSizes.begin(), promptSizes.end());
  generates.assign(generateSizes.begin(), generateSizes.end());
  depthList.assign(depths.begin(), depths.end());
  if (prompts.empty())
    prompts = {512};
  if (generates.empty())
    generates = {128};
  if (depthList.empty())
    depthList = {0};
  for (auto [option, values] :
       {std::pair{"-p", &prompts}, {"-n", &generates}, {"-d", &depthList}})
    for (int64_t value : *values)
      if (value < 0)
        return std::string(option) + " must be 0 or more tokens, got " +
               std::to_string(value);
  llvm::erase(prompts, 0);
  llvm::erase(generates, 0);
  if (prompts.empty() && generates.empty())
    return "nothing to run: -p and -n are both 0";
  if (repetitions < 1)
    return "-r must be at least 1, got " + std::to_string(repetitions);
  if (!std::isfinite(bandwidthOption) || bandwidthOption < 0)
    return "--bandwidth must be positive (GB/s), or 0 to measure it";
  return std::nullopt;
}

} // namespace

int attnc::run::runBench() {
  std::vector<int64_t> prompts, generates, depthList;
  if (std::optional<std::string> error =
          checkSizes(prompts, generates, depthList))
    return fail(*error);
  std::string directory = modelDir;
  if (directory.empty()) {
    auto recorded = getRecordedModelDirectory(artifact);
    if (!recorded)
      return fail(recorded.getError().getMessage());
    directory = *recorded;
  }
  // The bandwidth is measured before the model loads: loading ends with
  // two warm-up decode steps, after which libomp's threads spin for a while
  // (KMP_BLOCKTIME) on the cores the measurement's threads need; measured
  // after it, the bound came out at half the machine's bandwidth at times.
  unsigned threads = getThreadCount();
  double bandwidth = bandwidthOption * 1e9;
  std::string bandwidthSource = "given with --bandwidth";
  if (!generates.empty() && bandwidth == 0) {
    bandwidth = mlir::attnc::bench::measureReadBandwidth(threads) * 1e9;
    bandwidthSource = "measured: " + std::to_string(threads) + " thread" +
                      (threads == 1 ? "" : "s") +
                      " streaming 512 MiB with the widest loads, best of 8";
  }

  auto loadStart = Clock::now();
  ModelRunner::LoadOptions options;
  options.copyWeights = noMmap;
  auto runner = ModelRunner::load(artifact, directory, options);
  if (!runner)
    return fail(runner.getError().getMessage());
  double loadSeconds = secondsSince(loadStart);
  ModelRunner &model = **runner;
  // Every test must fit the cache: fail before any runs.
  int64_t longest =
      std::max(*std::max_element(prompts.begin(), prompts.end()),
               generates.empty()
                   ? int64_t(0)
                   : *std::max_element(generates.begin(), generates.end()));
  int64_t deepest = *std::max_element(depthList.begin(), depthList.end());
  if (deepest + longest > model.getMaxSequence())
    return fail("-d " + llvm::Twine(deepest) + " and a test of " +
                llvm::Twine(longest) + " tokens need " +
                llvm::Twine(deepest + longest) +
                " positions; the model was compiled for " +
                llvm::Twine(model.getMaxSequence()) +
                " (attnc compile --max-seq)");

  const ModelConfig &config = model.getConfig();
  llvm::outs() << llvm::format(
      "model: %s (%s, %.1fM parameters, %d layers; %.1f MB of weights read "
      "per decode step), loaded in %.2f s\n",
      artifact.c_str(), std::string(config.getModelType()).c_str(),
      model.getParameterCount() / 1e6, static_cast<int>(config.numLayers),
      model.getWeightBytesPerStep() / 1e6, loadSeconds);
  // Where decode reads the weights from: 4 KiB pages cost a TLB entry each.
  size_t checkpoint = model.getCheckpointBytes();
  if (noMmap)
    llvm::outs() << "weights: copied onto huge pages (--no-mmap)\n";
  else if (checkpoint > 0)
    llvm::outs() << llvm::format(
        "weights: read in place from the checkpoint's mapping (%.1f MB), "
        "%.0f%% of it on 2 MiB pages\n",
        checkpoint / 1e6,
        100.0 * model.getCheckpointHugePageBytes() / checkpoint);
  // The machine, and how busy it is (a shared machine gives noisy times).
  std::string cpu = mlir::attnc::bench::getCPUModel();
  std::string load = mlir::attnc::bench::getLoadAverage();
  llvm::outs() << "cpu: " << (cpu.empty() ? "unknown" : cpu) << ", "
               << std::thread::hardware_concurrency() << " cores";
  if (!load.empty())
    llvm::outs() << "; load average " << load;
  llvm::outs() << "\n";
  llvm::outs() << "threads: " << threads << "; runs: 1 warm-up + "
               << repetitions << " timed";
  if (!generates.empty())
    llvm::outs() << llvm::format("; read bandwidth: %.1f GB/s (",
                                 bandwidth / 1e9)
                 << bandwidthSource << ")";
  llvm::outs() << "\n\n";
  llvm::outs() << "| test | t/s (median) | t/s (min-max) | first call ms | "
                  "median call ms | first/median | % of read bound |\n"
               << "|---|---:|---:|---:|---:|---:|---:|\n";
  llvm::outs().flush();

  std::mt19937 rng(1234);
  for (int64_t depth : depthList) {
    if (Error error = fillCache(model, rng, depth))
      return fail(error.getMessage());
    for (int decode = 0; decode < 2; ++decode) {
      for (int64_t count : decode ? generates : prompts) {
        auto result = runTest(model, rng, decode, count, depth, repetitions);
        if (!result)
          return fail(result.getError().getMessage());
        auto [low, high] =
            std::minmax_element(result->rates.begin(), result->rates.end());
        double call = median(result->calls);
        std::string bound = "-";
        if (result->bytesPerStep > 0) {
          double limit = bandwidth / result->bytesPerStep;
          llvm::raw_string_ostream(bound = "")
              << llvm::format("%.1f%%", 100 * median(result->rates) / limit);
        }
        llvm::outs() << "| " << result->name << " | "
                     << formatRate(median(result->rates)) << " | "
                     << formatRate(*low) << "-" << formatRate(*high) << " | "
                     << llvm::format("%.2f", 1e3 * result->firstCall) << " | "
                     << llvm::format("%.2f", 1e3 * call) << " | "
                     << llvm::format("%.2fx", result->firstCall / call) << " | "
                     << bound << " |\n";
        llvm::outs().flush();
      }
    }
  }
  return 0;
}
