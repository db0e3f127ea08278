//===- ModelIRTemplates.h - pieces of the model IR --------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Private to lib/Models: what the GPT-2 and the Llama-style decoder modules
// (GPT2IR.cpp, DecoderIR.cpp) share. The IR is written as text from
// templates whose `{NAME}` holes take the config's sizes.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LIB_MODELS_MODELIRTEMPLATES_H
#define ATTNC_LIB_MODELS_MODELIRTEMPLATES_H

#include "attnc/Models/ModelIR.h"

#include <cstdint>
#include <map>
#include <string>

namespace mlir::attnc::model_ir {

/// Replaces every `{KEY}` of `text` by its value.
std::string fill(std::string text,
                 const std::map<std::string, std::string> &values);

/// `value` as the IR spells a float (9 significant digits: exact for f32).
std::string formatFloat(double value);

/// `%{OUT}` [B, S, {W}] = the heads of `%{IN}` [B, {HEADS}, S, {D}] side by
/// side (column h * {D} + d), the input of the output projection, so that
/// the projection is a plain linear layer for attnc-matmul-cpu.
inline constexpr const char *kMergeHeads = R"(
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

/// Aborts with "{WHAT}" unless every entry of `%{IN}` [B, S] (i64) lies in
/// [0, {LIMIT}): ids are checked before any table lookup uses them.
inline constexpr const char *kRangeCheck = R"(
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

/// `%{OUT}` = `%{A}` + `%{B}`, both [B, S, {E}].
inline constexpr const char *kAdd = R"(
  %{OUT}_e = tensor.empty(%b, %s) : tensor<?x?x{E}xf32>
  %{OUT} = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%{A}, %{B} : tensor<?x?x{E}xf32>, tensor<?x?x{E}xf32>) outs(%{OUT}_e : tensor<?x?x{E}xf32>) {
  ^bb0(%av: f32, %bv: f32, %out: f32):
    %r = arith.addf %av, %bv : f32
    linalg.yield %r : f32
  } -> tensor<?x?x{E}xf32>
)";

inline constexpr const char *kMaps =
    R"(#id3 = affine_map<(b, s, e) -> (b, s, e)>
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
inline constexpr const char *kPrologue = R"(
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %width = arith.constant {EF} : f32
  %eps = arith.constant {EPS} : f32
  %b = tensor.dim %{X}, %c0 : {XTYPE}
  %s = tensor.dim %{X}, %c1 : {XTYPE}
)";

/// kCachedAttention for caches of `cacheType`, its holes but the sizes
/// filled (`heads`: what {HKV} stands for).
std::string cachedAttention(const std::string &mods, const std::string &heads,
                            WeightStorage cacheType);

/// The fields that spell the weight matrices' element type `storage` in the
/// templates: {WT} the type, {WIDEN} the body line that widens `%wv` to f32
/// (empty for f32), {WV} the f32 value.
std::map<std::string, std::string> weightFields(WeightStorage storage);

/// The check of the token ids of @embed (`{V}` still to fill).
std::string tokenCheck();

/// `%{out}` = `%{in}` [B, S, k] x `%{weight}` (+ `%{bias}` when given) as
/// kLinear spells it, `outIn` for torch's [n, k] layout, the weight stored
/// as `storage`.
std::string linearLayer(const std::string &in, const std::string &out,
                        const std::string &weight, const std::string &bias,
                        int64_t k, int64_t n, bool outIn,
                        WeightStorage storage);

/// The module of a GPT-2 model (GPT2IR.cpp).
std::string gpt2Module(const ::attnc::runtime::ModelConfig &c,
                       int64_t maxSequence, WeightStorage cacheType);

/// The module of a Llama-style decoder: Llama, Qwen2, Qwen3, Mistral,
/// Gemma 2 (DecoderIR.cpp).
std::string decoderModule(const ::attnc::runtime::ModelConfig &c,
                          int64_t maxSequence, WeightStorage storage,
                          WeightStorage cacheType);

} // namespace mlir::attnc::model_ir

#endif // ATTNC_LIB_MODELS_MODELIRTEMPLATES_H
