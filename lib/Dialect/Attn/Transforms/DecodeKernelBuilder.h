//===- DecodeKernelBuilder.h - attn-decode-cpu kernel builder ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The builder of attn-decode-cpu's flash-decoding kernel (see
// DecodeAttentionCPU.cpp for the algorithm). Its pieces live in two files:
// DecodeAttentionCPU.cpp (the kernel's structure: splits, their merge, the
// decode-step variant) and DecodeAttentionCPUTile.cpp (one split of one
// tile of rows: reading the cache in place, scores, masks, the online
// softmax and P V).
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_DECODEKERNELBUILDER_H
#define ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_DECODEKERNELBUILDER_H

#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/Transforms/KeyRange.h"
#include "attnc/Transforms/KernelBuilderBase.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::attn {

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
        kBytesPerLine / (keyType.getElementType().getIntOrFloatBitWidth() / 8);
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
  /// One task of the splits: `rowsPerTile` query rows of one KV head and
  /// one split of that sequence's keys, with its L1 tiles.
  struct SplitTile {
    /// The sequence, the KV head, and the sequence's length.
    Value b0, kvHead, len;
    /// The absolute position of each row.
    SmallVector<Value> positions;
    /// The last key of the sequence (0 when it is empty): clamped reads of
    /// keys past the end fall back to it.
    Value lastKey;
    /// The keys of this split the rows see (KeyRange).
    KeyRange range;
    /// The rows' queries times the scale [Rb, D padded]; the scores of a
    /// key block when several rows sum them per key [Rb, VL] (else null);
    /// P of the key block [Rb, VL]; unnormalised O then m and l
    /// [Rb, Dv padded + 2].
    Value qTile, sTile, pTile, oTile;
  };

  // DecodeAttentionCPUTile.cpp: one split tile.

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
  /// The task (b * Hkv + kv head, row group, split) of the splits' forall,
  /// writing its (O, m, l) rows into `partial`.
  void buildSplitTile(Value bkv, Value rowGroup, Value split, Value numSplits,
                      Value partial);
  /// The tile's rows, queries, key range and tiles (O zeroed).
  SplitTile prepareSplitTile(Value bkv, Value rowGroup, Value split,
                             Value numSplits);
  /// The dot products along D of keys j0 + first + u (u < count) with every
  /// row: result[u * Rb + r]. Keys past the sequence read its last row; the
  /// mask hides them.
  SmallVector<Value> dotProducts(const SplitTile &tile, Value j0,
                                 std::pair<Value, Value> page, Value first,
                                 int64_t count);
  /// The scores of the key block at `j0`, one vector per row (soft-capped
  /// when the op says so).
  SmallVector<Value> scoreBlock(const SplitTile &tile, Value j0,
                                std::pair<Value, Value> page);
  /// The scores with -inf where a row does not see a key; only blocks that
  /// some row does not see entirely evaluate the mask.
  SmallVector<Value> maskBlock(const SplitTile &tile, Value j0,
                               ArrayRef<Value> scores);
  /// The online softmax of one key block: P into the P tile, and the new
  /// running maxima then sums (`stats` holds the old ones likewise); the
  /// factors that rescale each row's O go to `alphas`.
  SmallVector<Value> softmaxBlock(const SplitTile &tile, ValueRange scores,
                                  ValueRange stats,
                                  SmallVectorImpl<Value> &alphas);
  /// O[r, :] = O[r, :] * alpha[r] + sum_j P[r, j] V[j, :] over the key
  /// block at `j0`.
  void accumulateValues(const SplitTile &tile, Value j0,
                        std::pair<Value, Value> page, ArrayRef<Value> alphas);
  /// The vector of the lane sums of the vl vectors `parts`: element j is
  /// the sum of the lanes of parts[j] (pairwise shuffles and adds).
  Value buildTransposedSum(ArrayRef<Value> parts);

  // DecodeAttentionCPU.cpp: the kernel's structure.

  /// The kernel for tiles of `rowsPerTile` rows: the splits, then their
  /// merge.
  Value buildKernel();
  Value buildSplits(Value partialInit, Value numRowGroups, Value numSplits);
  Value buildMerge(Value partial, Value numSplits);

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
  Value zeroVector() {
    return arith::ConstantOp::create(b, vecType,
                                     DenseElementsAttr::get(vecType, 0.0f));
  }
  int64_t numQueryHeads, numKVHeads, groups, headDim, valueDim, blockSize;
  /// The head dims rounded up to whole vectors: the widths of the tiles.
  int64_t paddedHeadDim, paddedValueDim;
  int64_t rowsPerTile;

  // Shared by the kernel.
  Value numQueries, numRows, minusInf;
  /// The caches as (read-only) buffers, for prefetching.
  Value keyBuffer, valueBuffer;
};

} // namespace mlir::attn

#endif // ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_DECODEKERNELBUILDER_H
