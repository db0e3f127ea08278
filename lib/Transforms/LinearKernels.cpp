//===- LinearKernels.cpp - CPU vector kernels for linear layers -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Three kernels, all reading the weights in place (f32, either layout) and
// keeping the accumulators in vector registers or L1:
//
// - Blocked GEMM, `[in, out]` weights (prefill):
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
// - The same blocked GEMM for `[out, in]` weights (prefill): the packing
//   transposes each 64-row x 128-k piece of the weight into the panel.
// - Dot products along K for `[out, in]` weights and fewer than Mr rows
//   (decode): weight rows read in place, 4 per step for one input row,
//   reduced across lanes once per output (the last vector of a K that is
//   not a multiple of the vector width is a masked read). With bf16
//   weights and AVX512-BF16, a step is 2 vl values of each row and one
//   vdpbf16ps against the rows rounded to bf16 once per task (the pairs of
//   a weight row run along K as stored: no packing).
// - Streaming split-K GEMV, `[in, out]` weights and fewer than Mr rows in
//   all (decode): each parallel task takes 64 consecutive weight rows, which
//   are contiguous in memory, and reads them front to back exactly once, 4
//   rows per pass over an L1 accumulator buffer of every output column; a
//   second forall sums the per-chunk partial rows. Reading a K x Nc panel
//   per task instead touches one short run per 4 KiB page, which the
//   hardware prefetcher does not follow (~15 instead of ~22 GB/s here).
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

Value LinearKernelBuilder::isWeightOnCacheLine() {
  Value buffer = getWeightBuffer();
  auto metadata = memref::ExtractStridedMetadataOp::create(b, buffer);
  Value start = add(memref::ExtractAlignedPointerAsIndexOp::create(b, buffer),
                    mul(metadata.getOffset(), index(getWeightBytes(1))));
  return arith::CmpIOp::create(
      b, arith::CmpIPredicate::eq,
      arith::RemUIOp::create(b, start, index(kCacheLineBytes)), index(0));
}

void LinearKernelBuilder::buildOnAlignment(
    Value onLine, function_ref<void(bool onLine)> build) {
  if (!onLine) {
    build(false);
    return;
  }
  auto ifOp = scf::IfOp::create(b, onLine, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  build(true);
  b.setInsertionPointToStart(ifOp.elseBlock());
  build(false);
}

void LinearKernelBuilder::buildOutInRows(Value batch, ArrayRef<Value> rows,
                                         ArrayRef<Value> tileRows, Value n0,
                                         Value tile) {
  // Full width: vl lanes, and bf16 weights with bf16-dot as pairs, one
  // vdpbf16ps per 2 vl values of a weight row (its pairs along K are the
  // instruction's operand as stored). Blocks of several rows take it
  // unversioned: with 16 lanes the kernel's fewer than kRowsInOut rows
  // never fill one (dotRows), and with 8 a load is half a line.
  DotForm full{vl, bf16Pairs};
  if (rows.size() != 1 || getLoadBytes(full) <= kSplitFreeLoadBytes) {
    buildDotSteps(batch, rows, tileRows, n0, tile, full);
    return;
  }
  // A decode step streams the weights from memory, where a load that
  // straddles two cache lines costs more than the widening: the split-free
  // form reads half lines (f32: vl / 2 lanes; bf16: vl values widened for
  // FMAs, the same products). The full form needs every weight row on a
  // line: the weight's start (known at run time) and rows of whole lines.
  DotForm splitFree{getSplitFreeLanes(), /*pairs=*/false};
  Value onLine = getWeightBytes(reduction) % kCacheLineBytes == 0
                     ? isWeightOnCacheLine()
                     : Value();
  buildOnAlignment(onLine, [&](bool aligned) {
    buildDotSteps(batch, rows, tileRows, n0, tile, aligned ? full : splitFree);
  });
}

void LinearKernelBuilder::buildDotSteps(Value batch, ArrayRef<Value> rows,
                                        ArrayRef<Value> tileRows, Value n0,
                                        Value tile, DotForm form) {
  // Columns past the window are clamped to its last one: they compute a
  // valid dot product that is never inserted. Several rows share each
  // weight vector they read, kDotStep weight rows at a time; a single row
  // (a decode step) reads one weight row at a time, front to back
  // (kDotLinesOneRow).
  bool oneRow = rows.size() == 1;
  int64_t step = oneRow ? 1 : kDotStep;
  int64_t lanes = form.lanes;
  auto type = VectorType::get({lanes}, f32);
  Value lastColumn = index(layer.numColumns - 1);
  // bf16 weights with bf16-dot take rows rounded to bf16 once per call, so
  // that every form multiplies what the prefill's pair kernel does: as
  // pairs for vdpbf16ps, or widened back to f32 for FMAs (a product of two
  // bf16 values is exact in f32).
  int64_t chunk = form.pairs ? 2 * lanes : lanes;
  Value rounded;
  if (form.pairs)
    rounded = buildRoundedRows(batch, rows);
  else if (bf16Pairs)
    rounded = buildWidenedRows(batch, rows, lanes);
  auto stepLoop =
      scf::ForOp::create(b, index(0), index(kDotColumns), index(step));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(stepLoop.getBody());
  Value c0 = stepLoop.getInductionVar();
  SmallVector<Value> tileCols, cols, weightRows;
  for (int64_t c = 0; c < step; ++c) {
    tileCols.push_back(add(c0, index(c)));
    cols.push_back(minIndex(add(n0, tileCols.back()), lastColumn));
    weightRows.push_back(add(cols.back(), index(layer.columnOffset)));
  }
  // The products of the `chunk` inputs from k on, added to `accs`. The
  // last chunk of a K that is not a multiple of it is a masked read of the
  // weight and input rows (zeros past K).
  auto accumulate = [&](ImplicitLocOpBuilder &lb, Value k, bool inBounds,
                        ValueRange accs) {
    Value padding = arith::ConstantOp::create(lb, lb.getF32FloatAttr(0.0f));
    SmallVector<Value> w;
    for (Value weightRow : weightRows)
      w.push_back(form.pairs
                      ? readWeightPairs(lb, weightRow, k, inBounds)
                      : readWeight(lb, lb.getLoc(), ValueRange{weightRow, k},
                                   inBounds, lanes));
    SmallVector<Value> next;
    for (auto [r, row] : llvm::enumerate(rows)) {
      Value x;
      if (form.pairs)
        x = vector::LoadOp::create(
            lb, VectorType::get({chunk}, lb.getBF16Type()), rounded,
            ValueRange{arith::ConstantIndexOp::create(lb, r), k});
      else if (rounded)
        x = vector::LoadOp::create(
            lb, type, rounded,
            ValueRange{arith::ConstantIndexOp::create(lb, r), k});
      else
        x = vector::TransferReadOp::create(lb, type, layer.input,
                                           ValueRange{batch, row, k}, padding,
                                           ArrayRef<bool>{inBounds});
      for (int64_t c = 0; c < step; ++c) {
        Value acc = accs[next.size()];
        next.push_back(
            form.pairs
                ? dotBF16Pairs(lb, lb.getLoc(), acc, x, w[c])
                : vector::FMAOp::create(lb, type, x, w[c], acc).getResult());
      }
    }
    return next;
  };
  // One row reads `unroll` chunks of its weight row per iteration, into as
  // many sets of accumulators (independent FMA chains), then the chunks
  // left one at a time.
  int64_t accsPerChunk = static_cast<int64_t>(rows.size()) * step;
  int64_t unroll =
      oneRow ? std::max<int64_t>(1, kDotLinesOneRow * kCacheLineBytes /
                                        getLoadBytes(form))
             : 1;
  int64_t unrolled = reduction / (unroll * chunk) * (unroll * chunk);
  int64_t wholeChunks = reduction / chunk * chunk;
  SmallVector<Value> init(unroll * accsPerChunk, zeroVector(lanes));
  auto kLoop = scf::ForOp::create(
      b, index(0), index(unrolled), index(unroll * chunk), init,
      [&](OpBuilder &nb, Location nl, Value k, ValueRange accs) {
        ImplicitLocOpBuilder lb(nl, nb);
        SmallVector<Value> next;
        for (int64_t u = 0; u < unroll; ++u)
          llvm::append_range(
              next,
              accumulate(lb, arith::AddIOp::create(lb, k, index(u * chunk)),
                         /*inBounds=*/true,
                         accs.slice(u * accsPerChunk, accsPerChunk)));
        scf::YieldOp::create(lb, next);
      });
  SmallVector<Value> sums(kLoop.getResults().take_front(accsPerChunk));
  for (int64_t u = 1; u < unroll; ++u)
    for (int64_t i = 0; i < accsPerChunk; ++i)
      sums[i] = arith::AddFOp::create(b, sums[i],
                                      kLoop.getResult(u * accsPerChunk + i));
  for (int64_t k = unrolled; k < wholeChunks; k += chunk)
    sums = accumulate(b, index(k), /*inBounds=*/true, sums);
  if (wholeChunks != reduction)
    sums = accumulate(b, index(wholeChunks), /*inBounds=*/false, sums);
  for (auto [r, tileRow] : llvm::enumerate(tileRows))
    for (int64_t c = 0; c < step; ++c) {
      Value sum = vector::ReductionOp::create(b, vector::CombiningKind::ADD,
                                              sums[r * step + c],
                                              arith::FastMathFlags::reassoc);
      sum =
          arith::AddFOp::create(b, initialScalar(batch, rows[r], cols[c]), sum);
      memref::StoreOp::create(b, sum, tile, ValueRange{tileRow, tileCols[c]});
    }
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
LinearKernelBuilder::beginBlockedTask(Value destination, int64_t blockCols,
                                      int64_t taskRows, bool initialize,
                                      IntegerAttr alignment) {
  Value rowTasks = b.createOrFold<arith::CeilDivUIOp>(seqLen, index(taskRows));
  Value colBlocks = index((layer.numColumns + blockCols - 1) / blockCols);
  auto forall = scf::ForallOp::create(
      b, getAsOpFoldResult({batches, colBlocks, rowTasks}),
      ValueRange{destination}, std::nullopt);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  BlockedTask task;
  task.forall = forall;
  task.batch = body->getArgument(0);
  task.n0 = mul(body->getArgument(1), index(blockCols));
  task.s0 = mul(body->getArgument(2), index(taskRows));
  task.rowsHere =
      minIndex(index(taskRows), arith::SubIOp::create(b, seqLen, task.s0));
  task.colsHere =
      minIndex(index(blockCols),
               arith::SubIOp::create(b, index(layer.numColumns), task.n0));
  task.tile = memref::AllocaOp::create(
      b, MemRefType::get({taskRows, blockCols}, f32), alignment);
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
             {task.batch, task.s0, task.n0});
}

Value LinearKernelBuilder::buildBlocked(Value destination, bool dotProduct) {
  bool pairs = bf16Pairs && !dotProduct;
  if (pairs)
    packedInput = buildPackedPairs();
  else if (!dotProduct)
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

  auto blockLoop = scf::ForOp::create(b, index(0), rowsHere, index(blockRows));
  {
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
  finishBlockedTask(task);
  return forall.getResult(0);
}

Value LinearKernelBuilder::buildStreaming(Value destination) {
  // Partial sums per chunk of kStreamRows weight rows: [chunks, M, N].
  int64_t chunks = (reduction + kStreamRows - 1) / kStreamRows;
  int64_t bufferCols = getStreamBufferColumns(layer.numColumns, vl);
  int64_t colBlocks = (layer.numColumns + bufferCols - 1) / bufferCols;
  int64_t unroll = bufferCols % (4 * vl) == 0 ? 4 : 1;
  bool inBounds = weightColumnsInBounds(bufferCols);
  Value totalRows = mul(batches, seqLen);
  Value partial = tensor::EmptyOp::create(
      b,
      ArrayRef<OpFoldResult>{b.getIndexAttr(chunks), totalRows,
                             b.getIndexAttr(layer.numColumns)},
      f32);
  auto splitOf = [&](Value r) -> std::pair<Value, Value> {
    return {arith::DivUIOp::create(b, r, seqLen),
            arith::RemUIOp::create(b, r, seqLen)};
  };

  auto forall = scf::ForallOp::create(
      b,
      ArrayRef<OpFoldResult>{b.getIndexAttr(chunks), b.getIndexAttr(colBlocks)},
      ValueRange{partial}, std::nullopt);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(forall.getTerminator());
    Block *body = forall.getBody();
    Value k0 = mul(body->getArgument(0), index(kStreamRows));
    Value kEnd = minIndex(add(k0, index(kStreamRows)), index(reduction));
    Value n0 = mul(body->getArgument(1), index(bufferCols));
    Value colsHere =
        minIndex(index(bufferCols),
                 arith::SubIOp::create(b, index(layer.numColumns), n0));
    Value buffer = memref::AllocaOp::create(
        b, MemRefType::get({kRowsInOut, bufferCols}, f32),
        b.getI64IntegerAttr(kCacheLineBytes));
    // Full-width weight loads where they may split cache lines (f32 with 16
    // lanes) are versioned on the weight's start when every block of every
    // row starts as it does (rows, window and blocks of whole lines); the
    // half-line form runs elsewhere.
    int64_t splitFreeLanes = getSplitFreeLanes();
    bool wholeLines = getWeightBytes(weightColumns) % kCacheLineBytes == 0 &&
                      getWeightBytes(layer.columnOffset) % kCacheLineBytes == 0;
    Value onLine =
        splitFreeLanes != vl && wholeLines ? isWeightOnCacheLine() : Value();
    auto rowLoop = scf::ForOp::create(b, index(0), totalRows, index(1));
    {
      OpBuilder::InsertionGuard rowGuard(b);
      b.setInsertionPointToStart(rowLoop.getBody());
      Value r = rowLoop.getInductionVar();
      Value batch, pos;
      std::tie(batch, pos) = splitOf(r);
      auto zeroLoop =
          scf::ForOp::create(b, index(0), index(bufferCols), index(vl));
      {
        OpBuilder::InsertionGuard zeroGuard(b);
        b.setInsertionPointToStart(zeroLoop.getBody());
        vector::StoreOp::create(b, zeroVector(), buffer,
                                ValueRange{r, zeroLoop.getInductionVar()});
      }
      // One weight row at a time, front to back: its columns of the block
      // are contiguous, so each thread reads one sequential stream, the
      // pattern every hardware prefetcher follows. Four rows at a time (as
      // many streams, one accumulator load/store per four FMAs) lost 4-18%
      // of a GPT-2-small decode step on the AMD EPYC Zen 4 VM, in 7 of 7
      // alternating rounds. `lanes` per vector: vl, or half lines where the
      // weight rows are not on cache lines (as the dot-product kernel).
      auto buildRows = [&](int64_t lanes) {
        auto type = VectorType::get({lanes}, f32);
        auto kLoop = scf::ForOp::create(b, k0, kEnd, index(1));
        OpBuilder::InsertionGuard kGuard(b);
        b.setInsertionPointToStart(kLoop.getBody());
        Value k = kLoop.getInductionVar();
        Value x = roundActivations(
            b, b.getLoc(),
            vector::BroadcastOp::create(
                b, type,
                tensor::ExtractOp::create(b, layer.input,
                                          ValueRange{batch, pos, k})));
        auto colLoop = scf::ForOp::create(b, index(0), index(bufferCols),
                                          index(unroll * vl));
        b.setInsertionPointToStart(colLoop.getBody());
        Value n = colLoop.getInductionVar();
        for (int64_t u = 0; u < unroll * vl / lanes; ++u) {
          Value col = add(n, index(u * lanes));
          Value weightCol = add(add(n0, col), index(layer.columnOffset));
          Value acc =
              vector::LoadOp::create(b, type, buffer, ValueRange{r, col});
          Value w = readWeight(b, b.getLoc(), ValueRange{k, weightCol},
                               inBounds, lanes);
          acc = vector::FMAOp::create(b, type, x, w, acc);
          vector::StoreOp::create(b, acc, buffer, ValueRange{r, col});
        }
      };
      buildOnAlignment(onLine, [&](bool aligned) {
        buildRows(aligned ? vl : splitFreeLanes);
      });
    }
    // The buffer holds kRowsInOut rows; totalRows is below that here.
    insertTile(forall, buffer, totalRows, colsHere, body->getArgument(2),
               {body->getArgument(0), b.getIndexAttr(0), n0});
  }
  Value partials = forall.getResult(0);

  // out[r, cols] = init + sum over chunks of partial[chunk, r, cols].
  int64_t reduceCols = kReduceVectors * vl;
  auto reduce = scf::ForallOp::create(
      b,
      ArrayRef<OpFoldResult>{
          getAsOpFoldResult(totalRows),
          b.getIndexAttr((layer.numColumns + reduceCols - 1) / reduceCols)},
      ValueRange{destination}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(reduce.getTerminator());
  Block *body = reduce.getBody();
  Value r = body->getArgument(0);
  auto [batch, pos] = splitOf(r);
  Value n0 = mul(body->getArgument(1), index(reduceCols));
  Value colsHere = minIndex(
      index(reduceCols), arith::SubIOp::create(b, index(layer.numColumns), n0));
  bool partialInBounds = layer.numColumns % reduceCols == 0;
  SmallVector<Value> init;
  for (int64_t v = 0; v < kReduceVectors; ++v)
    init.push_back(
        initialVector(batch, pos, add(n0, index(v * vl)), reduceCols));
  auto chunkLoop = scf::ForOp::create(
      b, index(0), index(chunks), index(1), init,
      [&](OpBuilder &nb, Location nl, Value chunk, ValueRange accs) {
        ImplicitLocOpBuilder lb(nl, nb);
        Value padding = arith::ConstantOp::create(lb, lb.getF32FloatAttr(0.0f));
        SmallVector<Value> next;
        for (int64_t v = 0; v < kReduceVectors; ++v) {
          Value col = arith::AddIOp::create(
              lb, n0, arith::ConstantIndexOp::create(lb, v * vl));
          Value part = vector::TransferReadOp::create(
              lb, vecType, partials, ValueRange{chunk, r, col}, padding,
              ArrayRef<bool>{partialInBounds});
          next.push_back(arith::AddFOp::create(lb, accs[v], part));
        }
        scf::YieldOp::create(lb, next);
      });
  Value tile = memref::AllocaOp::create(b, MemRefType::get({reduceCols}, f32));
  for (int64_t v = 0; v < kReduceVectors; ++v)
    vector::StoreOp::create(b, chunkLoop.getResult(v), tile, index(v * vl));
  insertTile(reduce, tile, b.getIndexAttr(1), colsHere, body->getArgument(2),
             {batch, pos, n0});
  return reduce.getResult(0);
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
      few,
      [&] {
        return layer.transposed ? buildBlocked(destination, /*dotProduct=*/true)
                                : buildStreaming(destination);
      },
      [&] {
        if (!amx)
          return buildBlocked(destination, /*dotProduct=*/false);
        // AMX tiles where the process may use them, the AVX512-BF16 kernel
        // where it may not.
        return buildIf(
            amxGranted, [&] { return buildAMXBlocked(destination); },
            [&] { return buildBlocked(destination, /*dotProduct=*/false); });
      });
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
