//===- Sampler.cpp - Next-token sampling ------------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Sampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace attnc::runtime;

int32_t Sampler::sample(const float *logits, int64_t vocab) {
  if (options.temperature <= 0.0)
    return static_cast<int32_t>(std::max_element(logits, logits + vocab) -
                                logits);
  // Candidates by decreasing logit (ties: lower id first), cut to top-k.
  std::vector<int32_t> order(static_cast<size_t>(vocab));
  std::iota(order.begin(), order.end(), 0);
  int64_t keep = options.topK > 0 ? std::min(options.topK, vocab) : vocab;
  auto byLogit = [&](int32_t a, int32_t b) {
    return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
  };
  std::partial_sort(order.begin(), order.begin() + keep, order.end(), byLogit);
  order.resize(static_cast<size_t>(keep));

  // Softmax of logits / temperature over the candidates (in double).
  std::vector<double> probabilities(order.size());
  double top = logits[order.front()] / options.temperature, total = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    probabilities[i] = std::exp(logits[order[i]] / options.temperature - top);
    total += probabilities[i];
  }
  // Top-p: the shortest prefix whose probability reaches p.
  double cumulative = 0;
  size_t cut = order.size();
  for (size_t i = 0; i < order.size(); ++i) {
    cumulative += probabilities[i] / total;
    if (cumulative >= options.topP) {
      cut = i + 1;
      break;
    }
  }
  std::discrete_distribution<size_t> draw(probabilities.begin(),
                                          probabilities.begin() + cut);
  return order[draw(generator)];
}
