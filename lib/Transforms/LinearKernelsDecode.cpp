//===- LinearKernelsDecode.cpp - linear layers' decode kernels -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The kernels of fewer than Mr rows in all (a decode step), which stream
// the weights from memory once, read in place:
//
// - Dot products along K for `[out, in]` weights: one weight row at a time,
//   front to back, for a single input row (kDotLinesOneRow lines per
//   iteration), kDotStep per step for blocks of several, reduced across
//   lanes once per output (the last vector of a K that is not a multiple of
//   the vector width is a masked read). With bf16 weights and AVX512-BF16
//   the rows are rounded to bf16 once per task and multiplied by vdpbf16ps
//   on the weight rows' pairs as stored (no packing), or by FMAs on the
//   widened weights in the split-free form below.
// - Streaming split-K GEMV, `[in, out]` weights: each parallel task takes
//   64 consecutive weight rows, which are contiguous in memory, and reads
//   them front to back exactly once, one row per pass over an L1
//   accumulator buffer of every output column; a second forall sums the
//   per-chunk partial rows. Reading a K x Nc panel per task instead touches
//   one short run per 4 KiB page, which the hardware prefetcher does not
//   follow (~15 instead of ~22 GB/s on the VM this was measured on).
//
// Both are versioned on the weight's alignment where their full-width
// loads are whole cache lines: a weight that does not start on a line (a
// checkpoint's tensors are aligned to 8 bytes) is read in half lines
// (kSplitFreeLoadBytes), which split at most every other load.
//
//===----------------------------------------------------------------------===//

#include "LinearKernelBuilder.h"
#include "attnc/Transforms/LowPrecision.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::attnc;

namespace mlir::attnc::linear {

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
             {batch, pos, add(n0, index(layer.destinationColumnOffset))});
  return reduce.getResult(0);
}

} // namespace mlir::attnc::linear
