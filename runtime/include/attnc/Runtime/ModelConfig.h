//===- ModelConfig.h - Hugging Face model configurations --------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The model families attnc compiles, read from a Hugging Face
// `config.json`: GPT-2 (`model_type: gpt2`: learned positions, LayerNorm,
// GELU (tanh), Conv1D weights stored [in, out], tied lm_head), and the
// Llama-style decoders (RoPE, RMSNorm, gated MLP, GQA, torch [out, in]
// weights): Llama (`llama`), Qwen2/Qwen2.5 (`qwen2`: q/k/v biases), Qwen3
// (`qwen3`: per-head RMSNorm of q and k before RoPE), Mistral (`mistral`:
// sliding-window attention) and Gemma 2 (`gemma2`: scaled embeddings,
// (1 + w) RMSNorms around attention and MLP, GeGLU, soft-capping,
// alternating sliding-window and global layers). A config that asks for
// something attnc does not implement (another model_type, an unknown RoPE
// scaling, another activation, cross-attention, ...) is an error naming the
// field, never a silently different model.
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

enum class ModelFamily : uint8_t { Gpt2, Llama, Qwen2, Qwen3, Mistral, Gemma2 };

/// The gated MLP's activation: silu (SwiGLU) or GELU with the tanh
/// approximation (GeGLU, Gemma's gelu_pytorch_tanh).
enum class MlpActivation : uint8_t { Silu, GeluTanh };

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
  /// The q/k/v projections have biases (GPT-2's always do; Qwen2's too).
  bool attentionBias = false;
  /// The o projection has a bias (Llama/Qwen3/Gemma 2 `attention_bias`;
  /// not Qwen2's).
  bool outputBias = false;
  /// Qwen3: RMSNorm of every query and key head (gains `q_norm`/`k_norm`
  /// of head_dim) before RoPE.
  bool qkNorm = false;
  /// Keys a query sees in a sliding-window layer: positions p - W + 1 .. p
  /// (0: no sliding window).
  int64_t slidingWindow = 0;
  /// Which layers attend through the sliding window (empty: none).
  std::vector<bool> slidingLayers;
  MlpActivation activation = MlpActivation::Silu;
  /// Gemma 2: RMSNorm gains are (1 + w); embeddings are multiplied by
  /// sqrt(hidden_size) (rounded to the activations' type); the attention
  /// and MLP outputs are RMS-normalised (post_attention_layernorm,
  /// post_feedforward_layernorm) before their residual adds, and the MLP's
  /// input norm is pre_feedforward_layernorm.
  bool gemmaNorms = false;
  /// The attention's softmax scale (0: 1/sqrt(head_dim)); Gemma 2:
  /// query_pre_attn_scalar^-1/2.
  double attentionScale = 0;
  /// tanh soft-capping of the attention scores and of the final logits
  /// (0: none).
  double attentionSoftcap = 0;
  double finalSoftcap = 0;
  int64_t bosTokenId = -1;
  std::vector<int64_t> eosTokenIds;

  /// Reads and validates `directory`/config.json.
  static Expected<ModelConfig> fromDirectory(const std::string &directory);
  /// Validates a parsed config.json (`source` names it in errors).
  static Expected<ModelConfig> fromJson(const std::string &text,
                                        const std::string &source);

  /// The config's model_type: "gpt2", "llama", "qwen2", "qwen3", "mistral"
  /// or "gemma2".
  std::string_view getModelType() const;
  /// Whether `layer` attends through the sliding window.
  bool isSlidingLayer(int64_t layer) const {
    return layer < static_cast<int64_t>(slidingLayers.size()) &&
           slidingLayers[layer];
  }
};

/// One tensor the weights must hold.
struct WeightSpec {
  std::string name;
  std::vector<int64_t> shape;
};

/// The tensors of `config`'s model under Hugging Face's names (without a
/// prefix such as "transformer."), in layer order.
std::vector<WeightSpec> getWeightSpecs(const ModelConfig &config);

/// The tensors of layer `layer` in the order getWeightSpecs lists them:
/// the order of the compiled @block's weight arguments.
std::vector<WeightSpec> getLayerWeightSpecs(const ModelConfig &config,
                                            int64_t layer);

/// Checks that `weights` holds every tensor of getWeightSpecs(config) with
/// its shape and a float dtype (F32, F16, BF16). GPT-2 checkpoints may name
/// them with a "transformer." prefix; the prefix found is returned.
Expected<std::string> checkWeights(const ModelConfig &config,
                                   const WeightSet &weights);

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_MODELCONFIG_H
