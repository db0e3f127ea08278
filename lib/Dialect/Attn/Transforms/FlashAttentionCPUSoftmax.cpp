//===- FlashAttentionCPUSoftmax.cpp - scores, masks, online softmax C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The per-block half of attn-flash-cpu's key loop (FlashAttentionCPU.cpp has
// the algorithm): the f32 and widened scores of a register tile, its masks
// (the mask operand; causal, window and the end of the keys on edge blocks
// only), and the online softmax, whose running maxima and sums live in two
// vectors per tile, row r in lanes [r * w, (r + 1) * w), reduced for all
// rows at once (reduceRows).
//
//===----------------------------------------------------------------------===//

#include "FlashKernelBuilder.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::attn;

SmallVector<Value> FlashKernelBuilder::computeScores(Value b0, Value h,
                                                     Value kvHead,
                                                     const QueryTile &tile,
                                                     Value j0) {
  // acc[r * 2 + c] holds keys j0 + c * VL ... for query row r.
  ArrayRef<Value> rows = tile.rows;
  Value zero = arith::ConstantOp::create(b, vecType,
                                         DenseElementsAttr::get(vecType, 0.0f));
  SmallVector<Value> init(2 * br, zero);
  Value block = arith::DivUIOp::create(b, j0, index(bc));
  Value padding = f32Const(0.0f);
  auto loop = scf::ForOp::create(
      b, index(0), index(headDim), index(1), init,
      [&](OpBuilder &nb, Location nl, Value d, ValueRange accs) {
        ImplicitLocOpBuilder lb(nl, nb);
        // Keys past Skv are zero padding; the mask removes them.
        Value k0 = vector::TransferReadOp::create(
            lb, vecType, keysT,
            ValueRange{b0, kvHead, block, d,
                       arith::ConstantIndexOp::create(lb, 0)},
            padding, ArrayRef<bool>{true});
        Value k1 = vector::TransferReadOp::create(
            lb, vecType, keysT,
            ValueRange{b0, kvHead, block, d,
                       arith::ConstantIndexOp::create(lb, vl)},
            padding, ArrayRef<bool>{true});
        SmallVector<Value> next;
        for (int64_t r = 0; r < br; ++r) {
          // f32 queries are read in place; others from the widened tile.
          Value q =
              widen(lb, lb.getLoc(),
                    queryTile ? memref::LoadOp::create(
                                    lb, queryTile,
                                    ValueRange{arith::ConstantIndexOp::create(
                                                   lb, tile.index * br + r),
                                               d})
                                    .getResult()
                              : tensor::ExtractOp::create(
                                    lb, queries, ValueRange{b0, h, rows[r], d})
                                    .getResult());
          Value qv = vector::BroadcastOp::create(lb, vecType, q);
          next.push_back(
              vector::FMAOp::create(lb, vecType, qv, k0, accs[2 * r]));
          next.push_back(
              vector::FMAOp::create(lb, vecType, qv, k1, accs[2 * r + 1]));
        }
        scf::YieldOp::create(lb, next);
      });
  return scaleScores(loop.getResults());
}

SmallVector<Value> FlashKernelBuilder::scaleScores(ValueRange accs) {
  // Scaling the 2 * Br score vectors of a block costs less than a pass over
  // Q.
  Value scale =
      vector::BroadcastOp::create(b, vecType, f32Const(op.getScaleOrDefault()));
  SmallVector<Value> scaled;
  std::optional<APFloat> softcap = op.getSoftcap();
  Value cap, invCap;
  if (softcap) {
    float c = softcap->convertToFloat();
    cap = vector::BroadcastOp::create(b, vecType, f32Const(c));
    invCap = vector::BroadcastOp::create(b, vecType, f32Const(1.0f / c));
  }
  for (Value acc : accs) {
    Value s = arith::MulFOp::create(b, acc, scale);
    // cap * tanh(s / cap), with tanh approximated by attnc-approximate-math.
    if (softcap)
      s = arith::MulFOp::create(
          b, cap, math::TanhOp::create(b, arith::MulFOp::create(b, s, invCap)));
    scaled.push_back(s);
  }
  return scaled;
}

SmallVector<Value> FlashKernelBuilder::applyMaskOperand(ArrayRef<Value> scores,
                                                        Value b0, Value h,
                                                        ArrayRef<Value> rows,
                                                        Value j0) {
  // The mask is broadcastable to [B, Hq, Sq, Skv]: a static size-1 dim reads
  // index 0. An i1 mask keeps where true; a float mask is added. Keys past
  // Skv read padding; the positional mask hides them.
  Value mask = widenedMask ? widenedMask : op.getMask();
  auto maskType = cast<RankedTensorType>(mask.getType());
  Type elementType = maskType.getElementType();
  bool keepMask = elementType.isInteger(8);
  auto at = [&](int64_t dimIdx, Value idx) {
    return maskType.getDimSize(dimIdx) == 1 ? index(0) : idx;
  };
  bool keysBroadcast = maskType.getDimSize(3) == 1;
  auto maskVecType = VectorType::get({vl}, elementType);
  Value padding =
      arith::ConstantOp::create(b, b.getZeroAttr(elementType)).getResult();
  Value minusInfV = vector::BroadcastOp::create(b, vecType, minusInf);
  SmallVector<Value> result;
  for (int64_t r = 0; r < br; ++r) {
    for (int64_t c = 0; c < 2; ++c) {
      Value key = arith::AddIOp::create(b, j0, index(c * vl));
      SmallVector<Value> indices = {at(0, b0), at(1, h), at(2, rows[r]),
                                    at(3, key)};
      Value m;
      if (keysBroadcast)
        m = vector::BroadcastOp::create(
            b, maskVecType, tensor::ExtractOp::create(b, mask, indices));
      else
        m = vector::TransferReadOp::create(b, maskVecType, mask, indices,
                                           padding, ArrayRef<bool>{false});
      Value s = scores[2 * r + c];
      if (keepMask) {
        Value keep = arith::CmpIOp::create(
            b, arith::CmpIPredicate::ne, m,
            arith::ConstantOp::create(
                b, DenseElementsAttr::get(maskVecType,
                                          b.getI8IntegerAttr(0).getValue())));
        result.push_back(arith::SelectOp::create(b, keep, s, minusInfV));
        continue;
      }
      if (!elementType.isF32())
        m = arith::ExtFOp::create(b, vecType, m);
      result.push_back(arith::AddFOp::create(b, s, m));
    }
  }
  return result;
}

SmallVector<Value> FlashKernelBuilder::maskScores(ArrayRef<Value> scores,
                                                  Value j0,
                                                  ArrayRef<Value> positions) {
  // Key indices of the two vectors, as i64 lanes.
  auto indexVecType = VectorType::get({vl}, b.getI64Type());
  SmallVector<Value> keyIdx;
  Value step =
      vector::StepOp::create(b, VectorType::get({vl}, b.getIndexType()));
  for (int64_t c = 0; c < 2; ++c) {
    Value base = arith::AddIOp::create(b, j0, index(c * vl));
    Value lanes = arith::AddIOp::create(
        b, vector::BroadcastOp::create(b, step.getType(), base), step);
    keyIdx.push_back(arith::IndexCastOp::create(b, indexVecType, lanes));
  }
  auto splat = [&](Value scalar) {
    return vector::BroadcastOp::create(
        b, indexVecType, arith::IndexCastOp::create(b, b.getI64Type(), scalar));
  };
  Value numKeysV = splat(numKeys);
  Value minusInfV = vector::BroadcastOp::create(b, vecType, minusInf);

  MaskSpec mask{op.getCausal(), op.getWindow()};
  SmallVector<Value> masked;
  for (int64_t r = 0; r < br; ++r) {
    Value pos = splat(positions[r]);
    for (int64_t c = 0; c < 2; ++c) {
      Value keep = isKeyVisible(b, b.getLoc(), mask, pos, keyIdx[c], numKeysV);
      masked.push_back(
          arith::SelectOp::create(b, keep, scores[2 * r + c], minusInfV));
    }
  }
  return masked;
}

int64_t FlashKernelBuilder::getStatLanesPerRow() const {
  return vl / static_cast<int64_t>(llvm::PowerOf2Ceil(br));
}

Value FlashKernelBuilder::reduceRows(ArrayRef<Value> rows, bool max) {
  // Rows padded to a power of two with the identity. Each step merges
  // pairs of vectors: with g rows per vector in segments of s lanes, the
  // low halves of the segments of both meet their high halves, which
  // leaves 2g rows in segments of s / 2 (lanes never cross rows). Then,
  // within each final segment, lanes meet their partners until every lane
  // holds its row's result.
  auto combine = [&](Value x, Value y) -> Value {
    return max ? maxScore(x, y)
               : arith::AddFOp::create(b, x, y, arith::FastMathFlags::reassoc)
                     .getResult();
  };
  SmallVector<Value> vectors(rows);
  vectors.resize(
      llvm::PowerOf2Ceil(rows.size()),
      vector::BroadcastOp::create(b, vecType, max ? minusInf : f32Const(0.0f)));
  int64_t segment = vl;
  for (int64_t group = 1; vectors.size() > 1; group *= 2, segment /= 2) {
    SmallVector<int64_t> low, high;
    for (int64_t operand = 0; operand < 2; ++operand)
      for (int64_t g = 0; g < group; ++g)
        for (int64_t i = 0; i < segment / 2; ++i) {
          low.push_back(operand * vl + g * segment + i);
          high.push_back(operand * vl + g * segment + segment / 2 + i);
        }
    SmallVector<Value> merged;
    for (size_t i = 0; i < vectors.size(); i += 2)
      merged.push_back(combine(
          vector::ShuffleOp::create(b, vectors[i], vectors[i + 1], low),
          vector::ShuffleOp::create(b, vectors[i], vectors[i + 1], high)));
    vectors = std::move(merged);
  }
  Value v = vectors.front();
  for (int64_t half = segment / 2; half >= 1; half /= 2) {
    SmallVector<int64_t> partner;
    for (int64_t lane = 0; lane < vl; ++lane)
      partner.push_back(lane ^ half);
    v = combine(v, vector::ShuffleOp::create(b, v, v, partner));
  }
  return v;
}

Value FlashKernelBuilder::statLane(Value statsTile, int64_t which,
                                   int64_t row) {
  Value lane = memref::LoadOp::create(
      b, statsTile,
      ValueRange{index(which), index(row * getStatLanesPerRow())});
  return vector::BroadcastOp::create(b, vecType, lane);
}

SmallVector<Value> FlashKernelBuilder::softmaxBlock(Value b0, Value h,
                                                    Value kvHead,
                                                    const QueryTile &tile,
                                                    Value j0,
                                                    ValueRange stats) {
  // Scores of the key block for the tile's rows, masked where needed; then
  // the online softmax. Returns the new maxima and sums (`stats`' two
  // vectors) and, per row, the factor alpha that rescales its row of O (a
  // vector of it).
  ArrayRef<Value> rows = tile.rows;
  SmallVector<Value> scores = amx   ? computeScoresAMX(tile, b0, kvHead, j0)
                              : dot ? computeScoresDot(b0, h, kvHead, rows, j0)
                                    : computeScores(b0, h, kvHead, tile, j0);
  if (op.getMask())
    scores = applyMaskOperand(scores, b0, h, rows, j0);
  // Mask only blocks that are not entirely visible.
  Value clean = isCleanBlock(b, b.getLoc(), tile.range, j0,
                             arith::AddIOp::create(b, j0, index(bc)));
  SmallVector<Value> visible = computeUnless(
      clean, scores, [&] { return maskScores(scores, j0, tile.positions); });

  // The statistics of the tile's rows live in two vectors, row r in lanes
  // [r * w, (r + 1) * w) (reduceRows): one max, select and exp serve every
  // row, and the rows' maxima and sums take one reduction tree each instead
  // of a shuffle ladder and a scalar exp per row.
  Value oldMax = stats[0], oldSum = stats[1];
  SmallVector<Value> rowMax;
  for (int64_t r = 0; r < br; ++r)
    rowMax.push_back(maxScore(visible[2 * r], visible[2 * r + 1]));
  Value m = maxScore(oldMax, reduceRows(rowMax, /*max=*/true));
  // A row with no visible key so far keeps m = -inf; subtract 0 instead so
  // that exp(-inf - -inf) never produces NaN.
  Value zeros = vector::BroadcastOp::create(b, vecType, f32Const(0.0f));
  Value safe = arith::SelectOp::create(
      b,
      arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, m,
                            vector::BroadcastOp::create(b, vecType, minusInf)),
      zeros, m);
  Value alpha = math::ExpOp::create(b, arith::SubFOp::create(b, oldMax, safe));
  // Each row's lane of `safe` and of alpha is broadcast from an L1 scratch
  // (a load, where a lane shuffle would take a shuffle port, the FMA port on
  // Intel cores); alpha waits there for the P V loop.
  vector::StoreOp::create(b, safe, tile.statsTile,
                          ValueRange{index(kSafeMaxRow), index(0)});
  vector::StoreOp::create(b, alpha, tile.statsTile,
                          ValueRange{index(kAlphaRow), index(0)});
  auto toTile = [&](Value p) {
    return dot ? attnc::roundToBF16(b, b.getLoc(), p, /*native=*/true) : p;
  };
  SmallVector<Value> rowSums;
  for (int64_t r = 0; r < br; ++r) {
    Value safeV = statLane(tile.statsTile, kSafeMaxRow, r);
    Value p0 =
        math::ExpOp::create(b, arith::SubFOp::create(b, visible[2 * r], safeV));
    Value p1 = math::ExpOp::create(
        b, arith::SubFOp::create(b, visible[2 * r + 1], safeV));
    vector::StoreOp::create(b, toTile(p0), tile.pTile,
                            ValueRange{index(r), index(0)});
    vector::StoreOp::create(b, toTile(p1), tile.pTile,
                            ValueRange{index(r), index(vl)});
    rowSums.push_back(arith::AddFOp::create(b, p0, p1));
  }
  Value sum = arith::AddFOp::create(b, arith::MulFOp::create(b, oldSum, alpha),
                                    reduceRows(rowSums, /*max=*/false));
  return {m, sum};
}
