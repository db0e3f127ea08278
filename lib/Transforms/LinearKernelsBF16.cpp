//===- LinearKernelsBF16.cpp - AVX512-BF16 linear kernels -------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The blocked (prefill) kernel of bf16 weights on a target with AVX512-BF16,
// and the pieces of the dot-product (decode) kernel's pair form.
// vdpbf16ps adds, in each f32 lane, the products of one pair of bf16 values
// of each operand; the pairs run along K:
//
//   xp[b, block, k/2, i] = bf16 pair x[b, block * Mr + i, k : k + 2]
//                          (rounded to nearest even once, per 512-k chunk)
//   scf.forall (b, block of Nc columns, task of up to 516 rows) {
//     tile = init
//     for each 256 weight rows: panel[p, c] = pair w(k0 + 2p : +2, c)
//       for each block of Mr rows: acc[Mr][Nc / vl] = tile rows;
//         for p: acc += dpbf16ps(bcast32(xp[block, p, r]), panel[p]);
//         tile = acc
//   }
//
// The schedule is the f32 kernel's (LinearKernels.cpp): 6 x 64 register
// blocks with AVX-512, a 32 KiB panel (here 256 weight rows of 2 bytes), the
// column block as the outer parallel dimension. Each instruction does two
// k of the f32 kernel's FMA, from half the bytes of panel. Only the matmul
// inputs are rounded: the accumulators, the bias and the result stay f32.
// A K that is odd pairs its last row with zeros (of the activation and of
// the weight); the last block of rows repeats the sequence's last row, and
// the tile takes those rows without inserting them.
//
//===----------------------------------------------------------------------===//

#include "LinearKernelBuilder.h"
#include "attnc/Transforms/LowPrecision.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::attnc;

namespace mlir::attnc::linear {

Value LinearKernelBuilder::roundPairs(Value batch, Value row, Value k,
                                      bool inBounds) {
  Value lo = readVector(layer.input, ValueRange{batch, row, k}, inBounds);
  Value hi = readVector(layer.input, ValueRange{batch, row, add(k, index(vl))},
                        inBounds);
  lo = roundToBF16(b, b.getLoc(), lo, /*native=*/true);
  hi = roundToBF16(b, b.getLoc(), hi, /*native=*/true);
  return vector::ShuffleOp::create(
      b, lo, hi, llvm::to_vector(llvm::seq<int64_t>(0, 2 * vl)));
}

Value LinearKernelBuilder::buildRoundedRows(Value batch, ArrayRef<Value> rows) {
  int64_t chunk = 2 * vl;
  int64_t padded = roundUp(reduction, chunk);
  Value rounded = memref::AllocaOp::create(
      b,
      MemRefType::get({static_cast<int64_t>(rows.size()), padded},
                      b.getBF16Type()),
      b.getI64IntegerAttr(kCacheLineBytes));
  bool inBounds = reduction % chunk == 0;
  for (auto [r, row] : llvm::enumerate(rows))
    storeRoundedRow(batch, row, /*k0=*/Value(), index(padded), rounded,
                    index(r), inBounds);
  return rounded;
}

Value LinearKernelBuilder::buildWidenedRows(Value batch, ArrayRef<Value> rows,
                                            int64_t lanes) {
  int64_t padded = roundUp(reduction, lanes);
  Value widened = memref::AllocaOp::create(
      b, MemRefType::get({static_cast<int64_t>(rows.size()), padded}, f32),
      b.getI64IntegerAttr(kCacheLineBytes));
  bool inBounds = reduction % lanes == 0;
  for (auto [r, row] : llvm::enumerate(rows)) {
    auto kLoop = scf::ForOp::create(b, index(0), index(padded), index(lanes));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value k = kLoop.getInductionVar();
    Value x =
        readVector(layer.input, ValueRange{batch, row, k}, inBounds, lanes);
    vector::StoreOp::create(b, roundActivations(b, b.getLoc(), x), widened,
                            ValueRange{index(r), k});
  }
  return widened;
}

void LinearKernelBuilder::storeRoundedRow(Value batch, Value row, Value k0,
                                          Value kLength, Value buffer,
                                          Value bufferRow, bool inBounds) {
  auto kLoop = scf::ForOp::create(b, index(0), kLength, index(2 * vl));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(kLoop.getBody());
  Value kk = kLoop.getInductionVar();
  vector::StoreOp::create(
      b, roundPairs(batch, row, k0 ? add(k0, kk) : kk, inBounds), buffer,
      ValueRange{bufferRow, kk});
}

Value LinearKernelBuilder::readWeightPairs(ImplicitLocOpBuilder &lb,
                                           Value weightRow, Value k,
                                           bool whole) {
  Type bf16 = lb.getBF16Type();
  Value bf16Zero = arith::ConstantOp::create(lb, bf16, lb.getZeroAttr(bf16));
  if (whole)
    return vector::TransferReadOp::create(
        lb, VectorType::get({2 * vl}, bf16), layer.weight,
        ValueRange{weightRow, k}, bf16Zero, ArrayRef<bool>{true});
  // The last vl values of a K that is an odd multiple of vl
  // (getLinearKernelUnsupportedReason), then zeros: built as integers, as
  // a bf16 vector constant would need a compiler-rt call.
  Type i16 = lb.getI16Type();
  auto halfType = VectorType::get({vl}, i16);
  Value half = vector::BitCastOp::create(
      lb, halfType,
      vector::TransferReadOp::create(lb, VectorType::get({vl}, bf16),
                                     layer.weight, ValueRange{weightRow, k},
                                     bf16Zero, ArrayRef<bool>{true}));
  Value zeros = arith::ConstantOp::create(
      lb, halfType, DenseElementsAttr::get(halfType, APInt(16, 0)));
  Value both = vector::ShuffleOp::create(
      lb, half, zeros, llvm::to_vector(llvm::seq<int64_t>(0, 2 * vl)));
  return vector::BitCastOp::create(lb, VectorType::get({2 * vl}, bf16), both);
}

Value LinearKernelBuilder::buildPackedPairs() {
  Type i32 = b.getI32Type();
  int64_t numPairs = (reduction + 1) / 2;
  Value blocks = arith::CeilDivUIOp::create(b, seqLen, index(kRowsInOut));
  Value init = tensor::EmptyOp::create(
      b,
      ArrayRef<OpFoldResult>{
          getAsOpFoldResult(batches), getAsOpFoldResult(blocks),
          b.getIndexAttr(numPairs), b.getIndexAttr(kRowsInOut)},
      i32);
  OpBuilder::InsertionGuard guard(b);
  PackTask task = beginPackTask(init, blocks, kRowsInOut, reduction);
  Value batch = task.batch, row0 = task.row0, k0 = task.k0,
        kLength = task.kLength;
  Value lastRow = arith::SubIOp::create(b, seqLen, index(1));
  Value tile = memref::AllocaOp::create(
      b, MemRefType::get({kPackRows / 2, kRowsInOut}, i32));
  // 2 vl values of a row per step: two f32 vectors (zeros past K), rounded
  // to bf16, side by side, seen as vl pairs.
  int64_t step = 2 * vl;
  bool inBounds = reduction % step == 0;
  auto wordsType = VectorType::get({vl}, i32);
  for (int64_t i = 0; i < kRowsInOut; ++i) {
    Value row = minIndex(add(row0, index(i)), lastRow);
    auto kLoop = scf::ForOp::create(b, index(0), kLength, index(step));
    OpBuilder::InsertionGuard loopGuard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value kk = kLoop.getInductionVar();
    Value k = add(k0, kk);
    Value words = vector::BitCastOp::create(
        b, wordsType, roundPairs(batch, row, k, inBounds));
    Value p = arith::DivUIOp::create(b, kk, index(2));
    for (int64_t j = 0; j < vl; ++j)
      memref::StoreOp::create(b, vector::ExtractOp::create(b, words, j), tile,
                              ValueRange{add(p, index(j)), index(i)});
  }
  Value pairsHere = arith::CeilDivUIOp::create(b, kLength, index(2));
  insertTile(task.forall, tile, pairsHere, b.getIndexAttr(kRowsInOut),
             task.forall.getBody()->getArgument(3),
             {batch, task.block,
              arith::DivUIOp::create(b, k0, index(2)).getResult(),
              b.getIndexAttr(0)});
  return task.forall.getResult(0);
}

void LinearKernelBuilder::packPairPanel(Value n0, Value k0, Value kLength,
                                        Value panel) {
  Type i16 = b.getI16Type(), i32 = b.getI32Type();
  Type bf16 = b.getBF16Type();
  Value bf16Zero = arith::ConstantOp::create(b, bf16, b.getZeroAttr(bf16));
  Value lastK = index(reduction - 1);
  Value numPairs = arith::CeilDivUIOp::create(b, kLength, index(2));
  if (!layer.transposed) {
    // [in, out]: two weight rows, vl columns at a time, interleaved. The
    // columns are whole blocks inside the weight
    // (getLinearKernelUnsupportedReason).
    auto narrowType = VectorType::get({vl}, bf16);
    auto halfType = VectorType::get({vl}, i16);
    Value column = add(n0, index(layer.columnOffset));
    auto pairLoop = scf::ForOp::create(b, index(0), numPairs, index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(pairLoop.getBody());
    Value p = pairLoop.getInductionVar();
    Value k = add(k0, mul(p, index(2)));
    Value kNext = add(k, index(1));
    // An odd K: the second row of the last pair is zeros.
    Value hasNext;
    if (reduction % 2)
      hasNext = arith::CmpIOp::create(b, arith::CmpIPredicate::ult, kNext,
                                      index(reduction));
    Value kHi = reduction % 2 ? minIndex(kNext, lastK) : kNext;
    Value zeros;
    if (hasNext)
      zeros = arith::ConstantOp::create(
          b, halfType, DenseElementsAttr::get(halfType, APInt(16, 0)));
    for (int64_t c = 0; c < inOutVectors; ++c) {
      Value col = add(column, index(c * vl));
      auto read = [&](Value row) {
        Value v = vector::TransferReadOp::create(b, narrowType, layer.weight,
                                                 ValueRange{row, col}, bf16Zero,
                                                 ArrayRef<bool>{true});
        return vector::BitCastOp::create(b, halfType, v).getResult();
      };
      Value lo = read(k), hi = read(kHi);
      if (hasNext)
        hi = arith::SelectOp::create(b, hasNext, hi, zeros);
      Value pairs = vector::InterleaveOp::create(b, lo, hi);
      Value words =
          vector::BitCastOp::create(b, VectorType::get({vl}, i32), pairs);
      vector::StoreOp::create(b, words, panel, ValueRange{p, index(c * vl)});
    }
    return;
  }
  // [out, in]: each weight row's pairs along K are 32-bit words already;
  // vl x vl tiles of them become the panel's columns, transposed in
  // registers, with the next panel's lines prefetched
  // (readTransposedWeightTile, as in the f32 kernel's packPanel). Columns
  // past the window read its last row; they are never inserted.
  int64_t width = inOutVectors * vl;
  int64_t step = 2 * vl;
  auto wideType = VectorType::get({step}, bf16);
  auto wordsType = VectorType::get({vl}, i32);
  Value wholeEnd =
      mul(arith::DivUIOp::create(b, kLength, index(step)), index(step));
  Value weightBuffer = getWeightBuffer();
  {
    auto vectorLoop = scf::ForOp::create(b, index(0), wholeEnd, index(step));
    OpBuilder::InsertionGuard loopGuard(b);
    b.setInsertionPointToStart(vectorLoop.getBody());
    Value kk = vectorLoop.getInductionVar();
    Value kAt = add(k0, kk);
    Value kAhead =
        minIndex(add(kAt, index(kPairPanelRows)), index(reduction - 1));
    Value p = arith::DivUIOp::create(b, kk, index(2));
    for (int64_t c0 = 0; c0 < width; c0 += vl) {
      SmallVector<Value> columns = readTransposedWeightTile(
          weightBuffer, n0, c0, kAhead, [&](Value weightRow) {
            Value v = vector::TransferReadOp::create(
                b, wideType, layer.weight, ValueRange{weightRow, kAt}, bf16Zero,
                ArrayRef<bool>{true});
            return vector::BitCastOp::create(b, wordsType, v).getResult();
          });
      for (auto [j, words] : llvm::enumerate(columns))
        vector::StoreOp::create(b, words, panel,
                                ValueRange{add(p, index(j)), index(c0)});
    }
  }
  auto columnLoop = scf::ForOp::create(b, index(0), index(width), index(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(columnLoop.getBody());
  Value c = columnLoop.getInductionVar();
  Value weightRow = clampedWeightRow(add(n0, c));
  // The last k of the panel that fill no whole vector: one pair at a time
  // (a zero after an odd K).
  auto tailLoop = scf::ForOp::create(b, wholeEnd, kLength, index(2));
  b.setInsertionPointToStart(tailLoop.getBody());
  Value kk = tailLoop.getInductionVar();
  Value k = add(k0, kk);
  auto element = [&](Value at) {
    Value v =
        tensor::ExtractOp::create(b, layer.weight, ValueRange{weightRow, at});
    return arith::ExtUIOp::create(b, i32, arith::BitcastOp::create(b, i16, v))
        .getResult();
  };
  Value lo = element(k);
  Value hi = element(minIndex(add(k, index(1)), lastK));
  if (reduction % 2) {
    Value hasNext = arith::CmpIOp::create(b, arith::CmpIPredicate::ult,
                                          add(k, index(1)), index(reduction));
    hi = arith::SelectOp::create(
        b, hasNext, hi, arith::ConstantOp::create(b, b.getI32IntegerAttr(0)));
  }
  Value word = arith::OrIOp::create(
      b, lo,
      arith::ShLIOp::create(
          b, hi, arith::ConstantOp::create(b, b.getI32IntegerAttr(16))));
  memref::StoreOp::create(
      b, word, panel, ValueRange{arith::DivUIOp::create(b, kk, index(2)), c});
}

void LinearKernelBuilder::buildPairRows(Value batch, Value packedBlock,
                                        Value tileRow0, Value p0,
                                        Value numPairs, Value panel,
                                        Value tile) {
  Type i32 = b.getI32Type();
  auto wordsType = VectorType::get({vl}, i32);
  auto pairsType = VectorType::get({2 * vl}, b.getBF16Type());
  SmallVector<Value> tileRows, init;
  for (int64_t r = 0; r < kRowsInOut; ++r) {
    tileRows.push_back(add(tileRow0, index(r)));
    for (int64_t c = 0; c < inOutVectors; ++c)
      init.push_back(vector::LoadOp::create(
          b, vecType, tile, ValueRange{tileRows.back(), index(c * vl)}));
  }
  auto pairLoop = scf::ForOp::create(
      b, index(0), numPairs, index(1), init,
      [&](OpBuilder &nb, Location nl, Value p, ValueRange accs) {
        ImplicitLocOpBuilder lb(nl, nb);
        SmallVector<Value> w;
        for (int64_t c = 0; c < inOutVectors; ++c) {
          Value words = vector::LoadOp::create(
              lb, wordsType, panel,
              ValueRange{p, arith::ConstantIndexOp::create(lb, c * vl)});
          w.push_back(vector::BitCastOp::create(lb, pairsType, words));
        }
        Value pAt = arith::AddIOp::create(lb, p0, p);
        SmallVector<Value> next;
        for (int64_t r = 0; r < kRowsInOut; ++r) {
          // The row's pair broadcast to every lane (vpbroadcastd).
          Value word = tensor::ExtractOp::create(
              lb, packedInput,
              ValueRange{batch, packedBlock, pAt,
                         arith::ConstantIndexOp::create(lb, r)});
          Value x = vector::BitCastOp::create(
              lb, pairsType, vector::BroadcastOp::create(lb, wordsType, word));
          for (int64_t c = 0; c < inOutVectors; ++c)
            next.push_back(dotBF16Pairs(lb, lb.getLoc(),
                                        accs[r * inOutVectors + c], x, w[c]));
        }
        scf::YieldOp::create(lb, next);
      });
  for (int64_t r = 0; r < kRowsInOut; ++r)
    for (int64_t c = 0; c < inOutVectors; ++c)
      vector::StoreOp::create(b, pairLoop.getResult(r * inOutVectors + c), tile,
                              ValueRange{tileRows[r], index(c * vl)});
}

} // namespace mlir::attnc::linear
