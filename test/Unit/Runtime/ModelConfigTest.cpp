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
  EXPECT_EQ(configError(R"({"model_type": "mistral"})"),
            "'config.json': unsupported model_type 'mistral' (attnc compiles "
            "gpt2 and llama)");
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
