//===- AttnVerifiers.cpp - attn op verifiers --------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Every verifier message says what was expected and what was found, names the
// operand and the dimension (with its name in the op's layout), and where the
// expected value came from.
//
//===----------------------------------------------------------------------===//

#include "attnc/Dialect/Attn/IR/AttnOps.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/SmallString.h"

#include <cmath>

using namespace mlir;
using namespace mlir::attn;

namespace {

/// A dimension size for messages: `?` for dynamic sizes.
std::string formatDim(int64_t size) {
  return ShapedType::isDynamic(size) ? "?" : std::to_string(size);
}

bool dimsCompatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// Shape checks shared by all attn verifiers. Each check emits one error on
/// `op` and returns failure when the property does not hold. Dynamic sizes are
/// compatible with anything; the lowering checks them at run time.
class ShapeVerifier {
public:
  explicit ShapeVerifier(Operation *op) : op(op) {}

  static RankedTensorType type(Value v) {
    return cast<RankedTensorType>(v.getType());
  }
  static int64_t dim(Value v, unsigned idx) { return type(v).getDimSize(idx); }

  /// `layout` spells the dimension names, e.g. "[B, Hq, Sq, D]".
  LogicalResult rank(Value v, StringRef name, int64_t expected,
                     StringRef layout) {
    if (type(v).getRank() == expected)
      return success();
    return op->emitOpError("expected ")
           << name << " to have rank " << expected << " " << layout
           << ", got rank " << type(v).getRank();
  }

  /// Dimension `idx` (called `dimName`) of `v` must be `expected`, which was
  /// read from `source`.
  LogicalResult dimEq(Value v, StringRef name, unsigned idx, StringRef dimName,
                      int64_t expected, StringRef source) {
    int64_t actual = dim(v, idx);
    if (dimsCompatible(actual, expected))
      return success();
    return op->emitOpError("expected ")
           << name << " dimension " << idx << " (" << dimName << ") to be "
           << expected << " as in " << source << ", got " << actual;
  }

  /// Dimension `idx` of `v` must be known at compile time.
  LogicalResult staticDim(Value v, StringRef name, unsigned idx,
                          StringRef dimName) {
    if (!ShapedType::isDynamic(dim(v, idx)))
      return success();
    return op->emitOpError("expected ") << name << " dimension " << idx << " ("
                                        << dimName << ") to be static";
  }

  /// Dimension `idx` of `v`, when static, must be positive.
  LogicalResult positiveDim(Value v, StringRef name, unsigned idx,
                            StringRef dimName) {
    int64_t size = dim(v, idx);
    if (ShapedType::isDynamic(size) || size > 0)
      return success();
    return op->emitOpError("expected ")
           << name << " dimension " << idx << " (" << dimName
           << ") to be positive, got " << size;
  }

  LogicalResult elementType(Value v, StringRef name, Type expected,
                            StringRef source) {
    Type actual = type(v).getElementType();
    if (actual == expected)
      return success();
    return op->emitOpError("expected ")
           << name << " element type to be " << expected << " as in " << source
           << ", got " << actual;
  }

  /// A KV cache's element type: `expected` (that of the rows it holds),
  /// or f16/bf16 when `expected` is f32 (a low-precision cache).
  LogicalResult cacheElementType(Value cache, StringRef name, Type expected,
                                 StringRef source) {
    Type actual = type(cache).getElementType();
    if (actual == expected ||
        (expected.isF32() && (actual.isF16() || actual.isBF16())))
      return success();
    return op->emitOpError("expected ")
           << name << " element type to be " << expected << " as in " << source
           << (expected.isF32() ? " (or f16/bf16: a low-precision cache)" : "")
           << ", got " << actual;
  }

  LogicalResult sameType(Value v, StringRef name, Value source,
                         StringRef sourceName) {
    if (v.getType() == source.getType())
      return success();
    return op->emitOpError("expected ")
           << name << " type to match " << sourceName << " type "
           << source.getType() << ", got " << v.getType();
  }

  /// `mask` must have the rank of `target` and every dimension 1 or equal to
  /// the target's (a dynamic mask dimension is taken as the full size).
  LogicalResult broadcastableMask(Value mask, ArrayRef<int64_t> target,
                                  ArrayRef<StringRef> dimNames,
                                  StringRef targetLayout) {
    RankedTensorType maskType = type(mask);
    if (maskType.getRank() != static_cast<int64_t>(target.size()))
      return op->emitOpError("expected mask to have rank ")
             << target.size() << " (broadcastable to " << targetLayout
             << "), got rank " << maskType.getRank();
    for (auto [idx, size] : llvm::enumerate(maskType.getShape())) {
      if (size == 1 || dimsCompatible(size, target[idx]))
        continue;
      InFlightDiagnostic diag = op->emitOpError("expected mask dimension ")
                                << idx << " to be 1";
      if (target[idx] != 1)
        diag << " or " << formatDim(target[idx]);
      return diag << " (" << dimNames[idx] << "), got " << size;
    }
    return success();
  }

private:
  Operation *op;
};

/// The attributes shared by attention-like ops.
LogicalResult verifyMaskAttributes(Operation *op,
                                   std::optional<uint64_t> window,
                                   std::optional<APFloat> softcap,
                                   std::optional<APFloat> scale) {
  if (window && static_cast<int64_t>(*window) <= 0)
    return op->emitOpError("expected window to be positive, got ")
           << static_cast<int64_t>(*window);
  if (softcap &&
      (!softcap->isFinite() || softcap->isNegative() || softcap->isZero()))
    return op->emitOpError("expected softcap to be positive and finite, got ")
           << softcap->convertToFloat();
  if (scale && !scale->isFinite())
    return op->emitOpError("expected scale to be finite, got ")
           << scale->convertToFloat();
  return success();
}

/// Checks the head counts of grouped-query attention: both static, the query
/// count a multiple of the key/value count.
LogicalResult verifyHeadGrouping(Operation *op, ShapeVerifier &v, Value query,
                                 Value keyLike, StringRef keyName) {
  if (failed(v.staticDim(query, "query", 1, "Hq")) ||
      failed(v.staticDim(keyLike, keyName, 1, "Hkv")))
    return failure();
  int64_t hq = ShapeVerifier::dim(query, 1);
  int64_t hkv = ShapeVerifier::dim(keyLike, 1);
  if (hkv == 0 || hq % hkv != 0)
    return op->emitOpError("expected the number of query heads (")
           << hq << ") to be a multiple of the number of key/value heads ("
           << hkv << ")";
  return success();
}

/// The default scale 1/sqrt(D) needs a static, non-zero D.
LogicalResult verifyScaleComputable(Operation *op, Value query,
                                    std::optional<APFloat> scale) {
  int64_t headDim = ShapeVerifier::dim(query, 3);
  if (scale || (!ShapedType::isDynamic(headDim) && headDim > 0))
    return success();
  return op->emitOpError("expected a static non-zero head dim (D) or an "
                         "explicit scale, got D = ")
         << formatDim(headDim);
}

/// `a * b` for static sizes, or nullopt (after an error) when the product
/// overflows. Dynamic factors give a dynamic product.
std::optional<int64_t> multiplySizes(Operation *op, int64_t a, int64_t b,
                                     StringRef what) {
  if (ShapedType::isDynamic(a) || ShapedType::isDynamic(b))
    return ShapedType::kDynamic;
  int64_t product;
  if (llvm::MulOverflow(a, b, product) || ShapedType::isDynamic(product)) {
    op->emitOpError("size of ") << what << " overflows: " << a << " * " << b;
    return std::nullopt;
  }
  return product;
}

/// Checks the caches of kv_append and decode_attention against the sizes
/// `batch`, `hkv`, `d` and `dv` read from `source` (dynamic sizes skip the
/// check). Contiguous caches are [B, Hkv, Smax, D]; paged caches are
/// [num_blocks, Hkv, block_size, D] with a [B, max_blocks] block table. The
/// value cache must agree with the key cache on everything but the head dim.
LogicalResult verifyCaches(ShapeVerifier &v, Value keyCache, Value valueCache,
                           Value blockTable, int64_t batch, int64_t hkv,
                           int64_t d, int64_t dv, StringRef source) {
  bool paged = static_cast<bool>(blockTable);
  StringRef keyLayout =
      paged ? "[num_blocks, Hkv, block_size, D]" : "[B, Hkv, Smax, D]";
  StringRef valueLayout =
      paged ? "[num_blocks, Hkv, block_size, Dv]" : "[B, Hkv, Smax, Dv]";
  StringRef dim0 = paged ? "num_blocks" : "B";
  StringRef dim2 = paged ? "block_size" : "Smax";
  auto keyDim = [&](unsigned idx) { return ShapeVerifier::dim(keyCache, idx); };
  if (failed(v.rank(keyCache, "key_cache", 4, keyLayout)) ||
      failed(v.rank(valueCache, "value_cache", 4, valueLayout)))
    return failure();
  if ((!paged &&
       failed(v.dimEq(keyCache, "key_cache", 0, "B", batch, source))) ||
      failed(v.dimEq(keyCache, "key_cache", 1, "Hkv", hkv, source)) ||
      failed(v.dimEq(keyCache, "key_cache", 3, "D", d, source)) ||
      failed(v.dimEq(valueCache, "value_cache", 0, dim0, keyDim(0),
                     "key_cache")) ||
      failed(v.dimEq(valueCache, "value_cache", 1, "Hkv", keyDim(1),
                     "key_cache")) ||
      failed(v.dimEq(valueCache, "value_cache", 2, dim2, keyDim(2),
                     "key_cache")) ||
      failed(v.dimEq(valueCache, "value_cache", 3, "Dv", dv, source)))
    return failure();
  if (!paged)
    return success();
  if (failed(v.staticDim(keyCache, "key_cache", 2, "block_size")) ||
      failed(v.positiveDim(keyCache, "key_cache", 2, "block_size")) ||
      failed(v.rank(blockTable, "block_table", 2, "[B, max_blocks]")) ||
      failed(v.dimEq(blockTable, "block_table", 0, "B", batch, source)))
    return failure();
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// QKVProjOp
//===----------------------------------------------------------------------===//

/// Checks what attn.rope and the RoPE epilogue of attn.qkv_proj share: the
/// positions are `[S]` or `[B, S]` of the rotated `query`, the rotary dim is
/// even and at most the head dim, and theta is positive.
static LogicalResult verifyRopeParameters(Operation *op, Value positions,
                                          Value query, int64_t rotaryDim,
                                          const APFloat &theta) {
  ShapeVerifier v(op);
  int64_t positionsRank = ShapeVerifier::type(positions).getRank();
  if (positionsRank == 1) {
    if (failed(v.dimEq(positions, "positions", 0, "S",
                       ShapeVerifier::dim(query, 2), "query")))
      return failure();
  } else if (positionsRank == 2) {
    if (failed(v.dimEq(positions, "positions", 0, "B",
                       ShapeVerifier::dim(query, 0), "query")) ||
        failed(v.dimEq(positions, "positions", 1, "S",
                       ShapeVerifier::dim(query, 2), "query")))
      return failure();
  } else {
    return op->emitOpError("expected positions to have rank 1 [S] or 2 "
                           "[B, S], got rank ")
           << positionsRank;
  }

  int64_t headDim = ShapeVerifier::dim(query, 3);
  if (rotaryDim <= 0 || rotaryDim % 2 != 0 || rotaryDim > headDim)
    return op->emitOpError("expected an even rotary dim in (0, ")
           << headDim << "], got " << rotaryDim;
  if (!theta.isFinite() || theta.isNegative() || theta.isZero())
    return op->emitOpError("expected theta to be positive and finite, got ")
           << theta.convertToFloat();
  return success();
}

/// Checks a RoPE scaling clause: the kind and its parameters come together,
/// as many as the kind takes, all positive and finite, and for llama3 a
/// high-frequency factor above the low-frequency one.
static LogicalResult verifyRopeScaling(Operation *op,
                                       std::optional<RopeScaling> scaling,
                                       std::optional<ArrayRef<float>> params) {
  if (scaling.has_value() != params.has_value())
    return op->emitOpError("expected rope_scaling and rope_scaling_params "
                           "together, or neither");
  if (!scaling)
    return success();
  size_t expected = *scaling == RopeScaling::Linear ? 1 : 4;
  if (params->size() != expected)
    return op->emitOpError("expected ")
           << expected << " parameters for " << stringifyRopeScaling(*scaling)
           << " rope scaling, got " << params->size();
  for (float value : *params)
    if (!std::isfinite(value) || value <= 0.0f)
      return op->emitOpError("expected positive, finite rope scaling "
                             "parameters, got ")
             << value;
  if (*scaling == RopeScaling::Llama3 && (*params)[2] <= (*params)[1])
    return op->emitOpError("expected high_freq_factor above "
                           "low_freq_factor, got ")
           << (*params)[2] << " <= " << (*params)[1];
  return success();
}

int64_t QKVProjOp::getRotaryDimOrDefault() {
  if (std::optional<uint64_t> rotaryDim = getRotaryDim())
    return static_cast<int64_t>(*rotaryDim);
  return ShapeVerifier::dim(getQueryInit(), 3);
}

LogicalResult QKVProjOp::verify() {
  ShapeVerifier v(*this);
  Value x = getInput();
  if (failed(v.rank(x, "input", 3, "[B, S, Dm]")) ||
      failed(v.rank(getQueryInit(), "query_init", 4, "[B, Hq, S, D]")) ||
      failed(v.rank(getKeyInit(), "key_init", 4, "[B, Hkv, S, D]")) ||
      failed(v.rank(getValueInit(), "value_init", 4, "[B, Hkv, S, Dv]")))
    return failure();

  Type elementType = ShapeVerifier::type(x).getElementType();
  int64_t batch = ShapeVerifier::dim(x, 0);
  int64_t seq = ShapeVerifier::dim(x, 1);
  int64_t modelDim = ShapeVerifier::dim(x, 2);
  struct Output {
    Value init;
    StringRef name, heads, headDim;
  } outputs[] = {{getQueryInit(), "query_init", "Hq", "D"},
                 {getKeyInit(), "key_init", "Hkv", "D"},
                 {getValueInit(), "value_init", "Hkv", "Dv"}};
  for (const Output &out : outputs) {
    if (failed(v.elementType(out.init, out.name, elementType, "input")) ||
        failed(v.dimEq(out.init, out.name, 0, "B", batch, "input")) ||
        failed(v.staticDim(out.init, out.name, 1, out.heads)) ||
        failed(v.dimEq(out.init, out.name, 2, "S", seq, "input")) ||
        failed(v.staticDim(out.init, out.name, 3, out.headDim)))
      return failure();
  }
  if (failed(v.dimEq(getKeyInit(), "key_init", 3, "D",
                     ShapeVerifier::dim(getQueryInit(), 3), "query_init")) ||
      failed(v.dimEq(getValueInit(), "value_init", 1, "Hkv",
                     ShapeVerifier::dim(getKeyInit(), 1), "key_init")))
    return failure();

  // Output columns of each projection, H * D (the factors are static, as
  // checked above), and where they come from.
  SmallVector<int64_t, 3> widths;
  SmallVector<StringRef, 3> widthSources = {
      "Hq * D of query_init", "Hkv * D of key_init", "Hkv * Dv of value_init"};
  for (Value init : {getQueryInit(), getKeyInit(), getValueInit()}) {
    std::optional<int64_t> width =
        multiplySizes(*this, ShapeVerifier::dim(init, 1),
                      ShapeVerifier::dim(init, 3), "a projection (H * D)");
    if (!width)
      return failure();
    widths.push_back(*width);
  }
  size_t numWeights = getWeights().size();
  if (numWeights != 1 && numWeights != 3)
    return emitOpError("expected 1 fused weight or 3 separate weights, got ")
           << numWeights;
  if (!getBiases().empty() && getBiases().size() != numWeights)
    return emitOpError("expected no biases or one per weight (")
           << numWeights << "), got " << getBiases().size();
  if (numWeights == 1) {
    int64_t total;
    if (llvm::AddOverflow(widths[0], widths[1], total) ||
        llvm::AddOverflow(total, widths[2], total))
      return emitOpError("size of the fused projection overflows");
    widths = {total};
    widthSources = {"Hq * D + Hkv * D + Hkv * Dv of the inits"};
  }

  bool transposed = getWeightLayout() == WeightLayout::OutIn;
  StringRef layout = transposed ? "[N, Dm]" : "[Dm, N]";
  unsigned inDim = transposed ? 1 : 0, outDim = transposed ? 0 : 1;
  static constexpr StringRef weightNames[] = {"weight 0", "weight 1",
                                              "weight 2"};
  static constexpr StringRef biasNames[] = {"bias 0", "bias 1", "bias 2"};
  // Weights have the input's element type, or, with f32 activations, are
  // stored in f16/bf16 and widened as they are read (a checkpoint used in
  // place).
  auto weightTypeOk = [&](Value weight, StringRef name) -> LogicalResult {
    Type actual = ShapeVerifier::type(weight).getElementType();
    if (elementType.isF32() && (actual.isF16() || actual.isBF16()))
      return success();
    return v.elementType(weight, name, elementType, "input");
  };
  for (auto [idx, weight] : llvm::enumerate(getWeights())) {
    StringRef name = weightNames[idx];
    if (failed(v.rank(weight, name, 2, layout)) ||
        failed(weightTypeOk(weight, name)) ||
        failed(v.dimEq(weight, name, inDim, "Dm", modelDim, "input")) ||
        failed(
            v.dimEq(weight, name, outDim, "N", widths[idx], widthSources[idx])))
      return failure();
  }
  for (auto [idx, bias] : llvm::enumerate(getBiases())) {
    StringRef name = biasNames[idx];
    if (failed(v.rank(bias, name, 1, "[N]")) ||
        failed(v.elementType(bias, name, elementType, "input")) ||
        failed(v.dimEq(bias, name, 0, "N", widths[idx], widthSources[idx])))
      return failure();
  }

  if (hasRope() != static_cast<bool>(getPositions()))
    return emitOpError("expected a RoPE epilogue to have both a style and "
                       "positions, or neither");
  if (!hasRope()) {
    if (getRopeTheta() || getRotaryDim() || getRopeScaling() ||
        getRopeScalingParams())
      return emitOpError("expected no rope_theta, rotary_dim or rope "
                         "scaling without a RoPE epilogue");
    return success();
  }
  if (failed(
          verifyRopeScaling(*this, getRopeScaling(), getRopeScalingParams())))
    return failure();
  return verifyRopeParameters(*this, getPositions(), getQueryInit(),
                              getRotaryDimOrDefault(),
                              APFloat(getRopeThetaOrDefault()));
}

//===----------------------------------------------------------------------===//
// RopeOp
//===----------------------------------------------------------------------===//

int64_t RopeOp::getRotaryDimOrDefault() {
  if (std::optional<uint64_t> rotaryDim = getRotaryDim())
    return static_cast<int64_t>(*rotaryDim);
  return ShapeVerifier::dim(getQuery(), 3);
}

LogicalResult RopeOp::verify() {
  ShapeVerifier v(*this);
  Value q = getQuery(), k = getKey(), positions = getPositions();
  if (failed(v.rank(q, "query", 4, "[B, Hq, S, D]")) ||
      failed(v.rank(k, "key", 4, "[B, Hkv, S, D]")) ||
      failed(v.elementType(k, "key", ShapeVerifier::type(q).getElementType(),
                           "query")) ||
      failed(v.dimEq(k, "key", 0, "B", ShapeVerifier::dim(q, 0), "query")) ||
      failed(v.dimEq(k, "key", 2, "S", ShapeVerifier::dim(q, 2), "query")) ||
      failed(v.staticDim(q, "query", 3, "D")) ||
      failed(v.dimEq(k, "key", 3, "D", ShapeVerifier::dim(q, 3), "query")) ||
      failed(v.sameType(getQueryInit(), "query_init", q, "query")) ||
      failed(v.sameType(getKeyInit(), "key_init", k, "key")))
    return failure();

  if (failed(
          verifyRopeScaling(*this, getRopeScaling(), getRopeScalingParams())))
    return failure();
  return verifyRopeParameters(*this, positions, q, getRotaryDimOrDefault(),
                              getTheta());
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

float AttentionOp::getScaleOrDefault() {
  if (std::optional<APFloat> scale = getScale())
    return scale->convertToFloat();
  return 1.0f /
         std::sqrt(static_cast<float>(ShapeVerifier::dim(getQuery(), 3)));
}

LogicalResult AttentionOp::verify() {
  ShapeVerifier v(*this);
  Value q = getQuery(), k = getKey(), val = getValue(), init = getInit();
  if (failed(v.rank(q, "query", 4, "[B, Hq, Sq, D]")) ||
      failed(v.rank(k, "key", 4, "[B, Hkv, Skv, D]")) ||
      failed(v.rank(val, "value", 4, "[B, Hkv, Skv, Dv]")) ||
      failed(v.rank(init, "init", 4, "[B, Hq, Sq, Dv]")))
    return failure();

  Type elementType = ShapeVerifier::type(q).getElementType();
  int64_t batch = ShapeVerifier::dim(q, 0), hq = ShapeVerifier::dim(q, 1);
  int64_t sq = ShapeVerifier::dim(q, 2), d = ShapeVerifier::dim(q, 3);
  int64_t hkv = ShapeVerifier::dim(k, 1), skv = ShapeVerifier::dim(k, 2);
  int64_t dv = ShapeVerifier::dim(val, 3);
  if (failed(v.elementType(k, "key", elementType, "query")) ||
      failed(v.elementType(val, "value", elementType, "query")) ||
      failed(v.elementType(init, "init", elementType, "query")) ||
      failed(v.dimEq(k, "key", 0, "B", batch, "query")) ||
      failed(v.dimEq(k, "key", 3, "D", d, "query")) ||
      failed(v.dimEq(val, "value", 0, "B", batch, "query")) ||
      failed(v.dimEq(val, "value", 1, "Hkv", hkv, "key")) ||
      failed(v.dimEq(val, "value", 2, "Skv", skv, "key")) ||
      failed(v.dimEq(init, "init", 0, "B", batch, "query")) ||
      failed(v.dimEq(init, "init", 1, "Hq", hq, "query")) ||
      failed(v.dimEq(init, "init", 2, "Sq", sq, "query")) ||
      failed(v.dimEq(init, "init", 3, "Dv", dv, "value")) ||
      failed(verifyHeadGrouping(*this, v, q, k, "key")) ||
      failed(
          verifyMaskAttributes(*this, getWindow(), getSoftcap(), getScale())) ||
      failed(verifyScaleComputable(*this, q, getScale())))
    return failure();
  if (Value mask = getMask())
    return v.broadcastableMask(mask, {batch, hq, sq, skv},
                               {"B", "Hq", "Sq", "Skv"}, "[B, Hq, Sq, Skv]");
  return success();
}

//===----------------------------------------------------------------------===//
// MaskedSoftmaxOp
//===----------------------------------------------------------------------===//

LogicalResult MaskedSoftmaxOp::verify() {
  ShapeVerifier v(*this);
  Value input = getInput();
  RankedTensorType inputType = ShapeVerifier::type(input);
  if (inputType.getRank() < 2)
    return emitOpError("expected input to have rank >= 2 [..., Sq, Skv], "
                       "got rank ")
           << inputType.getRank();
  if (failed(v.sameType(getInit(), "init", input, "input")) ||
      failed(
          verifyMaskAttributes(*this, getWindow(), getSoftcap(), getScale())))
    return failure();
  if (Value mask = getMask()) {
    int64_t rank = inputType.getRank();
    SmallVector<StringRef> names(rank, "batch");
    names[rank - 2] = "Sq";
    names[rank - 1] = "Skv";
    return v.broadcastableMask(mask, inputType.getShape(), names, "the input");
  }
  return success();
}

//===----------------------------------------------------------------------===//
// OutProjOp
//===----------------------------------------------------------------------===//

LogicalResult OutProjOp::verify() {
  ShapeVerifier v(*this);
  Value x = getInput(), w = getWeight(), init = getInit();
  bool transposed = getWeightLayout() == WeightLayout::OutIn;
  if (failed(v.rank(x, "input", 4, "[B, H, S, Dv]")) ||
      failed(v.rank(w, "weight", 2,
                    transposed ? "[Dm, H * Dv]" : "[H * Dv, Dm]")) ||
      failed(v.rank(init, "init", 3, "[B, S, Dm]")))
    return failure();
  Type elementType = ShapeVerifier::type(x).getElementType();
  int64_t modelDim = ShapeVerifier::dim(init, 2);
  if (failed(v.staticDim(x, "input", 1, "H")) ||
      failed(v.staticDim(x, "input", 3, "Dv")))
    return failure();
  std::optional<int64_t> width =
      multiplySizes(*this, ShapeVerifier::dim(x, 1), ShapeVerifier::dim(x, 3),
                    "the merged heads (H * Dv)");
  if (!width || failed(v.elementType(w, "weight", elementType, "input")) ||
      failed(v.elementType(init, "init", elementType, "input")) ||
      failed(v.dimEq(w, "weight", transposed ? 1 : 0, "H * Dv", *width,
                     "input")) ||
      failed(
          v.dimEq(w, "weight", transposed ? 0 : 1, "Dm", modelDim, "init")) ||
      failed(
          v.dimEq(init, "init", 0, "B", ShapeVerifier::dim(x, 0), "input")) ||
      failed(v.dimEq(init, "init", 1, "S", ShapeVerifier::dim(x, 2), "input")))
    return failure();
  if (Value bias = getBias()) {
    if (failed(v.rank(bias, "bias", 1, "[Dm]")) ||
        failed(v.elementType(bias, "bias", elementType, "input")) ||
        failed(v.dimEq(bias, "bias", 0, "Dm", modelDim, "init")))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// KVAppendOp
//===----------------------------------------------------------------------===//

LogicalResult KVAppendOp::verify() {
  ShapeVerifier v(*this);
  Value k = getKey(), val = getValue(), start = getStart();
  if (failed(v.rank(k, "key", 4, "[B, Hkv, Snew, D]")) ||
      failed(v.rank(val, "value", 4, "[B, Hkv, Snew, Dv]")))
    return failure();
  Type elementType = ShapeVerifier::type(k).getElementType();
  int64_t batch = ShapeVerifier::dim(k, 0), hkv = ShapeVerifier::dim(k, 1);
  if (failed(v.elementType(val, "value", elementType, "key")) ||
      failed(v.dimEq(val, "value", 0, "B", batch, "key")) ||
      failed(v.dimEq(val, "value", 1, "Hkv", hkv, "key")) ||
      failed(
          v.dimEq(val, "value", 2, "Snew", ShapeVerifier::dim(k, 2), "key")) ||
      failed(v.rank(start, "start", 1, "[B]")) ||
      failed(v.dimEq(start, "start", 0, "B", batch, "key")) ||
      failed(verifyCaches(v, getKeyCache(), getValueCache(), getBlockTable(),
                          batch, hkv, ShapeVerifier::dim(k, 3),
                          ShapeVerifier::dim(val, 3), "key")) ||
      failed(v.cacheElementType(getKeyCache(), "key_cache", elementType,
                                "key")) ||
      failed(v.cacheElementType(getValueCache(), "value_cache", elementType,
                                "key")) ||
      failed(v.elementType(getValueCache(), "value_cache",
                           ShapeVerifier::type(getKeyCache()).getElementType(),
                           "key_cache")))
    return failure();
  // The key and value sides agree where both are static; take whichever is.
  auto staticOf = [](int64_t a, int64_t b) {
    return ShapedType::isDynamic(a) ? b : a;
  };
  int64_t newRows =
      staticOf(ShapeVerifier::dim(k, 2), ShapeVerifier::dim(val, 2));
  int64_t capacity = staticOf(ShapeVerifier::dim(getKeyCache(), 2),
                              ShapeVerifier::dim(getValueCache(), 2));
  if (!isPaged() && !ShapedType::isDynamic(newRows) &&
      !ShapedType::isDynamic(capacity) && newRows > capacity)
    return emitOpError("expected at most Smax (")
           << capacity << ") new rows, got " << newRows;
  return success();
}

//===----------------------------------------------------------------------===//
// DecodeAttentionOp
//===----------------------------------------------------------------------===//

float DecodeAttentionOp::getScaleOrDefault() {
  if (std::optional<APFloat> scale = getScale())
    return scale->convertToFloat();
  return 1.0f /
         std::sqrt(static_cast<float>(ShapeVerifier::dim(getQuery(), 3)));
}

LogicalResult DecodeAttentionOp::verify() {
  ShapeVerifier v(*this);
  Value q = getQuery(), init = getInit(), lens = getSeqLens();
  Value keyCache = getKeyCache(), valueCache = getValueCache();
  if (failed(v.rank(q, "query", 4, "[B, Hq, Sq, D]")) ||
      failed(v.rank(init, "init", 4, "[B, Hq, Sq, Dv]")))
    return failure();
  Type elementType = ShapeVerifier::type(q).getElementType();
  int64_t batch = ShapeVerifier::dim(q, 0);
  if (failed(verifyCaches(v, keyCache, valueCache, getBlockTable(), batch,
                          /*hkv=*/ShapedType::kDynamic,
                          ShapeVerifier::dim(q, 3),
                          /*dv=*/ShapedType::kDynamic, "query")) ||
      failed(v.cacheElementType(keyCache, "key_cache", elementType,
                                "query")) ||
      failed(v.elementType(valueCache, "value_cache",
                           ShapeVerifier::type(keyCache).getElementType(),
                           "key_cache")) ||
      failed(v.elementType(init, "init", elementType, "query")) ||
      failed(v.dimEq(init, "init", 0, "B", batch, "query")) ||
      failed(
          v.dimEq(init, "init", 1, "Hq", ShapeVerifier::dim(q, 1), "query")) ||
      failed(
          v.dimEq(init, "init", 2, "Sq", ShapeVerifier::dim(q, 2), "query")) ||
      failed(v.dimEq(init, "init", 3, "Dv", ShapeVerifier::dim(valueCache, 3),
                     "value_cache")) ||
      failed(v.rank(lens, "seq_lens", 1, "[B]")) ||
      failed(v.dimEq(lens, "seq_lens", 0, "B", batch, "query")) ||
      failed(verifyHeadGrouping(*this, v, q, keyCache, "key_cache")) ||
      failed(
          verifyMaskAttributes(*this, getWindow(), getSoftcap(), getScale())) ||
      failed(verifyScaleComputable(*this, q, getScale())))
    return failure();
  return success();
}
