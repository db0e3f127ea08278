//===- GPT2IR.cpp - the IR of GPT-2 models --------------------------------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "ModelIRTemplates.h"

using namespace ::attnc::runtime;
using mlir::attnc::getWeightStorageName;
using mlir::attnc::WeightStorage;

namespace mlir::attnc::model_ir {
namespace {

/// LayerNorm over the last dim of `%{IN}` [B, S, {E}] into `%{OUT}`, with
/// gain `%{G}` and bias `%{BETA}` (two passes: mean, then variance).
constexpr const char *kLayerNorm = R"(
  %{OUT}_e0 = tensor.empty(%b, %s) : tensor<?x?xf32>
  %{OUT}_z = linalg.fill ins(%zero : f32) outs(%{OUT}_e0 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %{OUT}_sum = linalg.generic {indexing_maps = [#id3, #row3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%{IN} : tensor<?x?x{E}xf32>) outs(%{OUT}_z : tensor<?x?xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %acc, %in : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %{OUT}_sq = linalg.generic {indexing_maps = [#id3, #row3, #row3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%{IN}, %{OUT}_sum : tensor<?x?x{E}xf32>, tensor<?x?xf32>) outs(%{OUT}_z : tensor<?x?xf32>) {
  ^bb0(%in: f32, %total: f32, %acc: f32):
    %mean = arith.divf %total, %width : f32
    %d = arith.subf %in, %mean : f32
    %d2 = arith.mulf %d, %d : f32
    %r = arith.addf %acc, %d2 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %{OUT}_e1 = tensor.empty(%b, %s) : tensor<?x?x{E}xf32>
  %{OUT} = linalg.generic {indexing_maps = [#id3, #row3, #row3, #vec3, #vec3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%{IN}, %{OUT}_sum, %{OUT}_sq, %{G}, %{BETA} : tensor<?x?x{E}xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<{E}xf32>, tensor<{E}xf32>)
      outs(%{OUT}_e1 : tensor<?x?x{E}xf32>) {
  ^bb0(%in: f32, %total: f32, %sqs: f32, %g: f32, %beta: f32, %out: f32):
    %mean = arith.divf %total, %width : f32
    %var = arith.divf %sqs, %width : f32
    %ve = arith.addf %var, %eps : f32
    %rs = math.rsqrt %ve : f32
    %d = arith.subf %in, %mean : f32
    %n = arith.mulf %d, %rs : f32
    %sc = arith.mulf %n, %g : f32
    %r = arith.addf %sc, %beta : f32
    linalg.yield %r : f32
  } -> tensor<?x?x{E}xf32>
)";

std::string layerNorm(const std::string &in, const std::string &out,
                      const std::string &gain, const std::string &bias) {
  return fill(kLayerNorm,
              {{"IN", in}, {"OUT", out}, {"G", gain}, {"BETA", bias}});
}

} // namespace

std::string gpt2Module(const ModelConfig &c, int64_t maxSequence,
                       WeightStorage cacheType) {
  std::map<std::string, std::string> sizes = {
      {"E", std::to_string(c.hiddenSize)},
      {"E3", std::to_string(3 * c.hiddenSize)},
      {"H", std::to_string(c.numHeads)},
      {"D", std::to_string(c.headDim)},
      {"I", std::to_string(c.intermediateSize)},
      {"V", std::to_string(c.vocabSize)},
      {"P", std::to_string(c.maxPositions)},
      {"S", std::to_string(maxSequence)},
      {"EF", formatFloat(static_cast<double>(c.hiddenSize))},
      {"EPS", formatFloat(c.normEps)},
      {"CT", getWeightStorageName(cacheType)}};
  auto prologue = [&](const std::string &x, const std::string &type) {
    return fill(fill(kPrologue, {{"X", x}, {"XTYPE", type}}), sizes);
  };
  std::string text = kMaps;

  // Token and position embeddings. Ids outside the tables are run-time
  // errors, checked before any lookup.
  text += fill(R"(
func.func @embed(%tokens: tensor<?x?xi64>, %positions: tensor<?x?xi64>,
    %wte: tensor<{V}x{E}xf32>, %wpe: tensor<{P}x{E}xf32>) -> tensor<?x?x{E}xf32> {)",
               sizes);
  text += prologue("tokens", "tensor<?x?xi64>");
  text += fill(R"(
)",
               sizes);
  text += fill(tokenCheck(), sizes);
  text += fill(fill(kRangeCheck, {{"IN", "positions"},
                                  {"LIMIT", "{P}"},
                                  {"WHAT", "embed: position outside the "
                                           "position table"}}),
               sizes);
  text += fill(R"(  %x0 = tensor.empty(%b, %s) : tensor<?x?x{E}xf32>
  %x = linalg.generic {indexing_maps = [#tok, #tok, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%tokens, %positions : tensor<?x?xi64>, tensor<?x?xi64>) outs(%x0 : tensor<?x?x{E}xf32>) {
  ^bb0(%t: i64, %p: i64, %out: f32):
    %e = linalg.index 2 : index
    %ti = arith.index_cast %t : i64 to index
    %pi = arith.index_cast %p : i64 to index
    %a = tensor.extract %wte[%ti, %e] : tensor<{V}x{E}xf32>
    %c = tensor.extract %wpe[%pi, %e] : tensor<{P}x{E}xf32>
    %r = arith.addf %a, %c : f32
    linalg.yield %r : f32
  } -> tensor<?x?x{E}xf32>
  return %x : tensor<?x?x{E}xf32>
}
)",
               sizes);

  // One transformer block: pre-LayerNorm attention and MLP with residuals.
  text += fill(R"(
func.func @block(%x: tensor<?x?x{E}xf32>, %start: tensor<?xi32>, %lens: tensor<?xi32>,
    %ln1_w: tensor<{E}xf32>, %ln1_b: tensor<{E}xf32>,
    %attn_w: tensor<{E}x{E3}xf32>, %attn_b: tensor<{E3}xf32>,
    %proj_w: tensor<{E}x{E}xf32>, %proj_b: tensor<{E}xf32>,
    %ln2_w: tensor<{E}xf32>, %ln2_b: tensor<{E}xf32>,
    %fc_w: tensor<{E}x{I}xf32>, %fc_b: tensor<{I}xf32>,
    %fcp_w: tensor<{I}x{E}xf32>, %fcp_b: tensor<{E}xf32>,
    %kc: tensor<?x{H}x{S}x{D}x{CT}>, %vc: tensor<?x{H}x{S}x{D}x{CT}>)
    -> (tensor<?x?x{E}xf32>, tensor<?x{H}x{S}x{D}x{CT}>, tensor<?x{H}x{S}x{D}x{CT}>) {)",
               sizes);
  text += prologue("x", fill("tensor<?x?x{E}xf32>", sizes));
  text += fill(layerNorm("x", "h1", "ln1_w", "ln1_b"), sizes);
  text += fill(R"(
  %q0 = tensor.empty(%b, %s) : tensor<?x{H}x?x{D}xf32>
  %q, %k, %v = attn.qkv_proj ins(%h1 : tensor<?x?x{E}xf32>)
      weights(%attn_w : tensor<{E}x{E3}xf32>) biases(%attn_b : tensor<{E3}xf32>)
      outs(%q0, %q0, %q0 : tensor<?x{H}x?x{D}xf32>, tensor<?x{H}x?x{D}xf32>, tensor<?x{H}x?x{D}xf32>)
      -> tensor<?x{H}x?x{D}xf32>, tensor<?x{H}x?x{D}xf32>, tensor<?x{H}x?x{D}xf32>
)",
               sizes);
  text += fill(cachedAttention("causal", "{H}", cacheType), sizes);
  text +=
      fill(fill(kMergeHeads,
                {{"IN", "o"}, {"OUT", "om"}, {"W", "{E}"}, {"HEADS", "{H}"}}),
           sizes);
  text += linearLayer("om", "a", "proj_w", "proj_b", c.hiddenSize, c.hiddenSize,
                      /*outIn=*/false, WeightStorage::F32);
  text += fill(fill(kAdd, {{"OUT", "x1"}, {"A", "x"}, {"B", "a"}}), sizes);
  text += fill(layerNorm("x1", "h2", "ln2_w", "ln2_b"), sizes);
  text +=
      linearLayer("h2", "f", "fc_w", "fc_b", c.hiddenSize, c.intermediateSize,
                  /*outIn=*/false, WeightStorage::F32);
  // GELU, tanh approximation (gelu_new).
  text += fill(R"(
  %g0 = tensor.empty(%b, %s) : tensor<?x?x{I}xf32>
  %g = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%f : tensor<?x?x{I}xf32>) outs(%g0 : tensor<?x?x{I}xf32>) {
  ^bb0(%in: f32, %out: f32):
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %k0 = arith.constant 0.797884583 : f32
    %k1 = arith.constant 0.044715 : f32
    %sq2 = arith.mulf %in, %in : f32
    %cube = arith.mulf %sq2, %in : f32
    %t0 = arith.mulf %cube, %k1 : f32
    %t1 = arith.addf %in, %t0 : f32
    %t2 = arith.mulf %t1, %k0 : f32
    %th = math.tanh %t2 : f32
    %t3 = arith.addf %th, %one : f32
    %t4 = arith.mulf %in, %half : f32
    %r = arith.mulf %t4, %t3 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x{I}xf32>
)",
               sizes);
  text +=
      linearLayer("g", "m", "fcp_w", "fcp_b", c.intermediateSize, c.hiddenSize,
                  /*outIn=*/false, WeightStorage::F32);
  text += fill(fill(kAdd, {{"OUT", "x2"}, {"A", "x1"}, {"B", "m"}}), sizes);
  text += fill(R"(
  return %x2, %kc1, %vc1 : tensor<?x?x{E}xf32>, tensor<?x{H}x{S}x{D}x{CT}>, tensor<?x{H}x{S}x{D}x{CT}>
}
)",
               sizes);

  // Final LayerNorm and the logits against the (tied) embedding table.
  text += fill(R"(
func.func @head(%x: tensor<?x?x{E}xf32>, %lnf_w: tensor<{E}xf32>, %lnf_b: tensor<{E}xf32>,
    %lm_head: tensor<{V}x{E}xf32>) -> tensor<?x?x{V}xf32> {)",
               sizes);
  text += prologue("x", fill("tensor<?x?x{E}xf32>", sizes));
  text += fill(layerNorm("x", "h", "lnf_w", "lnf_b"), sizes);
  // The (tied) embedding is [V, E]: torch's [out, in].
  text += fill(linearLayer("h", "logits", "lm_head", "", c.hiddenSize,
                           c.vocabSize, /*outIn=*/true, WeightStorage::F32),
               sizes);
  text += fill(R"(
  return %logits : tensor<?x?x{V}xf32>
}
)",
               sizes);
  return text;
}

} // namespace mlir::attnc::model_ir
