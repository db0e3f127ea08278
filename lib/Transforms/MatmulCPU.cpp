//===- MatmulCPU.cpp - vector kernels for linear layers ---------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Recognises the linalg.generic of a linear layer, out[b, s, n] += x[b, s, k]
// * w[k, n] (or w[n, k]), and emits it through the shared linear kernels
// (LinearKernels.h). An initial value that only broadcasts a bias vector is
// read as that vector, and one that is zero-filled is not read at all, so
// neither the broadcast nor the fill is ever materialised (a prefill's fill
// would be a serial memset of the whole output that the kernel then reads
// back).
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/LinearKernels.h"
#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_MATMULCPU
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;
using namespace mlir::attnc;

namespace {

/// The multiply-accumulate `acc + x * w` (either order) of `body`, where
/// `w` may be widened from f16/bf16 first (`arith.extf`): weights read in
/// their stored type.
bool isMultiplyAccumulate(Block &body) {
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (yield.getNumOperands() != 1)
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
  Value x = body.getArgument(0), w = body.getArgument(1);
  size_t expectedOps = 3;
  auto isWeight = [&](Value v) {
    if (v == w)
      return true;
    auto ext = v.getDefiningOp<arith::ExtFOp>();
    if (!ext || ext.getIn() != w)
      return false;
    expectedOps = 4;
    return true;
  };
  bool matched = (mul.getLhs() == x && isWeight(mul.getRhs())) ||
                 (mul.getRhs() == x && isWeight(mul.getLhs()));
  return matched && body.getOperations().size() == expectedOps;
}

/// The `[N]` vector that `init` broadcasts along (b, s), if it is such a
/// broadcast.
Value getBroadcastBias(Value init) {
  auto generic = init.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 || !generic.hasPureTensorSemantics())
    return Value();
  Value bias = generic.getDpsInputs()[0];
  auto biasType = dyn_cast<RankedTensorType>(bias.getType());
  MLIRContext *ctx = generic.getContext();
  AffineExpr b, s, n;
  bindDims(ctx, b, s, n);
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  Block *body = generic.getBlock();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (!biasType || biasType.getRank() != 1 ||
      maps[0] != AffineMap::get(3, 0, n, ctx) || !maps[1].isIdentity() ||
      body->getOperations().size() != 1 ||
      yield.getOperand(0) != body->getArgument(0))
    return Value();
  return bias;
}

/// The tensor that `init` fills with +0.0 (`linalg.fill`), if it is such a
/// fill.
Value getZeroFilled(Value init) {
  auto fill = init.getDefiningOp<linalg::FillOp>();
  if (!fill || !fill.hasPureTensorSemantics() ||
      !matchPattern(fill.value(), m_PosZeroFloat()))
    return Value();
  return fill.output();
}

/// The linear layer of `op`, or nullopt, whether or not the kernels cover
/// it. `destination` is left unset.
std::optional<LinearLayer> matchLinear(linalg::GenericOp op) {
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
  if (maps[0] != map({b, s, k}) || maps[2] != map({b, s, n}) ||
      !isMultiplyAccumulate(*op.getBlock()))
    return std::nullopt;
  LinearLayer layer;
  if (maps[1] == map({k, n}))
    layer.transposed = false;
  else if (maps[1] == map({n, k}))
    layer.transposed = true;
  else
    return std::nullopt;
  layer.input = op.getDpsInputs()[0];
  layer.weight = op.getDpsInputs()[1];
  Value init = op.getDpsInits()[0];
  auto weightType = dyn_cast<RankedTensorType>(layer.weight.getType());
  if (!weightType || !weightType.hasStaticShape() ||
      !isa<RankedTensorType>(init.getType()))
    return std::nullopt;
  layer.numColumns = weightType.getDimSize(layer.transposed ? 0 : 1);
  // With neither, the products start from zero.
  if (Value bias = getBroadcastBias(init))
    layer.bias = bias;
  else if (!getZeroFilled(init))
    layer.accumulator = init;
  return layer;
}

/// Why the kernels cannot take the linear layer `layer` of `op`, or an
/// empty string.
std::string getUnsupportedReason(linalg::GenericOp op,
                                 const LinearLayer &layer,
                                 int64_t vectorWidth) {
  std::string reason = getLinearKernelUnsupportedReason(layer, vectorWidth);
  if (!reason.empty())
    return reason;
  // Shape mismatches the verifier lets through (dynamic output dims) are
  // left to the loops.
  if (cast<RankedTensorType>(op.getDpsInits()[0].getType()).getDimSize(2) !=
      layer.numColumns)
    return "the output's last dim must equal the weight's output dim";
  return "";
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
      std::optional<LinearLayer> layer = matchLinear(op);
      if (!layer)
        return;
      std::string reason = getUnsupportedReason(op, *layer, vectorWidth);
      if (reason.empty())
        worklist.emplace_back(op, *layer);
      else if (reportFallbacks)
        emitRemark(op.getLoc())
            << "linear layer takes the loop lowering: " << reason;
    });
    // Layers of one input (an MLP's gate and up) become one kernel writing
    // both results side by side: a decode step forks once for all of them,
    // and a prefill packs the input once.
    DominanceInfo dominance(getOperation());
    SmallVector<SmallVector<std::pair<linalg::GenericOp, LinearLayer>>> groups;
    for (auto &entry : worklist) {
      auto *group = llvm::find_if(groups, [&](auto &group) {
        return canJoin(dominance, group.front().first, entry.first,
                       group.front().second, entry.second);
      });
      if (group == groups.end())
        groups.emplace_back().push_back(entry);
      else
        group->push_back(entry);
    }
    OpBuilder builder(&getContext());
    for (auto &group : groups) {
      if (group.size() == 1)
        buildOne(builder, group.front().first, group.front().second);
      else
        buildGroup(builder, group);
    }
  }

  /// Whether `op` (with `layer`) can join the group of `first` (with
  /// `firstLayer`): the same input, in the same block, and every value it
  /// reads defined before `first`, where the group's kernel is built.
  static bool canJoin(DominanceInfo &dominance, linalg::GenericOp first,
                      linalg::GenericOp op, const LinearLayer &firstLayer,
                      const LinearLayer &layer) {
    if (layer.input != firstLayer.input || op->getBlock() != first->getBlock())
      return false;
    return llvm::all_of(
        ArrayRef<Value>{layer.weight, layer.bias, layer.accumulator},
        [&](Value v) { return !v || dominance.properlyDominates(v, first); });
  }

  /// The `[B, S, columns]` sizes of `op`'s result, the dynamic ones read
  /// from the input.
  static SmallVector<OpFoldResult> getResultSizes(OpBuilder &builder,
                                                  linalg::GenericOp op,
                                                  const LinearLayer &layer,
                                                  int64_t columns) {
    auto type = cast<RankedTensorType>(op.getResult(0).getType());
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < 2; ++d)
      sizes.push_back(
          type.isDynamicDim(d)
              ? tensor::getMixedSize(builder, op.getLoc(), layer.input, d)
              : builder.getIndexAttr(type.getDimSize(d)));
    sizes.push_back(builder.getIndexAttr(columns));
    return sizes;
  }

  void buildOne(OpBuilder &builder, linalg::GenericOp op, LinearLayer layer) {
    builder.setInsertionPoint(op);
    Value init = op.getDpsInits()[0];
    // With the bias read directly, the broadcast is dead: write into a
    // fresh tensor instead, sized from the input, not from the broadcast.
    // A zero fill is dead too: write into the tensor it filled.
    if (Value filled = getZeroFilled(init)) {
      layer.destination = filled;
    } else if (layer.bias) {
      layer.destination = tensor::EmptyOp::create(
          builder, op.getLoc(),
          getResultSizes(builder, op, layer, layer.numColumns),
          builder.getF32Type());
    } else {
      layer.destination = init;
    }
    Value result = buildLinearKernel(builder, op.getLoc(), layer,
                                     {vectorWidth, bf16Dot, amxBF16});
    op.getResult(0).replaceAllUsesWith(result);
    op.erase();
  }

  /// The layers of `group` as one kernel at the first one, into a fresh
  /// `[B, S, sum of columns]` tensor; each op's result becomes its slice.
  void
  buildGroup(OpBuilder &builder,
             MutableArrayRef<std::pair<linalg::GenericOp, LinearLayer>> group) {
    linalg::GenericOp first = group.front().first;
    Location loc = first.getLoc();
    builder.setInsertionPoint(first);
    int64_t columns = 0;
    SmallVector<LinearLayer> layers;
    for (auto &[op, layer] : group) {
      layer.destinationColumnOffset = columns;
      columns += layer.numColumns;
      layers.push_back(layer);
    }
    Value destination = tensor::EmptyOp::create(
        builder, loc,
        getResultSizes(builder, first, group.front().second, columns),
        builder.getF32Type());
    layers.front().destination = destination;
    Value result = buildLinearKernels(builder, loc, layers,
                                      {vectorWidth, bf16Dot, amxBF16});
    builder.setInsertionPointAfterValue(result);
    for (auto &[op, layer] : group) {
      SmallVector<OpFoldResult> offsets(2, builder.getIndexAttr(0));
      offsets.push_back(builder.getIndexAttr(layer.destinationColumnOffset));
      SmallVector<OpFoldResult> strides(3, builder.getIndexAttr(1));
      Value slice = tensor::ExtractSliceOp::create(
          builder, op.getLoc(),
          cast<RankedTensorType>(op.getResult(0).getType()), result, offsets,
          getResultSizes(builder, op, layer, layer.numColumns), strides);
      op.getResult(0).replaceAllUsesWith(slice);
    }
    for (auto &entry : group)
      entry.first.erase();
  }
};

} // namespace
