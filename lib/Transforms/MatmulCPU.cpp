//===- MatmulCPU.cpp - vector kernels for linear layers ---------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Lowers the linalg.generic of a linear layer, out[b, s, n] += x[b, s, k] *
// w[k, n] (or w[n, k]), into register-tiled vector kernels:
//
//   scf.forall (b, block of Mr rows, block of Nb columns) {
//     tile[Mr, Nb] = out_init[b, rows, cols]            (bias or zeros)
//     tile += x[b, rows, :] * w[:, cols]                 in registers
//     out[b, rows, cols] = tile
//   }
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_MATMULCPU
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

/// Rows per tile, and output columns per tile.
constexpr int64_t kRows = 8;
constexpr int64_t kColumns = 64;
/// Weight rows per step of the dot-product ([out, in]) kernel.
constexpr int64_t kDotColumns = 2;

/// A linear layer recognised in a linalg.generic.
struct LinearLayer {
  Value input, weight, init;
  /// True for w[n, k] ([out, in]).
  bool transposed;
  int64_t reduction, outputs;
};

/// The multiply-accumulate `acc + a * b` (either order) of `body`.
bool isMultiplyAccumulate(Block &body) {
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (yield.getNumOperands() != 1 || body.getOperations().size() != 3)
    return false;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value acc = body.getArgument(2);
  Value product = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  if (add.getLhs() != acc && add.getRhs() != acc)
    return false;
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  Value a = body.getArgument(0), b = body.getArgument(1);
  return (mul.getLhs() == a && mul.getRhs() == b) ||
         (mul.getLhs() == b && mul.getRhs() == a);
}

std::optional<LinearLayer> matchLinear(linalg::GenericOp op,
                                       int64_t vectorWidth) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.getNumLoops() != 4 || !op.hasPureTensorSemantics())
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (iterators[3] != utils::IteratorType::reduction ||
      llvm::any_of(ArrayRef(iterators).take_front(3),
                   [](auto t) { return t != utils::IteratorType::parallel; }))
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  AffineExpr b, s, n, k;
  bindDims(ctx, b, s, n, k);
  auto map = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(4, 0, exprs, ctx);
  };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0] != map({b, s, k}) || maps[2] != map({b, s, n}))
    return std::nullopt;
  bool transposed;
  if (maps[1] == map({k, n}))
    transposed = false;
  else if (maps[1] == map({n, k}))
    transposed = true;
  else
    return std::nullopt;
  LinearLayer layer{op.getDpsInputs()[0],
                    op.getDpsInputs()[1],
                    op.getDpsInits()[0],
                    transposed,
                    0,
                    0};
  for (Value v : {layer.input, layer.weight, layer.init}) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || !type.getElementType().isF32())
      return std::nullopt;
  }
  auto weightType = cast<RankedTensorType>(layer.weight.getType());
  if (!weightType.hasStaticShape())
    return std::nullopt;
  layer.reduction = weightType.getDimSize(transposed ? 1 : 0);
  layer.outputs = weightType.getDimSize(transposed ? 0 : 1);
  if (layer.reduction % vectorWidth != 0 ||
      !isMultiplyAccumulate(*op.getBlock()))
    return std::nullopt;
  return layer;
}

class MatmulKernelBuilder {
public:
  MatmulKernelBuilder(const LinearLayer &layer, int64_t vectorWidth,
                      OpBuilder &builder, Location loc)
      : layer(layer), b(loc, builder), vl(vectorWidth),
        f32(builder.getF32Type()), vecType(VectorType::get({vl}, f32)) {}

  Value build();

private:
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value dim(Value tensor, int64_t idx) {
    return getValueOrCreateConstantIndexOp(
        b, b.getLoc(), tensor::getMixedSize(b, b.getLoc(), tensor, idx));
  }
  void buildRows(Value batch, ArrayRef<Value> rows, ArrayRef<Value> tileRows,
                 Value n0, Value tile);
  void buildRowsInOut(Value batch, ArrayRef<Value> rows,
                      ArrayRef<Value> tileRows, Value n0, Value tile);
  void buildRowsOutIn(Value batch, ArrayRef<Value> rows,
                      ArrayRef<Value> tileRows, Value n0, Value tile);

  LinearLayer layer;
  ImplicitLocOpBuilder b;
  int64_t vl;
  Type f32;
  VectorType vecType;
};

void MatmulKernelBuilder::buildRowsInOut(Value batch, ArrayRef<Value> rows,
                                         ArrayRef<Value> tileRows, Value n0,
                                         Value tile) {
  // Panels of two vectors of columns; columns past N read and write
  // padding that is never inserted.
  Value padding = arith::ConstantOp::create(b, b.getF32FloatAttr(0.0f));
  int64_t n = rows.size();
  // Whole column blocks need no bounds checks.
  bool inBounds = layer.outputs % kColumns == 0;
  auto panelLoop =
      scf::ForOp::create(b, index(0), index(kColumns), index(2 * vl));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(panelLoop.getBody());
  Value p = panelLoop.getInductionVar();
  Value col = arith::AddIOp::create(b, n0, p);
  Value cols[2] = {col, arith::AddIOp::create(b, col, index(vl))};
  SmallVector<Value> init;
  for (int64_t r = 0; r < n; ++r)
    for (Value c : cols)
      init.push_back(vector::TransferReadOp::create(
          b, vecType, layer.init, ValueRange{batch, rows[r], c}, padding,
          ArrayRef<bool>{inBounds}));
  auto kLoop = scf::ForOp::create(
      b, index(0), index(layer.reduction), index(1), init,
      [&](OpBuilder &nb, Location nl, Value k, ValueRange accs) {
        ImplicitLocOpBuilder lb(nl, nb);
        Value w[2];
        for (int c = 0; c < 2; ++c)
          w[c] = vector::TransferReadOp::create(lb, vecType, layer.weight,
                                                ValueRange{k, cols[c]}, padding,
                                                ArrayRef<bool>{inBounds});
        SmallVector<Value> next;
        for (int64_t r = 0; r < n; ++r) {
          Value x = vector::BroadcastOp::create(
              lb, vecType,
              tensor::ExtractOp::create(lb, layer.input,
                                        ValueRange{batch, rows[r], k}));
          for (int c = 0; c < 2; ++c)
            next.push_back(
                vector::FMAOp::create(lb, vecType, x, w[c], accs[2 * r + c]));
        }
        scf::YieldOp::create(lb, next);
      });
  for (int64_t r = 0; r < n; ++r)
    for (int c = 0; c < 2; ++c)
      vector::StoreOp::create(
          b, kLoop.getResult(2 * r + c), tile,
          ValueRange{tileRows[r], arith::AddIOp::create(b, p, index(c * vl))});
}

void MatmulKernelBuilder::buildRowsOutIn(Value batch, ArrayRef<Value> rows,
                                         ArrayRef<Value> tileRows, Value n0,
                                         Value tile) {
  // kDotColumns weight rows at a time; rows past N are clamped to the last
  // one and never inserted.
  Value padding = arith::ConstantOp::create(b, b.getF32FloatAttr(0.0f));
  Value zero = arith::ConstantOp::create(b, vecType,
                                         DenseElementsAttr::get(vecType, 0.0f));
  Value lastColumn = index(layer.outputs - 1);
  int64_t n = rows.size();
  auto columnLoop =
      scf::ForOp::create(b, index(0), index(kColumns), index(kDotColumns));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(columnLoop.getBody());
  Value c0 = columnLoop.getInductionVar();
  SmallVector<Value> weightRows, tileCols;
  for (int64_t c = 0; c < kDotColumns; ++c) {
    tileCols.push_back(arith::AddIOp::create(b, c0, index(c)));
    weightRows.push_back(arith::MinSIOp::create(
        b, arith::AddIOp::create(b, n0, tileCols.back()), lastColumn));
  }
  SmallVector<Value> init(n * kDotColumns, zero);
  auto kLoop = scf::ForOp::create(
      b, index(0), index(layer.reduction), index(vl), init,
      [&](OpBuilder &nb, Location nl, Value k, ValueRange accs) {
        ImplicitLocOpBuilder lb(nl, nb);
        SmallVector<Value> w;
        for (int64_t c = 0; c < kDotColumns; ++c)
          w.push_back(vector::TransferReadOp::create(
              lb, vecType, layer.weight, ValueRange{weightRows[c], k}, padding,
              ArrayRef<bool>{true}));
        SmallVector<Value> next;
        for (int64_t r = 0; r < n; ++r) {
          Value x = vector::TransferReadOp::create(
              lb, vecType, layer.input, ValueRange{batch, rows[r], k}, padding,
              ArrayRef<bool>{true});
          for (int64_t c = 0; c < kDotColumns; ++c)
            next.push_back(vector::FMAOp::create(lb, vecType, x, w[c],
                                                 accs[r * kDotColumns + c]));
        }
        scf::YieldOp::create(lb, next);
      });
  for (int64_t c = 0; c < kDotColumns; ++c)
    for (int64_t r = 0; r < n; ++r) {
      Value sum = vector::ReductionOp::create(
          b, vector::CombiningKind::ADD, kLoop.getResult(r * kDotColumns + c));
      Value initial = tensor::ExtractOp::create(
          b, layer.init, ValueRange{batch, rows[r], weightRows[c]});
      memref::StoreOp::create(b, arith::AddFOp::create(b, initial, sum), tile,
                              ValueRange{tileRows[r], tileCols[c]});
    }
}

void MatmulKernelBuilder::buildRows(Value batch, ArrayRef<Value> rows,
                                    ArrayRef<Value> tileRows, Value n0,
                                    Value tile) {
  if (layer.transposed)
    buildRowsOutIn(batch, rows, tileRows, n0, tile);
  else
    buildRowsInOut(batch, rows, tileRows, n0, tile);
}

Value MatmulKernelBuilder::build() {
  Value batches = dim(layer.init, 0);
  Value numRows = dim(layer.init, 1);
  Value rowBlocks = b.createOrFold<arith::CeilDivUIOp>(numRows, index(kRows));
  Value columnBlocks = index((layer.outputs + kColumns - 1) / kColumns);
  auto forall = scf::ForallOp::create(
      b, getAsOpFoldResult({batches, rowBlocks, columnBlocks}),
      ValueRange{layer.init}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  Value batch = body->getArgument(0);
  Value s0 = arith::MulIOp::create(b, body->getArgument(1), index(kRows));
  Value n0 = arith::MulIOp::create(b, body->getArgument(2), index(kColumns));
  Value rowsHere = arith::MinSIOp::create(
      b, index(kRows), arith::SubIOp::create(b, numRows, s0));
  Value colsHere = arith::MinSIOp::create(
      b, index(kColumns), arith::SubIOp::create(b, index(layer.outputs), n0));
  Value tile =
      memref::AllocaOp::create(b, MemRefType::get({kRows, kColumns}, f32));

  Value full = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, rowsHere,
                                     index(kRows));
  scf::IfOp::create(
      b, full,
      [&](OpBuilder &tb, Location) {
        OpBuilder::InsertionGuard thenGuard(b);
        b.setInsertionPoint(tb.getInsertionBlock(), tb.getInsertionPoint());
        SmallVector<Value> rows, tileRows;
        for (int64_t r = 0; r < kRows; ++r) {
          tileRows.push_back(index(r));
          rows.push_back(arith::AddIOp::create(b, s0, tileRows.back()));
        }
        buildRows(batch, rows, tileRows, n0, tile);
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
          buildRows(batch, {arith::AddIOp::create(b, s0, r)}, {r}, n0, tile);
        }
        scf::YieldOp::create(b);
      });

  Value tileTensor = bufferization::ToTensorOp::create(
      b, RankedTensorType::get({kRows, kColumns}, f32), tile,
      /*restrict=*/b.getUnitAttr());
  OpFoldResult one = b.getIndexAttr(1), zero = b.getIndexAttr(0);
  Value part = tensor::ExtractSliceOp::create(
      b, tileTensor, ArrayRef<OpFoldResult>{zero, zero},
      ArrayRef<OpFoldResult>{rowsHere, colsHere},
      ArrayRef<OpFoldResult>{one, one});
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(
      b, part, body->getArgument(3), ArrayRef<OpFoldResult>{batch, s0, n0},
      ArrayRef<OpFoldResult>{one, rowsHere, colsHere},
      ArrayRef<OpFoldResult>{one, one, one});
  return forall.getResult(0);
}

struct MatmulCPUPass : public attnc::impl::MatmulCPUBase<MatmulCPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (vectorWidth != 8 && vectorWidth != 16) {
      getOperation()->emitError("attnc-matmul-cpu: expected vector-width 8 "
                                "or 16, got ")
          << vectorWidth.getValue();
      return signalPassFailure();
    }
    SmallVector<std::pair<linalg::GenericOp, LinearLayer>> worklist;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (std::optional<LinearLayer> layer = matchLinear(op, vectorWidth))
        worklist.emplace_back(op, *layer);
    });
    OpBuilder builder(&getContext());
    for (auto &[op, layer] : worklist) {
      builder.setInsertionPoint(op);
      Value result =
          MatmulKernelBuilder(layer, vectorWidth, builder, op.getLoc()).build();
      op.getResult(0).replaceAllUsesWith(result);
      op.erase();
    }
  }
};

} // namespace
