//===- ModelConfig.h - Hugging Face model configurations --------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The two model families attnc compiles, read from a Hugging Face
// `config.json`: GPT-2 (`model_type: gpt2`: learned positions, LayerNorm,
// GELU (tanh), Conv1D weights stored [in, out], tied lm_head) and Llama
// (`model_type: llama`: RoPE, RMSNorm, SwiGLU, GQA). A config that asks for
// something attnc does not implement (another model_type, RoPE scaling,
// another activation, cross-attention, ...) is an error naming the field,
// never a silently different model.
//
// The config also says which tensors the weights must hold, with which
// shapes; checkWeights() verifies a WeightSet against that list.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_MODELCONFIG_H
#define ATTNC_RUNTIME_MODELCONFIG_H

#include "attnc/Runtime/Error.h"
#include "attnc/Runtime/SafeTensors.h"

#include <cstdint>
#include <string>
#include <vector>

namespace attnc::runtime {

enum class ModelFamily : uint8_t { Gpt2, Llama };

/// Hugging Face's `rope_scaling` (Llama only): none, `linear`, or `llama3`
/// (Llama 3.1/3.2).
enum class RopeScalingType : uint8_t { None, Linear, Llama3 };

struct RopeScalingConfig {
  RopeScalingType type = RopeScalingType::None;
  double factor = 1.0;
  /// llama3 only.
  double lowFreqFactor = 1.0;
  double highFreqFactor = 4.0;
  int64_t originalMaxPositions = 8192;
};

struct ModelConfig {
  ModelFamily family = ModelFamily::Gpt2;
  int64_t vocabSize = 0;
  int64_t hiddenSize = 0;
  int64_t numLayers = 0;
  int64_t numHeads = 0;
  int64_t numKVHeads = 0;
  int64_t headDim = 0;
  int64_t intermediateSize = 0;
  int64_t maxPositions = 0;
  double normEps = 1e-5;
  /// Llama only.
  double ropeTheta = 10000.0;
  RopeScalingConfig ropeScaling;
  bool tiedEmbeddings = true;
  /// Llama's q/k/v/o projections have biases (GPT-2's always do).
  bool attentionBias = false;
  int64_t bosTokenId = -1;
  std::vector<int64_t> eosTokenIds;

  /// Reads and validates `directory`/config.json.
  static Expected<ModelConfig> fromDirectory(const std::string &directory);
  /// Validates a parsed config.json (`source` names it in errors).
  static Expected<ModelConfig> fromJson(const std::string &text,
                                        const std::string &source);

  /// "gpt2" or "llama".
  std::string_view getModelType() const;
};

/// One tensor the weights must hold.
struct WeightSpec {
  std::string name;
  std::vector<int64_t> shape;
};

/// The tensors of `config`'s model under Hugging Face's names (without a
/// prefix such as "transformer."), in layer order.
std::vector<WeightSpec> getWeightSpecs(const ModelConfig &config);

/// Checks that `weights` holds every tensor of getWeightSpecs(config) with
/// its shape and a float dtype (F32, F16, BF16). GPT-2 checkpoints may name
/// them with a "transformer." prefix; the prefix found is returned.
Expected<std::string> checkWeights(const ModelConfig &config,
                                   const WeightSet &weights);

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_MODELCONFIG_H
