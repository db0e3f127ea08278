//===- CacheDecomposition.cpp - KV cache ops reference lowering -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// attn.kv_append as tensor.insert_slice in scf.for loops over the batch (and,
// for paged caches, over the new rows), so that one-shot bufferization writes
// the caches in place; attn.decode_attention as a gather of the paged cache
// (when paged) followed by the attention reference with per-sequence lengths.
// Cache bounds and block ids are checked at run time with cf.assert.
//
//===----------------------------------------------------------------------===//

#include "DecompositionUtils.h"
#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/IR/ShapeChecks.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::decomposition;

namespace {

/// Small arithmetic helpers on `index` values, to keep the loop bodies
/// readable.
struct IndexMath {
  OpBuilder &b;
  Location loc;

  Value constant(int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value cmp(arith::CmpIPredicate pred, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, pred, x, y);
  }
  Value both(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  /// lo <= x < hi (signed).
  Value inRange(Value x, Value lo, Value hi) {
    return both(cmp(arith::CmpIPredicate::sge, x, lo),
                cmp(arith::CmpIPredicate::slt, x, hi));
  }
  Value dim(Value tensor, int64_t idx) {
    return getDimValue(b, loc, tensor, idx);
  }
  /// tensor[indices] converted to index.
  Value load(Value tensor, ValueRange indices) {
    return toIndex(b, loc, tensor::ExtractOp::create(b, loc, tensor, indices));
  }
};

/// Copies rows [row, row + rows) of sequence `batch` of `source`
/// [B, Hkv, S, D] into `cache` at [cacheIdx0, 0, cacheIdx2, 0]. Into a
/// low-precision cache the rows are rounded (arith.truncf: to nearest,
/// ties to even), written straight into the cache's slice.
Value insertRows(OpBuilder &b, Location loc, Value source, Value cache,
                 Value batch, OpFoldResult row, OpFoldResult rows,
                 Value cacheIdx0, Value cacheIdx2) {
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, source);
  sizes[0] = one;
  sizes[2] = rows;
  SmallVector<OpFoldResult> strides(4, one);
  SmallVector<OpFoldResult> cacheOffsets = {cacheIdx0, zero, cacheIdx2, zero};
  Value slice = tensor::ExtractSliceOp::create(
      b, loc, source, {batch, zero, row, zero}, sizes, strides);
  Type cacheElement = cast<RankedTensorType>(cache.getType()).getElementType();
  if (cast<RankedTensorType>(slice.getType()).getElementType() !=
      cacheElement) {
    Value destination = tensor::ExtractSliceOp::create(
        b, loc, cache, cacheOffsets, sizes, strides);
    slice = buildElementwise(
        b, loc, slice, destination,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          return convertFloat(nb, nl, args[0], cacheElement);
        });
  }
  return tensor::InsertSliceOp::create(b, loc, slice, cache, cacheOffsets,
                                       sizes, strides);
}

} // namespace

FailureOr<SmallVector<Value>> KVAppendOp::decomposeOperation(OpBuilder &b) {
  buildShapeChecks(b, getOperation());
  Location loc = getLoc();
  IndexMath m{b, loc};
  Value key = getKey(), value = getValue();
  Value batchSize = m.dim(key, 0);
  Value newRows = m.dim(key, 2);
  Operation *op = getOperation();

  auto batchLoop = scf::ForOp::create(
      b, loc, m.constant(0), batchSize, m.constant(1),
      ValueRange{getKeyCache(), getValueCache()},
      [&](OpBuilder &nb, Location nl, Value batch, ValueRange caches) {
        IndexMath n{nb, nl};
        Value start = n.load(getStart(), batch);
        emitRuntimeCheck(nb, nl,
                         n.cmp(arith::CmpIPredicate::sge, start, n.constant(0)),
                         getRuntimeCheckMessage(op, "negative start position"));
        if (!isPaged()) {
          Value end = n.add(start, newRows);
          emitRuntimeCheck(
              nb, nl,
              n.cmp(arith::CmpIPredicate::sle, end, n.dim(caches[0], 2)),
              getRuntimeCheckMessage(op, "write past the end of the cache "
                               "(start + Snew > Smax)"));
          // All new rows of the sequence at once.
          OpFoldResult firstRow = nb.getIndexAttr(0);
          OpFoldResult allRows = tensor::getMixedSize(nb, nl, key, 2);
          Value keyCache = insertRows(nb, nl, key, caches[0], batch, firstRow,
                                      allRows, batch, start);
          Value valueCache = insertRows(nb, nl, value, caches[1], batch,
                                        firstRow, allRows, batch, start);
          scf::YieldOp::create(nb, nl, ValueRange{keyCache, valueCache});
          return;
        }
        // Paged: one row at a time, each to its block and slot.
        Value table = getBlockTable();
        int64_t blockSize =
            cast<RankedTensorType>(caches[0].getType()).getDimSize(2);
        auto rowLoop = scf::ForOp::create(
            nb, nl, n.constant(0), newRows, n.constant(1), caches,
            [&](OpBuilder &rb, Location rl, Value row, ValueRange inner) {
              IndexMath r{rb, rl};
              Value position = r.add(start, row);
              Value logicalBlock = arith::DivUIOp::create(
                  rb, rl, position, r.constant(blockSize));
              Value slot = arith::RemUIOp::create(rb, rl, position,
                                                  r.constant(blockSize));
              emitRuntimeCheck(
                  rb, rl,
                  r.cmp(arith::CmpIPredicate::slt, logicalBlock,
                        r.dim(table, 1)),
                  getRuntimeCheckMessage(op, "position past the end of the block "
                                   "table"));
              Value block = r.load(table, {batch, logicalBlock});
              emitRuntimeCheck(
                  rb, rl, r.inRange(block, r.constant(0), r.dim(inner[0], 0)),
                  getRuntimeCheckMessage(op, "block id outside [0, num_blocks)"));
              OpFoldResult one = rb.getIndexAttr(1);
              Value keyCache = insertRows(rb, rl, key, inner[0], batch, row,
                                          one, block, slot);
              Value valueCache = insertRows(rb, rl, value, inner[1], batch, row,
                                            one, block, slot);
              scf::YieldOp::create(rb, rl, ValueRange{keyCache, valueCache});
            });
        scf::YieldOp::create(nb, nl, rowLoop.getResults());
      });
  return SmallVector<Value>(batchLoop.getResults());
}

Value DecodeAttentionOp::buildCapacity(OpBuilder &b) {
  IndexMath m{b, getLoc()};
  Value capacity = m.dim(getKeyCache(), 2);
  if (Value table = getBlockTable())
    capacity = m.mul(m.dim(table, 1), capacity);
  return capacity;
}

void DecodeAttentionOp::buildRuntimeChecks(OpBuilder &b) {
  Location loc = getLoc();
  DecodeAttentionOp op = *this;
  Value capacity = buildCapacity(b);
  IndexMath m{b, loc};
  Value lens = op.getSeqLens(), table = op.getBlockTable();
  scf::ForOp::create(
      b, loc, m.constant(0), m.dim(lens, 0), m.constant(1), ValueRange{},
      [&](OpBuilder &nb, Location nl, Value batch, ValueRange) {
        IndexMath n{nb, nl};
        Value len = n.load(lens, batch);
        emitRuntimeCheck(
            nb, nl,
            n.both(n.cmp(arith::CmpIPredicate::sge, len, n.constant(0)),
                   n.cmp(arith::CmpIPredicate::sle, len, capacity)),
            getRuntimeCheckMessage(op, "sequence length outside [0, cache capacity]"));
        if (table) {
          int64_t blockSize =
              cast<RankedTensorType>(op.getKeyCache().getType()).getDimSize(2);
          Value usedBlocks =
              arith::CeilDivUIOp::create(nb, nl, len, n.constant(blockSize));
          Value numBlocks = n.dim(op.getKeyCache(), 0);
          scf::ForOp::create(
              nb, nl, n.constant(0), usedBlocks, n.constant(1), ValueRange{},
              [&](OpBuilder &rb, Location rl, Value logical, ValueRange) {
                IndexMath r{rb, rl};
                Value block = r.load(table, {batch, logical});
                emitRuntimeCheck(
                    rb, rl, r.inRange(block, r.constant(0), numBlocks),
                    getRuntimeCheckMessage(op, "block id outside [0, num_blocks)"));
                scf::YieldOp::create(rb, rl);
              });
        }
        scf::YieldOp::create(nb, nl);
      });
}

/// Gathers a paged cache [num_blocks, Hkv, block, D] into the contiguous
/// [B, Hkv, max_blocks * block, D] view of each sequence. Table entries past
/// a sequence's length may be garbage: they are clamped into range, and the
/// rows they produce are masked by the length.
static Value gatherPagedCache(OpBuilder &b, Location loc, Value cache,
                              Value table) {
  IndexMath m{b, loc};
  auto cacheType = cast<RankedTensorType>(cache.getType());
  int64_t blockSize = cacheType.getDimSize(2);
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, cache);
  sizes[0] = tensor::getMixedSize(b, loc, table, 0);
  int64_t maxBlocks = cast<RankedTensorType>(table.getType()).getDimSize(1);
  sizes[2] = ShapedType::isDynamic(maxBlocks)
                 ? OpFoldResult(m.mul(m.dim(table, 1), m.constant(blockSize)))
                 : b.getIndexAttr(maxBlocks * blockSize);
  Value init =
      tensor::EmptyOp::create(b, loc, sizes, cacheType.getElementType());
  Value lastBlock =
      arith::SubIOp::create(b, loc, m.dim(cache, 0), m.constant(1));
  return buildElementwise(
      b, loc, ValueRange{}, init,
      [&](OpBuilder &nb, Location nl, ValueRange) -> Value {
        IndexMath n{nb, nl};
        Value batch = linalg::IndexOp::create(nb, nl, 0);
        Value head = linalg::IndexOp::create(nb, nl, 1);
        Value row = linalg::IndexOp::create(nb, nl, 2);
        Value col = linalg::IndexOp::create(nb, nl, 3);
        Value logical =
            arith::DivUIOp::create(nb, nl, row, n.constant(blockSize));
        Value slot = arith::RemUIOp::create(nb, nl, row, n.constant(blockSize));
        Value block = n.load(table, {batch, logical});
        block = arith::MaxSIOp::create(nb, nl, block, n.constant(0));
        block = arith::MinSIOp::create(nb, nl, block, lastBlock);
        return tensor::ExtractOp::create(nb, nl, cache,
                                         ValueRange{block, head, slot, col});
      });
}

FailureOr<SmallVector<Value>>
DecodeAttentionOp::decomposeOperation(OpBuilder &b) {
  buildShapeChecks(b, getOperation());
  Location loc = getLoc();
  auto queryType = cast<RankedTensorType>(getQuery().getType());
  auto cacheType = cast<RankedTensorType>(getKeyCache().getType());
  int64_t groups = queryType.getDimSize(1) / cacheType.getDimSize(1);

  Value key = getKeyCache(), value = getValueCache();
  buildRuntimeChecks(b);
  if (Value table = getBlockTable()) {
    key = gatherPagedCache(b, loc, key, table);
    value = gatherPagedCache(b, loc, value, table);
  }

  ScoreMask spec = getScoreMaskAttributes(*this);
  spec.seqLens = getSeqLens();
  Value scores = computeScores(b, loc, getQuery(), key, groups);
  scores = applyScoreMask(b, loc, scores, spec);
  Value probabilities = softmaxLastDim(b, loc, scores);
  return SmallVector<Value>{
      attendValues(b, loc, probabilities, value, groups, getInit())};
}
