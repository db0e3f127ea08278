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
//   scf.forall (b * head groups + group, i) {
//     for h in group:                      merge the splits of one row
//       M = max_s m_s; O = sum_s O_s e^(m_s - M) / sum_s l_s e^(m_s - M)
//   }                                      (a group: every head when Sq = 1)
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

#include "DecodeKernelBuilder.h"
#include "KernelRewrite.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"
#include "attnc/Transforms/KernelTiles.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <limits>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNDECODECPU
#include "attnc/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

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

} // namespace

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
  // Output rows of one query position, of as many heads as fill a tile of
  // kMergeRows rows when the call has fewer query positions than that: a
  // decode step is one task for up to kMergeRows heads (run on the calling
  // thread), rather than a fork of Hq tasks of one row each.
  constexpr int64_t kMergeRows = 32;
  Value headsPerTask = b.createOrFold<arith::MinUIOp>(
      b.createOrFold<arith::DivUIOp>(
          index(kMergeRows),
          b.createOrFold<arith::MaxUIOp>(
              b.createOrFold<arith::MinUIOp>(numQueries, index(kMergeRows)),
              index(1))),
      index(numQueryHeads));
  Value headGroups =
      b.createOrFold<arith::CeilDivUIOp>(index(numQueryHeads), headsPerTask);
  Value tasks =
      b.createOrFold<arith::MulIOp>(dim(op.getQuery(), 0), headGroups);
  auto forall = scf::ForallOp::create(b, getAsOpFoldResult({tasks, numQueries}),
                                      ValueRange{op.getInit()}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  Value i = body->getArgument(1);
  Value b0 = arith::DivUIOp::create(b, body->getArgument(0), headGroups);
  Value h0 = arith::MulIOp::create(
      b, arith::RemUIOp::create(b, body->getArgument(0), headGroups),
      headsPerTask);
  Value headsHere = b.createOrFold<arith::MinUIOp>(
      headsPerTask, arith::SubIOp::create(b, index(numQueryHeads), h0));
  // The task's rows in the result's type, then one slice of the result.
  int64_t tileRows = std::min(kMergeRows, numQueryHeads);
  Value rows = memref::AllocaOp::create(
      b, MemRefType::get({tileRows, paddedValueDim}, elementType));
  auto headLoop = scf::ForOp::create(b, index(0), headsHere, index(1));
  b.setInsertionPointToStart(headLoop.getBody());
  Value hh = headLoop.getInductionVar();
  Value h = arith::AddIOp::create(b, h0, hh);
  // The splits' (O, m, l) of row (b0, h, i), rescaled to their common
  // maximum.
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
  for (int64_t e = 0; e < paddedValueDim; e += vl) {
    Value o = arith::MulFOp::create(b, sumLoop.getResult(e / vl), invV);
    if (!elementType.isF32())
      o = arith::TruncFOp::create(b, elementVecType, o);
    vector::StoreOp::create(b, o, rows, ValueRange{hh, index(e)});
  }

  // Rows [0, headsHere) as result[b0, h0 : h0 + headsHere, i, :].
  b.setInsertionPoint(forall.getTerminator());
  OpFoldResult one = b.getIndexAttr(1), zero = b.getIndexAttr(0);
  Value rowsTensor = bufferization::ToTensorOp::create(
      b, RankedTensorType::get({tileRows, paddedValueDim}, elementType), rows,
      /*restrict=*/b.getUnitAttr());
  Value part = tensor::ExtractSliceOp::create(
      b, rowsTensor, ArrayRef<OpFoldResult>{zero, zero},
      ArrayRef<OpFoldResult>{headsHere, b.getIndexAttr(valueDim)},
      ArrayRef<OpFoldResult>{one, one});
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(
      b, part, body->getArgument(2), ArrayRef<OpFoldResult>{b0, h0, i, zero},
      ArrayRef<OpFoldResult>{one, headsHere, one, b.getIndexAttr(valueDim)},
      ArrayRef<OpFoldResult>{one, one, one, one});
  return forall.getResult(0);
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

namespace {

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
