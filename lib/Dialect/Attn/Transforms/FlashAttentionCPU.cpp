//===- FlashAttentionCPU.cpp - fused flash attention for CPUs ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Lowers attn.attention into one fused kernel in the style of
// FlashAttention-2, written with vector ops sized for the target's registers:
//
//   Kt = pack(K)                    [B, Hkv, Skv/Bc, D, Bc], once per call
//   Vw = widen(V)                   [B, Hkv, Skv/Bc, Bc, Dv], f16/bf16 only
//   scf.forall (b * Hq + h, query block of nt * Br rows) {
//     per register tile t of Br rows: m = -inf, l = 0, O_t[Br, Dv] = 0 (L1)
//                                   (m, l: one vector each, the rows' lanes)
//     for each block of Bc = 2 * VL keys any tile sees:
//       for each tile t that sees keys of the block:
//         S[r, :] = scale * sum_d Q[r, d] * Kt[d, :]    2 * Br vector accs
//         S = -inf where masked                         only on edge blocks
//         m' = max(m, rowmax S); P_t = exp(S - m'); alpha_t = exp(m - m')
//         l = l * alpha_t + rowsum P_t; P_t -> L1 scratch
//       for each such tile t:
//         O_t[r, :] = O_t[r, :] * alpha_t + sum_j P_t[r, j] * V[j, :]
//                                               (Vw: f32 V is read in place)
//     O[rows] = O_t / l   (0 where l == 0: the row saw no key)
//   }
//
// The [Sq, Skv] score matrix never exists in memory. The nt register tiles
// of a task share each pass over the keys: the K panel and the V block of a
// key block are read from L2/L3 once for all of them and from L1 after
// (the scores of all tiles first, then their P V, so that K and V each stay
// in L1 while they are reused); nt comes from the target's cache sizes
// (attnc::selectFlashQueryTiles). Causal and sliding-window masks shrink the
// key range of each tile, so fully masked blocks are never visited, and only
// blocks that straddle a mask edge (or the end of the keys) evaluate the
// mask. Attention ops this kernel does not cover are left alone for
// attn-decompose.
//
// bf16 runs Q K^T and P V on vdpbf16ps where the target has AVX512-BF16
// (FlashAttentionCPUBF16.cpp) and, for head dims that are whole 32-wide
// tiles, on AMX tiles where it has AMX-BF16 and the process is granted the
// AMX state (FlashAttentionCPUAMX.cpp; the vdpbf16ps kernel otherwise).
//
//===----------------------------------------------------------------------===//

#include "FlashKernelBuilder.h"
#include "KernelRewrite.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"
#include "attnc/Transforms/AMX.h"
#include "attnc/Transforms/KernelTiles.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/Support/MathExtras.h"

#include <limits>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFLASHCPU
#include "attnc/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Why the fused kernel cannot take `op`, or an empty string.
std::string getUnsupportedReason(AttentionOp op) {
  // f16 and bf16 are read in their type and widened in registers; the
  // scores, softmax and accumulation are f32 for every type.
  Type elementType =
      cast<RankedTensorType>(op.getQuery().getType()).getElementType();
  for (Value v : {op.getKey(), op.getValue(), op.getInit()})
    if (cast<RankedTensorType>(v.getType()).getElementType() != elementType)
      return "query, key, value and result element types differ";
  auto valueType = cast<RankedTensorType>(op.getValue().getType());
  auto queryType = cast<RankedTensorType>(op.getQuery().getType());
  // Dv need not be a multiple of the vector width: the accumulator tile is
  // padded to whole vectors and the last vector of a V row is a masked read.
  if (queryType.isDynamicDim(3) || valueType.isDynamicDim(3))
    return "head dims must be static";
  return "";
}

} // namespace

FlashKernelBuilder::FlashKernelBuilder(AttentionOp op,
                                       const FlashTiling &tiling,
                                       OpBuilder &builder)
    : KernelBuilderBase(op.getLoc(), builder), op(op), vl(tiling.vectorWidth),
      bc(2 * tiling.vectorWidth), nt(tiling.queryTiles),
      f32(builder.getF32Type()),
      vecType(VectorType::get({tiling.vectorWidth}, f32)) {
  attnc::FlashRegisterTile registerTile = attnc::selectFlashRegisterTile(
      tiling.vectorRegisters > 0
          ? tiling.vectorRegisters
          : attnc::getVectorRegisterCount(tiling.vectorWidth),
      tiling.blockQ);
  br = registerTile.blockQ;
  valueGroupWidth = registerTile.valueGroupWidth;
  amx = tiling.amx && isAMXEligible(op, tiling);
  // A tile of queries and of P is 16 rows.
  if (amx)
    br = kAMXRows;
  auto queryType = cast<RankedTensorType>(op.getQuery().getType());
  auto keyType = cast<RankedTensorType>(op.getKey().getType());
  numQueryHeads = queryType.getDimSize(1);
  groups = numQueryHeads / keyType.getDimSize(1);
  headDim = queryType.getDimSize(3);
  valueDim = cast<RankedTensorType>(op.getValue().getType()).getDimSize(3);
  paddedValueDim = llvm::alignTo(valueDim, vl);
  elementType = queryType.getElementType();
  dot = tiling.bf16Dot && elementType.isBF16();
  bf16 = builder.getBF16Type();
  pairVecType = VectorType::get({2 * vl}, bf16);
  if (nt == 0)
    nt = attnc::selectFlashQueryTiles(
        {br, vl, headDim, valueDim, keyType.getDimSize(2),
         static_cast<int64_t>(elementType.getIntOrFloatBitWidth() / 8), dot},
        {tiling.l1Bytes, tiling.l2Bytes});
  numQueries = dim(op.getQuery(), 2);
  numKeys = dim(op.getKey(), 2);
  minusInf = f32Const(-std::numeric_limits<float>::infinity());
}

SmallVector<Value>
FlashKernelBuilder::loadScaledOutput(Value oTile, int64_t rowBase, int64_t e,
                                     int64_t width, Value statsTile) {
  SmallVector<Value> accs;
  for (int64_t r = 0; r < br; ++r) {
    Value alpha = statLane(statsTile, kAlphaRow, r);
    for (int64_t c = 0; c < width; ++c) {
      Value o = vector::LoadOp::create(
          b, vecType, oTile, ValueRange{index(rowBase + r), index(e + c * vl)});
      accs.push_back(arith::MulFOp::create(b, o, alpha));
    }
  }
  return accs;
}

void FlashKernelBuilder::storeOutput(ValueRange accs, Value oTile,
                                     int64_t rowBase, int64_t e,
                                     int64_t width) {
  for (int64_t r = 0; r < br; ++r)
    for (int64_t c = 0; c < width; ++c)
      vector::StoreOp::create(
          b, accs[r * width + c], oTile,
          ValueRange{index(rowBase + r), index(e + c * vl)});
}

SmallVector<std::pair<int64_t, int64_t>>
FlashKernelBuilder::getValueColumnGroups(int64_t maxWidth) const {
  int64_t numVectors = paddedValueDim / vl;
  int64_t numGroups = llvm::divideCeil(numVectors, maxWidth);
  SmallVector<std::pair<int64_t, int64_t>> groups;
  for (int64_t g = 0, e = 0; g < numGroups; ++g) {
    int64_t width =
        numVectors / numGroups + (g < numVectors % numGroups ? 1 : 0);
    groups.emplace_back(e, width);
    e += width * vl;
  }
  return groups;
}

void FlashKernelBuilder::accumulateValues(Value b0, Value kvHead, Value j0,
                                          Value pTile, Value oTile,
                                          int64_t rowBase, Value statsTile) {
  // O[r, cols] = O[r, cols] * alpha[r] + sum_j P[r, j] V[j, cols], for
  // column groups of up to valueGroupWidth vectors (as even as they go) so
  // that the Br x width accumulators stay in registers across the Bc keys
  // and each broadcast P[r, j] feeds width FMAs.
  //
  // f32 V is read in place: keys past Skv have P = 0, so a read takes a
  // valid row (0 * V stays 0), and the vector that crosses Dv is a masked
  // read whose lanes past Dv are 0 and land in the padding of the tile.
  // f16/bf16 V comes widened from its panels (widenValues): whole vectors,
  // zero past Dv and past Skv.
  Value lastKey = arith::SubIOp::create(b, numKeys, index(1));
  Value padding = f32Const(0.0f);
  Value block = valuesWide
                    ? arith::DivUIOp::create(b, j0, index(bc)).getResult()
                    : Value();
  for (std::pair<int64_t, int64_t> group :
       getValueColumnGroups(valueGroupWidth)) {
    // The group's first column and vectors (named, not bound: the lambda
    // below captures them).
    int64_t e = group.first, width = group.second;
    SmallVector<Value> accs =
        loadScaledOutput(oTile, rowBase, e, width, statsTile);
    auto loop = scf::ForOp::create(
        b, index(0), index(bc), index(1), accs,
        [&](OpBuilder &nb, Location nl, Value jj, ValueRange iter) {
          ImplicitLocOpBuilder lb(nl, nb);
          Value key = valuesWide
                          ? Value()
                          : arith::MinSIOp::create(
                                lb, arith::AddIOp::create(lb, j0, jj), lastKey)
                                .getResult();
          SmallVector<Value> v;
          for (int64_t c = 0; c < width; ++c) {
            Value col = arith::ConstantIndexOp::create(lb, e + c * vl);
            v.push_back(
                valuesWide ? vector::TransferReadOp::create(
                                 lb, vecType, valuesWide,
                                 ValueRange{b0, kvHead, block, jj, col},
                                 padding, ArrayRef<bool>{true})
                           : vector::TransferReadOp::create(
                                 lb, vecType, op.getValue(),
                                 ValueRange{b0, kvHead, key, col}, padding,
                                 ArrayRef<bool>{e + (c + 1) * vl <= valueDim}));
          }
          SmallVector<Value> next;
          for (int64_t r = 0; r < br; ++r) {
            Value p = memref::LoadOp::create(
                lb, pTile,
                ValueRange{arith::ConstantIndexOp::create(lb, r), jj});
            Value pv = vector::BroadcastOp::create(lb, vecType, p);
            for (int64_t c = 0; c < width; ++c)
              next.push_back(vector::FMAOp::create(lb, vecType, pv, v[c],
                                                   iter[r * width + c]));
          }
          scf::YieldOp::create(lb, next);
        });
    storeOutput(loop.getResults(), oTile, rowBase, e, width);
  }
}

void FlashKernelBuilder::buildTile(Value bh, Value queryBlock, Value out) {
  Value b0 = arith::DivUIOp::create(b, bh, index(numQueryHeads));
  Value h = arith::RemUIOp::create(b, bh, index(numQueryHeads));
  Value kvHead = arith::DivUIOp::create(b, h, index(groups));
  Value q0 = arith::MulIOp::create(b, queryBlock, index(nt * br));
  Value lastRow = arith::SubIOp::create(b, numQueries, index(1));
  Value rowsHere =
      minIndex(index(nt * br), arith::SubIOp::create(b, numQueries, q0));

  // Rows past Sq repeat the last row; they are never written back. For each
  // register tile, the keys any of its rows can see, [begin, end), and those
  // every row sees, [cleanBegin, cleanEnd): the rule all back ends share.
  SmallVector<QueryTile> tiles(nt);
  Value offset = arith::SubIOp::create(b, numKeys, numQueries);
  for (int64_t t = 0; t < nt; ++t) {
    QueryTile &tile = tiles[t];
    tile.index = t;
    for (int64_t r = 0; r < br; ++r) {
      tile.rows.push_back(
          minIndex(arith::AddIOp::create(b, q0, index(t * br + r)), lastRow));
      tile.positions.push_back(
          arith::AddIOp::create(b, offset, tile.rows.back()));
    }
    tile.range = getVisibleKeys(
        b, b.getLoc(), MaskSpec{op.getCausal(), op.getWindow()},
        tile.positions.front(), tile.positions.back(), numKeys, bc);
  }
  // Positions grow with the tile, and so do both ends of their key ranges.
  Value kvBegin = tiles.front().range.begin, kvEnd = tiles.back().range.end;

  // P of the key block per tile: f32, or bf16 (rounded) for the dot
  // products; O of all tiles.
  auto pTileType = MemRefType::get({br, bc}, dot ? bf16 : f32);
  auto oTileType = MemRefType::get({nt * br, paddedValueDim}, f32);
  // Tile loads of P and O (AMX) read whole cache lines.
  IntegerAttr alignment = amx ? b.getI64IntegerAttr(64) : IntegerAttr();
  for (QueryTile &tile : tiles) {
    tile.pTile = memref::AllocaOp::create(b, pTileType, alignment);
    tile.statsTile = memref::AllocaOp::create(
        b, MemRefType::get({kStatRows, vl}, f32), b.getI64IntegerAttr(64));
  }
  Value oTile = memref::AllocaOp::create(b, oTileType, alignment);
  Value zeroVec = arith::ConstantOp::create(
      b, vecType, DenseElementsAttr::get(vecType, 0.0f));
  for (int64_t r = 0; r < nt * br; ++r)
    for (int64_t e = 0; e < paddedValueDim; e += vl)
      vector::StoreOp::create(b, zeroVec, oTile,
                              ValueRange{index(r), index(e)});

  // The AMX operands of the task: its query rows and the score scratch.
  if (amx) {
    queryPairs = buildQueryPairs(tiles, b0, h);
    scoreTile = memref::AllocaOp::create(b, MemRefType::get({br, bc}, f32),
                                         b.getI64IntegerAttr(64));
  }

  // Widened query rows (f16, and bf16 without the dot products).
  queryTile = Value();
  if (!elementType.isF32() && !dot) {
    int64_t paddedHeadDim = llvm::alignTo(headDim, vl);
    queryTile = memref::AllocaOp::create(
        b, MemRefType::get({nt * br, paddedHeadDim}, f32));
    Value padding = arith::ConstantOp::create(
        b, cast<TypedAttr>(b.getZeroAttr(elementType)));
    auto rowType = VectorType::get({vl}, elementType);
    for (const QueryTile &tile : tiles)
      for (int64_t r = 0; r < br; ++r)
        for (int64_t e = 0; e < paddedHeadDim; e += vl) {
          Value row = vector::TransferReadOp::create(
              b, rowType, queries, ValueRange{b0, h, tile.rows[r], index(e)},
              padding, ArrayRef<bool>{e + vl <= headDim});
          vector::StoreOp::create(
              b, widen(b, b.getLoc(), row), queryTile,
              ValueRange{index(tile.index * br + r), index(e)});
        }
  }

  // Whether tile t takes part in the pass over the block at j0: its first
  // row exists and the block holds keys it sees (always so with one tile).
  auto isActive = [&](const QueryTile &tile, Value j0) -> Value {
    if (nt == 1)
      return Value();
    SmallVector<Value> conds;
    if (tile.index > 0) {
      conds.push_back(arith::CmpIOp::create(
          b, arith::CmpIPredicate::slt,
          arith::AddIOp::create(b, q0, index(tile.index * br)), numQueries));
      conds.push_back(arith::CmpIOp::create(b, arith::CmpIPredicate::sge, j0,
                                            tile.range.begin));
    }
    if (tile.index < nt - 1)
      conds.push_back(arith::CmpIOp::create(b, arith::CmpIPredicate::slt, j0,
                                            tile.range.end));
    Value active = conds.front();
    for (Value cond : ArrayRef(conds).drop_front())
      active = arith::AndIOp::create(b, active, cond);
    return active;
  };

  // Running max and sum of the rows, tile by tile: a vector of maxima and
  // one of sums (row r in lanes [r * w, (r + 1) * w), reduceRows).
  SmallVector<Value> stats;
  for (int64_t t = 0; t < nt; ++t) {
    stats.push_back(vector::BroadcastOp::create(b, vecType, minusInf));
    stats.push_back(vector::BroadcastOp::create(b, vecType, f32Const(0.0f)));
  }
  auto kvLoop = scf::ForOp::create(
      b, kvBegin, kvEnd, index(bc), stats,
      [&](OpBuilder &nb, Location, Value j0, ValueRange iter) {
        OpBuilder::InsertionGuard bodyGuard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        // Scores and softmax of every tile first, while the K panel is in
        // L1, then P V of every tile, while the V block is.
        SmallVector<Value> next, actives;
        for (const QueryTile &tile : tiles) {
          ValueRange old = iter.slice(tile.index * 2, 2);
          Value active = isActive(tile, j0);
          actives.push_back(active);
          SmallVector<Value> updated;
          if (!active) {
            updated = softmaxBlock(b0, h, kvHead, tile, j0, old);
          } else {
            auto guarded = scf::IfOp::create(
                b, active,
                [&](OpBuilder &tb, Location) {
                  OpBuilder::InsertionGuard thenGuard(b);
                  b.setInsertionPoint(tb.getInsertionBlock(),
                                      tb.getInsertionPoint());
                  scf::YieldOp::create(
                      b, softmaxBlock(b0, h, kvHead, tile, j0, old));
                },
                [&](OpBuilder &eb, Location el) {
                  // Skipped: the statistics stay, O is left alone.
                  scf::YieldOp::create(eb, el, old);
                });
            updated = guarded.getResults();
          }
          next.append(updated.begin(), updated.end());
        }
        for (const QueryTile &tile : tiles) {
          auto accumulate = [&] {
            if (amx)
              accumulateValuesAMX(b0, kvHead, j0, tile.pTile, oTile,
                                  tile.index * br, tile.statsTile);
            else if (dot)
              accumulateValuesDot(b0, kvHead, j0, tile.pTile, oTile,
                                  tile.index * br, tile.statsTile);
            else
              accumulateValues(b0, kvHead, j0, tile.pTile, oTile,
                               tile.index * br, tile.statsTile);
          };
          Value active = actives[tile.index];
          if (!active) {
            accumulate();
            continue;
          }
          auto guarded = scf::IfOp::create(b, active, /*withElse=*/false);
          OpBuilder::InsertionGuard thenGuard(b);
          b.setInsertionPoint(guarded.thenBlock()->getTerminator());
          accumulate();
        }
        scf::YieldOp::create(b, next);
      });

  // Normalise the tile in place (or, for f16/bf16, into a tile of that
  // type) and hand it over as a tensor. (Building the tile as a chain of
  // Br * Dv / VL tensor writes instead makes one-shot bufferization
  // superlinearly slow.)
  Value outTile = oTile;
  if (!elementType.isF32())
    outTile = memref::AllocaOp::create(
        b, MemRefType::get({nt * br, paddedValueDim}, elementType));
  auto outVecType = VectorType::get({vl}, elementType);
  for (int64_t row = 0; row < nt * br; ++row) {
    Value l = vector::ExtractOp::create(
        b, kvLoop.getResult((row / br) * 2 + 1),
        ArrayRef<int64_t>{(row % br) * getStatLanesPerRow()});
    Value inv = arith::SelectOp::create(
        b, arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, l, f32Const(0)),
        f32Const(0), arith::DivFOp::create(b, f32Const(1), l));
    Value invV = vector::BroadcastOp::create(b, vecType, inv);
    for (int64_t e = 0; e < paddedValueDim; e += vl) {
      SmallVector<Value, 2> at = {index(row), index(e)};
      Value o = vector::LoadOp::create(b, vecType, oTile, at);
      Value normalised = arith::MulFOp::create(b, o, invV);
      if (!elementType.isF32())
        normalised = arith::TruncFOp::create(b, outVecType, normalised);
      vector::StoreOp::create(b, normalised, outTile, at);
    }
  }
  auto forall = cast<scf::ForallOp>(out.getParentBlock()->getParentOp());
  attnc::insertTileInParallel(b, b.getLoc(), forall, outTile, rowsHere,
                              b.getIndexAttr(valueDim), out,
                              {b0, h, q0, b.getIndexAttr(0)});
}

FlashKernelBuilder::PackedOperands FlashKernelBuilder::packOperands() {
  PackedOperands packed;
  if (dot) {
    packed.keysT = packKeyPairs();
    packed.valuePairs = packValuePairs();
  } else {
    packed.keysT = transposeKeys();
    if (!elementType.isF32())
      packed.valuesWide = widenValues();
  }
  Value mask = op.getMask();
  Type maskElement =
      mask ? cast<RankedTensorType>(mask.getType()).getElementType() : Type();
  if (mask && (maskElement.isInteger(1) || maskElement.isBF16())) {
    Type wide = maskElement.isBF16() ? f32 : Type(b.getI8Type());
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(b, b.getLoc(), mask);
    Value init = tensor::EmptyOp::create(b, sizes, wide);
    AffineMap identity = b.getMultiDimIdentityMap(4);
    packed.widenedMask =
        linalg::GenericOp::create(
            b, init.getType(), mask, init,
            ArrayRef<AffineMap>{identity, identity},
            SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value widened =
                  wide.isF32() ? widen(nb, nl, args[0])
                               : arith::ExtUIOp::create(nb, nl, wide, args[0])
                                     .getResult();
              linalg::YieldOp::create(nb, nl, widened);
            })
            .getResult(0);
  }
  return packed;
}

Value FlashKernelBuilder::buildKernel(const PackedOperands &packed) {
  keysT = packed.keysT;
  valuePairs = packed.valuePairs;
  valuesWide = packed.valuesWide;
  widenedMask = packed.widenedMask;
  if (amx) {
    auto asBuffer = [&](Value panels) {
      auto type = cast<RankedTensorType>(panels.getType());
      return bufferization::ToBufferOp::create(
          b, MemRefType::get(type.getShape(), type.getElementType()), panels,
          /*read_only=*/true);
    };
    keyPairBuffer = asBuffer(keysT);
    valuePairBuffer = asBuffer(valuePairs);
  }
  queries = op.getQuery();
  Value batchHeads =
      arith::MulIOp::create(b, dim(op.getQuery(), 0), index(numQueryHeads));
  Value queryBlocks = arith::CeilDivUIOp::create(b, numQueries, index(nt * br));
  auto forall =
      scf::ForallOp::create(b, ArrayRef<OpFoldResult>{batchHeads, queryBlocks},
                            ValueRange{op.getInit()}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  buildTile(body->getArgument(0), body->getArgument(1), body->getArgument(2));
  return forall.getResult(0);
}

namespace {

struct AttnFlashCPUPass
    : public attn::impl::AttnFlashCPUBase<AttnFlashCPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockQ < 0 || blockQ > vectorWidth ||
        (vectorWidth != 8 && vectorWidth != 16) ||
        (vectorRegisters != 0 && vectorRegisters < 8)) {
      getOperation()->emitError(
          "attn-flash-cpu: expected 0 <= block-q <= vector-width, "
          "vector-width 8 or 16 and vector-registers "
          "0 or >= 8, got ")
          << blockQ.getValue() << ", " << vectorWidth.getValue() << " and "
          << vectorRegisters.getValue();
      return signalPassFailure();
    }
    if (queryTiles < 0 || l1CacheBytes <= 0 || l2CacheBytes <= 0) {
      getOperation()->emitError(
          "attn-flash-cpu: expected query-tiles >= 0 and l1-cache-bytes, "
          "l2-cache-bytes > 0, got ")
          << queryTiles.getValue() << ", " << l1CacheBytes.getValue() << " and "
          << l2CacheBytes.getValue();
      return signalPassFailure();
    }
    FlashTiling tiling{blockQ,       queryTiles,   vectorWidth,    bf16Dot,
                       l1CacheBytes, l2CacheBytes, vectorRegisters};
    FlashTiling amxTiling = tiling;
    amxTiling.amx = amxBF16 && bf16Dot;
    // The softmax of attn.masked_softmax is fused only inside attention.
    if (reportFallbacks)
      getOperation()->walk([](MaskedSoftmaxOp op) {
        reportFallback(op, "no fused CPU kernel (the flash kernel fuses the "
                           "softmax only inside attn.attention)");
      });
    replaceByKernels<AttentionOp>(
        getOperation(), reportFallbacks,
        [&](AttentionOp op) { return getUnsupportedReason(op); },
        [&](AttentionOp op, OpBuilder &builder) {
          if (!isAMXEligible(op, amxTiling))
            return SmallVector<Value>{
                FlashKernelBuilder(op, tiling, builder).build()};
          // AMX tiles where the process may use them, vdpbf16ps where not;
          // both read the same pair panels, packed once before the choice.
          Location loc = op.getLoc();
          FlashKernelBuilder::PackedOperands packed =
              FlashKernelBuilder(op, tiling, builder).packOperands();
          auto granted = scf::IfOp::create(
              builder, loc, attnc::buildAMXGrantedCheck(builder, loc),
              [&](OpBuilder &tb, Location) {
                scf::YieldOp::create(
                    tb, loc,
                    FlashKernelBuilder(op, amxTiling, tb).buildKernel(packed));
              },
              [&](OpBuilder &eb, Location) {
                scf::YieldOp::create(
                    eb, loc,
                    FlashKernelBuilder(op, tiling, eb).buildKernel(packed));
              });
          return SmallVector<Value>{granted.getResult(0)};
        });
  }
};

} // namespace
