//===- DecompositionUtils.h - helpers for reference lowerings ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Building blocks shared by the AggregatedOpInterface implementations of the
// attn ops: f32 accumulators in destination-passing style, element-wise and
// row-reduction linalg.generic ops, score masking and a numerically stable
// softmax. All of them work on tensors and accept dynamic sizes.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LIB_DIALECT_ATTN_IR_DECOMPOSITION_DECOMPOSITIONUTILS_H
#define ATTNC_LIB_DIALECT_ATTN_IR_DECOMPOSITION_DECOMPOSITIONUTILS_H

#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir::attn::decomposition {

using BodyBuilder = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// Extends (or truncates) a scalar float to `type`; no-op when equal.
Value convertFloat(OpBuilder &b, Location loc, Value value, Type type);

/// Converts an integer scalar (i32/i64) to `index`.
Value toIndex(OpBuilder &b, Location loc, Value value);

/// The sizes of `tensor` as OpFoldResults (static where known).
SmallVector<OpFoldResult> getSizes(OpBuilder &b, Location loc, Value tensor);

/// Dimension `dim` of `tensor` as an index value: a constant when static.
Value getDimValue(OpBuilder &b, Location loc, Value tensor, int64_t dim);

/// A `tensor.empty` of f32 with the given sizes.
Value createEmptyF32(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes);

/// Storage for an f32 accumulator shaped like `init`: `init` itself when it
/// holds f32, a fresh tensor otherwise.
Value getAccumulatorStorage(OpBuilder &b, Location loc, Value init);

/// An f32 accumulator shaped like `init` and filled with `value`: `init`
/// itself when it already holds f32, a fresh tensor otherwise. Pair it with
/// `storeToInit`.
Value createAccumulator(OpBuilder &b, Location loc, Value init, float value);

/// Writes the f32 `acc` into `init` converting the element type, or returns
/// `acc` when it already is `init`'s type.
Value storeToInit(OpBuilder &b, Location loc, Value acc, Value init);

/// An identity-indexed element-wise linalg.generic over `init`'s shape:
/// `body(inputs..., out)` returns the new element. Maps of the inputs default
/// to the identity; pass `inputMaps` for broadcasts.
Value buildElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                       Value init, BodyBuilder body,
                       ArrayRef<AffineMap> inputMaps = {});

/// Reduces the last dimension of the f32 `input` with `combine(acc, x)`,
/// starting from `initialValue`; the result drops the last dimension.
Value reduceLastDim(OpBuilder &b, Location loc, Value input, float initialValue,
                    BodyBuilder combine);

/// The masking rules of attn.attention / masked_softmax / decode_attention.
struct ScoreMask {
  float scale = 1.0f;
  std::optional<float> softcap;
  bool causal = false;
  std::optional<int64_t> window;
  /// Optional mask operand with the rank of the scores; i1 keeps where true,
  /// floats are added. Static size-1 dimensions broadcast.
  Value mask;
  /// Optional [B] sequence lengths (decode): keys at j >= len[b] are masked
  /// and query i sits at len[b] - Sq + i instead of Skv - Sq + i. Dimension 0
  /// of the scores is the batch.
  Value seqLens;
};

/// The attribute part of a ScoreMask, read from any op with the attention
/// mask attributes (attention, masked_softmax, decode_attention).
template <typename OpTy> ScoreMask getScoreMaskAttributes(OpTy op) {
  ScoreMask spec;
  spec.scale = op.getScaleOrDefault();
  if (std::optional<APFloat> softcap = op.getSoftcap())
    spec.softcap = softcap->convertToFloat();
  spec.causal = op.getCausal();
  if (std::optional<uint64_t> window = op.getWindow())
    spec.window = static_cast<int64_t>(*window);
  return spec;
}

/// Applies `spec` to f32 `scores` of shape [..., Sq, Skv]: returns the scaled,
/// soft-capped scores with the additive mask added and -inf where masked.
Value applyScoreMask(OpBuilder &b, Location loc, Value scores,
                     const ScoreMask &spec);

/// Softmax over the last dimension of the f32 `scores`, stabilised by the row
/// maximum; a row that is -inf everywhere yields zeros.
Value softmaxLastDim(OpBuilder &b, Location loc, Value scores);

/// softmax(mask(scores)) @ value for f32 scores [B, Hq, Sq, Skv] and
/// value [B, Hkv, Skv, Dv] with Hq = groups * Hkv, written into `init`.
Value attendValues(OpBuilder &b, Location loc, Value probabilities, Value value,
                   int64_t groups, Value init);

/// acc + sum over the reduction loops of lhs * rhs (converted to f32): a
/// linalg.generic whose last `numReductions` loops reduce, with `maps` for
/// lhs, rhs and acc.
Value buildContraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       Value acc, ArrayRef<AffineMap> maps,
                       int64_t numReductions);

/// scale-free f32 scores Q K^T for Q [B, Hq, Sq, D] and K [B, Hkv, Skv, D].
Value computeScores(OpBuilder &b, Location loc, Value query, Value key,
                    int64_t groups);

/// Emits a run-time check: `cf.assert` of `condition` with `message`.
/// Rotary embedding of `input` [B, H, S, D] into `init` (same shape, not
/// the same tensor: each component reads its partner from `input`), as
/// attn.rope defines it.
Value buildRotation(OpBuilder &b, Location loc, Value input, Value positions,
                    Value init, RopeStyle style, float theta,
                    int64_t rotaryDim, std::optional<RopeScaling> scaling,
                    ArrayRef<float> scalingParams);

void emitRuntimeCheck(OpBuilder &b, Location loc, Value condition,
                      StringRef message);

} // namespace mlir::attn::decomposition

#endif // ATTNC_LIB_DIALECT_ATTN_IR_DECOMPOSITION_DECOMPOSITIONUTILS_H
