//===- ModelConfigTest.cpp - Tests of config.json and weight checks -------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "TestFiles.h"

#include "attnc/Runtime/ModelConfig.h"

#include <gtest/gtest.h>

using namespace attnc::runtime;
using attnc::runtime::test::TempDirTest;

namespace {

const char *kGpt2 = R"({"model_type": "gpt2", "vocab_size": 50257,
  "n_positions": 1024, "n_embd": 768, "n_layer": 12, "n_head": 12,
  "n_inner": null, "activation_function": "gelu_new",
  "layer_norm_epsilon": 1e-05, "bos_token_id": 50256, "eos_token_id": 50256,
  "scale_attn_weights": true})";

const char *kLlama = R"({"model_type": "llama", "vocab_size": 128256,
  "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 16,
  "num_attention_heads": 32, "num_key_value_heads": 8,
  "max_position_embeddings": 131072, "rms_norm_eps": 1e-05,
  "rope_theta": 500000.0, "hidden_act": "silu", "tie_word_embeddings": true,
  "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009]})";

std::string configError(const std::string &json) {
  auto config = ModelConfig::fromJson(json, "config.json");
  EXPECT_FALSE(config) << "accepted " << json;
  return config ? "" : config.getError().getMessage();
}

/// kGpt2 with `replacement` spliced in before the closing brace.
std::string gpt2With(const std::string &extra) {
  std::string json = kGpt2;
  json.insert(json.rfind('}'), ", " + extra);
  return json;
}

TEST(ModelConfigTest, Gpt2Small) {
  auto config = ModelConfig::fromJson(kGpt2, "config.json");
  ASSERT_TRUE(config) << config.getError().getMessage();
  EXPECT_EQ(config->family, ModelFamily::Gpt2);
  EXPECT_EQ(config->getModelType(), "gpt2");
  EXPECT_EQ(config->headDim, 64);
  EXPECT_EQ(config->intermediateSize, 3072);
  EXPECT_EQ(config->numKVHeads, 12);
  EXPECT_TRUE(config->tiedEmbeddings);
  EXPECT_EQ(config->eosTokenIds, std::vector<int64_t>{50256});
  std::vector<WeightSpec> specs = getWeightSpecs(*config);
  ASSERT_EQ(specs.size(), 2 + 12 * 12 + 2u);
  EXPECT_EQ(specs[2].name, "h.0.ln_1.weight");
  EXPECT_EQ(specs[4].name, "h.0.attn.c_attn.weight");
  EXPECT_EQ(specs[4].shape, (std::vector<int64_t>{768, 2304}));
}

TEST(ModelConfigTest, Llama32) {
  auto config = ModelConfig::fromJson(kLlama, "config.json");
  ASSERT_TRUE(config) << config.getError().getMessage();
  EXPECT_EQ(config->family, ModelFamily::Llama);
  EXPECT_EQ(config->headDim, 64);
  EXPECT_EQ(config->numKVHeads, 8);
  EXPECT_DOUBLE_EQ(config->ropeTheta, 500000.0);
  EXPECT_EQ(config->ropeScaling.type, RopeScalingType::None);
  EXPECT_EQ(config->eosTokenIds,
            (std::vector<int64_t>{128001, 128008, 128009}));
  std::vector<WeightSpec> specs = getWeightSpecs(*config);
  EXPECT_EQ(specs[2].name, "model.layers.0.self_attn.q_proj.weight");
  EXPECT_EQ(specs[3].shape, (std::vector<int64_t>{512, 2048}));
  EXPECT_EQ(specs.back().name, "model.norm.weight");
}

TEST(ModelConfigTest, UnsupportedConfigsNameTheField) {
  EXPECT_EQ(configError(R"({"model_type": "phi3"})"),
            "'config.json': unsupported model_type 'phi3' (attnc compiles "
            "gpt2, llama, qwen2, qwen3, mistral and gemma2)");
  EXPECT_EQ(configError(R"({"vocab_size": 3})"),
            "'config.json': missing required field 'model_type'");
  EXPECT_EQ(configError(gpt2With(R"("activation_function": "relu")")),
            "'config.json': unsupported 'activation_function': only gelu_new "
            "(GELU with the tanh approximation) is implemented");
  EXPECT_EQ(configError(gpt2With(R"("add_cross_attention": true)")),
            "'config.json': unsupported 'add_cross_attention': "
            "cross-attention blocks are not implemented");
  auto llamaWithScaling = [](const std::string &scaling) {
    std::string text = kLlama;
    text.insert(text.rfind('}'), ", \"rope_scaling\": " + scaling);
    return text;
  };
  EXPECT_EQ(configError(
                llamaWithScaling(R"({"rope_type": "dynamic", "factor": 2.0})")),
            "'config.json', field 'rope_scaling': unsupported rope type "
            "'dynamic' (attnc implements linear and llama3; dynamic, yarn, "
            "longrope and others are not implemented)");
  EXPECT_EQ(configError(llamaWithScaling(R"({"rope_type": "linear"})")),
            "'config.json', field 'rope_scaling': missing required field "
            "'factor'");
  EXPECT_EQ(configError(
                llamaWithScaling(R"({"rope_type": "llama3", "factor": 32.0})")),
            "'config.json', field 'rope_scaling': missing required field "
            "'original_max_position_embeddings'");
  EXPECT_EQ(
      configError(llamaWithScaling(
          R"({"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 4.0,)"
          R"( "high_freq_factor": 1.0, "original_max_position_embeddings": )"
          R"(8192})")),
      "'config.json', field 'rope_scaling': 'high_freq_factor' must exceed "
      "'low_freq_factor'");
  EXPECT_EQ(configError(llamaWithScaling("[1, 2]")),
            "'config.json': 'rope_scaling' must be an object or null");
  std::string gelu = kLlama;
  gelu.insert(gelu.rfind('}'), R"(, "hidden_act": "gelu")");
  EXPECT_EQ(configError(gelu), "'config.json': unsupported 'hidden_act': "
                               "only silu (SwiGLU) is implemented");
  EXPECT_EQ(configError(R"({"model_type": "gpt2", "vocab_size": 10})"),
            "'config.json': missing required field 'n_embd'");
  EXPECT_EQ(configError(gpt2With(R"("n_head": 7)")),
            "'config.json': the hidden size 768 is not a multiple of the 7 "
            "heads");
  EXPECT_EQ(configError(gpt2With(R"("n_layer": -1)")),
            "'config.json': 'n_layer' must be a positive integer");
  EXPECT_EQ(configError(gpt2With(R"("eos_token_id": 70000)")),
            "'config.json': eos_token_id 70000 is outside the 50257-token "
            "vocabulary");
  std::string groups = kLlama;
  groups.insert(groups.rfind('}'), R"(, "num_key_value_heads": 5)");
  EXPECT_EQ(configError(groups), "'config.json': 32 attention heads are not "
                                 "a multiple of 5 KV heads");
  EXPECT_EQ(configError("[1]"), "'config.json': expected a JSON object");
  EXPECT_EQ(configError("{"), "'config.json': line 1, column 2: expected a "
                              "string key, got the end of the input");
}

class ModelWeightsTest : public TempDirTest {
protected:
  /// A safetensors file holding `specs` as zero F32 tensors.
  void writeWeights(const std::vector<WeightSpec> &specs,
                    const std::string &prefix = "") {
    std::string header = "{", data;
    for (const WeightSpec &spec : specs) {
      int64_t bytes = 4;
      std::string shape;
      for (int64_t d : spec.shape) {
        bytes *= d;
        shape += (shape.empty() ? "" : ", ") + std::to_string(d);
      }
      std::string name =
          spec.name == "lm_head.weight" ? spec.name : prefix + spec.name;
      header += (header.size() > 1 ? ", \"" : "\"") + name +
                "\": {\"dtype\": \"F32\", \"shape\": [" + shape +
                "], \"data_offsets\": [" + std::to_string(data.size()) + ", " +
                std::to_string(data.size() + bytes) + "]}";
      data.append(static_cast<size_t>(bytes), '\0');
    }
    header += "}";
    std::string file;
    for (int i = 0; i < 8; ++i)
      file += char((header.size() >> (8 * i)) & 0xFF);
    writeFile("model.safetensors", file + header + data);
  }

  ModelConfig tinyGpt2() {
    auto config = ModelConfig::fromJson(
        R"({"model_type": "gpt2", "vocab_size": 10, "n_positions": 8,
            "n_embd": 4, "n_layer": 2, "n_head": 2})",
        "config.json");
    EXPECT_TRUE(config);
    return *config;
  }
};

TEST_F(ModelWeightsTest, CompleteWeightsPass) {
  ModelConfig config = tinyGpt2();
  writeWeights(getWeightSpecs(config));
  auto weights = WeightSet::open(dir.string());
  ASSERT_TRUE(weights) << weights.getError().getMessage();
  auto prefix = checkWeights(config, *weights);
  ASSERT_TRUE(prefix) << prefix.getError().getMessage();
  EXPECT_EQ(*prefix, "");
}

TEST_F(ModelWeightsTest, TransformerPrefix) {
  ModelConfig config = tinyGpt2();
  config.tiedEmbeddings = false;
  writeWeights(getWeightSpecs(config), "transformer.");
  auto weights = WeightSet::open(dir.string());
  ASSERT_TRUE(weights);
  auto prefix = checkWeights(config, *weights);
  ASSERT_TRUE(prefix) << prefix.getError().getMessage();
  EXPECT_EQ(*prefix, "transformer.");
}

TEST_F(ModelWeightsTest, MissingAndMisshapenTensorsAreNamed) {
  ModelConfig config = tinyGpt2();
  std::vector<WeightSpec> specs = getWeightSpecs(config);
  std::vector<WeightSpec> missing(specs.begin(), specs.end() - 1);
  writeWeights(missing);
  auto weights = WeightSet::open(dir.string());
  ASSERT_TRUE(weights);
  EXPECT_EQ(checkWeights(config, *weights).getError().getMessage(),
            "missing tensor 'ln_f.bias' in '" + path("model.safetensors") +
                "'");
  specs[4].shape = {12, 4};
  writeWeights(specs);
  weights = WeightSet::open(dir.string());
  ASSERT_TRUE(weights);
  EXPECT_EQ(checkWeights(config, *weights).getError().getMessage(),
            "tensor 'h.0.attn.c_attn.weight' in '" + path("model.safetensors") +
                "' has shape [12, 4]; the config implies [4, 12]");
}

} // namespace

TEST(ModelConfigTest, ReadsRopeScaling) {
  // Llama 3.1's rope_scaling, and the older "type" spelling of linear.
  std::string llama3 = kLlama;
  llama3.insert(llama3.rfind('}'),
                R"(, "rope_scaling": {"rope_type": "llama3", "factor": 8.0,)"
                R"( "low_freq_factor": 1.0, "high_freq_factor": 4.0,)"
                R"( "original_max_position_embeddings": 8192})");
  auto config = ModelConfig::fromJson(llama3, "config.json");
  ASSERT_TRUE(config) << config.getError().getMessage();
  EXPECT_EQ(config->ropeScaling.type, RopeScalingType::Llama3);
  EXPECT_DOUBLE_EQ(config->ropeScaling.factor, 8.0);
  EXPECT_DOUBLE_EQ(config->ropeScaling.lowFreqFactor, 1.0);
  EXPECT_DOUBLE_EQ(config->ropeScaling.highFreqFactor, 4.0);
  EXPECT_EQ(config->ropeScaling.originalMaxPositions, 8192);

  std::string linear = kLlama;
  linear.insert(linear.rfind('}'),
                R"(, "rope_scaling": {"type": "linear", "factor": 2.5})");
  config = ModelConfig::fromJson(linear, "config.json");
  ASSERT_TRUE(config) << config.getError().getMessage();
  EXPECT_EQ(config->ropeScaling.type, RopeScalingType::Linear);
  EXPECT_DOUBLE_EQ(config->ropeScaling.factor, 2.5);
}

namespace {

// The config.json files of Qwen2.5-0.5B, Qwen3-0.6B, Mistral-7B-v0.1 and
// gemma-2-2b (fields that do not matter to the model left out).
const char *kQwen25 = R"({"model_type": "qwen2", "vocab_size": 151936,
  "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 24,
  "num_attention_heads": 14, "num_key_value_heads": 2,
  "max_position_embeddings": 32768, "max_window_layers": 24,
  "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "hidden_act": "silu",
  "sliding_window": 32768, "use_sliding_window": false,
  "tie_word_embeddings": true, "bos_token_id": 151643,
  "eos_token_id": 151643})";

const char *kQwen3 = R"({"model_type": "qwen3", "vocab_size": 151936,
  "hidden_size": 1024, "intermediate_size": 3072, "num_hidden_layers": 28,
  "num_attention_heads": 16, "num_key_value_heads": 8, "head_dim": 128,
  "max_position_embeddings": 40960, "rms_norm_eps": 1e-06,
  "rope_theta": 1000000, "rope_scaling": null, "hidden_act": "silu",
  "attention_bias": false, "sliding_window": null,
  "use_sliding_window": false, "tie_word_embeddings": true,
  "bos_token_id": 151643, "eos_token_id": 151645})";

const char *kMistral = R"({"model_type": "mistral", "vocab_size": 32000,
  "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
  "num_attention_heads": 32, "num_key_value_heads": 8,
  "max_position_embeddings": 32768, "rms_norm_eps": 1e-05,
  "rope_theta": 10000.0, "sliding_window": 4096, "hidden_act": "silu",
  "tie_word_embeddings": false, "bos_token_id": 1, "eos_token_id": 2})";

const char *kGemma2 = R"({"model_type": "gemma2", "vocab_size": 256000,
  "hidden_size": 2304, "intermediate_size": 9216, "num_hidden_layers": 26,
  "num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256,
  "max_position_embeddings": 8192, "rms_norm_eps": 1e-06,
  "rope_theta": 10000.0, "hidden_act": "gelu_pytorch_tanh",
  "hidden_activation": "gelu_pytorch_tanh", "query_pre_attn_scalar": 256,
  "attn_logit_softcapping": 50.0, "final_logit_softcapping": 30.0,
  "sliding_window": 4096, "attention_bias": false,
  "cache_implementation": "hybrid", "bos_token_id": 2,
  "eos_token_id": [1, 107]})";

/// `json` with `extra` spliced in before the closing brace.
std::string with(std::string json, const std::string &extra) {
  json.insert(json.rfind('}'), ", " + extra);
  return json;
}

std::vector<std::string> layerWeightNames(const ModelConfig &config) {
  std::vector<std::string> names;
  for (const WeightSpec &spec : getLayerWeightSpecs(config, 1))
    names.push_back(spec.name);
  return names;
}

} // namespace

TEST(ModelConfigTest, Qwen2) {
  auto config = ModelConfig::fromJson(kQwen25, "config.json");
  ASSERT_TRUE(config) << config.getError().getMessage();
  EXPECT_EQ(config->family, ModelFamily::Qwen2);
  EXPECT_EQ(config->getModelType(), "qwen2");
  EXPECT_EQ(config->headDim, 64);
  EXPECT_TRUE(config->attentionBias);
  EXPECT_FALSE(config->outputBias);
  EXPECT_TRUE(config->tiedEmbeddings);
  EXPECT_EQ(config->slidingWindow, 0);
  std::string p = "model.layers.1.self_attn.";
  EXPECT_EQ(layerWeightNames(*config),
            (std::vector<std::string>{
                "model.layers.1.input_layernorm.weight", p + "q_proj.weight",
                p + "k_proj.weight", p + "v_proj.weight", p + "o_proj.weight",
                p + "q_proj.bias", p + "k_proj.bias", p + "v_proj.bias",
                "model.layers.1.post_attention_layernorm.weight",
                "model.layers.1.mlp.gate_proj.weight",
                "model.layers.1.mlp.up_proj.weight",
                "model.layers.1.mlp.down_proj.weight"}));
  EXPECT_EQ(configError(with(kQwen25, R"("use_sliding_window": true)")),
            "'config.json': unsupported 'use_sliding_window': sliding-window "
            "layers of Qwen models are not implemented");
}

TEST(ModelConfigTest, Qwen3) {
  auto config = ModelConfig::fromJson(kQwen3, "config.json");
  ASSERT_TRUE(config) << config.getError().getMessage();
  EXPECT_EQ(config->family, ModelFamily::Qwen3);
  EXPECT_EQ(config->headDim, 128);
  EXPECT_TRUE(config->qkNorm);
  EXPECT_FALSE(config->attentionBias);
  std::vector<WeightSpec> specs = getLayerWeightSpecs(*config, 0);
  EXPECT_EQ(specs[1].shape, (std::vector<int64_t>{2048, 1024}));
  EXPECT_EQ(specs[4].shape, (std::vector<int64_t>{1024, 2048}));
  EXPECT_EQ(specs[5].name, "model.layers.0.self_attn.q_norm.weight");
  EXPECT_EQ(specs[5].shape, (std::vector<int64_t>{128}));
  EXPECT_EQ(specs[6].name, "model.layers.0.self_attn.k_norm.weight");
  // transformers' Qwen3Config defaults head_dim to 128.
  std::string noHeadDim = kQwen3;
  noHeadDim.erase(noHeadDim.find(R"("head_dim": 128,)"), 17);
  config = ModelConfig::fromJson(with(noHeadDim, R"("hidden_size": 64)"),
                                 "config.json");
  ASSERT_TRUE(config) << config.getError().getMessage();
  EXPECT_EQ(config->headDim, 128);
  EXPECT_EQ(configError(with(kQwen3, R"("hidden_act": "gelu")")),
            "'config.json': unsupported 'hidden_act': only silu (SwiGLU) is "
            "implemented");
}

TEST(ModelConfigTest, Mistral) {
  auto config = ModelConfig::fromJson(kMistral, "config.json");
  ASSERT_TRUE(config) << config.getError().getMessage();
  EXPECT_EQ(config->family, ModelFamily::Mistral);
  EXPECT_EQ(config->headDim, 128);
  EXPECT_EQ(config->slidingWindow, 4096);
  EXPECT_TRUE(config->isSlidingLayer(0));
  EXPECT_TRUE(config->isSlidingLayer(31));
  EXPECT_FALSE(config->attentionBias);
  // Mistral v0.2+: no window.
  config = ModelConfig::fromJson(with(kMistral, R"("sliding_window": null)"),
                                 "config.json");
  ASSERT_TRUE(config) << config.getError().getMessage();
  EXPECT_EQ(config->slidingWindow, 0);
  EXPECT_FALSE(config->isSlidingLayer(0));
}

TEST(ModelConfigTest, Gemma2) {
  auto config = ModelConfig::fromJson(kGemma2, "config.json");
  ASSERT_TRUE(config) << config.getError().getMessage();
  EXPECT_EQ(config->family, ModelFamily::Gemma2);
  EXPECT_EQ(config->headDim, 256);
  EXPECT_TRUE(config->gemmaNorms);
  EXPECT_TRUE(config->tiedEmbeddings);
  EXPECT_EQ(config->activation, MlpActivation::GeluTanh);
  EXPECT_DOUBLE_EQ(config->attentionScale, 1.0 / 16);
  EXPECT_DOUBLE_EQ(config->attentionSoftcap, 50.0);
  EXPECT_DOUBLE_EQ(config->finalSoftcap, 30.0);
  EXPECT_EQ(config->slidingWindow, 4096);
  EXPECT_TRUE(config->isSlidingLayer(0));
  EXPECT_FALSE(config->isSlidingLayer(1));
  EXPECT_TRUE(config->isSlidingLayer(24));
  EXPECT_FALSE(config->isSlidingLayer(25));
  EXPECT_EQ(config->eosTokenIds, (std::vector<int64_t>{1, 107}));
  std::vector<std::string> names = layerWeightNames(*config);
  ASSERT_EQ(names.size(), 11u);
  EXPECT_EQ(names[5], "model.layers.1.post_attention_layernorm.weight");
  EXPECT_EQ(names[6], "model.layers.1.pre_feedforward_layernorm.weight");
  EXPECT_EQ(names[10], "model.layers.1.post_feedforward_layernorm.weight");
  // Soft-capping off.
  config =
      ModelConfig::fromJson(with(kGemma2, R"("attn_logit_softcapping": null, )"
                                          R"("final_logit_softcapping": null)"),
                            "config.json");
  ASSERT_TRUE(config) << config.getError().getMessage();
  EXPECT_EQ(config->attentionSoftcap, 0);
  EXPECT_EQ(config->finalSoftcap, 0);
  // layer_types, as transformers 5 writes them.
  config = ModelConfig::fromJson(
      with(kGemma2, R"("num_hidden_layers": 3, "layer_types": )"
                    R"(["full_attention", "sliding_attention", )"
                    R"("full_attention"])"),
      "config.json");
  ASSERT_TRUE(config) << config.getError().getMessage();
  EXPECT_FALSE(config->isSlidingLayer(0));
  EXPECT_TRUE(config->isSlidingLayer(1));
  EXPECT_EQ(configError(with(kGemma2, R"("hidden_activation": "gelu")")),
            "'config.json': unsupported 'hidden_activation': only "
            "gelu_pytorch_tanh (GeGLU with the tanh approximation) is "
            "implemented");
  EXPECT_EQ(configError(with(kGemma2, R"("num_hidden_layers": 2, )"
                                      R"("layer_types": ["full_attention", )"
                                      R"("chunked_attention"])")),
            "'config.json': unsupported 'layer_types' entry "
            "'chunked_attention' (attnc implements full_attention and "
            "sliding_attention layers for gemma2)");
  EXPECT_EQ(configError(with(kGemma2, R"("query_pre_attn_scalar": 0)")),
            "'config.json': 'query_pre_attn_scalar' must be a positive number");
}
