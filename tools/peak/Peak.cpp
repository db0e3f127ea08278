//===- Peak.cpp - the machine's fp32 FMA peak, read bandwidth, name ------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Each kernel runs enough independent accumulator chains to cover the FMA
// latency on every FMA port (latency 4 x 2 ports needs 8; 16 zmm or 12 ymm
// leave room for the two operands), so it is bound by throughput alone.
// acc = acc * 0.99999 + 1e-5 tends to 1: no overflow, no denormals.
//
//===----------------------------------------------------------------------===//

#include "Peak.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include <immintrin.h>

using namespace mlir::attnc::bench;

namespace {

/// Keeps the kernels' results alive.
volatile float sink;

/// The operands, volatile so that the compiler cannot fold any chain (one
/// that starts at the fixed point 1 would otherwise be loop-invariant).
volatile float kMul = 0.99999f;
volatile float kAdd = 1e-5f;
volatile float kStart = 0.05f;

/// 16 chains of 16-lane FMAs.
constexpr int64_t kAvx512FlopsPerIteration = 16 * 16 * 2;

__attribute__((target("avx512f"))) void runAvx512(int64_t iterations) {
  const float start = kStart;
  const __m512 mul = _mm512_set1_ps(kMul), add = _mm512_set1_ps(kAdd);
  __m512 a0 = _mm512_set1_ps(start + 0.0f), a1 = _mm512_set1_ps(start + 0.1f),
         a2 = _mm512_set1_ps(start + 0.2f), a3 = _mm512_set1_ps(start + 0.3f),
         a4 = _mm512_set1_ps(start + 0.4f), a5 = _mm512_set1_ps(start + 0.5f),
         a6 = _mm512_set1_ps(start + 0.6f), a7 = _mm512_set1_ps(start + 0.7f),
         a8 = _mm512_set1_ps(start + 0.8f), a9 = _mm512_set1_ps(start + 0.9f),
         a10 = _mm512_set1_ps(start + 1.0f), a11 = _mm512_set1_ps(start + 1.1f),
         a12 = _mm512_set1_ps(start + 1.2f), a13 = _mm512_set1_ps(start + 1.3f),
         a14 = _mm512_set1_ps(start + 1.4f), a15 = _mm512_set1_ps(start + 1.5f);
  for (int64_t i = 0; i < iterations; ++i) {
    a0 = _mm512_fmadd_ps(a0, mul, add);
    a1 = _mm512_fmadd_ps(a1, mul, add);
    a2 = _mm512_fmadd_ps(a2, mul, add);
    a3 = _mm512_fmadd_ps(a3, mul, add);
    a4 = _mm512_fmadd_ps(a4, mul, add);
    a5 = _mm512_fmadd_ps(a5, mul, add);
    a6 = _mm512_fmadd_ps(a6, mul, add);
    a7 = _mm512_fmadd_ps(a7, mul, add);
    a8 = _mm512_fmadd_ps(a8, mul, add);
    a9 = _mm512_fmadd_ps(a9, mul, add);
    a10 = _mm512_fmadd_ps(a10, mul, add);
    a11 = _mm512_fmadd_ps(a11, mul, add);
    a12 = _mm512_fmadd_ps(a12, mul, add);
    a13 = _mm512_fmadd_ps(a13, mul, add);
    a14 = _mm512_fmadd_ps(a14, mul, add);
    a15 = _mm512_fmadd_ps(a15, mul, add);
  }
  __m512 sum = _mm512_add_ps(
      _mm512_add_ps(
          _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
          _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7))),
      _mm512_add_ps(
          _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)),
          _mm512_add_ps(_mm512_add_ps(a12, a13), _mm512_add_ps(a14, a15))));
  sink = _mm512_reduce_add_ps(sum);
}

/// 12 chains of 8-lane FMAs (16 ymm registers: 12 accumulators, 2 operands).
constexpr int64_t kAvx2FlopsPerIteration = 12 * 8 * 2;

__attribute__((target("avx2,fma"))) void runAvx2(int64_t iterations) {
  const float start = kStart;
  const __m256 mul = _mm256_set1_ps(kMul), add = _mm256_set1_ps(kAdd);
  __m256 a0 = _mm256_set1_ps(start + 0.0f), a1 = _mm256_set1_ps(start + 0.1f),
         a2 = _mm256_set1_ps(start + 0.2f), a3 = _mm256_set1_ps(start + 0.3f),
         a4 = _mm256_set1_ps(start + 0.4f), a5 = _mm256_set1_ps(start + 0.5f),
         a6 = _mm256_set1_ps(start + 0.6f), a7 = _mm256_set1_ps(start + 0.7f),
         a8 = _mm256_set1_ps(start + 0.8f), a9 = _mm256_set1_ps(start + 0.9f),
         a10 = _mm256_set1_ps(start + 1.0f), a11 = _mm256_set1_ps(start + 1.1f);
  for (int64_t i = 0; i < iterations; ++i) {
    a0 = _mm256_fmadd_ps(a0, mul, add);
    a1 = _mm256_fmadd_ps(a1, mul, add);
    a2 = _mm256_fmadd_ps(a2, mul, add);
    a3 = _mm256_fmadd_ps(a3, mul, add);
    a4 = _mm256_fmadd_ps(a4, mul, add);
    a5 = _mm256_fmadd_ps(a5, mul, add);
    a6 = _mm256_fmadd_ps(a6, mul, add);
    a7 = _mm256_fmadd_ps(a7, mul, add);
    a8 = _mm256_fmadd_ps(a8, mul, add);
    a9 = _mm256_fmadd_ps(a9, mul, add);
    a10 = _mm256_fmadd_ps(a10, mul, add);
    a11 = _mm256_fmadd_ps(a11, mul, add);
  }
  __m256 sum =
      _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), a2),
                                  _mm256_add_ps(_mm256_add_ps(a3, a4), a5)),
                    _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a6, a7), a8),
                                  _mm256_add_ps(_mm256_add_ps(a9, a10), a11)));
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, sum);
  float total = 0;
  for (float lane : lanes)
    total += lane;
  sink = total;
}

/// Without vector FMA: 8 scalar multiply-add chains (2 FLOPs each).
constexpr int64_t kScalarFlopsPerIteration = 8 * 2;

void runScalar(int64_t iterations) {
  const float mul = kMul, add = kAdd, start = kStart;
  float acc[8];
  for (int i = 0; i < 8; ++i)
    acc[i] = start + 0.1f * i;
  for (int64_t i = 0; i < iterations; ++i)
    for (float &a : acc)
      a = a * mul + add;
  sink = acc[0] + acc[1] + acc[2] + acc[3] + acc[4] + acc[5] + acc[6] + acc[7];
}

using Kernel = void (*)(int64_t);

/// Seconds for `threads` threads to each run `iterations` iterations.
double timeKernel(Kernel kernel, unsigned threads, int64_t iterations) {
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t)
    workers.emplace_back(kernel, iterations);
  kernel(iterations);
  for (std::thread &worker : workers)
    worker.join();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// GFLOP/s on `threads` threads, the best of three trials.
double measureGflops(Kernel kernel, int64_t flopsPerIteration, unsigned threads,
                     int64_t iterations) {
  double best = 0;
  for (int trial = 0; trial < 3; ++trial) {
    double seconds = timeKernel(kernel, threads, iterations);
    best = std::max(best, static_cast<double>(threads) * iterations *
                              flopsPerIteration / seconds * 1e-9);
  }
  return best;
}

} // namespace

FmaPeak mlir::attnc::bench::measureFmaPeak(unsigned threads,
                                           double trialMilliseconds) {
  FmaPeak peak;
  peak.threads = std::max(threads, 1u);
  Kernel kernel = runScalar;
  int64_t flopsPerIteration = kScalarFlopsPerIteration;
  peak.isa = "scalar";
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    kernel = runAvx512;
    flopsPerIteration = kAvx512FlopsPerIteration;
    peak.isa = "avx512f";
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    kernel = runAvx2;
    flopsPerIteration = kAvx2FlopsPerIteration;
    peak.isa = "avx2+fma";
  }

  // Size a trial from a short calibration run, which also wakes the core up.
  int64_t iterations = 1 << 16;
  double seconds = timeKernel(kernel, 1, iterations);
  while (seconds < 2e-3) {
    iterations *= 2;
    seconds = timeKernel(kernel, 1, iterations);
  }
  iterations = std::max<int64_t>(
      1, static_cast<int64_t>(iterations * trialMilliseconds * 1e-3 / seconds));

  peak.oneThreadGflops =
      measureGflops(kernel, flopsPerIteration, 1, iterations);
  peak.allThreadsGflops =
      peak.threads == 1
          ? peak.oneThreadGflops
          : measureGflops(kernel, flopsPerIteration, peak.threads, iterations);
  return peak;
}

namespace {

/// Sums `count` floats (a multiple of 128) with 8 independent AVX-512
/// accumulators.
__attribute__((target("avx512f"))) float sumFloatsAvx512(const float *data,
                                                         size_t count) {
  __m512 acc[8];
  for (__m512 &a : acc)
    a = _mm512_setzero_ps();
  for (size_t i = 0; i + 128 <= count; i += 128)
    for (int j = 0; j < 8; ++j)
      acc[j] = _mm512_add_ps(acc[j], _mm512_loadu_ps(data + i + 16 * j));
  for (int j = 1; j < 8; ++j)
    acc[0] = _mm512_add_ps(acc[0], acc[j]);
  return _mm512_reduce_add_ps(acc[0]);
}

/// The same with 4 AVX2 accumulators, for CPUs without AVX-512.
__attribute__((target("avx2"))) float sumFloatsAvx2(const float *data,
                                                    size_t count) {
  __m256 acc[4];
  for (__m256 &a : acc)
    a = _mm256_setzero_ps();
  for (size_t i = 0; i + 32 <= count; i += 32)
    for (int j = 0; j < 4; ++j)
      acc[j] = _mm256_add_ps(acc[j], _mm256_loadu_ps(data + i + 8 * j));
  __m256 total = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]),
                               _mm256_add_ps(acc[2], acc[3]));
  float lanes[8];
  _mm256_storeu_ps(lanes, total);
  float sum = 0;
  for (float lane : lanes)
    sum += lane;
  return sum;
}

/// Plain loop: the compiler's baseline vector code.
float sumFloatsScalar(const float *data, size_t count) {
  float sum = 0;
  for (size_t i = 0; i < count; ++i)
    sum += data[i];
  return sum;
}

} // namespace

double mlir::attnc::bench::measureReadBandwidth(unsigned threads) {
  // 512 MiB: far beyond any cache; written first so that no page fault is
  // timed. On 64-byte lines: a std::vector's storage (16 bytes past a page)
  // splits every 64-byte load across two lines, which read ~25% slower on
  // the AMD EPYC VM (38-44 against 50-60 GB/s on 2 threads).
  constexpr size_t kBytes = size_t(512) << 20;
  size_t count = kBytes / sizeof(float);
  std::unique_ptr<float, void (*)(void *)> storage(
      static_cast<float *>(std::aligned_alloc(64, kBytes)), std::free);
  if (!storage)
    return 0;
  float *buffer = storage.get();
  std::fill(buffer, buffer + count, 1.0f);
  threads = std::max(threads, 1u);
  size_t perThread = count / threads / 128 * 128;
  float (*sumFloats)(const float *, size_t) = sumFloatsScalar;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    sumFloats = sumFloatsAvx512;
  else if (__builtin_cpu_supports("avx2"))
    sumFloats = sumFloatsAvx2;
  double best = 0;
  for (int trial = 0; trial < 8; ++trial) {
    std::vector<std::thread> workers;
    std::vector<float> sums(threads);
    auto start = std::chrono::steady_clock::now();
    for (unsigned t = 0; t < threads; ++t)
      workers.emplace_back(
          [&, t] { sums[t] = sumFloats(buffer + t * perThread, perThread); });
    for (std::thread &worker : workers)
      worker.join();
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    for (float s : sums)
      sink = s;
    best = std::max(best, perThread * threads * sizeof(float) / seconds / 1e9);
  }
  return best;
}

/// The text after `key` and its colon on the first line of `path` that
/// starts with `key` (every line when `key` is empty), trimmed.
static std::string readProcLine(const char *path, const std::string &key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) != 0)
      continue;
    size_t begin = line.find_first_not_of(" \t:", key.size());
    size_t end = line.find_last_not_of(" \t\n");
    if (begin == std::string::npos || end < begin)
      return "";
    return line.substr(begin, end + 1 - begin);
  }
  return "";
}

std::string mlir::attnc::bench::getCPUModel() {
  return readProcLine("/proc/cpuinfo", "model name");
}

std::string mlir::attnc::bench::getLoadAverage() {
  // "0.52 0.61 0.70 1/123 4567": the first three fields.
  std::string line = readProcLine("/proc/loadavg", "");
  size_t end = 0;
  for (int field = 0; field < 3 && end != std::string::npos; ++field)
    end = line.find(' ', end + (field != 0));
  return line.substr(0, end);
}
