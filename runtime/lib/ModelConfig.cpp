//===- ModelConfig.cpp - Hugging Face model configurations ------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/ModelConfig.h"

#include "attnc/Runtime/Json.h"
#include "attnc/Runtime/Text.h"

#include <cmath>
#include <optional>

using namespace attnc::runtime;

namespace {

/// Reads fields of one config object, collecting the first error.
class ConfigReader {
public:
  ConfigReader(const JsonValue &json, const std::string &source)
      : json(json), source(source) {}

  /// A positive integer field of at most 2^24 (no size of a real model is
  /// larger, and products of three such sizes cannot overflow int64);
  /// `fallback` < 0 makes it required. After a failure it returns 1, so that
  /// reading can go on without negative or overflowing sizes.
  int64_t positive(std::string_view key, int64_t fallback = -1) {
    constexpr int64_t kMaxSize = int64_t(1) << 24;
    const JsonValue *value = json.find(key);
    if (!value || value->isNull()) {
      if (fallback >= 0)
        return fallback;
      fail("missing required field '" + std::string(key) + "'");
      return 1;
    }
    if (!value->getInteger() || *value->getInteger() <= 0) {
      fail("'" + std::string(key) + "' must be a positive integer");
      return 1;
    }
    if (*value->getInteger() > kMaxSize) {
      fail("'" + std::string(key) + "' is " +
           std::to_string(*value->getInteger()) + ", more than the " +
           std::to_string(kMaxSize) + " attnc accepts");
      return 1;
    }
    return *value->getInteger();
  }

  /// A layer count: positive, and at most 65536 (models have a few hundred
  /// at most), so that a corrupt config cannot make the per-layer lists
  /// exhaust memory or time.
  int64_t layers(std::string_view key) {
    constexpr int64_t kMaxLayers = 65536;
    int64_t count = positive(key);
    if (count <= kMaxLayers)
      return count;
    fail("'" + std::string(key) + "' is " + std::to_string(count) +
         ", more than the " + std::to_string(kMaxLayers) +
         " layers attnc accepts");
    return 1;
  }

  double number(std::string_view key, double fallback) {
    const JsonValue *value = json.find(key);
    if (!value || value->isNull())
      return fallback;
    if (!value->isNumber() || value->getNumber() <= 0) {
      fail("'" + std::string(key) + "' must be a positive number");
      return fallback;
    }
    return value->getNumber();
  }

  /// A positive number that null turns off (0), `absent` when missing.
  double numberOrNull(std::string_view key, double absent) {
    const JsonValue *value = json.find(key);
    if (!value)
      return absent;
    if (value->isNull())
      return 0;
    return number(key, absent);
  }

  /// A positive integer that null turns off (0), `absent` when missing.
  int64_t positiveOrNull(std::string_view key, int64_t absent) {
    const JsonValue *value = json.find(key);
    if (!value)
      return absent;
    if (value->isNull())
      return 0;
    return positive(key, absent);
  }

  bool boolean(std::string_view key, bool fallback) {
    const JsonValue *value = json.find(key);
    if (!value || value->isNull())
      return fallback;
    if (!value->isBool()) {
      fail("'" + std::string(key) + "' must be true or false");
      return fallback;
    }
    return value->getBool();
  }

  std::string string(std::string_view key, std::string fallback) {
    const JsonValue *value = json.find(key);
    if (!value || value->isNull())
      return fallback;
    if (!value->isString()) {
      fail("'" + std::string(key) + "' must be a string");
      return fallback;
    }
    return value->getString();
  }

  /// An integer or a list of integers (eos_token_id may be either).
  std::vector<int64_t> ids(std::string_view key) {
    const JsonValue *value = json.find(key);
    std::vector<int64_t> out;
    if (!value || value->isNull())
      return out;
    if (value->getInteger()) {
      out.push_back(*value->getInteger());
      return out;
    }
    if (value->isArray()) {
      for (const JsonValue &element : value->getElements()) {
        if (!element.getInteger()) {
          fail("'" + std::string(key) + "' must hold integer token ids");
          return {};
        }
        out.push_back(*element.getInteger());
      }
      return out;
    }
    fail("'" + std::string(key) + "' must be a token id or a list of them");
    return out;
  }

  /// Fails unless the field is absent, null, or `allowed`.
  void mustBe(std::string_view key, const JsonValue &allowed,
              std::string_view why) {
    const JsonValue *value = json.find(key);
    if (!value || value->isNull())
      return;
    bool same =
        value->getKind() == allowed.getKind() &&
        ((value->isBool() && value->getBool() == allowed.getBool()) ||
         (value->isString() && value->getString() == allowed.getString()));
    if (!same)
      fail("unsupported '" + std::string(key) + "': " + std::string(why));
  }

  void fail(const std::string &what) {
    if (!error)
      error = Error::failure("'" + source + "': " + what);
  }

  /// Keeps `other` (a nested object's reader's error) unless this reader
  /// failed first.
  void adopt(Error other) {
    if (!error && other)
      error = std::move(other);
  }

  Error takeError() { return error ? std::move(*error) : Error::success(); }

private:
  const JsonValue &json;
  const std::string &source;
  std::optional<Error> error;
};

std::optional<ModelFamily> getDecoderFamily(std::string_view type) {
  if (type == "llama")
    return ModelFamily::Llama;
  if (type == "qwen2")
    return ModelFamily::Qwen2;
  if (type == "qwen3")
    return ModelFamily::Qwen3;
  if (type == "mistral")
    return ModelFamily::Mistral;
  if (type == "gemma2")
    return ModelFamily::Gemma2;
  return std::nullopt;
}

/// Reads `rope_scaling` (or, in transformers 5 configs, `rope_parameters`,
/// which also holds rope_theta) into `config`.
void readRopeScaling(const JsonValue &json, ConfigReader &read,
                     const std::string &source, ModelConfig &config) {
  std::string key = "rope_scaling";
  const JsonValue *scaling = json.find(key);
  if (!scaling || scaling->isNull()) {
    key = "rope_parameters";
    scaling = json.find(key);
  }
  if (!scaling || scaling->isNull())
    return;
  if (!scaling->isObject()) {
    read.fail("'" + key + "' must be an object or null");
    return;
  }
  std::string scalingSource = source + "', field '" + key;
  ConfigReader fields(*scaling, scalingSource);
  if (key == "rope_parameters")
    config.ropeTheta = fields.number("rope_theta", config.ropeTheta);
  // transformers reads "rope_type", and "type" in older configs.
  std::string kind = fields.string("rope_type", "");
  if (kind.empty())
    kind = fields.string("type", "");
  RopeScalingConfig &rope = config.ropeScaling;
  if (kind == "linear") {
    rope.type = RopeScalingType::Linear;
    rope.factor = fields.number("factor", -1);
  } else if (kind == "llama3") {
    rope.type = RopeScalingType::Llama3;
    rope.factor = fields.number("factor", -1);
    rope.lowFreqFactor = fields.number("low_freq_factor", -1);
    rope.highFreqFactor = fields.number("high_freq_factor", -1);
    rope.originalMaxPositions =
        fields.positive("original_max_position_embeddings");
    if (rope.highFreqFactor <= rope.lowFreqFactor)
      fields.fail("'high_freq_factor' must exceed 'low_freq_factor'");
  } else if (kind != "default" && !(kind.empty() && key == "rope_parameters")) {
    fields.fail("unsupported rope type '" + kind +
                "' (attnc implements linear and llama3; dynamic, yarn, "
                "longrope and others are not implemented)");
  }
  if (rope.factor < 0)
    fields.fail("missing required field 'factor'");
  if (rope.lowFreqFactor < 0 || rope.highFreqFactor < 0)
    fields.fail("llama3 scaling needs 'low_freq_factor' and "
                "'high_freq_factor'");
  read.adopt(fields.takeError());
}

/// Reads `layer_types` ("full_attention" / "sliding_attention" per layer)
/// when the config has it; `sliding` says whether the family implements
/// sliding-window layers.
void readLayerTypes(const JsonValue &json, ConfigReader &read,
                    ModelConfig &config, bool sliding) {
  const JsonValue *types = json.find("layer_types");
  if (!types || types->isNull())
    return;
  if (!types->isArray() ||
      static_cast<int64_t>(types->getElements().size()) != config.numLayers) {
    read.fail("'layer_types' must list the " +
              std::to_string(config.numLayers) + " layers' attention types");
    return;
  }
  config.slidingLayers.clear();
  for (const JsonValue &type : types->getElements()) {
    std::string name = type.isString() ? type.getString() : "";
    if (name == "sliding_attention" && sliding && config.slidingWindow > 0) {
      config.slidingLayers.push_back(true);
    } else if (name == "full_attention" ||
               (name == "sliding_attention" && sliding)) {
      config.slidingLayers.push_back(false);
    } else {
      read.fail("unsupported 'layer_types' entry '" + name +
                "' (attnc implements full_attention" +
                (sliding ? " and sliding_attention" : "") + " layers for " +
                std::string(config.getModelType()) + ")");
      return;
    }
  }
}

/// The fields of the Llama-style decoders (llama, qwen2, qwen3, mistral,
/// gemma2), with the defaults of transformers' config classes.
void readDecoder(const JsonValue &json, ConfigReader &read,
                 const std::string &source, ModelConfig &config) {
  ModelFamily family = config.family;
  bool gemma = family == ModelFamily::Gemma2;
  config.vocabSize = read.positive("vocab_size");
  config.hiddenSize = read.positive("hidden_size");
  config.numLayers = read.layers("num_hidden_layers");
  config.numHeads = read.positive("num_attention_heads");
  config.numKVHeads = read.positive("num_key_value_heads", config.numHeads);
  config.intermediateSize = read.positive("intermediate_size");
  config.maxPositions = read.positive("max_position_embeddings");
  config.normEps = read.number("rms_norm_eps", 1e-6);
  config.ropeTheta = read.number("rope_theta", 10000.0);
  config.tiedEmbeddings = read.boolean("tie_word_embeddings", gemma);
  // head_dim: Qwen3 and Gemma 2 have their own defaults; 0 derives it
  // from the hidden size.
  int64_t headDim = family == ModelFamily::Qwen3    ? 128
                    : family == ModelFamily::Gemma2 ? 256
                                                    : 0;
  const JsonValue *headDimField = json.find("head_dim");
  if (headDimField && !headDimField->isNull())
    headDim = read.positive("head_dim");
  config.headDim = headDim;
  switch (family) {
  case ModelFamily::Qwen2:
    // Qwen2's q/k/v projections always have biases, o_proj never.
    config.attentionBias = true;
    break;
  case ModelFamily::Mistral:
    break;
  default:
    config.attentionBias = config.outputBias =
        read.boolean("attention_bias", false);
    break;
  }
  config.qkNorm = family == ModelFamily::Qwen3;
  if (family == ModelFamily::Qwen2 || family == ModelFamily::Qwen3)
    read.mustBe("use_sliding_window", JsonValue::makeBool(false),
                "sliding-window layers of Qwen models are not implemented");
  if (gemma) {
    read.mustBe("hidden_activation", JsonValue::makeString("gelu_pytorch_tanh"),
                "only gelu_pytorch_tanh (GeGLU with the tanh approximation) "
                "is implemented");
    config.activation = MlpActivation::GeluTanh;
    config.gemmaNorms = true;
    config.attentionScale =
        1.0 / std::sqrt(read.number("query_pre_attn_scalar", 256));
    config.attentionSoftcap = read.numberOrNull("attn_logit_softcapping", 50);
    config.finalSoftcap = read.numberOrNull("final_logit_softcapping", 30);
    config.slidingWindow = read.positiveOrNull("sliding_window", 4096);
    // Layers 0, 2, 4, ... slide, as transformers' Gemma2Config says.
    for (int64_t layer = 0; layer < config.numLayers; ++layer)
      config.slidingLayers.push_back(config.slidingWindow > 0 &&
                                     layer % 2 == 0);
  } else {
    read.mustBe("hidden_act", JsonValue::makeString("silu"),
                "only silu (SwiGLU) is implemented");
  }
  if (family == ModelFamily::Mistral) {
    config.slidingWindow = read.positiveOrNull("sliding_window", 4096);
    config.slidingLayers.assign(config.numLayers, config.slidingWindow > 0);
  }
  read.mustBe("mlp_bias", JsonValue::makeBool(false),
              "MLP biases are not implemented");
  readLayerTypes(json, read, config, family == ModelFamily::Mistral || gemma);
  readRopeScaling(json, read, source, config);
}

} // namespace

std::string_view ModelConfig::getModelType() const {
  switch (family) {
  case ModelFamily::Gpt2:
    return "gpt2";
  case ModelFamily::Llama:
    return "llama";
  case ModelFamily::Qwen2:
    return "qwen2";
  case ModelFamily::Qwen3:
    return "qwen3";
  case ModelFamily::Mistral:
    return "mistral";
  case ModelFamily::Gemma2:
    return "gemma2";
  }
  return "";
}

Expected<ModelConfig> ModelConfig::fromDirectory(const std::string &directory) {
  std::string path = directory + "/config.json";
  auto text = readFile(path);
  if (!text)
    return text.takeError();
  return fromJson(*text, path);
}

Expected<ModelConfig> ModelConfig::fromJson(const std::string &text,
                                            const std::string &source) {
  auto json = parseJson(text);
  if (!json)
    return Error::failure("'" + source + "': " + json.getError().getMessage());
  if (!json->isObject())
    return Error::failure("'" + source + "': expected a JSON object");
  ConfigReader read(*json, source);
  ModelConfig config;
  std::string type = read.string("model_type", "");
  if (type == "gpt2") {
    config.family = ModelFamily::Gpt2;
    config.vocabSize = read.positive("vocab_size");
    config.hiddenSize = read.positive("n_embd");
    config.numLayers = read.layers("n_layer");
    config.numHeads = read.positive("n_head");
    config.numKVHeads = config.numHeads;
    config.maxPositions = read.positive("n_positions");
    config.intermediateSize = read.positive("n_inner", 4 * config.hiddenSize);
    config.normEps = read.number("layer_norm_epsilon", 1e-5);
    config.tiedEmbeddings = read.boolean("tie_word_embeddings", true);
    config.attentionBias = config.outputBias = true;
    read.mustBe("activation_function", JsonValue::makeString("gelu_new"),
                "only gelu_new (GELU with the tanh approximation) is "
                "implemented");
    read.mustBe("add_cross_attention", JsonValue::makeBool(false),
                "cross-attention blocks are not implemented");
    read.mustBe("scale_attn_by_inverse_layer_idx", JsonValue::makeBool(false),
                "per-layer attention scaling is not implemented");
    read.mustBe("scale_attn_weights", JsonValue::makeBool(true),
                "unscaled attention is not implemented");
  } else if (std::optional<ModelFamily> family = getDecoderFamily(type)) {
    config.family = *family;
    readDecoder(*json, read, source, config);
  } else if (type.empty()) {
    read.fail("missing required field 'model_type'");
  } else {
    read.fail("unsupported model_type '" + type +
              "' (attnc compiles gpt2, llama, qwen2, qwen3, mistral and "
              "gemma2)");
  }
  if (Error error = read.takeError())
    return error;

  if (config.headDim == 0) {
    if (config.hiddenSize % config.numHeads != 0)
      return Error::failure("'" + source + "': the hidden size " +
                            std::to_string(config.hiddenSize) +
                            " is not a multiple of the " +
                            std::to_string(config.numHeads) + " heads");
    config.headDim = config.hiddenSize / config.numHeads;
  }
  if (config.family != ModelFamily::Gpt2 && config.headDim % 2 != 0)
    return Error::failure("'" + source +
                          "': RoPE needs an even head dim, "
                          "got " +
                          std::to_string(config.headDim));
  if (config.numHeads % config.numKVHeads != 0)
    return Error::failure("'" + source +
                          "': " + std::to_string(config.numHeads) +
                          " attention heads are not a multiple of " +
                          std::to_string(config.numKVHeads) + " KV heads");
  config.bosTokenId =
      read.ids("bos_token_id").empty() ? -1 : read.ids("bos_token_id").front();
  config.eosTokenIds = read.ids("eos_token_id");
  if (Error error = read.takeError())
    return error;
  for (int64_t id : config.eosTokenIds)
    if (id < 0 || id >= config.vocabSize)
      return Error::failure("'" + source + "': eos_token_id " +
                            std::to_string(id) + " is outside the " +
                            std::to_string(config.vocabSize) +
                            "-token vocabulary");
  return config;
}

std::vector<WeightSpec>
attnc::runtime::getLayerWeightSpecs(const ModelConfig &config, int64_t layer) {
  std::vector<WeightSpec> specs;
  int64_t e = config.hiddenSize, i = config.intermediateSize;
  auto add = [&](std::string name, std::vector<int64_t> shape) {
    specs.push_back({std::move(name), std::move(shape)});
  };
  if (config.family == ModelFamily::Gpt2) {
    std::string p = "h." + std::to_string(layer) + ".";
    add(p + "ln_1.weight", {e});
    add(p + "ln_1.bias", {e});
    // Conv1D: [in, out].
    add(p + "attn.c_attn.weight", {e, 3 * e});
    add(p + "attn.c_attn.bias", {3 * e});
    add(p + "attn.c_proj.weight", {e, e});
    add(p + "attn.c_proj.bias", {e});
    add(p + "ln_2.weight", {e});
    add(p + "ln_2.bias", {e});
    add(p + "mlp.c_fc.weight", {e, i});
    add(p + "mlp.c_fc.bias", {i});
    add(p + "mlp.c_proj.weight", {i, e});
    add(p + "mlp.c_proj.bias", {e});
    return specs;
  }
  int64_t q = config.numHeads * config.headDim;
  int64_t kv = config.numKVHeads * config.headDim;
  std::string p = "model.layers." + std::to_string(layer) + ".";
  add(p + "input_layernorm.weight", {e});
  // nn.Linear: [out, in].
  add(p + "self_attn.q_proj.weight", {q, e});
  add(p + "self_attn.k_proj.weight", {kv, e});
  add(p + "self_attn.v_proj.weight", {kv, e});
  add(p + "self_attn.o_proj.weight", {e, q});
  if (config.attentionBias) {
    add(p + "self_attn.q_proj.bias", {q});
    add(p + "self_attn.k_proj.bias", {kv});
    add(p + "self_attn.v_proj.bias", {kv});
  }
  if (config.outputBias)
    add(p + "self_attn.o_proj.bias", {e});
  if (config.qkNorm) {
    add(p + "self_attn.q_norm.weight", {config.headDim});
    add(p + "self_attn.k_norm.weight", {config.headDim});
  }
  // Gemma 2: post_attention_layernorm normalises the attention's output,
  // pre_feedforward_layernorm the MLP's input.
  add(p + "post_attention_layernorm.weight", {e});
  if (config.gemmaNorms)
    add(p + "pre_feedforward_layernorm.weight", {e});
  add(p + "mlp.gate_proj.weight", {i, e});
  add(p + "mlp.up_proj.weight", {i, e});
  add(p + "mlp.down_proj.weight", {e, i});
  if (config.gemmaNorms)
    add(p + "post_feedforward_layernorm.weight", {e});
  return specs;
}

std::vector<WeightSpec>
attnc::runtime::getWeightSpecs(const ModelConfig &config) {
  std::vector<WeightSpec> specs;
  int64_t e = config.hiddenSize, v = config.vocabSize;
  auto add = [&](std::string name, std::vector<int64_t> shape) {
    specs.push_back({std::move(name), std::move(shape)});
  };
  auto addLayers = [&] {
    for (int64_t l = 0; l < config.numLayers; ++l)
      for (WeightSpec &spec : getLayerWeightSpecs(config, l))
        specs.push_back(std::move(spec));
  };
  if (config.family == ModelFamily::Gpt2) {
    add("wte.weight", {v, e});
    add("wpe.weight", {config.maxPositions, e});
    addLayers();
    add("ln_f.weight", {e});
    add("ln_f.bias", {e});
  } else {
    add("model.embed_tokens.weight", {v, e});
    addLayers();
    add("model.norm.weight", {e});
  }
  if (!config.tiedEmbeddings)
    add("lm_head.weight", {v, e});
  return specs;
}

Expected<std::string> attnc::runtime::checkWeights(const ModelConfig &config,
                                                   const WeightSet &weights) {
  std::vector<WeightSpec> specs = getWeightSpecs(config);
  std::string prefix;
  if (config.family == ModelFamily::Gpt2 && !weights.find(specs[0].name) &&
      weights.find("transformer." + specs[0].name))
    prefix = "transformer.";
  for (const WeightSpec &spec : specs) {
    // GPT-2's untied lm_head sits outside the "transformer." prefix.
    std::string name =
        spec.name == "lm_head.weight" ? spec.name : prefix + spec.name;
    auto tensor = weights.getFloat(name, spec.shape);
    if (!tensor)
      return tensor.takeError();
  }
  return prefix;
}
