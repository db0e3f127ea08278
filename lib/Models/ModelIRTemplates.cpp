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
/// attends causally, on one of three paths (`%path`):
/// 0. the chunk is the whole sequence so far (one sequence whose prompt
///    starts at position 0, the usual prefill): the flash kernel on the
///    chunk itself;
/// 1. a chunk of kFlashChunkRows rows or more of one sequence at a later
///    position (a prompt after earlier turns, a prefill in chunks): the
///    flash kernel on the cache's first `lens[0]` positions, which hold the
///    chunk's keys and values and everything before them (causal masking
///    is aligned to the bottom-right corner);
/// 2. otherwise (decode steps, several sequences, a short chunk): the
///    split-KV decode kernel, which reads the caches in place.
/// All three give the same values up to rounding. `{H}` query heads, `{HKV}`
/// KV heads, `{CT}` the caches' element type: with f16/bf16 caches,
/// kv_append rounds the new rows, and the flash kernel attends to K/V as
/// the cache holds them ({ROUND}: the chunk rounded alike; {WIDEN}: the
/// cache's rows widened to f32). A length the cache cannot hold takes path
/// 2, whose run-time checks report it.
constexpr const char *kCachedAttention = R"(
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<?x{HKV}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>)
      at(%start : tensor<?xi32>)
      outs(%kc, %vc : tensor<?x{HKV}x{S}x{D}x{CT}>, tensor<?x{HKV}x{S}x{D}x{CT}>)
      -> tensor<?x{HKV}x{S}x{D}x{CT}>, tensor<?x{HKV}x{S}x{D}x{CT}>
  %one_seq = arith.cmpi eq, %b, %c1 : index
  %path = scf.if %one_seq -> index {
    %start0 = tensor.extract %start[%c0] : tensor<?xi32>
    %len0 = tensor.extract %lens[%c0] : tensor<?xi32>
    %zero_i32 = arith.constant 0 : i32
    %s_i32 = arith.index_cast %s : index to i32
    %at0 = arith.cmpi eq, %start0, %zero_i32 : i32
    %whole = arith.cmpi eq, %len0, %s_i32 : i32
    %path_fresh = arith.andi %at0, %whole : i1
    %path_min_rows = arith.constant {CHUNK_ROWS} : index
    %path_max_len = arith.constant {S} : i32
    %path_long = arith.cmpi uge, %s, %path_min_rows : index
    %path_covers = arith.cmpi sge, %len0, %s_i32 : i32
    %path_fits = arith.cmpi sle, %len0, %path_max_len : i32
    %path_held = arith.andi %path_covers, %path_fits : i1
    %path_chunk = arith.andi %path_long, %path_held : i1
    %path_c2 = arith.constant 2 : index
    %path_later = arith.select %path_chunk, %c1, %path_c2 : index
    %path_p = arith.select %path_fresh, %c0, %path_later : index
    scf.yield %path_p : index
  } else {
    %path_c2 = arith.constant 2 : index
    scf.yield %path_c2 : index
  }
  %o = scf.index_switch %path -> tensor<?x{H}x?x{D}xf32>
  case 0 {{ROUND}
    %of = attn.attention {MODS}
        ins(%q, %{KA}, %{VA} : tensor<?x{H}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>)
        outs(%q0 : tensor<?x{H}x?x{D}xf32>) -> tensor<?x{H}x?x{D}xf32>
    scf.yield %of : tensor<?x{H}x?x{D}xf32>
  }
  case 1 {
    %len0 = tensor.extract %lens[%c0] : tensor<?xi32>
    %prefix_n = arith.index_cast %len0 : i32 to index
    %prefix_k = tensor.extract_slice %kc1[0, 0, 0, 0] [%b, {HKV}, %prefix_n, {D}] [1, 1, 1, 1] : tensor<?x{HKV}x{S}x{D}x{CT}> to tensor<?x{HKV}x?x{D}x{CT}>
    %prefix_v = tensor.extract_slice %vc1[0, 0, 0, 0] [%b, {HKV}, %prefix_n, {D}] [1, 1, 1, 1] : tensor<?x{HKV}x{S}x{D}x{CT}> to tensor<?x{HKV}x?x{D}x{CT}>{WIDEN}
    %oc = attn.attention {MODS}
        ins(%q, %{KP}, %{VP} : tensor<?x{H}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>, tensor<?x{HKV}x?x{D}xf32>)
        outs(%q0 : tensor<?x{H}x?x{D}xf32>) -> tensor<?x{H}x?x{D}xf32>
    scf.yield %oc : tensor<?x{H}x?x{D}xf32>
  }
  default {
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

/// `%{OUT}` = the {CT} cache rows `%{IN}` [B, {HKV}, %prefix_n, {D}]
/// widened to f32.
constexpr const char *kWidenCache = R"(
    %{OUT}_e = tensor.empty(%b, %prefix_n) : tensor<?x{HKV}x?x{D}xf32>
    %{OUT} = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%{IN} : tensor<?x{HKV}x?x{D}x{CT}>) outs(%{OUT}_e : tensor<?x{HKV}x?x{D}xf32>) {
    ^bb0(%in: {CT}, %out: f32):
      %r = arith.extf %in : {CT} to f32
      linalg.yield %r : f32
    } -> tensor<?x{HKV}x?x{D}xf32>)";

/// Rows of a chunk from which a later chunk of one sequence attends through
/// the flash kernel rather than the decode kernel (path 1 above). The flash
/// kernel multiplies register tiles of query rows and packed keys, the
/// decode kernel takes dot products along D, but it reads the cache in
/// place where the flash kernel reads it widened to f32 (a low-precision
/// cache) and packed. On the AMD EPYC Zen 5 VM (134M Llama, f16 cache, 2048
/// earlier positions, whole-model prefill) the flash path ran 512-row
/// chunks 1.22x faster, 64 and 128 rows as fast, 16 and 32 rows 10%
/// slower.
constexpr int64_t kFlashChunkRows = 256;

std::string cachedAttention(const std::string &mods, const std::string &heads,
                            WeightStorage cacheType) {
  bool rounded = cacheType != WeightStorage::F32;
  std::string round, widen;
  if (rounded) {
    round = fill(kRoundToCache, {{"IN", "k"}, {"OUT", "kr"}}) +
            fill(kRoundToCache, {{"IN", "v"}, {"OUT", "vr"}});
    widen = fill(kWidenCache, {{"IN", "prefix_k"}, {"OUT", "prefix_kw"}}) +
            fill(kWidenCache, {{"IN", "prefix_v"}, {"OUT", "prefix_vw"}});
  }
  std::string text =
      fill(kCachedAttention, {{"ROUND", round}, {"WIDEN", widen}});
  return fill(text, {{"MODS", mods},
                     {"HKV", heads},
                     {"KA", rounded ? "kr" : "k"},
                     {"VA", rounded ? "vr" : "v"},
                     {"KP", rounded ? "prefix_kw" : "prefix_k"},
                     {"VP", rounded ? "prefix_vw" : "prefix_v"},
                     {"CHUNK_ROWS", std::to_string(kFlashChunkRows)},
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
