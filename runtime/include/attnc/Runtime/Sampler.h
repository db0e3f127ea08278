//===- Sampler.h - Next-token sampling --------------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Picks the next token from a row of logits: greedy (temperature 0), or a
// draw from softmax(logits / temperature) restricted to the top-k tokens
// and then to the smallest set whose probability reaches top-p, from a
// seeded generator (the same seed gives the same text).
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_SAMPLER_H
#define ATTNC_RUNTIME_SAMPLER_H

#include <cstdint>
#include <random>
#include <vector>

namespace attnc::runtime {

struct SamplingOptions {
  /// 0 picks the most likely token.
  double temperature = 0.0;
  /// Keep the k most likely tokens (0: all).
  int64_t topK = 0;
  /// Keep the most likely tokens up to this cumulative probability (1: all).
  double topP = 1.0;
  uint64_t seed = 0;
};

class Sampler {
public:
  explicit Sampler(const SamplingOptions &options)
      : options(options), generator(options.seed) {}

  /// The next token of `logits` [vocab].
  int32_t sample(const float *logits, int64_t vocab);

private:
  SamplingOptions options;
  std::mt19937_64 generator;
};

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_SAMPLER_H
