//===- LinearKernels.cpp - CPU vector kernels for linear layers -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The prefill kernels, reading the weights in place (f32, f16 or bf16,
// either layout) and keeping the accumulators in vector registers; the
// decode kernels are in LinearKernelsDecode.cpp, the AVX512-BF16 and
// AMX-BF16 forms in LinearKernelsBF16.cpp and LinearKernelsAMX.cpp.
//
// - Blocked GEMM, `[in, out]` weights:
//     xp = x's whole blocks of Mr rows, interleaved [b, block, k, Mr]
//     scf.forall (b, block of Nc columns, task of up to 516 rows) {
//       tile = init
//       for each 128 weight rows: pack w[k0:k0+128, cols] into a panel
//         for each block of Mr rows: acc[Mr][Nc / vl] = tile rows;
//           for k: acc += bcast(xp[block, k, r]) * panel[k];  tile = acc
//     }
//   The column block is the outer parallel dimension, so that a thread
//   reuses a weight panel across its rows; the panel is contiguous where
//   the weight rows it comes from are a page apart (one TLB miss per k
//   unpacked), and the interleaved input turns the Mr broadcasts per k into
//   one stream. Mr x Nc is 6 x 64 with AVX-512 (24 accumulators, 10 loads
//   per 24 FMAs) and 6 x 16 with AVX2.
// - The same blocked GEMM for `[out, in]` weights: the packing transposes
//   each 64-row x 128-k piece of the weight into the panel.
// - build(): fewer than Mr rows in all (a decode step) take the decode
//   kernels, the rest the blocked GEMM (on AMX tiles where granted).
// - buildSeveral(): layers of one input and one result (separate Q, K and V
//   weights, or an MLP's gate and up, side by side in the result): a decode
//   step of [out, in] weights runs one forall over every layer's column
//   blocks, an scf.index_switch picking the block's weight, so that it
//   forks once for all of them; a decode step of other layouts runs each
//   layer's decode kernel in turn, and a prefill each layer's blocked GEMM
//   in turn, on one packing of the input for the layers packed alike.
//
//===----------------------------------------------------------------------===//

#include "LinearKernelBuilder.h"
#include "attnc/Transforms/AMX.h"
#include "attnc/Transforms/KernelTiles.h"
#include "attnc/Transforms/LowPrecision.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace mlir::attnc;

using namespace mlir::attnc::linear;

namespace mlir::attnc::linear {

Value LinearKernelBuilder::initialVector(Value batch, Value row, Value col,
                                         int64_t width) {
  Value init;
  if (layer.accumulator)
    init = readVector(layer.accumulator, ValueRange{batch, row, col},
                      layer.numColumns % width == 0);
  if (layer.bias) {
    Value bias = readVector(layer.bias, add(col, index(layer.columnOffset)),
                            weightColumnsInBounds(width));
    init = init ? arith::AddFOp::create(b, init, bias).getResult() : bias;
  }
  return init ? init : zeroVector();
}

Value LinearKernelBuilder::initialScalar(Value batch, Value row, Value col) {
  Value init;
  if (layer.accumulator)
    init = tensor::ExtractOp::create(b, layer.accumulator,
                                     ValueRange{batch, row, col});
  if (layer.bias) {
    Value bias = tensor::ExtractOp::create(b, layer.bias,
                                           add(col, index(layer.columnOffset)));
    init = init ? arith::AddFOp::create(b, init, bias).getResult() : bias;
  }
  return init ? init : zeroScalar();
}

void LinearKernelBuilder::insertTile(scf::ForallOp forall, Value tile,
                                     OpFoldResult rows, OpFoldResult cols,
                                     Value into,
                                     ArrayRef<OpFoldResult> offsets) {
  insertTileInParallel(b, b.getLoc(), forall, tile, rows, cols, into, offsets);
}

Value LinearKernelBuilder::roundActivations(OpBuilder &builder, Location loc,
                                            Value x) {
  if (!bf16Pairs)
    return x;
  return widenToF32(builder, loc,
                    roundToBF16(builder, loc, x, /*native=*/true));
}

void LinearKernelBuilder::buildInOutRows(Value batch, ArrayRef<Value> rows,
                                         ArrayRef<Value> tileRows, Value k0,
                                         Value kLength, Value panel, Value tile,
                                         Value packedBlock) {
  SmallVector<Value> init;
  for (Value tileRow : tileRows)
    for (int64_t c = 0; c < inOutVectors; ++c)
      init.push_back(vector::LoadOp::create(
          b, vecType, tile, ValueRange{tileRow, index(c * vl)}));
  auto kLoop = scf::ForOp::create(
      b, index(0), kLength, index(1), init,
      [&](OpBuilder &nb, Location nl, Value k, ValueRange accs) {
        ImplicitLocOpBuilder lb(nl, nb);
        SmallVector<Value> w;
        for (int64_t c = 0; c < inOutVectors; ++c)
          w.push_back(vector::LoadOp::create(
              lb, vecType, panel,
              ValueRange{k, arith::ConstantIndexOp::create(lb, c * vl)}));
        Value kAt = arith::AddIOp::create(lb, k0, k);
        SmallVector<Value> next;
        for (auto [r, row] : llvm::enumerate(rows)) {
          Value element =
              packedBlock
                  ? tensor::ExtractOp::create(
                        lb, packedInput,
                        ValueRange{batch, packedBlock, kAt,
                                   arith::ConstantIndexOp::create(lb, r)})
                  : tensor::ExtractOp::create(lb, layer.input,
                                              ValueRange{batch, row, kAt});
          Value x = vector::BroadcastOp::create(lb, vecType, element);
          for (int64_t c = 0; c < inOutVectors; ++c)
            next.push_back(vector::FMAOp::create(lb, vecType, x, w[c],
                                                 accs[r * inOutVectors + c]));
        }
        scf::YieldOp::create(lb, next);
      });
  for (auto [r, tileRow] : llvm::enumerate(tileRows))
    for (int64_t c = 0; c < inOutVectors; ++c)
      vector::StoreOp::create(b, kLoop.getResult(r * inOutVectors + c), tile,
                              ValueRange{tileRow, index(c * vl)});
}

void LinearKernelBuilder::packPanel(Value n0, Value k0, Value kLength,
                                    Value panel) {
  int64_t width = inOutVectors * vl;
  if (layer.transposed) {
    // out_in: weight row n holds column n. Each vl x vl tile of the panel
    // is vl weight rows' k range, transposed in registers. Columns past the
    // window read its last row; they are never inserted. Rows of the panel
    // past kLength (the last panel of a K that is no multiple of it) hold
    // values the k loop never reads; the vector read stops at K (a masked
    // read where K is no multiple of vl).
    bool inBounds = reduction % vl == 0;
    Value weightBuffer = getWeightBuffer();
    auto kLoop = scf::ForOp::create(b, index(0), kLength, index(vl));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value k = kLoop.getInductionVar();
    Value kAt = add(k0, k);
    // The packing waited on memory more than it computed until each load
    // also prefetched the same row's line of the next panel, which the
    // micro-kernel's loop over this panel then leaves time to arrive (the
    // last panel prefetches its own last line).
    Value kAhead = minIndex(add(kAt, index(kPanelRows)), index(reduction - 1));
    for (int64_t c0 = 0; c0 < width; c0 += vl) {
      SmallVector<Value> columns = readTransposedWeightTile(
          weightBuffer, n0, c0, kAhead, [&](Value weightRow) {
            return readWeight(b, b.getLoc(), ValueRange{weightRow, kAt},
                              inBounds);
          });
      for (auto [j, column] : llvm::enumerate(columns))
        vector::StoreOp::create(b, column, panel,
                                ValueRange{add(k, index(j)), index(c0)});
    }
    return;
  }
  bool inBounds = weightColumnsInBounds(width);
  Value column = add(n0, index(layer.columnOffset));
  auto kLoop = scf::ForOp::create(b, index(0), kLength, index(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(kLoop.getBody());
  Value k = kLoop.getInductionVar();
  for (int64_t c = 0; c < inOutVectors; ++c) {
    Value w = readWeight(b, b.getLoc(),
                         ValueRange{add(k0, k), add(column, index(c * vl))},
                         inBounds);
    vector::StoreOp::create(b, w, panel, ValueRange{k, index(c * vl)});
  }
}

SmallVector<Value> LinearKernelBuilder::readTransposedWeightTile(
    Value weightBuffer, Value n0, int64_t c0, Value kAhead,
    function_ref<Value(Value weightRow)> readRow) {
  SmallVector<Value> rows;
  for (int64_t i = 0; i < vl; ++i) {
    Value weightRow = clampedWeightRow(add(n0, index(c0 + i)));
    memref::PrefetchOp::create(b, weightBuffer, ValueRange{weightRow, kAhead},
                               /*isWrite=*/false, /*localityHint=*/3,
                               /*isDataCache=*/true);
    rows.push_back(readRow(weightRow));
  }
  return transposeSquare(rows);
}

LinearKernelBuilder::PackTask
LinearKernelBuilder::beginPackTask(Value init, Value blocks, int64_t blockRows,
                                   int64_t kExtent) {
  int64_t chunks = (kExtent + kPackRows - 1) / kPackRows;
  auto forall = scf::ForallOp::create(
      b,
      ArrayRef<OpFoldResult>{getAsOpFoldResult(batches),
                             getAsOpFoldResult(blocks), b.getIndexAttr(chunks)},
      ValueRange{init}, std::nullopt);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  PackTask task;
  task.forall = forall;
  task.batch = body->getArgument(0);
  task.block = body->getArgument(1);
  task.row0 = mul(task.block, index(blockRows));
  task.k0 = mul(body->getArgument(2), index(kPackRows));
  task.kLength = minIndex(index(kPackRows),
                          arith::SubIOp::create(b, index(kExtent), task.k0));
  return task;
}

Value LinearKernelBuilder::buildPackedInput() {
  Value blocks = arith::DivUIOp::create(b, seqLen, index(kRowsInOut));
  Value init = tensor::EmptyOp::create(
      b,
      ArrayRef<OpFoldResult>{
          getAsOpFoldResult(batches), getAsOpFoldResult(blocks),
          b.getIndexAttr(reduction), b.getIndexAttr(kRowsInOut)},
      f32);
  OpBuilder::InsertionGuard guard(b);
  PackTask task = beginPackTask(init, blocks, kRowsInOut, reduction);
  Value batch = task.batch, row0 = task.row0, k0 = task.k0,
        kLength = task.kLength;
  Value tile = memref::AllocaOp::create(
      b, MemRefType::get({kPackRows, kRowsInOut}, f32));
  for (int64_t i = 0; i < kRowsInOut; ++i) {
    Value row = add(row0, index(i));
    auto kLoop = scf::ForOp::create(b, index(0), kLength, index(1));
    OpBuilder::InsertionGuard loopGuard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value k = kLoop.getInductionVar();
    memref::StoreOp::create(
        b,
        tensor::ExtractOp::create(b, layer.input,
                                  ValueRange{batch, row, add(k0, k)}),
        tile, ValueRange{k, index(i)});
  }
  insertTile(task.forall, tile, kLength, b.getIndexAttr(kRowsInOut),
             task.forall.getBody()->getArgument(3),
             {batch, task.block, k0, b.getIndexAttr(0)});
  return task.forall.getResult(0);
}

LinearKernelBuilder::BlockedTask
LinearKernelBuilder::beginRowTasks(Value destination, Value colBlocks,
                                   int64_t blockCols, int64_t taskRows,
                                   IntegerAttr alignment) {
  Value rowTasks = b.createOrFold<arith::CeilDivUIOp>(seqLen, index(taskRows));
  auto forall = scf::ForallOp::create(
      b, getAsOpFoldResult({batches, colBlocks, rowTasks}),
      ValueRange{destination}, std::nullopt);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  BlockedTask task;
  task.forall = forall;
  task.batch = body->getArgument(0);
  task.s0 = mul(body->getArgument(2), index(taskRows));
  task.rowsHere =
      minIndex(index(taskRows), arith::SubIOp::create(b, seqLen, task.s0));
  task.tile = memref::AllocaOp::create(
      b, MemRefType::get({taskRows, blockCols}, f32), alignment);
  return task;
}

LinearKernelBuilder::BlockedTask
LinearKernelBuilder::beginBlockedTask(Value destination, int64_t blockCols,
                                      int64_t taskRows, bool initialize,
                                      IntegerAttr alignment) {
  Value colBlocks = index((layer.numColumns + blockCols - 1) / blockCols);
  BlockedTask task =
      beginRowTasks(destination, colBlocks, blockCols, taskRows, alignment);
  task.n0 = mul(task.forall.getBody()->getArgument(1), index(blockCols));
  task.colsHere =
      minIndex(index(blockCols),
               arith::SubIOp::create(b, index(layer.numColumns), task.n0));
  if (!initialize)
    return task;
  auto initLoop = scf::ForOp::create(b, index(0), task.rowsHere, index(1));
  OpBuilder::InsertionGuard initGuard(b);
  b.setInsertionPointToStart(initLoop.getBody());
  Value r = initLoop.getInductionVar();
  for (int64_t c = 0; c < blockCols; c += vl)
    vector::StoreOp::create(b,
                            initialVector(task.batch, add(task.s0, r),
                                          add(task.n0, index(c)), blockCols),
                            task.tile, ValueRange{r, index(c)});
  return task;
}

void LinearKernelBuilder::finishBlockedTask(BlockedTask task) {
  b.setInsertionPoint(task.forall.getTerminator());
  insertTile(task.forall, task.tile, task.rowsHere, task.colsHere,
             task.forall.getBody()->getArgument(3),
             {task.batch, task.s0,
              add(task.n0, index(layer.destinationColumnOffset))});
}

Value LinearKernelBuilder::buildBlocked(Value destination, bool dotProduct) {
  bool pairs = bf16Pairs && !dotProduct;
  // The packing may come from an earlier layer of the same input
  // (buildSeveral).
  if (pairs && !packedInput)
    packedInput = buildPackedPairs();
  else if (!dotProduct && !packedInput)
    packedInput = buildPackedInput();
  int64_t blockRows = dotProduct ? dotRows : kRowsInOut;
  int64_t blockCols = dotProduct ? kDotColumns : inOutVectors * vl;
  int64_t taskRows = dotProduct ? kTaskRowsOutIn : kTaskRowsInOut;
  OpBuilder::InsertionGuard guard(b);
  // In-out: the tile starts from the initial values, and each block of
  // kPanelRows weight rows is first packed into an L1-sized panel that the
  // tile's row blocks then share (the weight rows are a page apart in
  // memory; the panel is contiguous).
  BlockedTask task = beginBlockedTask(destination, blockCols, taskRows,
                                      /*initialize=*/!dotProduct);
  scf::ForallOp forall = task.forall;
  Value batch = task.batch, n0 = task.n0, s0 = task.s0,
        rowsHere = task.rowsHere, tile = task.tile;
  Value k0, kLength, panel;
  if (!dotProduct) {
    // bf16 pairs: the same bytes hold twice the weight rows, as 32-bit
    // words.
    int64_t panelRows = pairs ? kPairPanelRows : kPanelRows;
    panel = memref::AllocaOp::create(
        b, pairs ? MemRefType::get({panelRows / 2, blockCols}, b.getI32Type())
                 : MemRefType::get({panelRows, blockCols}, f32));
    auto panelLoop =
        scf::ForOp::create(b, index(0), index(reduction), index(panelRows));
    b.setInsertionPointToStart(panelLoop.getBody());
    k0 = panelLoop.getInductionVar();
    kLength = minIndex(index(panelRows),
                       arith::SubIOp::create(b, index(reduction), k0));
    if (pairs)
      packPairPanel(n0, k0, kLength, panel);
    else
      packPanel(n0, k0, kLength, panel);
  }
  if (pairs) {
    // Whole blocks of kRowsInOut rows only: the packed input repeats the
    // last row past the sequence, and the tile (a multiple of kRowsInOut
    // rows) takes the extra rows, which are never inserted.
    Value numPairs = arith::CeilDivUIOp::create(b, kLength, index(2));
    Value p0 = arith::DivUIOp::create(b, k0, index(2));
    auto blockLoop =
        scf::ForOp::create(b, index(0), rowsHere, index(kRowsInOut));
    {
      OpBuilder::InsertionGuard loopGuard(b);
      b.setInsertionPointToStart(blockLoop.getBody());
      Value r0 = blockLoop.getInductionVar();
      Value packedBlock =
          arith::DivUIOp::create(b, add(s0, r0), index(kRowsInOut));
      buildPairRows(batch, packedBlock, r0, p0, numPairs, panel, tile);
    }
    finishBlockedTask(task);
    return forall.getResult(0);
  }
  auto emitRows = [&](ArrayRef<Value> rows, ArrayRef<Value> tileRows) {
    if (dotProduct) {
      buildOutInRows(batch, rows, tileRows, n0, tile);
      return;
    }
    // Whole blocks read the packed input (tasks start at multiples of Mr).
    Value packedBlock;
    if (rows.size() == static_cast<size_t>(kRowsInOut))
      packedBlock = arith::DivUIOp::create(b, rows[0], index(kRowsInOut));
    buildInOutRows(batch, rows, tileRows, k0, kLength, panel, tile,
                   packedBlock);
  };

  buildRowBlocks(s0, rowsHere, blockRows, emitRows);
  finishBlockedTask(task);
  return forall.getResult(0);
}

void LinearKernelBuilder::buildRowBlocks(
    Value s0, Value rowsHere, int64_t blockRows,
    function_ref<void(ArrayRef<Value> rows, ArrayRef<Value> tileRows)>
        emitRows) {
  auto blockLoop = scf::ForOp::create(b, index(0), rowsHere, index(blockRows));
  OpBuilder::InsertionGuard loopGuard(b);
  b.setInsertionPointToStart(blockLoop.getBody());
  Value r0 = blockLoop.getInductionVar();
  Value full = arith::CmpIOp::create(b, arith::CmpIPredicate::sle,
                                     add(r0, index(blockRows)), rowsHere);
  // A whole block runs the Mr-row kernel; the last, short one runs the
  // one-row kernel per row rather than computing padding rows.
  scf::IfOp::create(
      b, full,
      [&](OpBuilder &tb, Location) {
        OpBuilder::InsertionGuard thenGuard(b);
        b.setInsertionPoint(tb.getInsertionBlock(), tb.getInsertionPoint());
        SmallVector<Value> rows, tileRows;
        for (int64_t r = 0; r < blockRows; ++r) {
          tileRows.push_back(add(r0, index(r)));
          rows.push_back(add(s0, tileRows.back()));
        }
        emitRows(rows, tileRows);
        scf::YieldOp::create(b);
      },
      [&](OpBuilder &eb, Location) {
        OpBuilder::InsertionGuard elseGuard(b);
        b.setInsertionPoint(eb.getInsertionBlock(), eb.getInsertionPoint());
        auto rowLoop = scf::ForOp::create(b, r0, rowsHere, index(1));
        {
          OpBuilder::InsertionGuard rowGuard(b);
          b.setInsertionPointToStart(rowLoop.getBody());
          Value r = rowLoop.getInductionVar();
          emitRows({add(s0, r)}, {r});
        }
        scf::YieldOp::create(b);
      });
}

Value LinearKernelBuilder::buildManyRows(Value destination, Value amxGranted) {
  if (!amx)
    return buildBlocked(destination, /*dotProduct=*/false);
  // AMX tiles where the process may use them, the AVX512-BF16 kernel where
  // it may not.
  return buildIf(
      amxGranted, [&] { return buildAMXBlocked(destination); },
      [&] { return buildBlocked(destination, /*dotProduct=*/false); });
}

Value LinearKernelBuilder::buildFusedDot(
    MutableArrayRef<LinearKernelBuilder> parts, Value destination) {
  LinearKernelBuilder &first = parts.front();
  ImplicitLocOpBuilder &b = first.b;
  auto index = [&](int64_t v) { return first.index(v); };
  // The parts' column blocks one after another: block j is part l's block
  // j - firstBlock[l].
  SmallVector<int64_t> firstBlock;
  int64_t numBlocks = 0;
  for (LinearKernelBuilder &part : parts) {
    firstBlock.push_back(numBlocks);
    numBlocks += roundUp(part.layer.numColumns, kDotColumns) / kDotColumns;
  }
  OpBuilder::InsertionGuard guard(b);
  BlockedTask task = first.beginRowTasks(destination, index(numBlocks),
                                         kDotColumns, kTaskRowsOutIn);
  scf::ForallOp forall = task.forall;
  Block *body = forall.getBody();
  Value batch = task.batch, block = body->getArgument(1), s0 = task.s0,
        rowsHere = task.rowsHere, tile = task.tile;
  // The block's part, and what depends on it: its first block, columns and
  // first destination column.
  Value partIndex = index(0), partFirstBlock = index(0);
  Value partColumns = index(parts[0].layer.numColumns);
  Value partOffset = index(parts[0].layer.destinationColumnOffset);
  for (size_t l = 1; l < parts.size(); ++l) {
    Value inPart = arith::CmpIOp::create(b, arith::CmpIPredicate::uge, block,
                                         index(firstBlock[l]));
    auto pick = [&](Value current, int64_t v) {
      return arith::SelectOp::create(b, inPart, index(v), current).getResult();
    };
    partIndex = pick(partIndex, l);
    partFirstBlock = pick(partFirstBlock, firstBlock[l]);
    partColumns = pick(partColumns, parts[l].layer.numColumns);
    partOffset = pick(partOffset, parts[l].layer.destinationColumnOffset);
  }
  Value n0 = first.mul(arith::SubIOp::create(b, block, partFirstBlock),
                       index(kDotColumns));
  Value colsHere = first.minIndex(index(kDotColumns),
                                  arith::SubIOp::create(b, partColumns, n0));
  // Each part's dot products in a case of its own (the last is the
  // default).
  SmallVector<int64_t> cases;
  for (size_t l = 0; l + 1 < parts.size(); ++l)
    cases.push_back(l);
  auto which = scf::IndexSwitchOp::create(b, TypeRange{}, partIndex, cases,
                                          cases.size());
  for (size_t l = 0; l < parts.size(); ++l) {
    Region &region = l + 1 < parts.size() ? which.getCaseRegions()[l]
                                          : which.getDefaultRegion();
    Block *caseBlock = b.createBlock(&region);
    LinearKernelBuilder &part = parts[l];
    OpBuilder::InsertionGuard caseGuard(part.b);
    part.b.setInsertionPointToStart(caseBlock);
    part.buildRowBlocks(s0, rowsHere, part.dotRows,
                        [&](ArrayRef<Value> rows, ArrayRef<Value> tileRows) {
                          part.buildOutInRows(batch, rows, tileRows, n0, tile);
                        });
    scf::YieldOp::create(part.b);
  }
  b.setInsertionPoint(forall.getTerminator());
  first.insertTile(forall, tile, rowsHere, colsHere, body->getArgument(3),
                   {batch, s0, first.add(n0, partOffset)});
  return forall.getResult(0);
}

Value LinearKernelBuilder::buildSeveral(
    MutableArrayRef<LinearKernelBuilder> parts) {
  LinearKernelBuilder &first = parts.front();
  ImplicitLocOpBuilder &b = first.b;
  Value batches = first.dim(first.layer.input, 0);
  Value seqLen = first.dim(first.layer.input, 1);
  Value amxGranted;
  for (LinearKernelBuilder &part : parts) {
    part.batches = batches;
    part.seqLen = seqLen;
    if (part.amx && !amxGranted)
      amxGranted = buildAMXGrantedCheck(b, b.getLoc());
  }
  Value few = arith::CmpIOp::create(b, arith::CmpIPredicate::ult,
                                    first.mul(batches, seqLen),
                                    first.index(kRowsInOut));
  // Each part builds at `b`'s insertion point, which the branches move.
  auto atFirst = [&](LinearKernelBuilder &part) {
    part.b.setInsertionPoint(b.getInsertionBlock(), b.getInsertionPoint());
  };
  bool allOutIn = llvm::all_of(parts, [](const LinearKernelBuilder &part) {
    return part.layer.transposed;
  });
  return first.buildIf(
      few,
      [&] {
        if (allOutIn)
          return buildFusedDot(parts, first.layer.destination);
        Value destination = first.layer.destination;
        for (LinearKernelBuilder &part : parts) {
          atFirst(part);
          destination = part.buildFewRows(destination);
        }
        return destination;
      },
      [&] {
        Value destination = first.layer.destination;
        LinearKernelBuilder *packer = nullptr;
        for (LinearKernelBuilder &part : parts) {
          atFirst(part);
          // Layers packed alike read one packing of the input: the f32
          // interleave, or the bf16 pairs (the AMX form packs inside its
          // run-time branch, so it keeps its own).
          if (packer && !part.amx && packer->bf16Pairs == part.bf16Pairs)
            part.packedInput = packer->packedInput;
          destination = part.buildManyRows(destination, amxGranted);
          if (!part.amx && (!packer || packer->bf16Pairs != part.bf16Pairs))
            packer = &part;
        }
        return destination;
      });
}

Value LinearKernelBuilder::build() {
  batches = dim(layer.input, 0);
  seqLen = dim(layer.input, 1);
  // Too few rows to fill one register block (a decode step): the kernel
  // that streams the weights in their own order (split-K for in_out, dot
  // products along the out_in rows). Otherwise the panel-packed blocked
  // kernel, whatever the layout (out_in panels are transposed as packed).
  // Asked before the branches are built: the check creates its global in
  // the enclosing module, which an scf.if under construction is not in yet.
  Value amxGranted = amx ? buildAMXGrantedCheck(b, b.getLoc()) : Value();
  Value few = arith::CmpIOp::create(b, arith::CmpIPredicate::ult,
                                    mul(batches, seqLen), index(kRowsInOut));
  Value destination = layer.destination;
  return buildIf(
      few, [&] { return buildFewRows(destination); },
      [&] { return buildManyRows(destination, amxGranted); });
}

Value LinearKernelBuilder::buildFewRows(Value destination) {
  return layer.transposed ? buildBlocked(destination, /*dotProduct=*/true)
                          : buildStreaming(destination);
}

} // namespace mlir::attnc::linear

std::string
mlir::attnc::getLinearKernelUnsupportedReason(const LinearLayer &layer,
                                              int64_t vectorWidth) {
  for (Value v : {layer.input, layer.weight, layer.bias, layer.accumulator,
                  layer.destination}) {
    if (!v)
      continue;
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type)
      return "expected ranked tensors";
    Type element = type.getElementType();
    // Weights may be stored in f16 or bf16; everything else is f32.
    if (!element.isF32() &&
        !(v == layer.weight && (element.isF16() || element.isBF16())))
      return "expected f32 activations, biases and results, and f32, f16 or "
             "bf16 weights";
  }
  auto inputType = cast<RankedTensorType>(layer.input.getType());
  auto weightType = cast<RankedTensorType>(layer.weight.getType());
  if (inputType.getRank() != 3 || weightType.getRank() != 2)
    return "expected [B, S, K] activations and a 2-D weight";
  if (!weightType.hasStaticShape())
    return "the weight shape must be static";
  int64_t reduction = weightType.getDimSize(layer.transposed ? 1 : 0);
  int64_t columns = weightType.getDimSize(layer.transposed ? 0 : 1);
  if (inputType.getDimSize(2) != reduction)
    return "the activations' last dim must equal the weight's input dim";
  // The dot-product kernel of [out, in] weights reads the last vector of a
  // K that is not a multiple of the vector width with a mask; its padding
  // would be a bf16 vector constant (see below).
  if (layer.transposed && reduction % vectorWidth != 0 &&
      weightType.getElementType().isBF16())
    return "bf16 [out, in] weights need an input dim that is a multiple of "
           "the vector width";
  if (layer.numColumns <= 0 || layer.columnOffset < 0 ||
      layer.columnOffset + layer.numColumns > columns)
    return "the column window must lie inside the weight";
  // A bf16 vector constant (the padding of a masked read) becomes a
  // compiler-rt call that neither the JIT nor the library provides: bf16
  // [in, out] weights must be read in whole blocks.
  if (weightType.getElementType().isBF16() && !layer.transposed) {
    for (int64_t width :
         {getInOutVectors(vectorWidth) * vectorWidth,
          getStreamBufferColumns(layer.numColumns, vectorWidth)})
      if (layer.columnOffset + roundUp(layer.numColumns, width) > columns)
        return "bf16 [in, out] weights need whole blocks of columns";
  }
  if (layer.bias && cast<RankedTensorType>(layer.bias.getType()).getShape() !=
                        ArrayRef<int64_t>{columns})
    return "the bias must have one value per weight column";
  return "";
}

Value mlir::attnc::buildLinearKernel(OpBuilder &builder, Location loc,
                                     const LinearLayer &layer,
                                     const LinearKernelTarget &target) {
  return LinearKernelBuilder(layer, target, builder, loc).build();
}

Value mlir::attnc::buildLinearKernels(OpBuilder &builder, Location loc,
                                      ArrayRef<LinearLayer> layers,
                                      const LinearKernelTarget &target) {
  assert(!layers.empty() && "at least one layer");
  if (layers.size() == 1)
    return buildLinearKernel(builder, loc, layers.front(), target);
  Value destination = layers.front().destination;
  SmallVector<LinearKernelBuilder> parts;
  for (LinearLayer layer : layers) {
    layer.destination = destination;
    parts.emplace_back(layer, target, builder, loc);
  }
  return LinearKernelBuilder::buildSeveral(parts);
}
