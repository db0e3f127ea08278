//===- FlashAttentionCPUAMX.cpp - attn-flash-cpu on AMX tiles --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The AMX-BF16 path of attn-flash-cpu (`amx-bf16`, with `bf16-dot`): the
// vdpbf16ps path's panels (FlashAttentionCPUPack.cpp) are already the
// layouts tdpbf16ps reads. A row of the K panel holds, for the block's 32
// keys, one pair of dims each: 16 rows are a 16 x 32 weight tile of 16 keys
// per half. A row of the V panel holds, for Dv columns, one pair of keys
// each: its 16 rows (the block's 32 keys) are a tile per 16 columns. P of a
// tile of Br = 16 query rows is a [16, 32] bf16 tile as softmaxBlock
// stores it, and the task's query rows are copied once into bf16 rows.
//
//   S[16, 32] = sum over 32-dim steps of Q tile x K tiles (2 accumulators)
//               -> scratch -> the shared online softmax (vectors)
//   O[16, Dv] = O * alpha (vectors), then + P tile x V tile per 16 columns
//
// The softmax, the masks and the key loop are the shared ones; only the
// two products run on tiles.
//
//===----------------------------------------------------------------------===//

#include "FlashKernelBuilder.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::attn;

bool mlir::attn::isAMXEligible(AttentionOp op, const FlashTiling &tiling) {
  auto queryType = cast<RankedTensorType>(op.getQuery().getType());
  return tiling.amx && tiling.bf16Dot && tiling.vectorWidth == 16 &&
         queryType.getElementType().isBF16() &&
         queryType.getDimSize(3) % kAMXTileK == 0;
}

Value FlashKernelBuilder::buildQueryPairs(ArrayRef<QueryTile> tiles, Value b0,
                                          Value h) {
  Value rowsBuffer = memref::AllocaOp::create(
      b, MemRefType::get({nt * br, headDim}, bf16), b.getI64IntegerAttr(64));
  Value padding =
      arith::ConstantOp::create(b, cast<TypedAttr>(b.getZeroAttr(bf16)));
  for (const QueryTile &tile : tiles)
    for (int64_t r = 0; r < br; ++r)
      for (int64_t d = 0; d < headDim; d += 2 * vl) {
        Value row = vector::TransferReadOp::create(
            b, pairVecType, queries, ValueRange{b0, h, tile.rows[r], index(d)},
            padding, ArrayRef<bool>{true});
        vector::StoreOp::create(
            b, row, rowsBuffer,
            ValueRange{index(tile.index * br + r), index(d)});
      }
  return rowsBuffer;
}

SmallVector<Value> FlashKernelBuilder::computeScoresAMX(const QueryTile &tile,
                                                        Value b0, Value kvHead,
                                                        Value j0) {
  auto accType = amx::TileType::get({kAMXRows, kAMXRows}, f32);
  auto operandType = amx::TileType::get({kAMXRows, kAMXTileK}, bf16);
  Value block = arith::DivUIOp::create(b, j0, index(bc));
  Value accs[2] = {amx::TileZeroOp::create(b, accType),
                   amx::TileZeroOp::create(b, accType)};
  // 32 dims (16 pairs) per step; D is whole steps (isAMXEligible).
  for (int64_t d = 0; d < headDim; d += kAMXTileK) {
    Value q =
        amx::TileLoadOp::create(b, operandType, queryPairs,
                                ValueRange{index(tile.index * br), index(d)});
    for (int64_t c = 0; c < 2; ++c) {
      Value k = amx::TileLoadOp::create(
          b, operandType, keyPairBuffer,
          ValueRange{b0, kvHead, block, index(d / 2), index(2 * c * kAMXRows)});
      accs[c] = amx::TileMulFOp::create(b, accType, q, k, accs[c]);
    }
  }
  for (int64_t c = 0; c < 2; ++c)
    amx::TileStoreOp::create(
        b, scoreTile, ValueRange{index(0), index(c * kAMXRows)}, accs[c]);
  SmallVector<Value> scores;
  for (int64_t r = 0; r < br; ++r)
    for (int64_t c = 0; c < 2; ++c)
      scores.push_back(vector::LoadOp::create(
          b, vecType, scoreTile, ValueRange{index(r), index(c * vl)}));
  return scaleScores(scores);
}

void FlashKernelBuilder::accumulateValuesAMX(Value b0, Value kvHead, Value j0,
                                             Value pTile, Value oTile,
                                             int64_t rowBase, Value statsTile) {
  // O *= alpha row by row in vectors, then the P tile times each 16-column
  // V tile into the O tile in place.
  storeOutput(
      loadScaledOutput(oTile, rowBase, 0, paddedValueDim / vl, statsTile),
      oTile, rowBase, 0, paddedValueDim / vl);
  auto accType = amx::TileType::get({kAMXRows, kAMXRows}, f32);
  auto operandType = amx::TileType::get({kAMXRows, kAMXTileK}, bf16);
  Value block = arith::DivUIOp::create(b, j0, index(bc));
  Value p = amx::TileLoadOp::create(b, operandType, pTile,
                                    ValueRange{index(0), index(0)});
  for (int64_t e = 0; e < paddedValueDim; e += kAMXRows) {
    SmallVector<Value, 2> at = {index(rowBase), index(e)};
    Value o = amx::TileLoadOp::create(b, accType, oTile, at);
    Value v = amx::TileLoadOp::create(
        b, operandType, valuePairBuffer,
        ValueRange{b0, kvHead, block, index(0), index(2 * e)});
    amx::TileStoreOp::create(b, oTile, at,
                             amx::TileMulFOp::create(b, accType, p, v, o));
  }
}
