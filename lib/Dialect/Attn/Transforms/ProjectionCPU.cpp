//===- ProjectionCPU.cpp - vector GEMM kernels for attn.qkv_proj -*- C++ -*-=//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Lowers attn.qkv_proj onto the shared linear-layer kernels
// (attnc/Transforms/LinearKernels.h), then splits heads:
//
//   cos, sin = angles(positions)                [B|1, S, R/2], once per call
//   y = X * [W_q | W_k | W_v] (+ bias)          [B, S, N], one GEMM per weight
//                                               (one loop for all three in a
//                                               decode step), into one result
//   for p in (Q, K, V):
//     scf.forall (b * head groups + group, block of rows) {
//       for h in group:                     (one head, or with fewer than
//         tile[h, rows, D] =                 32 rows as many as fill the
//           y[b, rows, column of p + h * D : + D]            32-row tile)
//         rotate tile rows (Q and K with a RoPE epilogue)
//       out_p[b, group, rows, :] = tile
//     }
//
// A fused QKV weight is one GEMM over all its columns, read in place. The
// GEMM kernels are the ones attnc-matmul-cpu uses (a blocked, panel-packed
// kernel for prefill, a streaming split-K kernel for decode, a dot-product
// kernel for out_in weights); the head split reads the [B, S, N] result
// once, and the rotation happens while a row is in L1.
//
//===----------------------------------------------------------------------===//

#include "KernelRewrite.h"
#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"
#include "attnc/Transforms/KernelBuilderBase.h"
#include "attnc/Transforms/KernelTiles.h"
#include "attnc/Transforms/LinearKernels.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNPROJECTIONCPU
#include "attnc/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
using mlir::attnc::LinearKernelTarget;
using mlir::attnc::LinearLayer;

namespace {

/// Rows (of one head each) per task of the head split and merge.
constexpr int64_t kSplitRows = 32;

/// Called on each row moved by buildHeadTransfer while it sits in the L1
/// tile: (batch, row, tile row, tile), the tile a `[kSplitRows, D padded to
/// whole vectors]` memref.
using TileRowHook = llvm::function_ref<void(Value, Value, Value, Value)>;

/// One forall that moves the rows of every head between the heads layout
/// `[B, H, S, D]` and the rows layout `[B, S, N]` (head h at columns
/// `columnOffset + h * D`): `toHeads` splits `source` (rows layout) into
/// `init`, else merges `source` (heads layout) into `init`. `onRow`, when
/// set, runs on each row in the tile.
///
/// A task moves up to kSplitRows rows through an L1 tile: a block of rows
/// of one head, or, when the call has fewer rows than that, the rows of as
/// many heads as fill the tile, so that the number of tasks follows the
/// work. A decode step (one row) is one task for up to kSplitRows heads,
/// which runs on the calling thread (attnc-serialize-single-tasks) instead
/// of forking the threads to move a few hundred bytes a head.
Value buildHeadTransfer(ImplicitLocOpBuilder &b, Value source, Value init,
                        bool toHeads, int64_t numHeads, int64_t headDim,
                        int64_t columnOffset, Value batches, Value numRows,
                        int64_t vectorWidth, TileRowHook onRow = nullptr) {
  auto index = [&](int64_t v) { return arith::ConstantIndexOp::create(b, v); };
  auto minIndex = [&](Value x, Value y) {
    return b.createOrFold<arith::MinUIOp>(x, y);
  };
  Type f32 = b.getF32Type();
  MLIRContext *ctx = b.getContext();
  // Rows of one head per task, and heads per task (both at least 1, also
  // for a call of no rows).
  Value rowsPerTask = b.createOrFold<arith::MaxUIOp>(
      minIndex(numRows, index(kSplitRows)), index(1));
  Value headsPerTask =
      minIndex(b.createOrFold<arith::DivUIOp>(index(kSplitRows), rowsPerTask),
               index(numHeads));
  Value headGroups =
      b.createOrFold<arith::CeilDivUIOp>(index(numHeads), headsPerTask);
  Value rowBlocks = b.createOrFold<arith::CeilDivUIOp>(numRows, rowsPerTask);
  Value tasks = b.createOrFold<arith::MulIOp>(batches, headGroups);
  auto forall = scf::ForallOp::create(b, getAsOpFoldResult({tasks, rowBlocks}),
                                      ValueRange{init}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  Value batch = arith::DivUIOp::create(b, body->getArgument(0), headGroups);
  Value h0 = arith::MulIOp::create(
      b, arith::RemUIOp::create(b, body->getArgument(0), headGroups),
      headsPerTask);
  Value headsHere =
      minIndex(headsPerTask, arith::SubIOp::create(b, index(numHeads), h0));
  Value s0 = arith::MulIOp::create(b, body->getArgument(1), rowsPerTask);
  Value rowsHere = minIndex(rowsPerTask, arith::SubIOp::create(b, numRows, s0));

  // The tile's rows are padded to whole vectors; when D is not a multiple
  // of the vector width, the last vector of a row is a masked read (its
  // other lanes would read the next head or run past the row) and, into
  // the rows layout, a masked store.
  int64_t paddedHeadDim = llvm::alignTo(headDim, vectorWidth);
  Value tile = memref::AllocaOp::create(
      b, MemRefType::get({kSplitRows * paddedHeadDim}, f32));
  Value rowTile = memref::ExpandShapeOp::create(
      b, MemRefType::get({kSplitRows, paddedHeadDim}, f32), tile,
      ArrayRef<ReassociationIndices>{{0, 1}});
  VectorType vecType = VectorType::get({vectorWidth}, f32);
  VectorType maskType = VectorType::get({vectorWidth}, b.getI1Type());
  Value padding = arith::ConstantOp::create(b, b.getF32FloatAttr(0.0f));
  Value tailMask;
  if (int64_t tail = headDim % vectorWidth)
    tailMask =
        vector::CreateMaskOp::create(b, maskType, ValueRange{index(tail)});
  // Into the heads layout a tile row holds one (head, row) pair, the
  // pairs of a head consecutive: [heads, rows, D padded]. Into the rows
  // layout a tile row holds one row's heads side by side: [rows, heads * D]
  // (D unpadded, so that it is one slice of the result).
  Value mergedWidth = arith::MulIOp::create(b, headsPerTask, index(headDim));

  auto headLoop = scf::ForOp::create(b, index(0), headsHere, index(1));
  {
    OpBuilder::InsertionGuard loopGuard(b);
    b.setInsertionPointToStart(headLoop.getBody());
    Value hh = headLoop.getInductionVar();
    Value head = arith::AddIOp::create(b, h0, hh);
    Value column = arith::AddIOp::create(
        b, index(columnOffset), arith::MulIOp::create(b, head, index(headDim)));
    auto rowLoop = scf::ForOp::create(b, index(0), rowsHere, index(1));
    OpBuilder::InsertionGuard rowGuard(b);
    b.setInsertionPointToStart(rowLoop.getBody());
    Value r = rowLoop.getInductionVar();
    Value row = arith::AddIOp::create(b, s0, r);
    Value tileRow =
        arith::AddIOp::create(b, arith::MulIOp::create(b, hh, rowsPerTask), r);
    for (int64_t d = 0; d < paddedHeadDim; d += vectorWidth) {
      SmallVector<Value> at =
          toHeads
              ? SmallVector<Value>{batch, row,
                                   arith::AddIOp::create(b, column, index(d))}
              : SmallVector<Value>{batch, head, row, index(d)};
      bool full = d + vectorWidth <= headDim;
      Value v;
      if (full)
        v = vector::TransferReadOp::create(b, vecType, source, at, padding,
                                           ArrayRef<bool>{true});
      else
        v = vector::TransferReadOp::create(
            b, vecType, source, at,
            AffineMap::getMinorIdentityMap(at.size(), 1, ctx), padding,
            tailMask, b.getBoolArrayAttr({true}));
      if (toHeads) {
        vector::StoreOp::create(b, v, rowTile, ValueRange{tileRow, index(d)});
        continue;
      }
      // Element (r, hh * D + d) of the [rows, heads * D] tile.
      Value at1 = arith::AddIOp::create(
          b, arith::MulIOp::create(b, r, mergedWidth),
          arith::AddIOp::create(b, arith::MulIOp::create(b, hh, index(headDim)),
                                index(d)));
      if (full)
        vector::StoreOp::create(b, v, tile, at1);
      else
        vector::MaskedStoreOp::create(b, tile, at1, tailMask, v);
    }
    if (onRow)
      onRow(batch, row, tileRow, rowTile);
  }

  // The tile as the slice it fills, `[1, heads, rows, D]` of the heads
  // layout or `[1, rows, heads * D]` of the rows layout.
  SmallVector<OpFoldResult> sizes, strides, offsets;
  OpFoldResult one = b.getIndexAttr(1);
  if (toHeads) {
    sizes = {one, headsHere, rowsHere, b.getIndexAttr(headDim)};
    strides = {b.getIndexAttr(kSplitRows * paddedHeadDim),
               b.createOrFold<arith::MulIOp>(rowsPerTask, index(paddedHeadDim)),
               b.getIndexAttr(paddedHeadDim), one};
    offsets = {batch, h0, s0, b.getIndexAttr(0)};
  } else {
    Value width = arith::MulIOp::create(b, headsHere, index(headDim));
    sizes = {one, rowsHere, width};
    strides = {b.getIndexAttr(kSplitRows * paddedHeadDim), mergedWidth, one};
    offsets = {
        batch, s0,
        arith::AddIOp::create(b, index(columnOffset),
                              arith::MulIOp::create(b, h0, index(headDim)))
            .getResult()};
  }
  SmallVector<int64_t> staticSizes, staticStrides;
  SmallVector<Value> dynamicSizes, dynamicStrides;
  dispatchIndexOpFoldResults(sizes, dynamicSizes, staticSizes);
  dispatchIndexOpFoldResults(strides, dynamicStrides, staticStrides);
  auto sliceLayout = StridedLayoutAttr::get(ctx, 0, staticStrides);
  Value slice = memref::ReinterpretCastOp::create(
      b, MemRefType::get(staticSizes, f32, sliceLayout), tile,
      b.getIndexAttr(0), sizes, strides);
  Value part = bufferization::ToTensorOp::create(
      b, RankedTensorType::get(staticSizes, f32), slice,
      /*restrict=*/b.getUnitAttr());
  OpBuilder::InsertionGuard insertGuard(b);
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(
      b, part, body->getArgument(2), offsets, sizes,
      SmallVector<OpFoldResult>(offsets.size(), one));
  return forall.getResult(0);
}

/// The linear layer of weight operand `operand` of `op` (all its columns;
/// a fused weight holds Q, K and V). `destination` is left unset.
LinearLayer getQKVLayer(QKVProjOp op, unsigned operand) {
  bool outIn = op.getWeightLayout() == WeightLayout::OutIn;
  LinearLayer layer;
  layer.input = op.getInput();
  layer.weight = op.getWeights()[operand];
  layer.transposed = outIn;
  layer.numColumns =
      cast<RankedTensorType>(layer.weight.getType()).getDimSize(outIn ? 0 : 1);
  if (op.hasBias())
    layer.bias = op.getBiases()[operand];
  return layer;
}

/// Why the kernels cannot take `op`, or an empty string.
std::string getUnsupportedReason(QKVProjOp op, int64_t vectorWidth) {
  // f32 activations and results; the weights' types are the linear
  // kernels' to judge (f32, f16 or bf16).
  SmallVector<Value> operands = {op.getInput(), op.getQueryInit(),
                                 op.getKeyInit(), op.getValueInit()};
  llvm::append_range(operands, op.getBiases());
  for (Value v : operands)
    if (!cast<RankedTensorType>(v.getType()).getElementType().isF32())
      return "only f32 activations are supported so far";
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  if (inputType.isDynamicDim(2))
    return "the model dim must be static";
  // Head dims need not be multiples of the vector width: the head split
  // reads the last vector of each head with a mask.
  for (unsigned operand = 0; operand < op.getWeights().size(); ++operand) {
    LinearLayer layer = getQKVLayer(op, operand);
    std::string reason = getLinearKernelUnsupportedReason(layer, vectorWidth);
    if (!reason.empty())
      return reason;
  }
  return "";
}

/// Emits the kernels of one attn.qkv_proj.
class ProjectionKernelBuilder : attnc::KernelBuilderBase {
public:
  ProjectionKernelBuilder(QKVProjOp op, const LinearKernelTarget &target,
                          OpBuilder &builder)
      : KernelBuilderBase(op.getLoc(), builder), op(op), target(target),
        vl(target.vectorWidth), f32(builder.getF32Type()) {}

  SmallVector<Value> build();

private:
  /// One projection: its init, the GEMM result holding it, and its first
  /// column there.
  struct Projection {
    Value init, projected;
    int64_t numHeads, headDim, columnOffset;
    bool rotate;
  };

  void buildAngleTables();
  Value buildGemms();
  Value buildSplitHeads(const Projection &p);
  void rotateRow(Value batch, Value row, Value tileRow, Value tile);

  QKVProjOp op;
  LinearKernelTarget target;
  int64_t vl;
  Type f32;

  Value batches, numRows, cosTable, sinTable;
  int64_t rotaryDim = 0;
  bool perBatchPositions = false;
};

void ProjectionKernelBuilder::buildAngleTables() {
  // cos/sin[pb, s, i] of positions[pb, s] * theta^(-2i / R), computed as
  // attn.rope's reference lowering computes them (f32, as Hugging Face).
  Value positions = op.getPositions();
  auto positionsType = cast<RankedTensorType>(positions.getType());
  perBatchPositions = positionsType.getRank() == 2;
  rotaryDim = op.getRotaryDimOrDefault();
  SmallVector<OpFoldResult> sizes;
  if (perBatchPositions)
    sizes.push_back(tensor::getMixedSize(b, b.getLoc(), positions, 0));
  else
    sizes.push_back(b.getIndexAttr(1));
  sizes.push_back(tensor::getMixedSize(b, b.getLoc(), positions,
                                       positionsType.getRank() - 1));
  sizes.push_back(b.getIndexAttr(rotaryDim / 2));
  Value init = tensor::EmptyOp::create(b, sizes, f32);

  MLIRContext *ctx = b.getContext();
  AffineExpr dp, ds, di;
  bindDims(ctx, dp, ds, di);
  AffineMap positionsMap = perBatchPositions
                               ? AffineMap::get(3, 0, {dp, ds}, ctx)
                               : AffineMap::get(3, 0, ds, ctx);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(3, ctx);
  float theta = op.getRopeThetaOrDefault();
  auto tables = linalg::GenericOp::create(
      b, TypeRange{init.getType(), init.getType()}, positions,
      ValueRange{init, init},
      ArrayRef<AffineMap>{positionsMap, identity, identity},
      SmallVector<utils::IteratorType>(3, utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        ImplicitLocOpBuilder lb(nl, nb);
        Value pair = arith::UIToFPOp::create(
            lb, f32,
            arith::IndexCastUIOp::create(lb, lb.getI32Type(),
                                         linalg::IndexOp::create(lb, 2)));
        Value invFreq = buildRopeInverseFrequency(
            lb, lb.getLoc(), pair, theta, rotaryDim, op.getRopeScaling(),
            op.getRopeScalingParams().value_or(ArrayRef<float>()));
        Value angle = arith::MulFOp::create(
            lb, arith::SIToFPOp::create(lb, f32, args[0]), invFreq);
        linalg::YieldOp::create(lb, ValueRange{math::CosOp::create(lb, angle),
                                               math::SinOp::create(lb, angle)});
      });
  cosTable = tables.getResult(0);
  sinTable = tables.getResult(1);
}

Value ProjectionKernelBuilder::buildGemms() {
  // Every weight's columns side by side in one [B, S, N] result, as a
  // fused weight's are, so that a decode step reads separate Q, K and V
  // weights in one parallel loop (buildLinearKernels).
  SmallVector<LinearLayer> layers;
  int64_t columns = 0;
  for (unsigned operand = 0; operand < op.getWeights().size(); ++operand) {
    layers.push_back(getQKVLayer(op, operand));
    layers.back().destinationColumnOffset = columns;
    columns += layers.back().numColumns;
  }
  layers.front().destination =
      tensor::EmptyOp::create(b,
                              ArrayRef<OpFoldResult>{getAsOpFoldResult(batches),
                                                     getAsOpFoldResult(numRows),
                                                     b.getIndexAttr(columns)},
                              f32);
  return attnc::buildLinearKernels(b, b.getLoc(), layers, target);
}

void ProjectionKernelBuilder::rotateRow(Value batch, Value row, Value tileRow,
                                        Value tile) {
  // The same arithmetic as attn.rope's reference lowering: first of a pair
  // x cos - y sin, second y cos + x sin.
  Value tableBatch = perBatchPositions ? batch : index(0);
  int64_t half = rotaryDim / 2;
  bool halfStyle = *op.getRopeStyle() == RopeStyle::Half;
  auto loop = scf::ForOp::create(b, index(0), index(half), index(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value i = loop.getInductionVar();
  Value first = halfStyle ? i : arith::MulIOp::create(b, i, index(2));
  Value second = halfStyle ? arith::AddIOp::create(b, i, index(half))
                           : arith::AddIOp::create(b, first, index(1));
  Value cos =
      tensor::ExtractOp::create(b, cosTable, ValueRange{tableBatch, row, i});
  Value sin =
      tensor::ExtractOp::create(b, sinTable, ValueRange{tableBatch, row, i});
  Value x = memref::LoadOp::create(b, tile, ValueRange{tileRow, first});
  Value y = memref::LoadOp::create(b, tile, ValueRange{tileRow, second});
  Value newX = arith::AddFOp::create(
      b, arith::MulFOp::create(b, x, cos),
      arith::NegFOp::create(b, arith::MulFOp::create(b, y, sin)));
  Value newY = arith::AddFOp::create(b, arith::MulFOp::create(b, y, cos),
                                     arith::MulFOp::create(b, x, sin));
  memref::StoreOp::create(b, newX, tile, ValueRange{tileRow, first});
  memref::StoreOp::create(b, newY, tile, ValueRange{tileRow, second});
}

Value ProjectionKernelBuilder::buildSplitHeads(const Projection &p) {
  auto rotate = [&](Value batch, Value row, Value tileRow, Value tile) {
    rotateRow(batch, row, tileRow, tile);
  };
  return buildHeadTransfer(b, p.projected, p.init, /*toHeads=*/true, p.numHeads,
                           p.headDim, p.columnOffset, batches, numRows, vl,
                           p.rotate ? TileRowHook(rotate) : nullptr);
}

SmallVector<Value> ProjectionKernelBuilder::build() {
  batches = dim(op.getInput(), 0);
  numRows = dim(op.getInput(), 1);
  if (op.hasRope())
    buildAngleTables();
  Value projected = buildGemms();
  SmallVector<Value> results;
  int64_t columnOffset = 0;
  Value inits[] = {op.getQueryInit(), op.getKeyInit(), op.getValueInit()};
  for (auto [idx, init] : llvm::enumerate(inits)) {
    auto initType = cast<RankedTensorType>(init.getType());
    Projection p{init,
                 projected,
                 initType.getDimSize(1),
                 initType.getDimSize(3),
                 columnOffset,
                 op.hasRope() && idx < 2};
    results.push_back(buildSplitHeads(p));
    columnOffset += p.numHeads * p.headDim;
  }
  return results;
}

/// The linear layer of attn.out_proj over `merged` (its heads side by side).
LinearLayer getOutProjLayer(OutProjOp op, Value merged) {
  bool outIn = op.getWeightLayout() == WeightLayout::OutIn;
  LinearLayer layer;
  layer.input = merged;
  layer.weight = op.getWeight();
  layer.transposed = outIn;
  layer.numColumns = cast<RankedTensorType>(op.getWeight().getType())
                         .getDimSize(outIn ? 0 : 1);
  layer.bias = op.getBias();
  layer.destination = op.getInit();
  return layer;
}

/// Why the kernels cannot take `op`, or an empty string.
std::string getUnsupportedReason(OutProjOp op, int64_t vectorWidth) {
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  auto initType = cast<RankedTensorType>(op.getInit().getType());
  if (!inputType.getElementType().isF32() || !initType.getElementType().isF32())
    return "only f32 activations are supported so far";
  if (inputType.isDynamicDim(1) || inputType.isDynamicDim(3) ||
      initType.isDynamicDim(2))
    return "the head count, head dim and model dim must be static";
  // What the linear kernels need beyond this (f32 weights and bias) follows
  // from the verifier; a dynamic weight shape does not.
  if (!cast<RankedTensorType>(op.getWeight().getType()).hasStaticShape())
    return "the weight shape must be static";
  // As getLinearKernelUnsupportedReason says of the merged [B, S, H * Dv]
  // input: the dot-product kernel reads the last vector of H * Dv with a
  // mask, whose padding cannot be bf16.
  if (op.getWeightLayout() == WeightLayout::OutIn &&
      inputType.getDimSize(1) * inputType.getDimSize(3) % vectorWidth != 0 &&
      cast<RankedTensorType>(op.getWeight().getType())
          .getElementType()
          .isBF16())
    return "bf16 [out, in] weights need heads times head dim to be a "
           "multiple of the vector width";
  return "";
}

/// attn.out_proj: its heads merged side by side, `[B, S, H * Dv]`, by one
/// forall over (batch x head, block of rows), then one linear layer.
Value buildOutProj(OutProjOp op, const LinearKernelTarget &target,
                   OpBuilder &builder) {
  int64_t vectorWidth = target.vectorWidth;
  ImplicitLocOpBuilder b(op.getLoc(), builder);
  Value input = op.getInput();
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t heads = inputType.getDimSize(1), headDim = inputType.getDimSize(3);
  OpFoldResult batches = tensor::getMixedSize(b, b.getLoc(), input, 0);
  OpFoldResult rows = tensor::getMixedSize(b, b.getLoc(), input, 2);
  Value merged = tensor::EmptyOp::create(
      b, ArrayRef<OpFoldResult>{batches, rows, b.getIndexAttr(heads * headDim)},
      b.getF32Type());
  merged = buildHeadTransfer(
      b, input, merged, /*toHeads=*/false, heads, headDim, /*columnOffset=*/0,
      getValueOrCreateConstantIndexOp(b, b.getLoc(), batches),
      getValueOrCreateConstantIndexOp(b, b.getLoc(), rows), vectorWidth);
  return attnc::buildLinearKernel(b, b.getLoc(), getOutProjLayer(op, merged),
                                  target);
}

struct AttnProjectionCPUPass
    : public attn::impl::AttnProjectionCPUBase<AttnProjectionCPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (vectorWidth != 8 && vectorWidth != 16) {
      getOperation()->emitError("attn-projection-cpu: expected vector-width "
                                "8 or 16, got ")
          << vectorWidth.getValue();
      return signalPassFailure();
    }
    LinearKernelTarget target{vectorWidth, bf16Dot, amxBF16};
    replaceByKernels<QKVProjOp>(
        getOperation(), reportFallbacks,
        [&](QKVProjOp op) { return getUnsupportedReason(op, vectorWidth); },
        [&](QKVProjOp op, OpBuilder &builder) {
          return ProjectionKernelBuilder(op, target, builder).build();
        });
    replaceByKernels<OutProjOp>(
        getOperation(), reportFallbacks,
        [&](OutProjOp op) { return getUnsupportedReason(op, vectorWidth); },
        [&](OutProjOp op, OpBuilder &builder) {
          return SmallVector<Value>{buildOutProj(op, target, builder)};
        });
  }
};

} // namespace
