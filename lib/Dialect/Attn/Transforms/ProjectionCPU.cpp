//===- ProjectionCPU.cpp - vector GEMM kernels for attn.qkv_proj -*- C++ -*-=//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Lowers attn.qkv_proj into one register-tiled GEMM per projection, written
// with vector ops sized for the target's registers:
//
//   cos, sin = angles(positions)              [B|1, S, R/2], once per call
//   for p in (Q, K, V):
//     scf.forall (b * H + h, block of Mr rows) {
//       tile[Mr, D] = X[b, rows, :] * W[:, columns of head h] (+ bias)
//       rotate tile rows (Q and K with a RoPE epilogue)
//       out_p[b, h, rows, :] = tile
//     }
//
// Two micro-kernels, one per weight layout, both accumulate in vector
// registers over the whole model dim and never copy the weights:
// - in_out `[Dm, N]`: per k, two vectors of weight columns times the
//   broadcast X[r, k] of every row (2 * Mr FMAs per 2 + Mr loads);
// - out_in `[N, Dm]`: per chunk of Dm, Mr input vectors times two weight
//   rows (dot products, 2 * Mr FMAs per Mr + 2 loads), reduced across lanes
//   once per tile.
// A block of fewer than Mr rows (the end of the sequence, or a decode step)
// runs the one-row variant per row rather than computing padding rows.
//
//===----------------------------------------------------------------------===//

#include "KernelRewrite.h"
#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNPROJECTIONCPU
#include "attnc/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Register tiling of the kernels.
struct ProjectionTiling {
  /// Rows per tile.
  int64_t blockM;
  /// f32 lanes per vector.
  int64_t vectorWidth;
};

/// Weight rows (out_in) per step of the dot-product kernel.
constexpr int64_t kDotColumns = 2;

/// Why the kernels cannot take `op`, or an empty string.
std::string getUnsupportedReason(QKVProjOp op, const ProjectionTiling &tiling) {
  SmallVector<Value> operands = {op.getInput(), op.getQueryInit(),
                                 op.getKeyInit(), op.getValueInit()};
  llvm::append_range(operands, op.getWeights());
  llvm::append_range(operands, op.getBiases());
  for (Value v : operands)
    if (!cast<RankedTensorType>(v.getType()).getElementType().isF32())
      return "only f32 is supported so far";
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  if (inputType.isDynamicDim(2))
    return "the model dim must be static";
  for (Value init : {op.getQueryInit(), op.getKeyInit(), op.getValueInit()})
    if (cast<RankedTensorType>(init.getType()).getDimSize(3) %
            tiling.vectorWidth !=
        0)
      return "head dims must be multiples of the vector width";
  if (op.getWeightLayout() == WeightLayout::OutIn &&
      inputType.getDimSize(2) % tiling.vectorWidth != 0)
    return "with out_in weights the model dim must be a multiple of the "
           "vector width";
  return "";
}

/// Emits the kernels of one attn.qkv_proj.
class ProjectionKernelBuilder {
public:
  ProjectionKernelBuilder(QKVProjOp op, const ProjectionTiling &tiling,
                          OpBuilder &builder)
      : op(op), b(op.getLoc(), builder), mr(tiling.blockM),
        vl(tiling.vectorWidth), f32(builder.getF32Type()),
        vecType(VectorType::get({tiling.vectorWidth}, f32)) {
    modelDim = cast<RankedTensorType>(op.getInput().getType()).getDimSize(2);
  }

  SmallVector<Value> build();

private:
  /// One projection: its init, weight, bias and first weight column.
  struct Projection {
    Value init, weight, bias;
    int64_t numHeads, headDim, columnOffset;
    bool rotate;
  };

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value f32Const(float v) {
    return arith::ConstantOp::create(b, b.getF32FloatAttr(v));
  }
  Value dim(Value tensor, int64_t idx) {
    return getValueOrCreateConstantIndexOp(
        b, b.getLoc(), tensor::getMixedSize(b, b.getLoc(), tensor, idx));
  }

  void buildAngleTables();
  Value buildProjection(const Projection &p);
  void buildRows(const Projection &p, Value batch, Value column,
                 ArrayRef<Value> rows, ArrayRef<Value> tileRows, Value tile);
  void buildRowsInOut(const Projection &p, Value batch, Value column,
                      ArrayRef<Value> rows, ArrayRef<Value> tileRows,
                      Value tile);
  void buildRowsOutIn(const Projection &p, Value batch, Value column,
                      ArrayRef<Value> rows, ArrayRef<Value> tileRows,
                      Value tile);
  void rotateRow(const Projection &p, Value batch, Value row, Value tileRow,
                 Value tile);

  QKVProjOp op;
  ImplicitLocOpBuilder b;
  int64_t mr, vl, modelDim;
  Type f32;
  VectorType vecType;

  // Shared by the three projections.
  Value numRows, cosTable, sinTable;
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
        auto constant = [&](float v) {
          return arith::ConstantOp::create(lb, lb.getF32FloatAttr(v));
        };
        Value pair = arith::UIToFPOp::create(
            lb, f32,
            arith::IndexCastUIOp::create(lb, lb.getI32Type(),
                                         linalg::IndexOp::create(lb, 2)));
        Value exponent = arith::DivFOp::create(
            lb, arith::MulFOp::create(lb, pair, constant(2.0f)),
            constant(static_cast<float>(rotaryDim)));
        Value invFreq = arith::DivFOp::create(
            lb, constant(1.0f),
            math::PowFOp::create(lb, constant(theta), exponent));
        Value angle = arith::MulFOp::create(
            lb, arith::SIToFPOp::create(lb, f32, args[0]), invFreq);
        linalg::YieldOp::create(lb, ValueRange{math::CosOp::create(lb, angle),
                                               math::SinOp::create(lb, angle)});
      });
  cosTable = tables.getResult(0);
  sinTable = tables.getResult(1);
}

void ProjectionKernelBuilder::buildRowsInOut(const Projection &p, Value batch,
                                             Value column, ArrayRef<Value> rows,
                                             ArrayRef<Value> tileRows,
                                             Value tile) {
  // Panels of `width` vectors of columns; each row keeps `width`
  // accumulators across the whole model dim.
  int64_t width = p.headDim % (2 * vl) == 0 ? 2 : 1;
  int64_t numRowsHere = rows.size();
  Value padding = f32Const(0.0f);
  Value zero = arith::ConstantOp::create(b, vecType,
                                         DenseElementsAttr::get(vecType, 0.0f));
  auto panelLoop =
      scf::ForOp::create(b, index(0), index(p.headDim), index(width * vl));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(panelLoop.getBody());
  Value d0 = panelLoop.getInductionVar();
  Value col = arith::AddIOp::create(b, column, d0);
  SmallVector<Value> colAt;
  for (int64_t c = 0; c < width; ++c)
    colAt.push_back(arith::AddIOp::create(b, col, index(c * vl)));

  SmallVector<Value> init;
  for (int64_t r = 0; r < numRowsHere; ++r)
    for (int64_t c = 0; c < width; ++c)
      init.push_back(
          p.bias ? vector::TransferReadOp::create(b, vecType, p.bias, colAt[c],
                                                  padding, ArrayRef<bool>{true})
                       .getResult()
                 : zero);
  auto kLoop = scf::ForOp::create(
      b, index(0), index(modelDim), index(1), init,
      [&](OpBuilder &nb, Location nl, Value k, ValueRange accs) {
        ImplicitLocOpBuilder lb(nl, nb);
        SmallVector<Value> w;
        for (int64_t c = 0; c < width; ++c)
          w.push_back(vector::TransferReadOp::create(
              lb, vecType, p.weight, ValueRange{k, colAt[c]}, padding,
              ArrayRef<bool>{true}));
        SmallVector<Value> next;
        for (int64_t r = 0; r < numRowsHere; ++r) {
          Value x = tensor::ExtractOp::create(lb, op.getInput(),
                                              ValueRange{batch, rows[r], k});
          Value xv = vector::BroadcastOp::create(lb, vecType, x);
          for (int64_t c = 0; c < width; ++c)
            next.push_back(vector::FMAOp::create(lb, vecType, xv, w[c],
                                                 accs[r * width + c]));
        }
        scf::YieldOp::create(lb, next);
      });
  for (int64_t r = 0; r < numRowsHere; ++r)
    for (int64_t c = 0; c < width; ++c)
      vector::StoreOp::create(
          b, kLoop.getResult(r * width + c), tile,
          ValueRange{tileRows[r], arith::AddIOp::create(b, d0, index(c * vl))});
}

void ProjectionKernelBuilder::buildRowsOutIn(const Projection &p, Value batch,
                                             Value column, ArrayRef<Value> rows,
                                             ArrayRef<Value> tileRows,
                                             Value tile) {
  // kDotColumns weight rows at a time; each (row, column) pair keeps one
  // vector of partial dot products across the model dim.
  int64_t numRowsHere = rows.size();
  Value padding = f32Const(0.0f);
  Value zero = arith::ConstantOp::create(b, vecType,
                                         DenseElementsAttr::get(vecType, 0.0f));
  auto columnLoop =
      scf::ForOp::create(b, index(0), index(p.headDim), index(kDotColumns));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(columnLoop.getBody());
  Value d0 = columnLoop.getInductionVar();
  SmallVector<Value> weightRows;
  for (int64_t c = 0; c < kDotColumns; ++c)
    weightRows.push_back(arith::AddIOp::create(
        b, arith::AddIOp::create(b, column, d0), index(c)));

  SmallVector<Value> init(numRowsHere * kDotColumns, zero);
  auto kLoop = scf::ForOp::create(
      b, index(0), index(modelDim), index(vl), init,
      [&](OpBuilder &nb, Location nl, Value k, ValueRange accs) {
        ImplicitLocOpBuilder lb(nl, nb);
        SmallVector<Value> w;
        for (int64_t c = 0; c < kDotColumns; ++c)
          w.push_back(vector::TransferReadOp::create(
              lb, vecType, p.weight, ValueRange{weightRows[c], k}, padding,
              ArrayRef<bool>{true}));
        SmallVector<Value> next;
        for (int64_t r = 0; r < numRowsHere; ++r) {
          Value x = vector::TransferReadOp::create(
              lb, vecType, op.getInput(), ValueRange{batch, rows[r], k},
              padding, ArrayRef<bool>{true});
          for (int64_t c = 0; c < kDotColumns; ++c)
            next.push_back(vector::FMAOp::create(lb, vecType, x, w[c],
                                                 accs[r * kDotColumns + c]));
        }
        scf::YieldOp::create(lb, next);
      });
  for (int64_t c = 0; c < kDotColumns; ++c) {
    Value bias =
        p.bias ? tensor::ExtractOp::create(b, p.bias, weightRows[c]).getResult()
               : Value();
    for (int64_t r = 0; r < numRowsHere; ++r) {
      Value sum = vector::ReductionOp::create(
          b, vector::CombiningKind::ADD, kLoop.getResult(r * kDotColumns + c));
      if (bias)
        sum = arith::AddFOp::create(b, bias, sum);
      memref::StoreOp::create(
          b, sum, tile,
          ValueRange{tileRows[r], arith::AddIOp::create(b, d0, index(c))});
    }
  }
}

void ProjectionKernelBuilder::buildRows(const Projection &p, Value batch,
                                        Value column, ArrayRef<Value> rows,
                                        ArrayRef<Value> tileRows, Value tile) {
  if (op.getWeightLayout() == WeightLayout::OutIn)
    buildRowsOutIn(p, batch, column, rows, tileRows, tile);
  else
    buildRowsInOut(p, batch, column, rows, tileRows, tile);
}

void ProjectionKernelBuilder::rotateRow(const Projection &p, Value batch,
                                        Value row, Value tileRow, Value tile) {
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

Value ProjectionKernelBuilder::buildProjection(const Projection &p) {
  Value batchHeads =
      b.createOrFold<arith::MulIOp>(dim(p.init, 0), index(p.numHeads));
  Value rowBlocks = b.createOrFold<arith::CeilDivUIOp>(numRows, index(mr));
  auto forall =
      scf::ForallOp::create(b, getAsOpFoldResult({batchHeads, rowBlocks}),
                            ValueRange{p.init}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  Value bh = body->getArgument(0);
  Value batch = arith::DivUIOp::create(b, bh, index(p.numHeads));
  Value head = arith::RemUIOp::create(b, bh, index(p.numHeads));
  Value s0 = arith::MulIOp::create(b, body->getArgument(1), index(mr));
  Value rowsHere = arith::MinSIOp::create(
      b, index(mr), arith::SubIOp::create(b, numRows, s0));
  Value column =
      arith::AddIOp::create(b, index(p.columnOffset),
                            arith::MulIOp::create(b, head, index(p.headDim)));
  Value tile =
      memref::AllocaOp::create(b, MemRefType::get({mr, p.headDim}, f32));

  // A full block runs the Mr-row kernel; a short one runs one row at a time.
  Value full =
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, rowsHere, index(mr));
  scf::IfOp::create(
      b, full,
      [&](OpBuilder &tb, Location) {
        OpBuilder::InsertionGuard thenGuard(b);
        b.setInsertionPoint(tb.getInsertionBlock(), tb.getInsertionPoint());
        SmallVector<Value> rows, tileRows;
        for (int64_t r = 0; r < mr; ++r) {
          tileRows.push_back(index(r));
          rows.push_back(arith::AddIOp::create(b, s0, tileRows.back()));
        }
        buildRows(p, batch, column, rows, tileRows, tile);
        scf::YieldOp::create(b);
      },
      [&](OpBuilder &eb, Location) {
        OpBuilder::InsertionGuard elseGuard(b);
        b.setInsertionPoint(eb.getInsertionBlock(), eb.getInsertionPoint());
        auto rowLoop = scf::ForOp::create(b, index(0), rowsHere, index(1));
        {
          OpBuilder::InsertionGuard loopGuard(b);
          b.setInsertionPointToStart(rowLoop.getBody());
          Value r = rowLoop.getInductionVar();
          buildRows(p, batch, column, {arith::AddIOp::create(b, s0, r)}, {r},
                    tile);
        }
        scf::YieldOp::create(b);
      });

  if (p.rotate) {
    auto rowLoop = scf::ForOp::create(b, index(0), rowsHere, index(1));
    OpBuilder::InsertionGuard loopGuard(b);
    b.setInsertionPointToStart(rowLoop.getBody());
    Value r = rowLoop.getInductionVar();
    rotateRow(p, batch, arith::AddIOp::create(b, s0, r), r, tile);
  }

  Value tileTensor = bufferization::ToTensorOp::create(
      b, RankedTensorType::get({mr, p.headDim}, f32), tile,
      /*restrict=*/b.getUnitAttr());
  OpFoldResult one = b.getIndexAttr(1), zero = b.getIndexAttr(0);
  Value rowsTile = tensor::ExtractSliceOp::create(
      b, tileTensor, ArrayRef<OpFoldResult>{zero, zero},
      ArrayRef<OpFoldResult>{rowsHere, b.getIndexAttr(p.headDim)},
      ArrayRef<OpFoldResult>{one, one});
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(
      b, rowsTile, body->getArgument(2),
      ArrayRef<OpFoldResult>{batch, head, s0, zero},
      ArrayRef<OpFoldResult>{one, one, rowsHere, b.getIndexAttr(p.headDim)},
      ArrayRef<OpFoldResult>{one, one, one, one});
  return forall.getResult(0);
}

SmallVector<Value> ProjectionKernelBuilder::build() {
  numRows = dim(op.getInput(), 1);
  if (op.hasRope())
    buildAngleTables();
  SmallVector<Value> results;
  int64_t columnOffset = 0;
  Value inits[] = {op.getQueryInit(), op.getKeyInit(), op.getValueInit()};
  for (auto [idx, init] : llvm::enumerate(inits)) {
    auto initType = cast<RankedTensorType>(init.getType());
    unsigned operand = op.isFused() ? 0 : idx;
    if (!op.isFused())
      columnOffset = 0;
    Projection p{init,
                 op.getWeights()[operand],
                 op.hasBias() ? op.getBiases()[operand] : Value(),
                 initType.getDimSize(1),
                 initType.getDimSize(3),
                 columnOffset,
                 op.hasRope() && idx < 2};
    results.push_back(buildProjection(p));
    columnOffset += p.numHeads * p.headDim;
  }
  return results;
}

struct AttnProjectionCPUPass
    : public attn::impl::AttnProjectionCPUBase<AttnProjectionCPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockM <= 0 || (vectorWidth != 8 && vectorWidth != 16)) {
      getOperation()->emitError("attn-projection-cpu: expected block-m > 0 "
                                "and vector-width 8 or 16, got ")
          << blockM.getValue() << " and " << vectorWidth.getValue();
      return signalPassFailure();
    }
    ProjectionTiling tiling{blockM, vectorWidth};
    replaceByKernels<QKVProjOp>(
        getOperation(),
        [&](QKVProjOp op) { return getUnsupportedReason(op, tiling).empty(); },
        [&](QKVProjOp op, OpBuilder &builder) {
          return ProjectionKernelBuilder(op, tiling, builder).build();
        });
  }
};

} // namespace
