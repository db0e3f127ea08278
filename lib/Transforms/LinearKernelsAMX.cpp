//===- LinearKernelsAMX.cpp - AMX-BF16 linear kernels ----------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The blocked (prefill) kernel of bf16 weights on a target with AMX-BF16.
// tdpbf16ps multiplies a 16 x 32 bf16 tile of activations by a tile of 16
// rows of weight pairs (16 columns x 2 k each: the AVX512-BF16 kernel's
// panel layout, LinearKernelsBF16.cpp) into a 16 x 16 f32 tile, 16384
// products per instruction. The schedule is the AVX512-BF16 kernel's, with
// the register block replaced by four accumulator tiles:
//
//   xr[b, s, k] = x[b, s, k] rounded to bf16 (nearest even), rows padded
//                 to a multiple of 32 with the last row, K with zeros to 32
//   scf.forall (b, block of 64 columns, task of up to 512 rows) {
//     tile = init
//     for each 256 weight rows: panel[p, c] = pair w(k0 + 2p : +2, c)
//       for each block of 32 rows, for each half of 32 columns:
//         C[2][2] = tile; for p by 16: A[i] = xr rows, B[j] = panel cols;
//           C[i][j] = tdpbf16ps(A[i], B[j], C[i][j]);   tile = C
//   }
//
// Two activation tiles, two weight tiles and four accumulators use the
// eight tile registers; LLVM configures them (ldtilecfg) from the constant
// tile shapes. The products are the AVX512-BF16 kernel's (activations and
// weights rounded to bf16, f32 accumulation); only the order of the sums
// differs. The kernel runs where the process is granted the AMX state
// (buildAMXGrantedCheck); LinearKernelBuilder::build keeps the AVX512-BF16
// kernel for processes that are not.
//
//===----------------------------------------------------------------------===//

#include "LinearKernelBuilder.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::attnc;

namespace mlir::attnc::linear {

Value LinearKernelBuilder::buildRoundedInput() {
  Type bf16 = b.getBF16Type();
  int64_t paddedK = roundUp(reduction, kAMXTileK);
  Value paddedRows = mul(
      arith::CeilDivUIOp::create(b, seqLen, index(kAMXBlockRows)).getResult(),
      index(kAMXBlockRows));
  Value init = tensor::EmptyOp::create(
      b,
      ArrayRef<OpFoldResult>{getAsOpFoldResult(batches),
                             getAsOpFoldResult(paddedRows),
                             b.getIndexAttr(paddedK)},
      bf16);
  // One task per (batch, 16 rows, kPackRows k): a 16 KiB tile.
  Value rowBlocks = arith::DivUIOp::create(b, paddedRows, index(kAMXTileRows));
  OpBuilder::InsertionGuard guard(b);
  PackTask task = beginPackTask(init, rowBlocks, kAMXTileRows, paddedK);
  Value batch = task.batch, row0 = task.row0, k0 = task.k0,
        kLength = task.kLength;
  Value lastRow = arith::SubIOp::create(b, seqLen, index(1));
  Value tile = memref::AllocaOp::create(
      b, MemRefType::get({kAMXTileRows, kPackRows}, bf16),
      b.getI64IntegerAttr(64));
  bool inBounds = reduction % (2 * vl) == 0;
  // Rows past the sequence repeat its last row: finite products that are
  // never inserted.
  for (int64_t i = 0; i < kAMXTileRows; ++i)
    storeRoundedRow(batch, minIndex(add(row0, index(i)), lastRow), k0, kLength,
                    tile, index(i), inBounds);
  insertTile(task.forall, tile, b.getIndexAttr(kAMXTileRows), kLength,
             task.forall.getBody()->getArgument(3), {batch, row0, k0});
  return task.forall.getResult(0);
}

Value LinearKernelBuilder::buildAMXBlocked(Value destination) {
  Type bf16 = b.getBF16Type(), i32 = b.getI32Type();
  int64_t blockCols = inOutVectors * vl;
  Value rounded = buildRoundedInput();
  auto roundedType = cast<RankedTensorType>(rounded.getType());
  Value input = bufferization::ToBufferOp::create(
      b, MemRefType::get(roundedType.getShape(), bf16), rounded,
      /*read_only=*/true);

  OpBuilder::InsertionGuard guard(b);
  BlockedTask task =
      beginBlockedTask(destination, blockCols, kTaskRowsAMX,
                       /*initialize=*/true, b.getI64IntegerAttr(64));
  scf::ForallOp forall = task.forall;
  Value batch = task.batch, n0 = task.n0, s0 = task.s0,
        rowsHere = task.rowsHere, tile = task.tile;
  // One panel buffer seen two ways: 32-bit pairs as packPairPanel writes
  // them, and bf16 rows of 2 x blockCols values as the weight tiles read
  // them.
  int64_t panelPairs = kPairPanelRows / 2;
  Value panelBytes = memref::AllocaOp::create(
      b, MemRefType::get({panelPairs * blockCols * 4}, b.getI8Type()),
      b.getI64IntegerAttr(64));
  Value panel =
      memref::ViewOp::create(b, MemRefType::get({panelPairs, blockCols}, i32),
                             panelBytes, index(0), ValueRange{});
  Value panelBF16 = memref::ViewOp::create(
      b, MemRefType::get({panelPairs, 2 * blockCols}, bf16), panelBytes,
      index(0), ValueRange{});

  auto panelLoop =
      scf::ForOp::create(b, index(0), index(reduction), index(kPairPanelRows));
  b.setInsertionPointToStart(panelLoop.getBody());
  Value k0 = panelLoop.getInductionVar();
  Value kLength = minIndex(index(kPairPanelRows),
                           arith::SubIOp::create(b, index(reduction), k0));
  packPairPanel(n0, k0, kLength, panel);
  Value numPairs = arith::CeilDivUIOp::create(b, kLength, index(2));
  Value pairSteps = mul(
      arith::CeilDivUIOp::create(b, numPairs, index(kAMXTileRows)).getResult(),
      index(kAMXTileRows));
  if (reduction % kAMXTileK) {
    // The last panel's pairs up to a whole weight tile are zeros (so are
    // the rounded activations past K): no stale weight enters a sum.
    auto wordsType = VectorType::get({vl}, i32);
    Value zeros = arith::ConstantOp::create(
        b, wordsType, DenseElementsAttr::get(wordsType, APInt(32, 0)));
    auto zeroLoop = scf::ForOp::create(b, numPairs, pairSteps, index(1));
    OpBuilder::InsertionGuard zeroGuard(b);
    b.setInsertionPointToStart(zeroLoop.getBody());
    for (int64_t c = 0; c < blockCols; c += vl)
      vector::StoreOp::create(b, zeros, panel,
                              ValueRange{zeroLoop.getInductionVar(), index(c)});
  }

  auto accType = amx::TileType::get({kAMXTileRows, kAMXTileRows}, f32);
  auto operandType = amx::TileType::get({kAMXTileRows, kAMXTileK}, bf16);
  // Rows past the task's (up to the next multiple of 32) read padded input
  // rows into tile rows that are never inserted.
  auto blockLoop =
      scf::ForOp::create(b, index(0), rowsHere, index(kAMXBlockRows));
  b.setInsertionPointToStart(blockLoop.getBody());
  Value r0 = blockLoop.getInductionVar();
  Value row0 = add(s0, r0);
  for (int64_t h = 0; h < blockCols; h += kAMXBlockCols) {
    SmallVector<std::pair<Value, Value>> at;
    SmallVector<Value> accs;
    for (int64_t i = 0; i < 2; ++i)
      for (int64_t j = 0; j < 2; ++j) {
        at.emplace_back(add(r0, index(i * kAMXTileRows)),
                        index(h + j * kAMXTileRows));
        accs.push_back(amx::TileLoadOp::create(
            b, accType, tile, ValueRange{at.back().first, at.back().second}));
      }
    auto pairLoop = scf::ForOp::create(
        b, index(0), pairSteps, index(kAMXTileRows), accs,
        [&](OpBuilder &nb, Location nl, Value p, ValueRange c) {
          ImplicitLocOpBuilder lb(nl, nb);
          auto constant = [&](int64_t v) {
            return arith::ConstantIndexOp::create(lb, v).getResult();
          };
          Value k = arith::AddIOp::create(
              lb, k0, arith::MulIOp::create(lb, p, constant(2)));
          Value a[2], w[2];
          for (int64_t i = 0; i < 2; ++i)
            a[i] = amx::TileLoadOp::create(
                lb, operandType, input,
                ValueRange{
                    batch,
                    arith::AddIOp::create(lb, row0, constant(i * kAMXTileRows)),
                    k});
          for (int64_t j = 0; j < 2; ++j)
            w[j] = amx::TileLoadOp::create(
                lb, operandType, panelBF16,
                ValueRange{p, constant(2 * (h + j * kAMXTileRows))});
          SmallVector<Value> next;
          for (int64_t i = 0; i < 2; ++i)
            for (int64_t j = 0; j < 2; ++j)
              next.push_back(amx::TileMulFOp::create(lb, accType, a[i], w[j],
                                                     c[2 * i + j]));
          scf::YieldOp::create(lb, next);
        });
    for (auto [acc, where] : llvm::zip(pairLoop.getResults(), at))
      amx::TileStoreOp::create(b, tile, ValueRange{where.first, where.second},
                               acc);
  }
  finishBlockedTask(task);
  return forall.getResult(0);
}

} // namespace mlir::attnc::linear
