//===- DecodeAttentionCPUTile.cpp - one split tile of attn-decode-cpu -----===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// One task of the decode kernel's splits (DecodeAttentionCPU.cpp): Rb query
// rows that share a KV head, against one split of that sequence's keys,
// read in place from a contiguous or paged cache (f16/bf16 widened in
// registers), one block of VL keys at a time:
//
//   Q tile = scale * Q[rows]; O tile = 0; m = -inf, l = 0
//   for each key block of the split the rows see:
//     S = Q K^T (one row: all VL keys, one transposing butterfly; more
//         rows: a horizontal sum per key and row)
//     S = -inf where masked (only on blocks some row does not see whole)
//     online softmax: m' = max(m, rowmax S), P = exp(S - m'), l, alpha
//     O = O * alpha + P V
//   partial[task] = (O, m, l)
//
//===----------------------------------------------------------------------===//

#include "DecodeKernelBuilder.h"
#include "KernelRewrite.h"
#include "attnc/Transforms/KernelTiles.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::attn;

std::pair<Value, Value> DecodeKernelBuilder::lookupKeyBlock(Value batch,
                                                            Value j0) {
  // Key blocks start at multiples of VL; when pages hold a multiple of VL
  // positions, a key block (and the last key a clamped read falls back to)
  // never straddles two pages: one table lookup per block.
  if (!op.isPaged() || blockSize % vl != 0)
    return {};
  Value logical = arith::DivUIOp::create(b, j0, index(blockSize));
  Value block = arith::IndexCastOp::create(
      b, b.getIndexType(),
      tensor::ExtractOp::create(b, op.getBlockTable(),
                                ValueRange{batch, logical}));
  return {block, arith::MulIOp::create(b, logical, index(blockSize))};
}

void DecodeKernelBuilder::prefetchAhead(Value batch, Value head, Value j0,
                                        Value lastKey) {
  if (!op.isPaged()) {
    // Every cache line of the K and V rows kPrefetchBlocks blocks ahead.
    Value ahead = arith::AddIOp::create(b, j0, index(kPrefetchBlocks * vl));
    for (auto [buffer, dim] : {std::make_pair(keyBuffer, headDim),
                               std::make_pair(valueBuffer, valueDim)})
      for (int64_t row = 0; row < vl; ++row) {
        Value key =
            minIndex(arith::AddIOp::create(b, ahead, index(row)), lastKey);
        for (int64_t e = 0; e < dim; e += cacheElementsPerLine)
          memref::PrefetchOp::create(b, buffer,
                                     ValueRange{batch, head, key, index(e)},
                                     /*isWrite=*/false, /*localityHint=*/3,
                                     /*isDataCache=*/true);
      }
    return;
  }
  Value next = minIndex(arith::AddIOp::create(b, j0, index(vl)), lastKey);
  std::pair<Value, Value> page = lookupKeyBlock(batch, next);
  Value slot = arith::SubIOp::create(b, next, page.second);
  for (auto [buffer, dim] : {std::make_pair(keyBuffer, headDim),
                             std::make_pair(valueBuffer, valueDim)}) {
    int64_t rowsPer4K =
        std::max<int64_t>(1, 4096 / kBytesPerLine * cacheElementsPerLine / dim);
    for (int64_t row = 0; row < vl; row += rowsPer4K)
      memref::PrefetchOp::create(
          b, buffer,
          ValueRange{page.first, head,
                     minIndex(arith::AddIOp::create(b, slot, index(row)),
                              index(blockSize - 1)),
                     index(0)},
          /*isWrite=*/false, /*localityHint=*/3, /*isDataCache=*/true);
  }
}

SmallVector<Value> DecodeKernelBuilder::cacheRow(Value batch, Value head,
                                                 Value key,
                                                 std::pair<Value, Value> page) {
  if (!op.isPaged())
    return {batch, head, key};
  if (page.first)
    return {page.first, head, arith::SubIOp::create(b, key, page.second)};
  Value table = op.getBlockTable();
  Value logical = arith::DivUIOp::create(b, key, index(blockSize));
  Value slot = arith::RemUIOp::create(b, key, index(blockSize));
  Value block = arith::IndexCastOp::create(
      b, b.getIndexType(),
      tensor::ExtractOp::create(b, table, ValueRange{batch, logical}));
  return {block, head, slot};
}

DecodeKernelBuilder::SplitTile
DecodeKernelBuilder::prepareSplitTile(Value bkv, Value rowGroup, Value split,
                                      Value numSplits) {
  int64_t rb = rowsPerTile;
  SplitTile tile;
  tile.b0 = arith::DivUIOp::create(b, bkv, index(numKVHeads));
  tile.kvHead = arith::RemUIOp::create(b, bkv, index(numKVHeads));
  tile.len = arith::IndexCastOp::create(
      b, b.getIndexType(),
      tensor::ExtractOp::create(b, op.getSeqLens(), ValueRange{tile.b0}));

  // Rows of this tile: row rho = g * Sq + i is query head kvHead * G + g,
  // new row i, at absolute position len - Sq + i. Rows past G * Sq repeat
  // the last one and are never merged.
  Value lastRow = arith::SubIOp::create(b, numRows, index(1));
  Value firstRow = arith::MulIOp::create(b, rowGroup, index(rb));
  Value firstPos = arith::SubIOp::create(b, tile.len, numQueries);
  float scale = op.getScaleOrDefault();
  tile.qTile =
      memref::AllocaOp::create(b, MemRefType::get({rb, paddedHeadDim}, f32));
  Value scaleV = vector::BroadcastOp::create(b, vecType, f32Const(scale));
  for (int64_t r = 0; r < rb; ++r) {
    Value rho = minIndex(arith::AddIOp::create(b, firstRow, index(r)), lastRow);
    Value g = arith::DivUIOp::create(b, rho, numQueries);
    Value i = arith::RemUIOp::create(b, rho, numQueries);
    Value h = arith::AddIOp::create(
        b, arith::MulIOp::create(b, tile.kvHead, index(groups)), g);
    tile.positions.push_back(arith::AddIOp::create(b, firstPos, i));
    // The scale is folded into the queries once.
    for (int64_t d = 0; d < paddedHeadDim; d += vl) {
      Value q = readWidened(op.getQuery(), ValueRange{tile.b0, h, i, index(d)},
                            headDim);
      vector::StoreOp::create(b, arith::MulFOp::create(b, q, scaleV),
                              tile.qTile, ValueRange{index(r), index(d)});
    }
  }

  // This split's keys, [begin, end): chunks of whole key blocks, narrowed
  // to the keys the rows can see; blocks inside [cleanBegin, cleanEnd) are
  // visible to every row. The rule all back ends share.
  Value lastPos = arith::SubIOp::create(b, tile.len, index(1));
  auto [splitBegin, splitEnd] =
      getSplitKeys(b, b.getLoc(), tile.len, split, numSplits, vl);
  tile.range = intersectKeys(
      b, b.getLoc(),
      getVisibleKeys(b, b.getLoc(), MaskSpec{op.getCausal(), op.getWindow()},
                     firstPos, lastPos, tile.len, vl),
      splitBegin, splitEnd);
  tile.lastKey =
      maxIndex(arith::SubIOp::create(b, tile.len, index(1)), index(0));

  // Unnormalised O (padded to whole vectors), then m and l.
  tile.oTile = memref::AllocaOp::create(
      b, MemRefType::get({rb, paddedValueDim + 2}, f32));
  if (rb > 1)
    tile.sTile = memref::AllocaOp::create(b, MemRefType::get({rb, vl}, f32));
  tile.pTile = memref::AllocaOp::create(b, MemRefType::get({rb, vl}, f32));
  Value zeroVec = zeroVector();
  for (int64_t r = 0; r < rb; ++r)
    for (int64_t e = 0; e < paddedValueDim; e += vl)
      vector::StoreOp::create(b, zeroVec, tile.oTile,
                              ValueRange{index(r), index(e)});
  return tile;
}

SmallVector<Value>
DecodeKernelBuilder::dotProducts(const SplitTile &tile, Value j0,
                                 std::pair<Value, Value> page, Value first,
                                 int64_t count) {
  int64_t rb = rowsPerTile;
  SmallVector<SmallVector<Value>> at;
  for (int64_t u = 0; u < count; ++u) {
    Value key = minIndex(
        arith::AddIOp::create(b, j0, arith::AddIOp::create(b, first, index(u))),
        tile.lastKey);
    at.push_back(cacheRow(tile.b0, tile.kvHead, key, page));
  }
  SmallVector<Value> accs(rb * count, zeroVector());
  for (int64_t d = 0; d < paddedHeadDim; d += vl) {
    SmallVector<Value> q;
    for (int64_t r = 0; r < rb; ++r)
      q.push_back(vector::LoadOp::create(b, vecType, tile.qTile,
                                         ValueRange{index(r), index(d)}));
    for (int64_t u = 0; u < count; ++u) {
      SmallVector<Value> indices(at[u]);
      indices.push_back(index(d));
      Value k = readWidened(op.getKeyCache(), indices, headDim);
      for (int64_t r = 0; r < rb; ++r)
        accs[u * rb + r] =
            vector::FMAOp::create(b, vecType, q[r], k, accs[u * rb + r]);
    }
  }
  return accs;
}

SmallVector<Value>
DecodeKernelBuilder::scoreBlock(const SplitTile &tile, Value j0,
                                std::pair<Value, Value> page) {
  // One row (decode without GQA groups): all vl keys at once, summed across
  // lanes by one transposing butterfly (vl - 1 pairwise steps for the block
  // instead of a horizontal sum per key). More rows: `keysAtOnce` keys per
  // step, so that at least 4 independent FMA chains hide the FMA latency,
  // and a horizontal sum per (key, row) into the score tile.
  int64_t rb = rowsPerTile;
  SmallVector<Value> scores;
  if (rb == 1) {
    scores.push_back(
        buildTransposedSum(dotProducts(tile, j0, page, index(0), vl)));
  } else {
    int64_t keysAtOnce = rb >= 4 ? 1 : 2;
    auto keyLoop =
        scf::ForOp::create(b, index(0), index(vl), index(keysAtOnce));
    {
      OpBuilder::InsertionGuard keyGuard(b);
      b.setInsertionPointToStart(keyLoop.getBody());
      Value first = keyLoop.getInductionVar();
      SmallVector<Value> accs = dotProducts(tile, j0, page, first, keysAtOnce);
      for (int64_t u = 0; u < keysAtOnce; ++u)
        for (int64_t r = 0; r < rb; ++r)
          memref::StoreOp::create(
              b,
              vector::ReductionOp::create(b, vector::CombiningKind::ADD,
                                          accs[u * rb + r],
                                          arith::FastMathFlags::reassoc),
              tile.sTile,
              ValueRange{index(r), arith::AddIOp::create(b, first, index(u))});
    }
    for (int64_t r = 0; r < rb; ++r)
      scores.push_back(vector::LoadOp::create(b, vecType, tile.sTile,
                                              ValueRange{index(r), index(0)}));
  }

  std::optional<APFloat> softcap = op.getSoftcap();
  if (!softcap)
    return scores;
  float c = softcap->convertToFloat();
  Value cap = vector::BroadcastOp::create(b, vecType, f32Const(c));
  Value inv = vector::BroadcastOp::create(b, vecType, f32Const(1.0f / c));
  for (Value &s : scores)
    s = arith::MulFOp::create(
        b, cap, math::TanhOp::create(b, arith::MulFOp::create(b, s, inv)));
  return scores;
}

SmallVector<Value> DecodeKernelBuilder::maskBlock(const SplitTile &tile,
                                                  Value j0,
                                                  ArrayRef<Value> scores) {
  Value clean = isCleanBlock(b, b.getLoc(), tile.range, j0,
                             arith::AddIOp::create(b, j0, index(vl)));
  return computeUnless(clean, scores, [&] {
    auto i64Vec = VectorType::get({vl}, b.getI64Type());
    auto splat = [&](Value v) {
      return vector::BroadcastOp::create(
          b, i64Vec, arith::IndexCastOp::create(b, b.getI64Type(), v));
    };
    Value step = arith::IndexCastOp::create(
        b, i64Vec,
        vector::StepOp::create(b, VectorType::get({vl}, b.getIndexType())));
    Value keys = arith::AddIOp::create(b, splat(j0), step);
    // Keys from the split's end on are hidden as keys past the sequence.
    Value end = splat(tile.range.end);
    MaskSpec mask{op.getCausal(), op.getWindow()};
    Value minusInfV = vector::BroadcastOp::create(b, vecType, minusInf);
    SmallVector<Value> masked;
    for (auto [r, s] : llvm::enumerate(scores)) {
      Value keep = isKeyVisible(b, b.getLoc(), mask, splat(tile.positions[r]),
                                keys, end);
      masked.push_back(arith::SelectOp::create(b, keep, s, minusInfV));
    }
    return masked;
  });
}

SmallVector<Value>
DecodeKernelBuilder::softmaxBlock(const SplitTile &tile, ValueRange scores,
                                  ValueRange stats,
                                  SmallVectorImpl<Value> &alphas) {
  int64_t rb = rowsPerTile;
  SmallVector<Value> newMax, newSum;
  Value zero = f32Const(0.0f);
  for (int64_t r = 0; r < rb; ++r) {
    Value s = scores[r];
    Value m = maxScore(stats[r], maxLane(s));
    // exp(-inf - -inf) would be NaN: subtract 0 while m is -inf.
    Value safe = arith::SelectOp::create(
        b, arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, m, minusInf),
        zero, m);
    Value p = math::ExpOp::create(
        b, arith::SubFOp::create(
               b, s, vector::BroadcastOp::create(b, vecType, safe)));
    vector::StoreOp::create(b, p, tile.pTile, ValueRange{index(r), index(0)});
    Value alpha =
        math::ExpOp::create(b, arith::SubFOp::create(b, stats[r], safe));
    Value rowSum = vector::ReductionOp::create(b, vector::CombiningKind::ADD, p,
                                               arith::FastMathFlags::reassoc);
    newSum.push_back(arith::AddFOp::create(
        b, arith::MulFOp::create(b, stats[rb + r], alpha), rowSum));
    newMax.push_back(m);
    alphas.push_back(alpha);
  }
  newMax.append(newSum);
  return newMax;
}

void DecodeKernelBuilder::accumulateValues(const SplitTile &tile, Value j0,
                                           std::pair<Value, Value> page,
                                           ArrayRef<Value> alphas) {
  // As many vectors of columns at a time as keep 16 accumulators (every
  // column at once for a single row).
  int64_t rb = rowsPerTile;
  int64_t groupWidth = std::clamp<int64_t>(
      16 / rb, 1, std::max<int64_t>(1, paddedValueDim / vl));
  for (int64_t e = 0; e < paddedValueDim; e += groupWidth * vl) {
    int64_t width = std::min<int64_t>(groupWidth, (paddedValueDim - e) / vl);
    SmallVector<Value> accs;
    for (int64_t r = 0; r < rb; ++r) {
      Value alpha = vector::BroadcastOp::create(b, vecType, alphas[r]);
      for (int64_t c = 0; c < width; ++c)
        accs.push_back(arith::MulFOp::create(
            b,
            vector::LoadOp::create(b, vecType, tile.oTile,
                                   ValueRange{index(r), index(e + c * vl)}),
            alpha));
    }
    auto valueLoop = scf::ForOp::create(
        b, index(0), index(vl), index(1), accs,
        [&](OpBuilder &lb, Location, Value jj, ValueRange acc) {
          OpBuilder::InsertionGuard loopGuard(b);
          b.setInsertionPoint(lb.getInsertionBlock(), lb.getInsertionPoint());
          Value key = minIndex(arith::AddIOp::create(b, j0, jj), tile.lastKey);
          SmallVector<Value> at = cacheRow(tile.b0, tile.kvHead, key, page);
          SmallVector<Value> v;
          for (int64_t c = 0; c < width; ++c) {
            SmallVector<Value> indices(at);
            indices.push_back(index(e + c * vl));
            v.push_back(readWidened(op.getValueCache(), indices, valueDim));
          }
          SmallVector<Value> next;
          for (int64_t r = 0; r < rb; ++r) {
            Value p = vector::BroadcastOp::create(
                b, vecType,
                memref::LoadOp::create(b, tile.pTile,
                                       ValueRange{index(r), jj}));
            for (int64_t c = 0; c < width; ++c)
              next.push_back(vector::FMAOp::create(b, vecType, p, v[c],
                                                   acc[r * width + c]));
          }
          scf::YieldOp::create(b, next);
        });
    for (int64_t r = 0; r < rb; ++r)
      for (int64_t c = 0; c < width; ++c)
        vector::StoreOp::create(b, valueLoop.getResult(r * width + c),
                                tile.oTile,
                                ValueRange{index(r), index(e + c * vl)});
  }
}

void DecodeKernelBuilder::buildSplitTile(Value bkv, Value rowGroup, Value split,
                                         Value numSplits, Value partial) {
  int64_t rb = rowsPerTile;
  SplitTile tile = prepareSplitTile(bkv, rowGroup, split, numSplits);
  SmallVector<Value> stats(rb, minusInf);
  stats.append(rb, f32Const(0.0f));
  auto kvLoop = scf::ForOp::create(
      b, tile.range.begin, tile.range.end, index(vl), stats,
      [&](OpBuilder &nb, Location, Value j0, ValueRange iter) {
        OpBuilder::InsertionGuard bodyGuard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        std::pair<Value, Value> page = lookupKeyBlock(tile.b0, j0);
        if (keyBuffer)
          prefetchAhead(tile.b0, tile.kvHead, j0, tile.lastKey);
        SmallVector<Value> scores =
            maskBlock(tile, j0, scoreBlock(tile, j0, page));
        SmallVector<Value> alphas;
        SmallVector<Value> next = softmaxBlock(tile, scores, iter, alphas);
        accumulateValues(tile, j0, page, alphas);
        scf::YieldOp::create(b, next);
      });

  // The partial result of this split: unnormalised O, then m and l.
  for (int64_t r = 0; r < rb; ++r) {
    memref::StoreOp::create(b, kvLoop.getResult(r), tile.oTile,
                            ValueRange{index(r), index(paddedValueDim)});
    memref::StoreOp::create(b, kvLoop.getResult(rb + r), tile.oTile,
                            ValueRange{index(r), index(paddedValueDim + 1)});
  }
  auto forall = cast<scf::ForallOp>(partial.getParentBlock()->getParentOp());
  OpFoldResult zero = b.getIndexAttr(0);
  attnc::insertTileInParallel(b, b.getLoc(), forall, tile.oTile,
                              b.getIndexAttr(rb),
                              b.getIndexAttr(paddedValueDim + 2), partial,
                              {bkv, rowGroup, split, zero, zero});
}

Value DecodeKernelBuilder::buildTransposedSum(ArrayRef<Value> parts) {
  // Each vector holds vl / width keys of `width` partial sums each; a step
  // pairs two vectors and halves the partial sums per key: the lower and
  // upper halves of every key's run, from both, added lane by lane.
  SmallVector<Value> level(parts);
  for (int64_t width = vl; width > 1; width /= 2) {
    SmallVector<int64_t> lower, upper;
    for (int64_t start = 0; start < 2 * vl; start += width)
      for (int64_t i = 0; i < width / 2; ++i) {
        lower.push_back(start + i);
        upper.push_back(start + width / 2 + i);
      }
    SmallVector<Value> next;
    for (size_t i = 0; i < level.size(); i += 2) {
      Value lo = vector::ShuffleOp::create(b, level[i], level[i + 1], lower);
      Value hi = vector::ShuffleOp::create(b, level[i], level[i + 1], upper);
      next.push_back(arith::AddFOp::create(b, lo, hi));
    }
    level = std::move(next);
  }
  return level.front();
}
