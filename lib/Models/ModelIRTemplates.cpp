//===- ModelIRTemplates.cpp - pieces of the model IR ----------------------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "ModelIRTemplates.h"

#include <cstdio>

using mlir::attnc::getWeightStorageName;
using mlir::attnc::WeightStorage;

namespace mlir::attnc::model_ir {

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

} // namespace mlir::attnc::model_ir
