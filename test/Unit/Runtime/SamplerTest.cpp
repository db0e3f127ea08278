//===- SamplerTest.cpp - Tests of next-token sampling ---------------------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

using namespace attnc::runtime;

namespace {

TEST(SamplerTest, GreedyPicksTheLargestLogit) {
  float logits[] = {0.5f, 2.0f, -1.0f, 1.9f};
  Sampler sampler({});
  EXPECT_EQ(sampler.sample(logits, 4), 1);
}

TEST(SamplerTest, TopKOneIsGreedy) {
  float logits[] = {0.5f, 2.0f, -1.0f, 1.9f};
  SamplingOptions options;
  options.temperature = 5.0;
  options.topK = 1;
  Sampler sampler(options);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(sampler.sample(logits, 4), 1);
}

TEST(SamplerTest, TopPKeepsTheSmallestLikelySet) {
  // Probabilities ~ 0.6, 0.3, 0.1 (logits are their logs): top-p 0.8 keeps
  // the first two, so token 2 is never drawn.
  float logits[] = {std::log(0.6f), std::log(0.3f), std::log(0.1f)};
  SamplingOptions options;
  options.temperature = 1.0;
  options.topP = 0.8;
  Sampler sampler(options);
  std::map<int32_t, int> counts;
  for (int i = 0; i < 3000; ++i)
    ++counts[sampler.sample(logits, 3)];
  EXPECT_EQ(counts[2], 0);
  // The kept probabilities renormalise to 2/3 and 1/3 (within 5 sigma).
  EXPECT_NEAR(counts[0] / 3000.0, 2.0 / 3.0, 5 * std::sqrt(2.0 / 9 / 3000));
}

TEST(SamplerTest, TemperatureSamplesFollowTheSoftmax) {
  float logits[] = {1.0f, 0.0f};
  SamplingOptions options;
  options.temperature = 0.5; // p0 = e^2 / (e^2 + 1)
  Sampler sampler(options);
  int zeros = 0, draws = 20000;
  for (int i = 0; i < draws; ++i)
    zeros += sampler.sample(logits, 2) == 0;
  double p0 = std::exp(2.0) / (std::exp(2.0) + 1.0);
  EXPECT_NEAR(zeros / double(draws), p0,
              5 * std::sqrt(p0 * (1 - p0) / draws));
}

TEST(SamplerTest, SameSeedSameTokens) {
  float logits[] = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
  SamplingOptions options;
  options.temperature = 1.0;
  options.seed = 42;
  Sampler a(options), b(options);
  options.seed = 43;
  Sampler c(options);
  bool differs = false;
  for (int i = 0; i < 200; ++i) {
    int32_t x = a.sample(logits, 5);
    EXPECT_EQ(x, b.sample(logits, 5));
    differs |= x != c.sample(logits, 5);
  }
  EXPECT_TRUE(differs);
}

} // namespace
