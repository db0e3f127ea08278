//===- DecoderIR.cpp - the IR of Llama-style decoders ---------------------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "ModelIRTemplates.h"

#include "attnc/Runtime/Float16.h"

#include <cmath>

using namespace ::attnc::runtime;
using mlir::attnc::getWeightStorageName;
using mlir::attnc::WeightStorage;

namespace mlir::attnc::model_ir {
namespace {

/// RMSNorm over the last dim of `%{IN}` [B, S, {E}] into `%{OUT}`, with
/// gain `%{G}`: `{GAIN}` defines the gain used, `{GV}`, from `%g`.
constexpr const char *kRmsNorm = R"(
  %{OUT}_e0 = tensor.empty(%b, %s) : tensor<?x?xf32>
  %{OUT}_z = linalg.fill ins(%zero : f32) outs(%{OUT}_e0 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %{OUT}_sq = linalg.generic {indexing_maps = [#id3, #row3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%{IN} : tensor<?x?x{E}xf32>) outs(%{OUT}_z : tensor<?x?xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %r = arith.addf %acc, %sq : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %{OUT}_e1 = tensor.empty(%b, %s) : tensor<?x?x{E}xf32>
  %{OUT} = linalg.generic {indexing_maps = [#id3, #row3, #vec3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%{IN}, %{OUT}_sq, %{G} : tensor<?x?x{E}xf32>, tensor<?x?xf32>, tensor<{E}xf32>)
      outs(%{OUT}_e1 : tensor<?x?x{E}xf32>) {
  ^bb0(%in: f32, %sqs: f32, %g: f32, %out: f32):
    %ms = arith.divf %sqs, %width : f32
    %ve = arith.addf %ms, %eps : f32
    %rs = math.rsqrt %ve : f32
    %n = arith.mulf %in, %rs : f32{GAIN}
    %r = arith.mulf %n, {GV} : f32
    linalg.yield %r : f32
  } -> tensor<?x?x{E}xf32>
)";

/// The gain of Gemma's RMSNorm: 1 + w (Llama's is w itself).
constexpr const char *kGemmaGain = R"(
    %gone = arith.constant 1.0 : f32
    %gg = arith.addf %g, %gone : f32)";

/// RMSNorm over the head dim of `%{IN}` [B, {HEADS}, S, {D}] into `%{OUT}`
/// with gain `%{G}` [{D}] (Qwen3's q_norm and k_norm); `{DF}` is {D} as a
/// float.
constexpr const char *kHeadRmsNorm = R"(
  %{OUT}_e0 = tensor.empty(%b, %s) : tensor<?x{HEADS}x?xf32>
  %{OUT}_z = linalg.fill ins(%zero : f32) outs(%{OUT}_e0 : tensor<?x{HEADS}x?xf32>) -> tensor<?x{HEADS}x?xf32>
  %{OUT}_sq = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%{IN} : tensor<?x{HEADS}x?x{D}xf32>) outs(%{OUT}_z : tensor<?x{HEADS}x?xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %r = arith.addf %acc, %sq : f32
    linalg.yield %r : f32
  } -> tensor<?x{HEADS}x?xf32>
  %{OUT}_e1 = tensor.empty(%b, %s) : tensor<?x{HEADS}x?x{D}xf32>
  %{OUT} = linalg.generic {indexing_maps = [#id4, #row4, #vec4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%{IN}, %{OUT}_sq, %{G} : tensor<?x{HEADS}x?x{D}xf32>, tensor<?x{HEADS}x?xf32>, tensor<{D}xf32>)
      outs(%{OUT}_e1 : tensor<?x{HEADS}x?x{D}xf32>) {
  ^bb0(%in: f32, %sqs: f32, %g: f32, %out: f32):
    %hw = arith.constant {DF} : f32
    %ms = arith.divf %sqs, %hw : f32
    %ve = arith.addf %ms, %eps : f32
    %rs = math.rsqrt %ve : f32
    %n = arith.mulf %in, %rs : f32
    %r = arith.mulf %n, %g : f32
    linalg.yield %r : f32
  } -> tensor<?x{HEADS}x?x{D}xf32>
)";

/// The `scaling(...)` clause of the RoPE epilogue for `scaling` (with a
/// leading space), or nothing.
std::string ropeScalingClause(const RopeScalingConfig &scaling) {
  switch (scaling.type) {
  case RopeScalingType::None:
    return "";
  case RopeScalingType::Linear:
    return " scaling(linear factor(" + formatFloat(scaling.factor) + "))";
  case RopeScalingType::Llama3:
    return " scaling(llama3 factor(" + formatFloat(scaling.factor) +
           ") low_freq_factor(" + formatFloat(scaling.lowFreqFactor) +
           ") high_freq_factor(" + formatFloat(scaling.highFreqFactor) +
           ") original_max_positions(" +
           formatFloat(static_cast<double>(scaling.originalMaxPositions)) +
           "))";
  }
  return "";
}

/// The SSA name of each @block weight argument of the Llama-style decoders,
/// by its Hugging Face name after "model.layers.N.".
const std::map<std::string, std::string> kDecoderArgNames = {
    {"input_layernorm.weight", "in_norm"},
    {"self_attn.q_proj.weight", "w_q"},
    {"self_attn.k_proj.weight", "w_k"},
    {"self_attn.v_proj.weight", "w_v"},
    {"self_attn.o_proj.weight", "w_o"},
    {"self_attn.q_proj.bias", "b_q"},
    {"self_attn.k_proj.bias", "b_k"},
    {"self_attn.v_proj.bias", "b_v"},
    {"self_attn.o_proj.bias", "b_o"},
    {"self_attn.q_norm.weight", "q_norm"},
    {"self_attn.k_norm.weight", "k_norm"},
    {"post_attention_layernorm.weight", "post_norm"},
    {"pre_feedforward_layernorm.weight", "pre_ff_norm"},
    {"mlp.gate_proj.weight", "w_gate"},
    {"mlp.up_proj.weight", "w_up"},
    {"mlp.down_proj.weight", "w_down"},
    {"post_feedforward_layernorm.weight", "post_ff_norm"}};

/// `value` rounded to the element type `storage` (as f32).
float roundTo(double value, WeightStorage storage) {
  auto single = static_cast<float>(value);
  switch (storage) {
  case WeightStorage::F32:
    return single;
  case WeightStorage::F16:
    return f16ToF32(f32ToF16(single));
  case WeightStorage::BF16:
    return bf16ToF32(f32ToBF16(single));
  }
  return single;
}

/// The score modifiers of the attention ops of a layer (`sliding`: one of
/// the sliding-window layers).
std::string scoreModifiers(const ModelConfig &c, bool sliding) {
  std::string mods = "causal";
  if (sliding)
    mods += " window(" + std::to_string(c.slidingWindow) + ")";
  if (c.attentionSoftcap > 0)
    mods += " softcap(" + formatFloat(c.attentionSoftcap) + ")";
  if (c.attentionScale > 0)
    mods += " scale(" + formatFloat(c.attentionScale) + ")";
  return mods;
}

} // namespace

/// The Llama-style decoders: Llama, Qwen2, Qwen3, Mistral, Gemma 2. One
/// @block per attention kind the layers use (@block: global attention,
/// @block_sliding: the sliding window).
std::string decoderModule(const ModelConfig &c, int64_t maxSequence,
                          WeightStorage storage, WeightStorage cacheType) {
  int64_t q = c.numHeads * c.headDim, kv = c.numKVHeads * c.headDim;
  std::map<std::string, std::string> sizes = {
      {"E", std::to_string(c.hiddenSize)},
      {"Q", std::to_string(q)},
      {"KV", std::to_string(kv)},
      {"H", std::to_string(c.numHeads)},
      {"HKV", std::to_string(c.numKVHeads)},
      {"D", std::to_string(c.headDim)},
      {"DF", formatFloat(static_cast<double>(c.headDim))},
      {"I", std::to_string(c.intermediateSize)},
      {"V", std::to_string(c.vocabSize)},
      {"S", std::to_string(maxSequence)},
      {"THETA", formatFloat(c.ropeTheta)},
      {"SCALING", ropeScalingClause(c.ropeScaling)},
      {"EF", formatFloat(static_cast<double>(c.hiddenSize))},
      {"EPS", formatFloat(c.normEps)},
      {"CT", getWeightStorageName(cacheType)}};
  sizes.merge(weightFields(storage));
  // The layer's weight arguments, in getLayerWeightSpecs' order (the
  // runtime passes them so): matrices in the storage type, vectors f32.
  std::string layerArgs;
  std::string layerPrefix = "model.layers.0.";
  for (const WeightSpec &spec : getLayerWeightSpecs(c, 0)) {
    std::string type = "tensor<";
    for (int64_t dim : spec.shape)
      type += std::to_string(dim) + "x";
    type += spec.shape.size() == 2 ? "{WT}>" : "f32>";
    layerArgs += "\n    %" +
                 kDecoderArgNames.at(spec.name.substr(layerPrefix.size())) +
                 ": " + type + ",";
  }
  sizes["LAYER_ARGS"] = fill(layerArgs, sizes);
  sizes["QKV_BIASES"] = c.attentionBias
                            ? fill("\n      biases(%b_q, %b_k, %b_v : "
                                   "tensor<{Q}xf32>, tensor<{KV}xf32>, "
                                   "tensor<{KV}xf32>)",
                                   sizes)
                            : "";
  auto prologue = [&](const std::string &x, const std::string &type) {
    return fill(fill(kPrologue, {{"X", x}, {"XTYPE", type}}), sizes);
  };
  auto linearT = [&](const std::string &in, const std::string &out,
                     const std::string &weight, int64_t k, int64_t n,
                     const std::string &bias = "") {
    return fill(
        linearLayer(in, out, weight, bias, k, n, /*outIn=*/true, storage),
        sizes);
  };
  auto rmsNorm = [&](const std::string &in, const std::string &out,
                     const std::string &gain) {
    std::string text = fill(kRmsNorm, {{"GAIN", c.gemmaNorms ? kGemmaGain : ""},
                                       {"GV", c.gemmaNorms ? "%gg" : "%g"}});
    return fill(fill(text, {{"IN", in}, {"OUT", out}, {"G", gain}}), sizes);
  };
  auto add = [&](const std::string &out, const std::string &a,
                 const std::string &b) {
    return fill(fill(kAdd, {{"OUT", out}, {"A", a}, {"B", b}}), sizes);
  };
  std::string text = kMaps;

  // Gemma multiplies the embeddings by sqrt(hidden_size), a constant in
  // the activations' type (as transformers' Gemma2Model does).
  std::string embedScale;
  if (c.gemmaNorms)
    embedScale = "\n    %norm = arith.constant " +
                 formatFloat(roundTo(
                     std::sqrt(static_cast<double>(c.hiddenSize)), storage)) +
                 " : f32\n    %scaled = arith.mulf {WV}, %norm : f32";
  text += fill(R"(
func.func @embed(%tokens: tensor<?x?xi64>, %embed_w: tensor<{V}x{E}x{WT}>) -> tensor<?x?x{E}xf32> {)",
               sizes);
  text += prologue("tokens", "tensor<?x?xi64>");
  text += "\n";
  text += fill(tokenCheck(), sizes);
  text += fill(
      fill(R"(  %x0 = tensor.empty(%b, %s) : tensor<?x?x{E}xf32>
  %x = linalg.generic {indexing_maps = [#tok, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%tokens : tensor<?x?xi64>) outs(%x0 : tensor<?x?x{E}xf32>) {
  ^bb0(%t: i64, %out: f32):
    %e = linalg.index 2 : index
    %ti = arith.index_cast %t : i64 to index
    %wv = tensor.extract %embed_w[%ti, %e] : tensor<{V}x{E}x{WT}>{WIDEN}{SCALE}
    linalg.yield {EV} : f32
  } -> tensor<?x?x{E}xf32>
  return %x : tensor<?x?x{E}xf32>
}
)",
           {{"SCALE", embedScale}, {"EV", c.gemmaNorms ? "%scaled" : "{WV}"}}),
      sizes);

  // One decoder layer: RMSNorm, GQA attention with RoPE (in the QKV
  // projection's epilogue, or after Qwen3's q/k norms), RMSNorm, gated
  // MLP, residuals (Gemma 2: normalised attention and MLP outputs).
  auto block = [&](const std::string &name, bool sliding) {
    std::string body = fill(R"(
func.func @{NAME}(%x: tensor<?x?x{E}xf32>, %positions: tensor<?x?xi64>,
    %start: tensor<?xi32>, %lens: tensor<?xi32>,{LAYER_ARGS}
    %kc: tensor<?x{HKV}x{S}x{D}x{CT}>, %vc: tensor<?x{HKV}x{S}x{D}x{CT}>)
    -> (tensor<?x?x{E}xf32>, tensor<?x{HKV}x{S}x{D}x{CT}>, tensor<?x{HKV}x{S}x{D}x{CT}>) {)",
                            sizes);
    body = fill(body, {{"NAME", name}});
    body += prologue("x", fill("tensor<?x?x{E}xf32>", sizes));
    body += rmsNorm("x", "h1", "in_norm");
    body += fill(R"(
  %q0 = tensor.empty(%b, %s) : tensor<?x{H}x?x{D}xf32>
  %k0 = tensor.empty(%b, %s) : tensor<?x{HKV}x?x{D}xf32>)",
                 sizes);
    if (!c.qkNorm) {
      body += fill(R"(
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%h1 : tensor<?x?x{E}xf32>)
      weights(%w_q, %w_k, %w_v : tensor<{Q}x{E}x{WT}>, tensor<{KV}x{E}x{WT}>, tensor<{KV}x{E}x{WT}>){QKV_BIASES}
      rope half theta({THETA}){SCALING} positions(%positions : tensor<?x?xi64>)
      outs(%q0, %k0, %k0 : tensor<?x{H}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>)
      -> tensor<?x{H}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>
)",
                   sizes);
    } else {
      // Qwen3: RMSNorm of each query and key head, then RoPE.
      body += fill(R"(
  %qp, %kp, %v = attn.qkv_proj layout(out_in) ins(%h1 : tensor<?x?x{E}xf32>)
      weights(%w_q, %w_k, %w_v : tensor<{Q}x{E}x{WT}>, tensor<{KV}x{E}x{WT}>, tensor<{KV}x{E}x{WT}>){QKV_BIASES}
      outs(%q0, %k0, %k0 : tensor<?x{H}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>)
      -> tensor<?x{H}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>
)",
                   sizes);
      body += fill(
          fill(
              kHeadRmsNorm,
              {{"IN", "qp"}, {"OUT", "qn"}, {"G", "q_norm"}, {"HEADS", "{H}"}}),
          sizes);
      body += fill(fill(kHeadRmsNorm, {{"IN", "kp"},
                                       {"OUT", "kn"},
                                       {"G", "k_norm"},
                                       {"HEADS", "{HKV}"}}),
                   sizes);
      body += fill(R"(
  %q, %k = attn.rope half theta({THETA}){SCALING}
      ins(%qn, %kn, %positions : tensor<?x{H}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>, tensor<?x?xi64>)
      outs(%q0, %k0 : tensor<?x{H}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>)
      -> tensor<?x{H}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>
)",
                   sizes);
    }
    body += fill(
        cachedAttention(scoreModifiers(c, sliding), "{HKV}", cacheType), sizes);
    body +=
        fill(fill(kMergeHeads,
                  {{"IN", "o"}, {"OUT", "om"}, {"W", "{Q}"}, {"HEADS", "{H}"}}),
             sizes);
    body +=
        linearT("om", "a", "w_o", q, c.hiddenSize, c.outputBias ? "b_o" : "");
    if (c.gemmaNorms) {
      body += rmsNorm("a", "an", "post_norm");
      body += add("x1", "x", "an");
      body += rmsNorm("x1", "h2", "pre_ff_norm");
    } else {
      body += add("x1", "x", "a");
      body += rmsNorm("x1", "h2", "post_norm");
    }
    body += linearT("h2", "gate", "w_gate", c.hiddenSize, c.intermediateSize);
    body += linearT("h2", "up", "w_up", c.hiddenSize, c.intermediateSize);
    // The gated MLP: act(gate) * up, silu (SwiGLU) or tanh-GELU (GeGLU).
    std::string activation = c.activation == MlpActivation::Silu ? R"(
    %one = arith.constant 1.0 : f32
    %neg = arith.negf %gv : f32
    %ex = math.exp %neg : f32
    %den = arith.addf %ex, %one : f32
    %act = arith.divf %gv, %den : f32)"
                                                                 : R"(
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %gk0 = arith.constant 0.797884583 : f32
    %gk1 = arith.constant 0.044715 : f32
    %sq2 = arith.mulf %gv, %gv : f32
    %cube = arith.mulf %sq2, %gv : f32
    %t0 = arith.mulf %cube, %gk1 : f32
    %t1 = arith.addf %gv, %t0 : f32
    %t2 = arith.mulf %t1, %gk0 : f32
    %th = math.tanh %t2 : f32
    %t3 = arith.addf %th, %one : f32
    %t4 = arith.mulf %gv, %half : f32
    %act = arith.mulf %t4, %t3 : f32)";
    body += fill(fill(R"(
  %sw0 = tensor.empty(%b, %s) : tensor<?x?x{I}xf32>
  %sw = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%gate, %up : tensor<?x?x{I}xf32>, tensor<?x?x{I}xf32>) outs(%sw0 : tensor<?x?x{I}xf32>) {
  ^bb0(%gv: f32, %uv: f32, %out: f32):{ACT}
    %r = arith.mulf %act, %uv : f32
    linalg.yield %r : f32
  } -> tensor<?x?x{I}xf32>
)",
                      {{"ACT", activation}}),
                 sizes);
    body += linearT("sw", "down", "w_down", c.intermediateSize, c.hiddenSize);
    if (c.gemmaNorms) {
      body += rmsNorm("down", "dn", "post_ff_norm");
      body += add("x2", "x1", "dn");
    } else {
      body += add("x2", "x1", "down");
    }
    body += fill(R"(
  return %x2, %kc1, %vc1 : tensor<?x?x{E}xf32>, tensor<?x{HKV}x{S}x{D}x{CT}>, tensor<?x{HKV}x{S}x{D}x{CT}>
}
)",
                 sizes);
    return body;
  };
  bool anySliding = false, anyGlobal = false;
  for (int64_t layer = 0; layer < c.numLayers; ++layer)
    (c.isSlidingLayer(layer) ? anySliding : anyGlobal) = true;
  if (anyGlobal)
    text += block("block", /*sliding=*/false);
  if (anySliding)
    text += block("block_sliding", /*sliding=*/true);

  text += fill(R"(
func.func @head(%x: tensor<?x?x{E}xf32>, %norm: tensor<{E}xf32>,
    %lm_head: tensor<{V}x{E}x{WT}>) -> tensor<?x?x{V}xf32> {)",
               sizes);
  text += prologue("x", fill("tensor<?x?x{E}xf32>", sizes));
  text += rmsNorm("x", "h", "norm");
  std::string logits = c.finalSoftcap > 0 ? "raw" : "logits";
  text += linearT("h", logits, "lm_head", c.hiddenSize, c.vocabSize);
  if (c.finalSoftcap > 0) {
    // Gemma 2's final soft-capping: cap * tanh(logits / cap).
    text += fill(R"(
  %lc0 = tensor.empty(%b, %s) : tensor<?x?x{V}xf32>
  %logits = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%raw : tensor<?x?x{V}xf32>) outs(%lc0 : tensor<?x?x{V}xf32>) {
  ^bb0(%in: f32, %out: f32):
    %cap = arith.constant {CAP} : f32
    %d = arith.divf %in, %cap : f32
    %th = math.tanh %d : f32
    %r = arith.mulf %th, %cap : f32
    linalg.yield %r : f32
  } -> tensor<?x?x{V}xf32>
)",
                 {{"CAP", formatFloat(c.finalSoftcap)}, {"V", sizes["V"]}});
  }
  text += fill(R"(
  return %logits : tensor<?x?x{V}xf32>
}
)",
               sizes);
  return text;
}

} // namespace mlir::attnc::model_ir
