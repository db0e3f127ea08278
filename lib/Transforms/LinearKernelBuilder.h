//===- LinearKernelBuilder.h - the linear kernels' builder -----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Private to lib/Transforms: the builder behind buildLinearKernel
// (LinearKernels.h) and the schedule constants of every linear kernel, in one
// place. LinearKernels.cpp holds the prefill kernels (f32/widening),
// LinearKernelsDecode.cpp the decode kernels, LinearKernelsBF16.cpp the
// AVX512-BF16 pair kernel and LinearKernelsAMX.cpp its AMX-BF16 form.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LIB_TRANSFORMS_LINEARKERNELBUILDER_H
#define ATTNC_LIB_TRANSFORMS_LINEARKERNELBUILDER_H

#include "attnc/Transforms/KernelBuilderBase.h"
#include "attnc/Transforms/LinearKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::attnc::linear {

/// Rows of the register micro-kernels.
constexpr int64_t kRowsInOut = 6;
/// Output columns per block of the dot-product ([out, in]) kernel, and
/// weight rows per step of its kernel for several input rows.
constexpr int64_t kDotColumns = 64;
constexpr int64_t kDotStep = 2;
/// A decode step (one input row) reads one weight row at a time, front to
/// back, kDotLinesOneRow cache lines of it per iteration, one accumulator
/// per vector: the weight is one sequential stream per thread, the pattern
/// every hardware prefetcher follows. Reading 2, 4, 8 or 16 rows at a time
/// (earlier choices, with a software prefetch of the next rows for f16)
/// lost 25-45% of the decode speed on the AMD EPYC Zen 4 VM: the 134M
/// Llama's tg64 on 2 threads, alternating, went from 95-100 to 130-142 t/s
/// with f16 weights, 105-110 to 184-207 with bf16 and 64-69 to 70-104 with
/// f32 (1, 2 or 4 lines per iteration within noise of each other).
constexpr int64_t kDotLinesOneRow = 2;
/// The widest weight load of a decode step's kernel where the weight may
/// not be aligned to a cache line: half a line, of which at most every
/// other one splits (a whole-line load splits every time). A weight read in
/// place is aligned wherever its checkpoint put it (safetensors aligns
/// tensors to 8 bytes). On the AMD EPYC Zen 5 VM, 64-byte loads straddling
/// two lines ran f32 decode 17-20% and the vdpbf16ps bf16 decode ~30%
/// slower than on aligned weights; 32-byte loads ran as fast as aligned.
constexpr int64_t kSplitFreeLoadBytes = 32;
constexpr int64_t kCacheLineBytes = 64;

/// k per task of the input packing (a 12 KiB tile).
constexpr int64_t kPackRows = 512;
/// Weight rows per packed panel of the blocked in_out kernel (32 KiB with
/// 64 columns: it stays in L1 while the task's row blocks use it).
constexpr int64_t kPanelRows = 128;
/// The same bytes of bf16 weight pairs for the AVX512-BF16 kernel: 256
/// weight rows (128 rows of 32-bit pairs) per panel.
constexpr int64_t kPairPanelRows = 2 * kPanelRows;
/// Rows per parallel task of the blocked kernels. In_out tasks repack their
/// weight panels, so they take up to 516 rows (86 register blocks, a 129 KiB
/// tile on the thread's stack): a 512-token prompt packs each panel once.
constexpr int64_t kTaskRowsInOut = 516;
constexpr int64_t kTaskRowsOutIn = 128;
static_assert(kTaskRowsInOut % kRowsInOut == 0,
              "in_out tasks hold whole register blocks");
static_assert(kPackRows % 32 == 0 && kPairPanelRows % 2 == 0,
              "pair chunks hold whole pairs of whole vectors");
/// The AMX-BF16 kernel (LinearKernelsAMX.cpp): tiles of 16 rows of 32 bf16
/// (64 bytes) or 16 f32; a register block of 2 x 2 accumulator tiles, 32
/// rows by 32 columns; 512 rows per task (whole blocks of 32).
constexpr int64_t kAMXTileRows = 16;
constexpr int64_t kAMXTileK = 32;
constexpr int64_t kAMXBlockRows = 2 * kAMXTileRows;
constexpr int64_t kAMXBlockCols = 2 * kAMXTileRows;
constexpr int64_t kTaskRowsAMX = 512;
static_assert(kTaskRowsAMX % kAMXBlockRows == 0 &&
                  kPairPanelRows % kAMXTileK == 0 && kPackRows % kAMXTileK == 0,
              "AMX tasks, panels and packing chunks hold whole tiles");
/// Weight rows per task of the streaming kernel.
constexpr int64_t kStreamRows = 64;
/// Bytes of the streaming kernel's accumulator buffer before it splits the
/// columns into blocks.
constexpr int64_t kStreamBufferBytes = 96 * 1024;
/// Vectors of columns per task of the streaming kernel's reduction.
constexpr int64_t kReduceVectors = 8;

inline int64_t roundUp(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

/// Vectors of columns per row of the in_out register block.
inline int64_t getInOutVectors(int64_t vl) { return vl == 16 ? 4 : 2; }

/// Output columns per task of the streaming kernel: all of them while
/// kRowsInOut rows of them fit its buffer.
inline int64_t getStreamBufferColumns(int64_t numColumns, int64_t vl) {
  int64_t columns = roundUp(numColumns, vl);
  if (kRowsInOut * columns * 4 > kStreamBufferBytes)
    columns = kStreamBufferBytes / (4 * kRowsInOut) / (4 * vl) * (4 * vl);
  return columns;
}

class LinearKernelBuilder : KernelBuilderBase {
public:
  LinearKernelBuilder(const LinearLayer &layer,
                      const LinearKernelTarget &target, OpBuilder &builder,
                      Location loc)
      : KernelBuilderBase(loc, builder), layer(layer), vl(target.vectorWidth),
        f32(builder.getF32Type()), vecType(VectorType::get({vl}, f32)) {
    auto weightType = cast<RankedTensorType>(layer.weight.getType());
    weightElement = weightType.getElementType();
    bf16Pairs = target.bf16Dot && weightElement.isBF16();
    // Tiles take 32 bf16 (2 x 16 f32 lanes) per row and 64-column blocks.
    amx = bf16Pairs && target.amx && vl == 16;
    reduction = weightType.getDimSize(layer.transposed ? 1 : 0);
    weightColumns = weightType.getDimSize(layer.transposed ? 0 : 1);
    inOutVectors = getInOutVectors(vl);
    dotRows = vl == 16 ? 8 : 4;
  }

  Value build();
  /// buildLinearKernels of the layers of `parts` (one builder per layer).
  static Value buildSeveral(MutableArrayRef<LinearKernelBuilder> parts);

private:
  /// The kernels of fewer rows than a register block (a decode step) into
  /// `destination`: streaming split-K for [in, out] weights, dot products
  /// for [out, in] ones.
  Value buildFewRows(Value destination);
  /// The kernels of many rows (the blocked ones) into `destination`;
  /// `amxGranted` is buildAMXGrantedCheck's result where `amx`.
  Value buildManyRows(Value destination, Value amxGranted);
  /// One forall over the column blocks of every part's dot-product kernel
  /// (all [out, in]) into `destination`.
  static Value buildFusedDot(MutableArrayRef<LinearKernelBuilder> parts,
                             Value destination);
  /// Runs `emitRows` on the rows [s0, s0 + rowsHere) of a task: blocks of
  /// `blockRows` rows, then the last rows one at a time (tile rows from 0).
  void buildRowBlocks(
      Value s0, Value rowsHere, int64_t blockRows,
      function_ref<void(ArrayRef<Value> rows, ArrayRef<Value> tileRows)>
          emitRows);

  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, x, y); }
  Value zeroVector(int64_t lanes = 0) {
    auto type = lanes ? VectorType::get({lanes}, f32) : vecType;
    return arith::ConstantOp::create(b, type,
                                     DenseElementsAttr::get(type, 0.0f));
  }
  Value zeroScalar() {
    return arith::ConstantOp::create(b, b.getF32FloatAttr(0.0f));
  }
  /// Whether reading blocks of `width` window columns stays inside the
  /// weight (and bias) columns.
  bool weightColumnsInBounds(int64_t width) const {
    return layer.columnOffset + roundUp(layer.numColumns, width) <=
           weightColumns;
  }
  /// vl (or `lanes`) weights at `indices`, widened to f32 (f16/bf16
  /// weights are read in their stored type: half the bytes of f32).
  Value readWeight(OpBuilder &builder, Location loc, ValueRange indices,
                   bool inBounds, int64_t lanes = 0) {
    auto type = lanes ? VectorType::get({lanes}, f32) : vecType;
    if (weightElement.isF32())
      return vector::TransferReadOp::create(
          builder, loc, type, layer.weight, indices,
          arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(0)),
          ArrayRef<bool>{inBounds});
    Value narrow = vector::TransferReadOp::create(
        builder, loc, VectorType::get(type.getShape(), weightElement),
        layer.weight, indices,
        arith::ConstantOp::create(builder, loc,
                                  builder.getFloatAttr(weightElement, 0)),
        ArrayRef<bool>{inBounds});
    return arith::ExtFOp::create(builder, loc, type, narrow);
  }
  /// The weight as a read-only buffer, for prefetches (memref.prefetch
  /// takes a memref; the weight is read in place either way).
  Value getWeightBuffer() {
    auto type = cast<RankedTensorType>(layer.weight.getType());
    return bufferization::ToBufferOp::create(
        b, MemRefType::get(type.getShape(), type.getElementType()),
        layer.weight, /*read_only=*/true);
  }
  /// The weight row ([out, in]) of window column `column`, clamped to the
  /// window's last column: a read past the window computes a value that is
  /// never inserted.
  Value clampedWeightRow(Value column) {
    return add(minIndex(column, index(layer.numColumns - 1)),
               index(layer.columnOffset));
  }
  /// A vl x vl tile of the [out, in] weight, transposed in registers:
  /// weight rows n0 + c0 + [0, vl) (window columns, those past the window
  /// clamped to its last one), each read by `readRow` (vl elements or vl
  /// 32-bit words from k on) and its line at `kAhead` of `weightBuffer`
  /// (getWeightBuffer) prefetched: the next panel's, since the rows are a
  /// page apart, short runs the hardware prefetchers do not pick up.
  /// Result j holds the tile's j-th element (k or pair) of every row.
  SmallVector<Value>
  readTransposedWeightTile(Value weightBuffer, Value n0, int64_t c0,
                           Value kAhead,
                           function_ref<Value(Value weightRow)> readRow);
  /// The f32 activation vector `x` as the weights' kernel multiplies it:
  /// rounded to bf16 (nearest even) with bf16 weights and bf16-dot, so that
  /// the decode kernels compute what the pair kernel of a prefill does.
  Value roundActivations(OpBuilder &builder, Location loc, Value x);
  /// vl (or `lanes`) f32 values of `tensor` at `indices`.
  Value readVector(Value tensor, ValueRange indices, bool inBounds,
                   int64_t lanes = 0) {
    return vector::TransferReadOp::create(
        b, lanes ? VectorType::get({lanes}, f32) : vecType, tensor, indices,
        zeroScalar(), ArrayRef<bool>{inBounds});
  }

  /// The initial accumulator of window columns [col, col + vl) of row
  /// (batch, row), read in blocks of `width` columns.
  Value initialVector(Value batch, Value row, Value col, int64_t width);
  /// The initial value of window column `col` (in range) of (batch, row).
  Value initialScalar(Value batch, Value row, Value col);

  /// One task of an input packing: the scf.forall over (batch, block of
  /// rows, chunk of kPackRows k) that fills a packed tensor, the task's
  /// block index, first row and k range.
  struct PackTask {
    scf::ForallOp forall;
    Value batch, block, row0, k0, kLength;
  };
  /// Opens the forall of a packing of `blocks` blocks of `blockRows` rows
  /// and `kExtent` k into `init`, and leaves the builder in its body: one
  /// task per chunk of kPackRows k keeps its tile on the stack bounded
  /// whatever K is.
  PackTask beginPackTask(Value init, Value blocks, int64_t blockRows,
                         int64_t kExtent);
  /// Stores x[batch, row, k0 + kk] rounded to bf16 (roundPairs) into
  /// buffer[bufferRow, kk] for kk in [0, kLength), 2 vl at a time (`k0`
  /// null: from 0).
  void storeRoundedRow(Value batch, Value row, Value k0, Value kLength,
                       Value buffer, Value bufferRow, bool inBounds);
  /// One task of a blocked kernel: the scf.forall over (batch, block of
  /// columns, task of rows) into the destination, the task's indices and
  /// extents (rows and columns that exist), and its f32 [rows, columns]
  /// tile.
  struct BlockedTask {
    scf::ForallOp forall;
    Value batch, n0, s0, rowsHere, colsHere, tile;
  };
  /// Opens the forall over (batch, `colBlocks` blocks of columns, tasks of
  /// `taskRows` rows) into `destination` and leaves the builder in its
  /// body; sets the task's forall, batch, s0, rowsHere and its [taskRows,
  /// blockCols] tile (n0 and colsHere are the caller's: the block argument
  /// is the forall body's argument 1).
  BlockedTask beginRowTasks(Value destination, Value colBlocks,
                            int64_t blockCols, int64_t taskRows,
                            IntegerAttr alignment = {});
  /// Opens the forall of a blocked kernel with tasks of `taskRows` rows x
  /// `blockCols` columns and leaves the builder in its body; the tile starts
  /// from the initial values when `initialize`.
  BlockedTask beginBlockedTask(Value destination, int64_t blockCols,
                               int64_t taskRows, bool initialize,
                               IntegerAttr alignment = {});
  /// Inserts the task's tile into the destination from the forall's
  /// terminator (and leaves the builder before it).
  void finishBlockedTask(BlockedTask task);
  /// The blocked kernel: `dotProduct` (out_in weights, few rows) or the
  /// panel-packed broadcast form (either layout; bf16 pairs with
  /// `bf16Pairs`).
  Value buildBlocked(Value destination, bool dotProduct);
  /// Adds x[rows, k0 : k0 + kLength] * panel to the tile rows (in_out).
  /// `packedBlock`, when set, is the rows' block in `packedInput`.
  void buildInOutRows(Value batch, ArrayRef<Value> rows,
                      ArrayRef<Value> tileRows, Value k0, Value kLength,
                      Value panel, Value tile, Value packedBlock);
  /// The input's whole blocks of kRowsInOut rows, interleaved so that the
  /// micro-kernel's broadcasts read one contiguous stream:
  /// packed[b, block, k, i] = x[b, block * Mr + i, k].
  Value buildPackedInput();
  /// Copies weight rows [k0, k0 + kLength) of the block's columns into the
  /// contiguous panel.
  void packPanel(Value n0, Value k0, Value kLength, Value panel);
  /// Adds the dot products of the input `rows` with the block's kDotColumns
  /// weight rows from n0 on ([out, in]) to the tile rows. One row (a decode
  /// step) whose full-width weight loads could split cache lines is
  /// versioned on the weight's alignment at run time: full-width loads
  /// where it is aligned to a cache line, the split-free form elsewhere.
  void buildOutInRows(Value batch, ArrayRef<Value> rows,
                      ArrayRef<Value> tileRows, Value n0, Value tile);
  /// How the dot-product kernel reads the weight rows: `lanes` f32 lanes
  /// per vector and FMAs on the widened weights, or with `pairs` (bf16
  /// weights and bf16-dot) 2 * lanes bf16 per vdpbf16ps.
  struct DotForm {
    int64_t lanes;
    bool pairs;
  };
  /// Bytes of `elements` weights.
  int64_t getWeightBytes(int64_t elements) const {
    return elements * weightElement.getIntOrFloatBitWidth() / 8;
  }
  /// Bytes of weight one load of `form` reads.
  int64_t getLoadBytes(DotForm form) const {
    return form.pairs ? 4 * form.lanes : getWeightBytes(form.lanes);
  }
  /// Lanes of the widest weight vector that is at most half a cache line
  /// (kSplitFreeLoadBytes), at most vl.
  int64_t getSplitFreeLanes() const {
    return std::min(vl, kSplitFreeLoadBytes / getWeightBytes(1));
  }
  /// buildOutInRows in one form.
  void buildDotSteps(Value batch, ArrayRef<Value> rows,
                     ArrayRef<Value> tileRows, Value n0, Value tile,
                     DotForm form);
  /// Whether the weight's first element lies on a cache line, at run time
  /// (the weight is read where the caller's buffer starts).
  Value isWeightOnCacheLine();
  /// Calls `build(true)` where `onLine` (isWeightOnCacheLine) holds and
  /// `build(false)` elsewhere, the two forms under an scf.if; with a null
  /// `onLine`, `build(false)` alone.
  void buildOnAlignment(Value onLine, function_ref<void(bool onLine)> build);
  Value buildStreaming(Value destination);

  // The AVX512-BF16 form of the blocked kernel (LinearKernelsBF16.cpp):
  // weights and activations as bf16 pairs along K in 32-bit words, one
  // vdpbf16ps per pair of k and vector of columns.

  /// The input rounded to bf16 in pairs along K, in blocks of kRowsInOut
  /// rows: packed[b, block, k / 2, i] holds x[b, block * Mr + i, k : k + 2]
  /// (a zero past K; rows past the sequence repeat its last row).
  Value buildPackedPairs();
  /// Packs weight rows [k0, k0 + kLength) of the block's columns as pairs:
  /// panel[p, c] holds w(k0 + 2p, c) and w(k0 + 2p + 1, c) (a zero past K).
  void packPairPanel(Value n0, Value k0, Value kLength, Value panel);
  /// Adds the products of the kRowsInOut rows of `packedBlock` over the
  /// pairs [p0, p0 + numPairs) (panel rows [0, numPairs)) to the tile rows
  /// from `tileRow0` on.
  void buildPairRows(Value batch, Value packedBlock, Value tileRow0, Value p0,
                     Value numPairs, Value panel, Value tile);
  /// x[batch, row, k : k + 2 vl] rounded to bf16 (zeros past K unless
  /// `inBounds`): vl pairs along K, as vdpbf16ps takes them.
  Value roundPairs(Value batch, Value row, Value k, bool inBounds);
  /// The `rows` of the input rounded to bf16 into a [rows, K rounded up to
  /// 2 vl] scratch buffer (zeros past K), for the dot-product kernel.
  Value buildRoundedRows(Value batch, ArrayRef<Value> rows);
  /// The `rows` of the input rounded to bf16 and widened back into a
  /// [rows, K rounded up to `lanes`] f32 scratch buffer (zeros past K), for
  /// the dot-product kernel's form that widens bf16 weights for FMAs.
  Value buildWidenedRows(Value batch, ArrayRef<Value> rows, int64_t lanes);
  /// The 2 vl bf16 weights of [out, in] row `weightRow` from k on, as pairs
  /// along K; unless `whole`, only vl of them remain, then zeros.
  Value readWeightPairs(ImplicitLocOpBuilder &lb, Value weightRow, Value k,
                        bool whole);
  // The AMX-BF16 form of the blocked kernel (LinearKernelsAMX.cpp).

  /// The input rounded to bf16: [B, S rounded up to kAMXBlockRows, K
  /// rounded up to kAMXTileK], rows past S repeating the last row, zeros
  /// past K.
  Value buildRoundedInput();
  /// The blocked kernel on AMX tiles, with packPairPanel's panels.
  Value buildAMXBlocked(Value destination);

  /// Inserts tile[0:rows, 0:cols] into `into` at `offsets` (the last two
  /// are the row and the column) from the terminator of `forall`.
  void insertTile(scf::ForallOp forall, Value tile, OpFoldResult rows,
                  OpFoldResult cols, Value into,
                  ArrayRef<OpFoldResult> offsets);

  LinearLayer layer;
  int64_t vl;
  Type f32;
  VectorType vecType;
  Type weightElement;
  int64_t reduction, weightColumns, inOutVectors, dotRows;
  /// Whether the kernels of these (bf16) weights multiply activations
  /// rounded to bf16: the blocked and the dot-product kernels in the
  /// AVX512-BF16 pair form, the streaming one on rounded f32 vectors.
  bool bf16Pairs;
  /// Whether the prefill kernel of these weights has an AMX-BF16 form,
  /// taken where the process is granted the AMX state.
  bool amx;
  Value batches, seqLen;
  /// buildPackedInput's result, for the blocked in_out kernel.
  Value packedInput;
};

} // namespace mlir::attnc::linear

#endif // ATTNC_LIB_TRANSFORMS_LINEARKERNELBUILDER_H
