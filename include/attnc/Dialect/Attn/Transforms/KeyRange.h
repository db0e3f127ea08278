//===- KeyRange.h - which keys a tile of query rows can see -----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The one place that decides, for every back end, which keys a tile of query
// rows visits and which of those need the mask evaluated. The CPU kernels
// (attn-flash-cpu, attn-decode-cpu) and the GPU kernels (attn-attention-gpu)
// all call these builders, so they cannot disagree about the keys a row
// sees. The rules are those of attn.attention's description, with query row
// i at absolute position p(i) (Skv - Sq + i, or seq_lens[b] - Sq + i):
//
//   key j is visible to row i  iff  j < numKeys
//                               and (not causal or j <= p(i))
//                               and (no window or p(i) - j < W)
//                               and (causal or no window or j - p(i) < W)
//
// For a tile of rows with positions [firstPos, lastPos] the builders return
//   - [begin, end): every key any row of the tile sees, `begin` aligned down
//     to the key block size (blocks before it are never visited);
//   - [cleanBegin, cleanEnd): keys every row of the tile sees, so that a key
//     block inside it skips the mask;
// and, for split-KV, the part of a key range that split `s` of `n` owns.
// All values are `index`; static shapes fold.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_DIALECT_ATTN_TRANSFORMS_KEYRANGE_H
#define ATTNC_DIALECT_ATTN_TRANSFORMS_KEYRANGE_H

#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir::attn {

/// The position-dependent masks of attention (the mask operand, if any, is
/// applied on top by each kernel).
struct MaskSpec {
  bool causal = false;
  std::optional<int64_t> window;

  /// True when some key below numKeys may be hidden from some row.
  bool hidesKeys() const { return causal || window.has_value(); }
};

/// The keys a tile of query rows visits (see the file comment).
struct KeyRange {
  Value begin, end;
  Value cleanBegin, cleanEnd;
};

/// Keys visible to rows at positions [firstPos, lastPos] among
/// [0, numKeys); `begin` is aligned down to `blockSize`.
KeyRange getVisibleKeys(OpBuilder &b, Location loc, const MaskSpec &mask,
                        Value firstPos, Value lastPos, Value numKeys,
                        int64_t blockSize);

/// The part of [0, length) that split `split` of `numSplits` owns: chunks of
/// ceil(length / numSplits) rounded up to `blockSize`, the last one short.
/// Returns [begin, end); empty (begin >= end) for splits past the end.
std::pair<Value, Value> getSplitKeys(OpBuilder &b, Location loc, Value length,
                                     Value split, Value numSplits,
                                     int64_t blockSize);

/// `visible` narrowed to [begin, end) of a split (the clean range is kept:
/// it is a property of the rows, not of the split).
KeyRange intersectKeys(OpBuilder &b, Location loc, const KeyRange &visible,
                       Value begin, Value end);

/// i1: every row of the range sees every key of the block [blockBegin,
/// blockEnd), which then needs no mask (the block lies in [cleanBegin,
/// cleanEnd)).
Value isCleanBlock(OpBuilder &b, Location loc, const KeyRange &range,
                   Value blockBegin, Value blockEnd);

/// i1: key `key` is visible to the row at `position` (the rule of the file
/// comment, numKeys included). Index scalars, or vectors of integers of one
/// type (a key and a row per lane; an i1 vector results).
Value isKeyVisible(OpBuilder &b, Location loc, const MaskSpec &mask,
                   Value position, Value key, Value numKeys);

} // namespace mlir::attn

#endif // ATTNC_DIALECT_ATTN_TRANSFORMS_KEYRANGE_H
