//===- ModelIR.cpp - Tensor-level IR of whole models ------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The IR is written as text from templates whose `{NAME}` holes take the
// config's sizes, and parsed by the caller: the model is easiest to read,
// and to check against the Hugging Face code, in the form the user sees
// with `attnc compile --emit-mlir`.
//
//===----------------------------------------------------------------------===//

#include "attnc/Models/ModelIR.h"

#include "attnc/Runtime/Float16.h"

#include <cmath>
#include <cstdio>
#include <map>

using namespace mlir;
using namespace ::attnc::runtime;
using mlir::attnc::getWeightStorageName;
using mlir::attnc::WeightStorage;

namespace {

/// Replaces every `{KEY}` of `text` by its value.
std::string fill(std::string text,
                 const std::map<std::string, std::string> &values) {
  for (const auto &[key, value] : values) {
    std::string hole = "{" + key + "}";
    for (size_t pos = text.find(hole); pos != std::string::npos;
         pos = text.find(hole, pos + value.size()))
      text.replace(pos, hole.size(), value);
  }
  return text;
}

std::string formatFloat(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.9e", value);
  return buffer;
}

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

/// `%{OUT}` [B, S, {N}] = `%{IN}` [B, S, {K}] x `%{W}` (+ a bias): the one
/// linear layer of both families. `{WMAP}`/`{WTYPE}` say the weight's
/// layout (#mmw and [{K}, {N}] for GPT-2's Conv1D, #mmwt and [{N}, {K}] for
/// torch nn.Linear); its element type `{WT}` is widened in the body
/// (`{WIDEN}` defines `{WV}`); `{INIT}` defines `%{OUT}_z`, the products'
/// start (zeros, or a broadcast bias). See linearLayer().
constexpr const char *kLinear = R"(
  %{OUT}_e = tensor.empty(%b, %s) : tensor<?x?x{N}xf32>{INIT}
  %{OUT} = linalg.generic {indexing_maps = [#mmx, {WMAP}, #mmo], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%{IN}, %{W} : tensor<?x?x{K}xf32>, {WTYPE}) outs(%{OUT}_z : tensor<?x?x{N}xf32>) {
  ^bb0(%xv: f32, %wv: {WT}, %acc: f32):{WIDEN}
    %p = arith.mulf %xv, {WV} : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x{N}xf32>
)";

/// `%{OUT}` [B, S, {W}] = the heads of `%{IN}` [B, {HEADS}, S, {D}] side by
/// side (column h * {D} + d), the input of the output projection, so that
/// the projection is a plain linear layer for attnc-matmul-cpu.
constexpr const char *kMergeHeads = R"(
  %{OUT}_e = tensor.empty(%b, %s) : tensor<?x?x{W}xf32>
  %{OUT} = linalg.generic {indexing_maps = [#id3], iterator_types = ["parallel", "parallel", "parallel"]}
      outs(%{OUT}_e : tensor<?x?x{W}xf32>) {
  ^bb0(%out: f32):
    %bi = linalg.index 0 : index
    %si = linalg.index 1 : index
    %ci = linalg.index 2 : index
    %hd = arith.constant {D} : index
    %hi = arith.divui %ci, %hd : index
    %di = arith.remui %ci, %hd : index
    %elem = tensor.extract %{IN}[%bi, %hi, %si, %di] : tensor<?x{HEADS}x?x{D}xf32>
    linalg.yield %elem : f32
  } -> tensor<?x?x{W}xf32>
)";

/// Appends the chunk's K/V (`%k`, `%v`) to the caches at `%start` and
/// attends causally: through the flash kernel on the chunk itself when the
/// chunk is the whole sequence so far (one sequence whose prompt starts at
/// position 0, the usual prefill), else through the cache (decode, or a
/// later chunk). Both give the same values; the flash kernel is ~10x
/// faster for long chunks. `{H}` query heads, `{HKV}` KV heads, `{CT}` the
/// caches' element type: with f16/bf16 caches, kv_append rounds the new
/// rows, and the flash kernel attends to K/V rounded alike ({ROUND}), so
/// that attention always sees the keys and values as the cache holds them.
constexpr const char *kCachedAttention = R"(
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<?x{HKV}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>)
      at(%start : tensor<?xi32>)
      outs(%kc, %vc : tensor<?x{HKV}x{S}x{D}x{CT}>, tensor<?x{HKV}x{S}x{D}x{CT}>)
      -> tensor<?x{HKV}x{S}x{D}x{CT}>, tensor<?x{HKV}x{S}x{D}x{CT}>
  %one_seq = arith.cmpi eq, %b, %c1 : index
  %fresh = scf.if %one_seq -> i1 {
    %start0 = tensor.extract %start[%c0] : tensor<?xi32>
    %len0 = tensor.extract %lens[%c0] : tensor<?xi32>
    %zero_i32 = arith.constant 0 : i32
    %s_i32 = arith.index_cast %s : index to i32
    %at0 = arith.cmpi eq, %start0, %zero_i32 : i32
    %whole = arith.cmpi eq, %len0, %s_i32 : i32
    %both = arith.andi %at0, %whole : i1
    scf.yield %both : i1
  } else {
    %no = arith.constant false
    scf.yield %no : i1
  }
  %o = scf.if %fresh -> tensor<?x{H}x?x{D}xf32> {{ROUND}
    %of = attn.attention {MODS}
        ins(%q, %{KA}, %{VA} : tensor<?x{H}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>)
        outs(%q0 : tensor<?x{H}x?x{D}xf32>) -> tensor<?x{H}x?x{D}xf32>
    scf.yield %of : tensor<?x{H}x?x{D}xf32>
  } else {
    %od = attn.decode_attention {MODS}
        ins(%q, %kc1, %vc1 : tensor<?x{H}x?x{D}xf32>, tensor<?x{HKV}x{S}x{D}x{CT}>, tensor<?x{HKV}x{S}x{D}x{CT}>)
        seq_lens(%lens : tensor<?xi32>)
        outs(%q0 : tensor<?x{H}x?x{D}xf32>) -> tensor<?x{H}x?x{D}xf32>
    scf.yield %od : tensor<?x{H}x?x{D}xf32>
  }
)";

/// `%{OUT}` = `%{IN}` [B, {HKV}, S, {D}] rounded to {CT} and widened back:
/// the values a {CT} cache holds.
constexpr const char *kRoundToCache = R"(
    %{OUT}_e = tensor.empty(%b, %s) : tensor<?x{HKV}x?x{D}xf32>
    %{OUT} = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%{IN} : tensor<?x{HKV}x?x{D}xf32>) outs(%{OUT}_e : tensor<?x{HKV}x?x{D}xf32>) {
    ^bb0(%in: f32, %out: f32):
      %t = arith.truncf %in : f32 to {CT}
      %r = arith.extf %t : {CT} to f32
      linalg.yield %r : f32
    } -> tensor<?x{HKV}x?x{D}xf32>)";

/// kCachedAttention for caches of `cacheType`, its holes but the sizes
/// filled (`heads`: what {HKV} stands for).
std::string cachedAttention(const std::string &mods, const std::string &heads,
                            WeightStorage cacheType) {
  bool rounded = cacheType != WeightStorage::F32;
  std::string round;
  if (rounded)
    round = fill(kRoundToCache, {{"IN", "k"}, {"OUT", "kr"}}) +
            fill(kRoundToCache, {{"IN", "v"}, {"OUT", "vr"}});
  std::string text = fill(kCachedAttention, {{"ROUND", round}});
  return fill(text, {{"MODS", mods},
                     {"HKV", heads},
                     {"KA", rounded ? "kr" : "k"},
                     {"VA", rounded ? "vr" : "v"},
                     {"CT", getWeightStorageName(cacheType)}});
}

/// Aborts with "{WHAT}" unless every entry of `%{IN}` [B, S] (i64) lies in
/// [0, {LIMIT}): ids are checked before any table lookup uses them.
constexpr const char *kRangeCheck = R"(
  %{IN}_zero = arith.constant 0 : i64
  %{IN}_limit = arith.constant {LIMIT} : i64
  scf.for %{IN}_i = %c0 to %b step %c1 {
    scf.for %{IN}_j = %c0 to %s step %c1 {
      %{IN}_v = tensor.extract %{IN}[%{IN}_i, %{IN}_j] : tensor<?x?xi64>
      %{IN}_lo = arith.cmpi sge, %{IN}_v, %{IN}_zero : i64
      %{IN}_hi = arith.cmpi slt, %{IN}_v, %{IN}_limit : i64
      %{IN}_ok = arith.andi %{IN}_lo, %{IN}_hi : i1
      cf.assert %{IN}_ok, "{WHAT}"
    }
  }
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

/// kLinear's start: zeros.
constexpr const char *kZeroInit = R"(
  %{OUT}_z = linalg.fill ins(%zero : f32) outs(%{OUT}_e : tensor<?x?x{N}xf32>) -> tensor<?x?x{N}xf32>)";

/// kLinear's start: the bias `%{BIAS}` [{N}] on every row.
constexpr const char *kBiasInit = R"(
  %{OUT}_z = linalg.generic {indexing_maps = [#vec3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%{BIAS} : tensor<{N}xf32>) outs(%{OUT}_e : tensor<?x?x{N}xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<?x?x{N}xf32>)";

/// The fields that spell the weight matrices' element type `storage` in the
/// templates: {WT} the type, {WIDEN} the body line that widens `%wv` to f32
/// (empty for f32), {WV} the f32 value.
std::map<std::string, std::string> weightFields(WeightStorage storage) {
  std::string type = getWeightStorageName(storage);
  if (storage == WeightStorage::F32)
    return {{"WT", type}, {"WIDEN", ""}, {"WV", "%wv"}};
  return {{"WT", type},
          {"WIDEN", "\n    %wvf = arith.extf %wv : " + type + " to f32"},
          {"WV", "%wvf"}};
}

/// The check of the token ids of @embed (`{V}` still to fill).
std::string tokenCheck() {
  return fill(kRangeCheck,
              {{"IN", "tokens"},
               {"LIMIT", "{V}"},
               {"WHAT", "embed: token id outside the vocabulary"}});
}

/// `%{OUT}` = `%{A}` + `%{B}`, both [B, S, {E}].
constexpr const char *kAdd = R"(
  %{OUT}_e = tensor.empty(%b, %s) : tensor<?x?x{E}xf32>
  %{OUT} = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%{A}, %{B} : tensor<?x?x{E}xf32>, tensor<?x?x{E}xf32>) outs(%{OUT}_e : tensor<?x?x{E}xf32>) {
  ^bb0(%av: f32, %bv: f32, %out: f32):
    %r = arith.addf %av, %bv : f32
    linalg.yield %r : f32
  } -> tensor<?x?x{E}xf32>
)";

constexpr const char *kMaps = R"(#id3 = affine_map<(b, s, e) -> (b, s, e)>
#row3 = affine_map<(b, s, e) -> (b, s)>
#vec3 = affine_map<(b, s, e) -> (e)>
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmw = affine_map<(b, s, n, k) -> (k, n)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
#mmwt = affine_map<(b, s, n, k) -> (n, k)>
#tok = affine_map<(b, s, e) -> (b, s)>
#id4 = affine_map<(b, h, s, d) -> (b, h, s, d)>
#row4 = affine_map<(b, h, s, d) -> (b, h, s)>
#vec4 = affine_map<(b, h, s, d) -> (d)>
)";

/// Sizes and the shared constants every function body starts with.
constexpr const char *kPrologue = R"(
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %width = arith.constant {EF} : f32
  %eps = arith.constant {EPS} : f32
  %b = tensor.dim %{X}, %c0 : {XTYPE}
  %s = tensor.dim %{X}, %c1 : {XTYPE}
)";

std::string layerNorm(const std::string &in, const std::string &out,
                      const std::string &gain, const std::string &bias) {
  return fill(kLayerNorm,
              {{"IN", in}, {"OUT", out}, {"G", gain}, {"BETA", bias}});
}

/// `%{out}` = `%{in}` [B, S, k] x `%{weight}` (+ `%{bias}` when given) as
/// kLinear spells it, `outIn` for torch's [n, k] layout, the weight stored
/// as `storage`.
std::string linearLayer(const std::string &in, const std::string &out,
                        const std::string &weight, const std::string &bias,
                        int64_t k, int64_t n, bool outIn,
                        WeightStorage storage) {
  // The pieces first, then the names and sizes they contain.
  std::string text = fill(
      kLinear,
      {{"INIT", bias.empty() ? kZeroInit : kBiasInit},
       {"WMAP", outIn ? "#mmwt" : "#mmw"},
       {"WTYPE", outIn ? "tensor<{N}x{K}x{WT}>" : "tensor<{K}x{N}x{WT}>"}});
  text = fill(text, weightFields(storage));
  return fill(text, {{"IN", in},
                     {"OUT", out},
                     {"W", weight},
                     {"BIAS", bias},
                     {"K", std::to_string(k)},
                     {"N", std::to_string(n)}});
}

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

} // namespace

const char *mlir::attnc::getWeightStorageName(WeightStorage storage) {
  switch (storage) {
  case WeightStorage::F32:
    return "f32";
  case WeightStorage::F16:
    return "f16";
  case WeightStorage::BF16:
    return "bf16";
  }
  return "f32";
}

int64_t mlir::attnc::getCacheLength(const ModelConfig &config,
                                    const ModelIROptions &options) {
  return options.maxSequence > 0 ? options.maxSequence : config.maxPositions;
}

Expected<std::string> mlir::attnc::buildModelIR(const ModelConfig &config,
                                                const ModelIROptions &options) {
  int64_t maxSequence = getCacheLength(config, options);
  if (maxSequence > config.maxPositions && config.family == ModelFamily::Gpt2)
    return Error::failure("a GPT-2 cache of " + std::to_string(maxSequence) +
                          " positions exceeds n_positions (" +
                          std::to_string(config.maxPositions) + ")");
  if (config.family == ModelFamily::Gpt2) {
    if (options.weightType != WeightStorage::F32)
      return Error::failure("gpt2 models are compiled for f32 weights (the "
                            "runtime widens f16/bf16 checkpoints)");
    return gpt2Module(config, maxSequence, options.kvType);
  }
  return decoderModule(config, maxSequence, options.weightType,
                       options.kvType);
}
