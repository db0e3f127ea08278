//===- DecompositionUtils.cpp - helpers for reference lowerings -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"

#include <limits>

using namespace mlir;

namespace mlir::attn::decomposition {

Value convertFloat(OpBuilder &b, Location loc, Value value, Type type) {
  Type from = value.getType();
  if (from == type)
    return value;
  if (from.getIntOrFloatBitWidth() < type.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, type, value);
  return arith::TruncFOp::create(b, loc, type, value);
}

Value toIndex(OpBuilder &b, Location loc, Value value) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
}

SmallVector<OpFoldResult> getSizes(OpBuilder &b, Location loc, Value tensor) {
  return tensor::getMixedSizes(b, loc, tensor);
}

Value getDimValue(OpBuilder &b, Location loc, Value tensor, int64_t dim) {
  return getValueOrCreateConstantIndexOp(
      b, loc, tensor::getMixedSize(b, loc, tensor, dim));
}

Value createEmptyF32(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes) {
  return tensor::EmptyOp::create(b, loc, sizes, b.getF32Type());
}

Value getAccumulatorStorage(OpBuilder &b, Location loc, Value init) {
  auto initType = cast<RankedTensorType>(init.getType());
  if (initType.getElementType().isF32())
    return init;
  return createEmptyF32(b, loc, getSizes(b, loc, init));
}

Value createAccumulator(OpBuilder &b, Location loc, Value init, float value) {
  Value dest = getAccumulatorStorage(b, loc, init);
  Value fillValue = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
  return linalg::FillOp::create(b, loc, fillValue, dest).getResult(0);
}

Value storeToInit(OpBuilder &b, Location loc, Value acc, Value init) {
  if (acc.getType() == init.getType())
    return acc;
  Type elementType = cast<RankedTensorType>(init.getType()).getElementType();
  return buildElementwise(b, loc, acc, init,
                          [&](OpBuilder &nb, Location nl, ValueRange args) {
                            return convertFloat(nb, nl, args[0], elementType);
                          });
}

Value buildElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                       Value init, BodyBuilder body,
                       ArrayRef<AffineMap> inputMaps) {
  int64_t rank = cast<RankedTensorType>(init.getType()).getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<AffineMap> maps(inputMaps);
  maps.resize(inputs.size(), identity);
  maps.push_back(identity);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, body(nb, nl, args));
      });
  return generic.getResult(0);
}

Value reduceLastDim(OpBuilder &b, Location loc, Value input, float initialValue,
                    BodyBuilder combine) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, input);
  sizes.pop_back();
  Value init = createEmptyF32(b, loc, sizes);
  Value start =
      arith::ConstantOp::create(b, loc, b.getF32FloatAttr(initialValue));
  init = linalg::FillOp::create(b, loc, start, init).getResult(0);

  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      b.getMultiDimIdentityMap(rank).dropResult(rank - 1)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.back() = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), input, init, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        // combine(acc, x)
        linalg::YieldOp::create(nb, nl, combine(nb, nl, {args[1], args[0]}));
      });
  return generic.getResult(0);
}

/// The indexing map of a broadcastable operand of rank `rank`: static
/// size-1 dimensions read index 0.
static AffineMap getBroadcastMap(OpBuilder &b, RankedTensorType type) {
  SmallVector<AffineExpr> exprs;
  for (auto [idx, size] : llvm::enumerate(type.getShape()))
    exprs.push_back(size == 1 ? b.getAffineConstantExpr(0)
                              : b.getAffineDimExpr(idx));
  return AffineMap::get(type.getRank(), 0, exprs, b.getContext());
}

Value applyScoreMask(OpBuilder &b, Location loc, Value scores,
                     const ScoreMask &spec) {
  auto scoresType = cast<RankedTensorType>(scores.getType());
  int64_t rank = scoresType.getRank();
  bool usesPositions = spec.causal || spec.window || spec.seqLens;
  Value numQueries, numKeys;
  if (usesPositions) {
    numQueries = getDimValue(b, loc, scores, rank - 2);
    numKeys = getDimValue(b, loc, scores, rank - 1);
  }

  SmallVector<Value> inputs = {scores};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  if (spec.mask) {
    inputs.push_back(spec.mask);
    maps.push_back(
        getBroadcastMap(b, cast<RankedTensorType>(spec.mask.getType())));
  }
  if (spec.seqLens) {
    inputs.push_back(spec.seqLens);
    maps.push_back(AffineMap::get(rank, 0, b.getAffineDimExpr(0)));
  }

  // The output reuses the scores' storage: one f32 tensor of the same shape.
  Value init = createEmptyF32(b, loc, getSizes(b, loc, scores));
  return buildElementwise(
      b, loc, inputs, init,
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Type f32 = nb.getF32Type();
        Value s = arith::MulFOp::create(
            nb, nl, args[0],
            arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(spec.scale)));
        if (spec.softcap) {
          Value cap = arith::ConstantOp::create(
              nb, nl, nb.getF32FloatAttr(*spec.softcap));
          s = arith::MulFOp::create(
              nb, nl, cap,
              math::TanhOp::create(nb, nl,
                                   arith::DivFOp::create(nb, nl, s, cap)));
        }

        // `keep` collects every rule that can hide a key; null means "keep".
        Value keep;
        auto conjoin = [&](Value cond) {
          keep = keep ? arith::AndIOp::create(nb, nl, keep, cond) : cond;
        };
        unsigned nextArg = 1;
        if (spec.mask) {
          Value m = args[nextArg++];
          if (m.getType().isInteger(1))
            conjoin(m);
          else
            s = arith::AddFOp::create(nb, nl, s, convertFloat(nb, nl, m, f32));
        }

        if (usesPositions) {
          Value i = linalg::IndexOp::create(nb, nl, rank - 2);
          Value j = linalg::IndexOp::create(nb, nl, rank - 1);
          // Absolute position of query row i: the last Sq of `length` keys.
          Value length = numKeys;
          if (spec.seqLens) {
            length = toIndex(nb, nl, args[nextArg++]);
            conjoin(arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, j,
                                          length));
          }
          Value queryPos = arith::AddIOp::create(
              nb, nl, arith::SubIOp::create(nb, nl, length, numQueries), i);
          if (spec.causal)
            conjoin(arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sle, j,
                                          queryPos));
          if (spec.window) {
            Value window = arith::ConstantIndexOp::create(nb, nl, *spec.window);
            Value behind = arith::SubIOp::create(nb, nl, queryPos, j);
            conjoin(arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt,
                                          behind, window));
            if (!spec.causal) {
              Value ahead = arith::SubIOp::create(nb, nl, j, queryPos);
              conjoin(arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt,
                                            ahead, window));
            }
          }
        }
        if (!keep)
          return s;
        Value minusInf = arith::ConstantOp::create(
            nb, nl,
            nb.getF32FloatAttr(-std::numeric_limits<float>::infinity()));
        return arith::SelectOp::create(nb, nl, keep, s, minusInf);
      },
      maps);
}

Value softmaxLastDim(OpBuilder &b, Location loc, Value scores) {
  int64_t rank = cast<RankedTensorType>(scores.getType()).getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap rowMap = identity.dropResult(rank - 1);

  Value rowMax = reduceLastDim(
      b, loc, scores, -std::numeric_limits<float>::infinity(),
      [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        return arith::MaximumFOp::create(nb, nl, args[0], args[1]);
      });

  // exp(s - max), with 0 for rows whose max is -inf (every key masked):
  // exp(-inf - -inf) would be NaN.
  Value exps = buildElementwise(
      b, loc, {scores, rowMax},
      createEmptyF32(b, loc, getSizes(b, loc, scores)),
      [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value minusInf = arith::ConstantOp::create(
            nb, nl,
            nb.getF32FloatAttr(-std::numeric_limits<float>::infinity()));
        Value zero = arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(0));
        Value fullyMasked = arith::CmpFOp::create(
            nb, nl, arith::CmpFPredicate::OEQ, args[1], minusInf);
        Value e = math::ExpOp::create(
            nb, nl, arith::SubFOp::create(nb, nl, args[0], args[1]));
        return arith::SelectOp::create(nb, nl, fullyMasked, zero, e);
      },
      {identity, rowMap});

  Value rowSum =
      reduceLastDim(b, loc, exps, 0.0f,
                    [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                      return arith::AddFOp::create(nb, nl, args[0], args[1]);
                    });

  // e / sum, and 0 where the sum is 0 (fully masked row).
  return buildElementwise(
      b, loc, {exps, rowSum}, createEmptyF32(b, loc, getSizes(b, loc, scores)),
      [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value zero = arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(0));
        Value empty = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ,
                                            args[1], zero);
        Value p = arith::DivFOp::create(nb, nl, args[0], args[1]);
        return arith::SelectOp::create(nb, nl, empty, zero, p);
      },
      {identity, rowMap});
}

/// `h floordiv groups`, or `h` when there is one query head per KV head.
static AffineExpr kvHead(AffineExpr h, int64_t groups) {
  return groups == 1 ? h : h.floorDiv(groups);
}

Value buildContraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       Value acc, ArrayRef<AffineMap> maps,
                       int64_t numReductions) {
  int64_t numLoops = maps.front().getNumDims();
  SmallVector<utils::IteratorType> iterators(numLoops - numReductions,
                                             utils::IteratorType::parallel);
  iterators.append(numReductions, utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, acc.getType(), ValueRange{lhs, rhs}, acc, maps, iterators,
             [](OpBuilder &nb, Location nl, ValueRange args) {
               Type f32 = nb.getF32Type();
               Value product = arith::MulFOp::create(
                   nb, nl, convertFloat(nb, nl, args[0], f32),
                   convertFloat(nb, nl, args[1], f32));
               Value sum = arith::AddFOp::create(nb, nl, args[2], product);
               linalg::YieldOp::create(nb, nl, sum);
             })
      .getResult(0);
}

Value computeScores(OpBuilder &b, Location loc, Value query, Value key,
                    int64_t groups) {
  // Loops (b, h, i, j, d); d is the reduction.
  MLIRContext *ctx = b.getContext();
  AffineExpr db, dh, di, dj, dd;
  bindDims(ctx, db, dh, di, dj, dd);
  SmallVector<AffineMap> maps = {
      AffineMap::get(5, 0, {db, dh, di, dd}, ctx),
      AffineMap::get(5, 0, {db, kvHead(dh, groups), dj, dd}, ctx),
      AffineMap::get(5, 0, {db, dh, di, dj}, ctx)};
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, query);
  sizes[3] = tensor::getMixedSize(b, loc, key, 2);
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  Value init =
      linalg::FillOp::create(b, loc, zero, createEmptyF32(b, loc, sizes))
          .getResult(0);
  return buildContraction(b, loc, query, key, init, maps,
                          /*numReductions=*/1);
}

Value attendValues(OpBuilder &b, Location loc, Value probabilities, Value value,
                   int64_t groups, Value init) {
  // Loops (b, h, i, e, j); j is the reduction.
  MLIRContext *ctx = b.getContext();
  AffineExpr db, dh, di, de, dj;
  bindDims(ctx, db, dh, di, de, dj);
  SmallVector<AffineMap> maps = {
      AffineMap::get(5, 0, {db, dh, di, dj}, ctx),
      AffineMap::get(5, 0, {db, kvHead(dh, groups), dj, de}, ctx),
      AffineMap::get(5, 0, {db, dh, di, de}, ctx)};
  Value acc = createAccumulator(b, loc, init, 0.0f);
  Value result = buildContraction(b, loc, probabilities, value, acc, maps,
                                  /*numReductions=*/1);
  return storeToInit(b, loc, result, init);
}

void emitRuntimeCheck(OpBuilder &b, Location loc, Value condition,
                      StringRef message) {
  cf::AssertOp::create(b, loc, condition, message);
}

} // namespace mlir::attn::decomposition
