//===- KeyRange.cpp - which keys a tile of query rows can see ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Dialect/Attn/Transforms/KeyRange.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Signed index arithmetic: positions can be negative (Sq > Skv).
struct IndexMath {
  OpBuilder &b;
  Location loc;

  Value constant(int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value add(Value x, int64_t y) { return add(x, constant(y)); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value sub(Value x, int64_t y) { return sub(x, constant(y)); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value max(Value x, Value y) { return arith::MaxSIOp::create(b, loc, x, y); }
  Value max(Value x, int64_t y) { return max(x, constant(y)); }
  /// x rounded down to a multiple of `m` (x >= 0).
  Value alignDown(Value x, int64_t m) {
    if (m == 1)
      return x;
    return arith::MulIOp::create(
        b, loc, arith::DivSIOp::create(b, loc, x, constant(m)), constant(m));
  }
  Value cmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value both(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
};

} // namespace

KeyRange attn::getVisibleKeys(OpBuilder &b, Location loc,
                              const MaskSpec &mask, Value firstPos,
                              Value lastPos, Value numKeys,
                              int64_t blockSize) {
  IndexMath m{b, loc};
  KeyRange range;
  // The last row sees up to its own position (causal) or W - 1 past it.
  range.end = numKeys;
  if (mask.causal)
    range.end = m.min(range.end, m.max(m.add(lastPos, 1), 0));
  else if (mask.window)
    range.end = m.min(range.end, m.max(m.add(lastPos, *mask.window), 0));
  // The first row sees back to W - 1 before its position.
  range.begin = m.constant(0);
  if (mask.window)
    range.begin =
        m.alignDown(m.max(m.sub(m.add(firstPos, 1), *mask.window), 0),
                    blockSize);
  // Every row sees [lastPos - W + 1, firstPos] (causal or window) and
  // everything below numKeys otherwise.
  range.cleanEnd = numKeys;
  if (mask.hidesKeys())
    range.cleanEnd = m.min(range.cleanEnd, m.max(m.add(firstPos, 1), 0));
  range.cleanBegin = m.constant(0);
  if (mask.window)
    range.cleanBegin = m.max(m.sub(m.add(lastPos, 1), *mask.window), 0);
  return range;
}

std::pair<Value, Value> attn::getSplitKeys(OpBuilder &b, Location loc,
                                           Value length, Value split,
                                           Value numSplits,
                                           int64_t blockSize) {
  IndexMath m{b, loc};
  Value perSplit = arith::CeilDivSIOp::create(b, loc, length, numSplits);
  Value chunk = arith::MulIOp::create(
      b, loc,
      arith::CeilDivSIOp::create(b, loc, perSplit, m.constant(blockSize)),
      m.constant(blockSize));
  Value begin = arith::MulIOp::create(b, loc, split, chunk);
  Value end = m.min(length, m.add(begin, chunk));
  return {begin, end};
}

KeyRange attn::intersectKeys(OpBuilder &b, Location loc,
                             const KeyRange &visible, Value begin,
                             Value end) {
  IndexMath m{b, loc};
  KeyRange range = visible;
  range.begin = m.max(visible.begin, begin);
  range.end = m.min(visible.end, end);
  return range;
}

Value attn::isCleanBlock(OpBuilder &b, Location loc, const KeyRange &range,
                         Value blockBegin, Value blockEnd) {
  using P = arith::CmpIPredicate;
  IndexMath m{b, loc};
  return m.both(m.cmp(P::sge, blockBegin, range.cleanBegin),
                m.cmp(P::sle, blockEnd, range.cleanEnd));
}

Value attn::isKeyVisible(OpBuilder &b, Location loc, const MaskSpec &mask,
                         Value position, Value key, Value numKeys) {
  using P = arith::CmpIPredicate;
  IndexMath m{b, loc};
  Value visible = m.cmp(P::slt, key, numKeys);
  if (mask.causal)
    visible = m.both(visible, m.cmp(P::sle, key, position));
  if (mask.window) {
    // The window in the keys' type: an index, or a vector of integers.
    Type type = key.getType();
    TypedAttr window =
        isa<ShapedType>(type)
            ? TypedAttr(DenseElementsAttr::get(
                  cast<ShapedType>(type),
                  b.getIntegerAttr(getElementTypeOrSelf(type), *mask.window)))
            : TypedAttr(b.getIntegerAttr(type, *mask.window));
    Value w = arith::ConstantOp::create(b, loc, window);
    visible = m.both(visible, m.cmp(P::slt, m.sub(position, key), w));
    if (!mask.causal)
      visible = m.both(visible, m.cmp(P::slt, m.sub(key, position), w));
  }
  return visible;
}
