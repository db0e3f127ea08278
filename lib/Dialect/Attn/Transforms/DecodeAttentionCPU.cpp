//===- DecodeAttentionCPU.cpp - split-KV decode attention -------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Lowers attn.decode_attention into a flash-decoding kernel that reads the
// cache in place (contiguous or paged), written with vector ops sized for
// the target's registers:
//
//   check lengths and block ids (as the reference lowering does)
//   (f16/bf16 caches, of f16/bf16 or f32 queries, are read in their type
//   and widened to f32 in registers)
//   partial = scf.forall (b * Hkv + kv head, row group, split) {
//     rows: the G query heads x Sq new rows that share this KV head, so each
//           KV head is read once per group (GQA/MQA), Rb rows at a time
//     keys: split s of [0, seq_lens[b]), narrowed by the sliding window
//     for each block of VL keys:
//       S[r, j] = (scale Q[r]) . K[j]      dot products along D
//       S = -inf where masked              only on edge blocks
//       online softmax (running max m, sum l); O[r] += P[r, :] V
//     partial[..., r, :] = (O[r], m[r], l[r])
//   }
//   scf.forall (b * Hq + h, i) {          merge the splits of one row
//     M = max_s m_s; O = sum_s O_s e^(m_s - M) / sum_s l_s e^(m_s - M)
//   }
//
// When Sq is dynamic, a decode step (Sq = 1) takes a copy of the kernel
// whose tiles hold the G rows of one KV head alone, so that it does not
// compute rows repeated to fill a tall tile.
//
// The number of splits grows when B * Hkv * row groups is too small to give
// every core work (flash-decoding), up to one split per 256 positions of
// the cache. No copy of the cache is made, and no score row is stored
// beyond one block of keys.
//
//===----------------------------------------------------------------------===//

#include "KernelRewrite.h"
#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/Transforms/KeyRange.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"
#include "attnc/Transforms/KernelBuilderBase.h"
#include "attnc/Transforms/KernelTiles.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "llvm/Support/MathExtras.h"

#include <limits>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNDECODECPU
#include "attnc/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Tiling of the decode kernel.
struct DecodeTiling {
  /// f32 lanes per vector; key blocks hold one vector of keys.
  int64_t vectorWidth;
  /// Work items (KV heads x row groups x splits) to aim for.
  int64_t minWorkItems;
};

/// Query rows per tile at most (register accumulators).
constexpr int64_t kMaxRowsPerTile = 8;
/// Key blocks ahead that a contiguous cache is prefetched, and bytes per
/// cache line.
constexpr int64_t kPrefetchBlocks = 2;
constexpr int64_t kBytesPerLine = 64;
/// Positions per split at least.
constexpr int64_t kMinSplitLength = 256;

/// Why the kernel cannot take `op`, or an empty string.
std::string getUnsupportedReason(DecodeAttentionOp op,
                                 const DecodeTiling &tiling) {
  // f16 and bf16 queries and caches are read in their type and widened in
  // registers; scores, softmax and accumulation are f32. An f32 query may
  // read an f16/bf16 cache (a low-precision cache).
  auto elementOf = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getElementType();
  };
  Type elementType = elementOf(op.getQuery());
  Type cacheType = elementOf(op.getKeyCache());
  if (elementOf(op.getInit()) != elementType ||
      elementOf(op.getValueCache()) != cacheType ||
      (cacheType != elementType &&
       !(elementType.isF32() && (cacheType.isF16() || cacheType.isBF16()))))
    return "unsupported combination of query, cache and result element "
           "types";
  auto queryType = cast<RankedTensorType>(op.getQuery().getType());
  auto keyType = cast<RankedTensorType>(op.getKeyCache().getType());
  auto valueType = cast<RankedTensorType>(op.getValueCache().getType());
  // Head dims need not be multiples of the vector width: the query and
  // accumulator tiles are padded to whole vectors, and the last vector of
  // a query, key or value row is a masked read (zeros past the end).
  if (queryType.isDynamicDim(3) || valueType.isDynamicDim(3))
    return "head dims must be static";
  if (op.isPaged() && keyType.isDynamicDim(2))
    return "the block size must be static";
  return "";
}

/// Emits the kernel for one attn.decode_attention.
class DecodeKernelBuilder : attnc::KernelBuilderBase {
public:
  DecodeKernelBuilder(DecodeAttentionOp op, const DecodeTiling &tiling,
                      OpBuilder &builder)
      : KernelBuilderBase(op.getLoc(), builder), op(op), vl(tiling.vectorWidth),
        minWorkItems(tiling.minWorkItems), f32(builder.getF32Type()),
        vecType(VectorType::get({tiling.vectorWidth}, f32)) {
    auto queryType = cast<RankedTensorType>(op.getQuery().getType());
    auto keyType = cast<RankedTensorType>(op.getKeyCache().getType());
    numQueryHeads = queryType.getDimSize(1);
    numKVHeads = keyType.getDimSize(1);
    groups = numQueryHeads / numKVHeads;
    headDim = queryType.getDimSize(3);
    valueDim =
        cast<RankedTensorType>(op.getValueCache().getType()).getDimSize(3);
    paddedHeadDim = llvm::alignTo(headDim, vl);
    paddedValueDim = llvm::alignTo(valueDim, vl);
    blockSize = op.isPaged() ? keyType.getDimSize(2) : 0;
    elementType = queryType.getElementType();
    elementVecType = VectorType::get({tiling.vectorWidth}, elementType);
    cacheElementsPerLine =
        kBytesPerLine /
        (keyType.getElementType().getIntOrFloatBitWidth() / 8);
    // G * Sq rows share a KV head; with a static Sq the tile is no taller
    // than that. With a dynamic Sq, a decode step (Sq = 1) gets a kernel of
    // its own whose tiles hold the G rows alone (see build()).
    int64_t numQueriesStatic = queryType.getDimSize(2);
    rowsPerTile =
        ShapedType::isDynamic(numQueriesStatic)
            ? kMaxRowsPerTile
            : std::min(kMaxRowsPerTile,
                       std::max<int64_t>(1, groups * numQueriesStatic));
  }

  Value build();

private:
  /// Indices of row `key` of `cache` for sequence `batch`, KV head `head`.
  /// Where the key block starting at `j0` lives in a paged cache: its
  /// physical block and the logical position of that block's first slot.
  /// Null values when keys must be looked up one at a time.
  std::pair<Value, Value> lookupKeyBlock(Value batch, Value j0);
  /// Prefetches K and V rows ahead of the key block at `j0`, so that they
  /// stream in while this block is computed. Paged: the start of every
  /// 4 KiB of the next block (a page elsewhere in memory, which the
  /// hardware prefetchers cannot predict). Contiguous: every line of the
  /// block kPrefetchBlocks ahead (the hardware streams alone fall far
  /// behind this latency-bound loop once the cache is out of L3: 2.5x
  /// slower in a GPT-2 decode step).
  void prefetchAhead(Value batch, Value head, Value j0, Value lastKey);
  /// Indices of row `key` of the cache for sequence `batch`, KV head `head`;
  /// `page` is lookupKeyBlock's result for the block that holds `key`.
  SmallVector<Value> cacheRow(Value batch, Value head, Value key,
                              std::pair<Value, Value> page);
  /// The kernel for tiles of `rowsPerTile` rows: the splits, then their
  /// merge.
  Value buildKernel();
  Value buildSplits(Value partialInit, Value numRowGroups, Value numSplits);
  void buildSplitTile(Value bkv, Value rowGroup, Value split, Value numSplits,
                      Value partial);
  Value buildMerge(Value partial, Value numSplits);
  /// The vector of the lane sums of the vl vectors `parts`: element j is
  /// the sum of the lanes of parts[j] (pairwise shuffles and adds).
  Value buildTransposedSum(ArrayRef<Value> parts);

  DecodeAttentionOp op;
  int64_t vl, minWorkItems;
  Type f32;
  VectorType vecType;
  /// The element type of the queries and result, and its vectors.
  Type elementType;
  VectorType elementVecType;
  /// Elements of the caches per cache line.
  int64_t cacheElementsPerLine;

  /// A vector read from `source` (in its element type) at `indices`, in
  /// f32. A vector that crosses the end of the row (the last index plus vl
  /// is past `rowLength`) is a masked read with zeros past the end.
  Value readWidened(Value source, ValueRange indices, int64_t rowLength) {
    Type sourceElement = cast<ShapedType>(source.getType()).getElementType();
    Value zero = arith::ConstantOp::create(
        b, cast<TypedAttr>(b.getZeroAttr(sourceElement)));
    std::optional<int64_t> column = getConstantIntValue(indices.back());
    bool inBounds = column && *column + vl <= rowLength;
    Value v = vector::TransferReadOp::create(
        b, VectorType::get({vl}, sourceElement), source, indices, zero,
        ArrayRef<bool>{inBounds});
    if (sourceElement.isF32())
      return v;
    // f16: one vcvtph2ps (F16C / AVX-512); bf16: a shift into the upper
    // half (arith-expand).
    return arith::ExtFOp::create(b, vecType, v);
  }
  int64_t numQueryHeads, numKVHeads, groups, headDim, valueDim, blockSize;
  /// The head dims rounded up to whole vectors: the widths of the tiles.
  int64_t paddedHeadDim, paddedValueDim;
  int64_t rowsPerTile;

  // Shared by the kernel.
  Value numQueries, numRows, minusInf;
  /// The paged caches as (read-only) buffers, for prefetching.
  Value keyBuffer, valueBuffer;
};

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

void DecodeKernelBuilder::buildSplitTile(Value bkv, Value rowGroup, Value split,
                                         Value numSplits, Value partial) {
  int64_t rb = rowsPerTile;
  Value b0 = arith::DivUIOp::create(b, bkv, index(numKVHeads));
  Value kvHead = arith::RemUIOp::create(b, bkv, index(numKVHeads));
  Value len = arith::IndexCastOp::create(
      b, b.getIndexType(),
      tensor::ExtractOp::create(b, op.getSeqLens(), ValueRange{b0}));

  // Rows of this tile: row rho = g * Sq + i is query head kvHead * G + g,
  // new row i, at absolute position len - Sq + i. Rows past G * Sq repeat
  // the last one and are never merged.
  Value lastRow = arith::SubIOp::create(b, numRows, index(1));
  Value firstRow = arith::MulIOp::create(b, rowGroup, index(rb));
  Value firstPos = arith::SubIOp::create(b, len, numQueries);
  float scale = op.getScaleOrDefault();
  auto qTileType = MemRefType::get({rb, paddedHeadDim}, f32);
  Value qTile = memref::AllocaOp::create(b, qTileType);
  Value scaleV = vector::BroadcastOp::create(b, vecType, f32Const(scale));
  SmallVector<Value> positions;
  for (int64_t r = 0; r < rb; ++r) {
    Value rho = minIndex(arith::AddIOp::create(b, firstRow, index(r)), lastRow);
    Value g = arith::DivUIOp::create(b, rho, numQueries);
    Value i = arith::RemUIOp::create(b, rho, numQueries);
    Value h = arith::AddIOp::create(
        b, arith::MulIOp::create(b, kvHead, index(groups)), g);
    positions.push_back(arith::AddIOp::create(b, firstPos, i));
    // The scale is folded into the queries once.
    for (int64_t d = 0; d < paddedHeadDim; d += vl) {
      Value q = readWidened(op.getQuery(), ValueRange{b0, h, i, index(d)},
                            headDim);
      vector::StoreOp::create(b, arith::MulFOp::create(b, q, scaleV), qTile,
                              ValueRange{index(r), index(d)});
    }
  }

  // This split's keys, [kBegin, kEnd): chunks of whole key blocks, narrowed
  // to the keys the rows can see; blocks inside [cleanBegin, cleanEnd) are
  // visible to every row. The rule all back ends share.
  Value lastPos = arith::SubIOp::create(b, len, index(1));
  auto [splitBegin, splitEnd] =
      getSplitKeys(b, b.getLoc(), len, split, numSplits, vl);
  KeyRange range = intersectKeys(
      b, b.getLoc(),
      getVisibleKeys(b, b.getLoc(), MaskSpec{op.getCausal(), op.getWindow()},
                     firstPos, lastPos, len, vl),
      splitBegin, splitEnd);
  Value kBegin = range.begin, kEnd = range.end;
  Value cleanBegin = range.cleanBegin, cleanEnd = range.cleanEnd;
  std::optional<uint64_t> window = op.getWindow();
  bool causal = op.getCausal();

  // Unnormalised O (padded to whole vectors), then m and l.
  int64_t tileWidth = paddedValueDim + 2;
  auto oTileType = MemRefType::get({rb, tileWidth}, f32);
  Value oTile = memref::AllocaOp::create(b, oTileType);
  // The scores of a key block, when more than one row sums them per key.
  Value sTile =
      rb > 1 ? memref::AllocaOp::create(b, MemRefType::get({rb, vl}, f32))
                   .getResult()
             : Value();
  Value pTile = memref::AllocaOp::create(b, MemRefType::get({rb, vl}, f32));
  Value zeroVec = arith::ConstantOp::create(
      b, vecType, DenseElementsAttr::get(vecType, 0.0f));
  for (int64_t r = 0; r < rb; ++r)
    for (int64_t e = 0; e < paddedValueDim; e += vl)
      vector::StoreOp::create(b, zeroVec, oTile,
                              ValueRange{index(r), index(e)});

  Value lastKey = maxIndex(arith::SubIOp::create(b, len, index(1)), index(0));
  SmallVector<Value> stats(rb, minusInf);
  stats.append(rb, f32Const(0.0f));
  auto kvLoop = scf::ForOp::create(
      b, kBegin, kEnd, index(vl), stats,
      [&](OpBuilder &nb, Location, Value j0, ValueRange iter) {
        OpBuilder::InsertionGuard bodyGuard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());

        std::pair<Value, Value> page = lookupKeyBlock(b0, j0);
        if (keyBuffer)
          prefetchAhead(b0, kvHead, j0, lastKey);
        // The dot products along D of keys j0 + first + u (u < count) with
        // every row: accs[u * rb + r]. Keys past the sequence read its last
        // row; the mask hides them.
        auto dotProducts = [&](Value first, int64_t count) {
          SmallVector<SmallVector<Value>> at;
          for (int64_t u = 0; u < count; ++u) {
            Value key =
                minIndex(arith::AddIOp::create(
                             b, j0, arith::AddIOp::create(b, first, index(u))),
                         lastKey);
            at.push_back(cacheRow(b0, kvHead, key, page));
          }
          SmallVector<Value> accs(rb * count, zeroVec);
          for (int64_t d = 0; d < paddedHeadDim; d += vl) {
            SmallVector<Value> q;
            for (int64_t r = 0; r < rb; ++r)
              q.push_back(vector::LoadOp::create(
                  b, vecType, qTile, ValueRange{index(r), index(d)}));
            for (int64_t u = 0; u < count; ++u) {
              SmallVector<Value> indices(at[u]);
              indices.push_back(index(d));
              Value k = readWidened(op.getKeyCache(), indices, headDim);
              for (int64_t r = 0; r < rb; ++r)
                accs[u * rb + r] = vector::FMAOp::create(b, vecType, q[r], k,
                                                         accs[u * rb + r]);
            }
          }
          return accs;
        };

        // Scores of the block. One row (decode without GQA groups): all vl
        // keys at once, summed across lanes by one transposing butterfly
        // (vl - 1 pairwise steps for the block instead of a horizontal sum
        // per key). More rows: `keysAtOnce` keys per step, so that at least
        // 4 independent FMA chains hide the FMA latency, and a horizontal
        // sum per (key, row) into the score tile.
        SmallVector<Value> rowScores;
        if (rb == 1) {
          rowScores.push_back(buildTransposedSum(dotProducts(index(0), vl)));
        } else {
          int64_t keysAtOnce = rb >= 4 ? 1 : 2;
          auto keyLoop =
              scf::ForOp::create(b, index(0), index(vl), index(keysAtOnce));
          {
            OpBuilder::InsertionGuard keyGuard(b);
            b.setInsertionPointToStart(keyLoop.getBody());
            Value first = keyLoop.getInductionVar();
            SmallVector<Value> accs = dotProducts(first, keysAtOnce);
            for (int64_t u = 0; u < keysAtOnce; ++u)
              for (int64_t r = 0; r < rb; ++r)
                memref::StoreOp::create(
                    b,
                    vector::ReductionOp::create(b, vector::CombiningKind::ADD,
                                                accs[u * rb + r],
                                                arith::FastMathFlags::reassoc),
                    sTile,
                    ValueRange{index(r),
                               arith::AddIOp::create(b, first, index(u))});
          }
          for (int64_t r = 0; r < rb; ++r)
            rowScores.push_back(vector::LoadOp::create(
                b, vecType, sTile, ValueRange{index(r), index(0)}));
        }

        SmallVector<Value> scores;
        std::optional<APFloat> softcap = op.getSoftcap();
        for (int64_t r = 0; r < rb; ++r) {
          Value s = rowScores[r];
          if (softcap) {
            float c = softcap->convertToFloat();
            Value cap = vector::BroadcastOp::create(b, vecType, f32Const(c));
            Value inv =
                vector::BroadcastOp::create(b, vecType, f32Const(1.0f / c));
            s = arith::MulFOp::create(
                b, cap,
                math::TanhOp::create(b, arith::MulFOp::create(b, s, inv)));
          }
          scores.push_back(s);
        }

        // Mask only blocks that some row does not see entirely.
        Value blockEnd = arith::AddIOp::create(b, j0, index(vl));
        Value clean = arith::AndIOp::create(
            b,
            arith::CmpIOp::create(b, arith::CmpIPredicate::sle, blockEnd,
                                  cleanEnd),
            arith::CmpIOp::create(b, arith::CmpIPredicate::sge, j0,
                                  cleanBegin));
        auto maybeMask = scf::IfOp::create(
            b, clean,
            [&](OpBuilder &tb, Location tl) {
              scf::YieldOp::create(tb, tl, scores);
            },
            [&](OpBuilder &eb, Location) {
              OpBuilder::InsertionGuard elseGuard(b);
              b.setInsertionPoint(eb.getInsertionBlock(),
                                  eb.getInsertionPoint());
              auto i64Vec = VectorType::get({vl}, b.getI64Type());
              auto splat = [&](Value v) {
                return vector::BroadcastOp::create(
                    b, i64Vec,
                    arith::IndexCastOp::create(b, b.getI64Type(), v));
              };
              Value step = arith::IndexCastOp::create(
                  b, i64Vec,
                  vector::StepOp::create(
                      b, VectorType::get({vl}, b.getIndexType())));
              Value keys = arith::AddIOp::create(b, splat(j0), step);
              Value keep0 = arith::CmpIOp::create(b, arith::CmpIPredicate::slt,
                                                  keys, splat(kEnd));
              Value minusInfV =
                  vector::BroadcastOp::create(b, vecType, minusInf);
              SmallVector<Value> masked;
              for (int64_t r = 0; r < rb; ++r) {
                Value keep = keep0;
                Value pos = splat(positions[r]);
                if (causal)
                  keep = arith::AndIOp::create(
                      b, keep,
                      arith::CmpIOp::create(b, arith::CmpIPredicate::sle, keys,
                                            pos));
                if (window) {
                  Value w = splat(index(*window));
                  keep = arith::AndIOp::create(
                      b, keep,
                      arith::CmpIOp::create(b, arith::CmpIPredicate::slt,
                                            arith::SubIOp::create(b, pos, keys),
                                            w));
                  if (!causal)
                    keep = arith::AndIOp::create(
                        b, keep,
                        arith::CmpIOp::create(
                            b, arith::CmpIPredicate::slt,
                            arith::SubIOp::create(b, keys, pos), w));
                }
                masked.push_back(
                    arith::SelectOp::create(b, keep, scores[r], minusInfV));
              }
              scf::YieldOp::create(b, masked);
            });

        // Online softmax, row by row.
        SmallVector<Value> newMax, newSum, alphas;
        Value zero = f32Const(0.0f);
        for (int64_t r = 0; r < rb; ++r) {
          Value s = maybeMask.getResult(r);
          Value m = maxScore(iter[r], maxLane(s));
          // exp(-inf - -inf) would be NaN: subtract 0 while m is -inf.
          Value safe = arith::SelectOp::create(
              b,
              arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, m, minusInf),
              zero, m);
          Value p = math::ExpOp::create(
              b, arith::SubFOp::create(
                     b, s, vector::BroadcastOp::create(b, vecType, safe)));
          vector::StoreOp::create(b, p, pTile, ValueRange{index(r), index(0)});
          Value alpha =
              math::ExpOp::create(b, arith::SubFOp::create(b, iter[r], safe));
          Value rowSum = vector::ReductionOp::create(
              b, vector::CombiningKind::ADD, p, arith::FastMathFlags::reassoc);
          newSum.push_back(arith::AddFOp::create(
              b, arith::MulFOp::create(b, iter[rb + r], alpha), rowSum));
          newMax.push_back(m);
          alphas.push_back(alpha);
        }

        // O[r, cols] = O[r, cols] * alpha[r] + sum_j P[r, j] V[j, cols],
        // as many vectors of columns at a time as keep 16 accumulators
        // (every column at once for a single row).
        int64_t groupWidth = std::clamp<int64_t>(
            16 / rb, 1, std::max<int64_t>(1, paddedValueDim / vl));
        for (int64_t e = 0; e < paddedValueDim; e += groupWidth * vl) {
          int64_t width =
              std::min<int64_t>(groupWidth, (paddedValueDim - e) / vl);
          SmallVector<Value> accs;
          for (int64_t r = 0; r < rb; ++r) {
            Value alpha = vector::BroadcastOp::create(b, vecType, alphas[r]);
            for (int64_t c = 0; c < width; ++c)
              accs.push_back(arith::MulFOp::create(
                  b,
                  vector::LoadOp::create(
                      b, vecType, oTile,
                      ValueRange{index(r), index(e + c * vl)}),
                  alpha));
          }
          auto valueLoop = scf::ForOp::create(
              b, index(0), index(vl), index(1), accs,
              [&](OpBuilder &lb, Location, Value jj, ValueRange acc) {
                OpBuilder::InsertionGuard loopGuard(b);
                b.setInsertionPoint(lb.getInsertionBlock(),
                                    lb.getInsertionPoint());
                Value key = minIndex(arith::AddIOp::create(b, j0, jj), lastKey);
                SmallVector<Value> at = cacheRow(b0, kvHead, key, page);
                SmallVector<Value> v;
                for (int64_t c = 0; c < width; ++c) {
                  SmallVector<Value> indices(at);
                  indices.push_back(index(e + c * vl));
                  v.push_back(
                      readWidened(op.getValueCache(), indices, valueDim));
                }
                SmallVector<Value> next;
                for (int64_t r = 0; r < rb; ++r) {
                  Value p = vector::BroadcastOp::create(
                      b, vecType,
                      memref::LoadOp::create(b, pTile,
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
                                      oTile,
                                      ValueRange{index(r), index(e + c * vl)});
        }
        newMax.append(newSum);
        scf::YieldOp::create(b, newMax);
      });

  // The partial result of this split: unnormalised O, then m and l.
  for (int64_t r = 0; r < rb; ++r) {
    memref::StoreOp::create(b, kvLoop.getResult(r), oTile,
                            ValueRange{index(r), index(paddedValueDim)});
    memref::StoreOp::create(b, kvLoop.getResult(rb + r), oTile,
                            ValueRange{index(r), index(paddedValueDim + 1)});
  }
  auto forall = cast<scf::ForallOp>(partial.getParentBlock()->getParentOp());
  OpFoldResult zero = b.getIndexAttr(0);
  attnc::insertTileInParallel(b, b.getLoc(), forall, oTile, b.getIndexAttr(rb),
                              b.getIndexAttr(tileWidth), partial,
                              {bkv, rowGroup, split, zero, zero});
}

Value DecodeKernelBuilder::buildSplits(Value partialInit, Value numRowGroups,
                                       Value numSplits) {
  Value batchHeads =
      b.createOrFold<arith::MulIOp>(dim(op.getQuery(), 0), index(numKVHeads));
  auto forall = scf::ForallOp::create(
      b, getAsOpFoldResult({batchHeads, numRowGroups, numSplits}),
      ValueRange{partialInit}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  buildSplitTile(body->getArgument(0), body->getArgument(1),
                 body->getArgument(2), numSplits, body->getArgument(3));
  return forall.getResult(0);
}

Value DecodeKernelBuilder::buildMerge(Value partial, Value numSplits) {
  // One output row per iteration: the splits' (O, m, l) rescaled to the
  // common maximum.
  Value batchHeads = b.createOrFold<arith::MulIOp>(dim(op.getQuery(), 0),
                                                   index(numQueryHeads));
  auto forall =
      scf::ForallOp::create(b, getAsOpFoldResult({batchHeads, numQueries}),
                            ValueRange{op.getInit()}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  Value bh = body->getArgument(0), i = body->getArgument(1);
  Value b0 = arith::DivUIOp::create(b, bh, index(numQueryHeads));
  Value h = arith::RemUIOp::create(b, bh, index(numQueryHeads));
  Value kvHead = arith::DivUIOp::create(b, h, index(groups));
  Value g = arith::RemUIOp::create(b, h, index(groups));
  Value rho =
      arith::AddIOp::create(b, arith::MulIOp::create(b, g, numQueries), i);
  Value rowGroup = arith::DivUIOp::create(b, rho, index(rowsPerTile));
  Value r = arith::RemUIOp::create(b, rho, index(rowsPerTile));
  Value bkv = arith::AddIOp::create(
      b, arith::MulIOp::create(b, b0, index(numKVHeads)), kvHead);
  auto at = [&](Value s, int64_t col) -> SmallVector<Value> {
    return {bkv, rowGroup, s, r, index(col)};
  };

  auto maxLoop = scf::ForOp::create(
      b, index(0), numSplits, index(1), ValueRange{minusInf},
      [&](OpBuilder &nb, Location nl, Value s, ValueRange iter) {
        Value m =
            tensor::ExtractOp::create(nb, nl, partial, at(s, paddedValueDim));
        scf::YieldOp::create(
            nb, nl, ValueRange{arith::MaximumFOp::create(nb, nl, iter[0], m)});
      });
  Value maxAll = maxLoop.getResult(0);
  Value safe = arith::SelectOp::create(
      b, arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, maxAll, minusInf),
      f32Const(0.0f), maxAll);
  Value zeroVec = arith::ConstantOp::create(
      b, vecType, DenseElementsAttr::get(vecType, 0.0f));
  SmallVector<Value> init(paddedValueDim / vl, zeroVec);
  init.push_back(f32Const(0.0f));
  auto sumLoop = scf::ForOp::create(
      b, index(0), numSplits, index(1), init,
      [&](OpBuilder &nb, Location nl, Value s, ValueRange iter) {
        OpBuilder::InsertionGuard loopGuard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        Value m = tensor::ExtractOp::create(b, partial, at(s, paddedValueDim));
        Value l =
            tensor::ExtractOp::create(b, partial, at(s, paddedValueDim + 1));
        Value w = math::ExpOp::create(b, arith::SubFOp::create(b, m, safe));
        Value wV = vector::BroadcastOp::create(b, vecType, w);
        SmallVector<Value> next;
        for (int64_t e = 0; e < paddedValueDim; e += vl) {
          Value o = vector::TransferReadOp::create(b, vecType, partial,
                                                   at(s, e), f32Const(0.0f),
                                                   ArrayRef<bool>{true});
          next.push_back(
              vector::FMAOp::create(b, vecType, o, wV, iter[e / vl]));
        }
        next.push_back(arith::AddFOp::create(b, iter.back(),
                                             arith::MulFOp::create(b, l, w)));
        scf::YieldOp::create(b, next);
      });
  // A row that saw no key (length 0, or every key masked) is 0.
  Value sum = sumLoop.getResults().back();
  Value inv = arith::SelectOp::create(
      b, arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, sum, f32Const(0)),
      f32Const(0), arith::DivFOp::create(b, f32Const(1), sum));
  Value invV = vector::BroadcastOp::create(b, vecType, inv);
  // The result row in the result's type.
  Value row = memref::AllocaOp::create(
      b, MemRefType::get({1, paddedValueDim}, elementType));
  for (int64_t e = 0; e < paddedValueDim; e += vl) {
    Value o = arith::MulFOp::create(b, sumLoop.getResult(e / vl), invV);
    if (!elementType.isF32())
      o = arith::TruncFOp::create(b, elementVecType, o);
    vector::StoreOp::create(b, o, row, ValueRange{index(0), index(e)});
  }
  attnc::insertTileInParallel(b, b.getLoc(), forall, row, b.getIndexAttr(1),
                              b.getIndexAttr(valueDim), body->getArgument(2),
                              {b0, h, i, b.getIndexAttr(0)});
  return forall.getResult(0);
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

Value DecodeKernelBuilder::build() {
  op.buildRuntimeChecks(b);
  if (!op.isPaged() || blockSize % vl == 0) {
    auto asBuffer = [&](Value tensor) {
      auto type = cast<RankedTensorType>(tensor.getType());
      return bufferization::ToBufferOp::create(
          b, MemRefType::get(type.getShape(), type.getElementType()), tensor,
          /*read_only=*/true);
    };
    keyBuffer = asBuffer(op.getKeyCache());
    valueBuffer = asBuffer(op.getValueCache());
  }
  minusInf = f32Const(-std::numeric_limits<float>::infinity());
  numQueries = dim(op.getQuery(), 2);
  numRows = b.createOrFold<arith::MulIOp>(numQueries, index(groups));
  // Rows per tile when every sequence has one new token: the G query heads
  // of a KV head; fewer than rowsPerTile only when Sq is dynamic.
  int64_t oneTokenRowsPerTile = std::min(rowsPerTile, groups);
  if (oneTokenRowsPerTile == rowsPerTile)
    return buildKernel();

  // Sq is dynamic and G < kMaxRowsPerTile: tiles of kMaxRowsPerTile rows
  // would repeat a decode step's G rows to fill the tile, multiplying its
  // dot products by kMaxRowsPerTile / G. A decode step takes a kernel with
  // tiles of G rows instead; other calls (chunked prefill, several new
  // tokens) the taller tiles.
  Value oneToken =
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, numQueries, index(1));
  auto variants = scf::IfOp::create(b, op.getInit().getType(), oneToken,
                                    /*withElseRegion=*/true);
  int64_t tallRows = rowsPerTile;
  Value anyQueries = numQueries, anyRows = numRows;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(variants.thenBlock());
    rowsPerTile = oneTokenRowsPerTile;
    numQueries = index(1);
    numRows = index(groups);
    scf::YieldOp::create(b, buildKernel());
    b.setInsertionPointToStart(variants.elseBlock());
    rowsPerTile = tallRows;
    numQueries = anyQueries;
    numRows = anyRows;
    scf::YieldOp::create(b, buildKernel());
  }
  return variants.getResult(0);
}

Value DecodeKernelBuilder::buildKernel() {
  Value numRowGroups =
      b.createOrFold<arith::CeilDivUIOp>(numRows, index(rowsPerTile));

  // Splits: enough work items for the cores, never shorter than
  // kMinSplitLength positions of the cache.
  Value items = b.createOrFold<arith::MulIOp>(
      b.createOrFold<arith::MulIOp>(dim(op.getQuery(), 0), index(numKVHeads)),
      numRowGroups);
  Value wanted = b.createOrFold<arith::CeilDivUIOp>(index(minWorkItems), items);
  Value cap = b.createOrFold<arith::CeilDivUIOp>(op.buildCapacity(b),
                                                 index(kMinSplitLength));
  Value numSplits = b.createOrFold<arith::MaxSIOp>(
      index(1), b.createOrFold<arith::MinSIOp>(wanted, cap));

  SmallVector<OpFoldResult> partialSizes = getAsOpFoldResult(
      {b.createOrFold<arith::MulIOp>(dim(op.getQuery(), 0), index(numKVHeads)),
       numRowGroups, numSplits});
  partialSizes.push_back(b.getIndexAttr(rowsPerTile));
  partialSizes.push_back(b.getIndexAttr(paddedValueDim + 2));
  Value partialInit = tensor::EmptyOp::create(b, partialSizes, f32);
  Value partial = buildSplits(partialInit, numRowGroups, numSplits);
  return buildMerge(partial, numSplits);
}

struct AttnDecodeCPUPass
    : public attn::impl::AttnDecodeCPUBase<AttnDecodeCPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (minWorkItems <= 0 || (vectorWidth != 8 && vectorWidth != 16)) {
      getOperation()->emitError("attn-decode-cpu: expected min-work-items > 0 "
                                "and vector-width 8 or 16, got ")
          << minWorkItems.getValue() << " and " << vectorWidth.getValue();
      return signalPassFailure();
    }
    DecodeTiling tiling{vectorWidth, minWorkItems};
    replaceByKernels<DecodeAttentionOp>(
        getOperation(), reportFallbacks,
        [&](DecodeAttentionOp op) { return getUnsupportedReason(op, tiling); },
        [&](DecodeAttentionOp op, OpBuilder &builder) {
          return SmallVector<Value>{
              DecodeKernelBuilder(op, tiling, builder).build()};
        });
  }
};

} // namespace
