//===- FuseRope.cpp - RoPE into the QKV projection epilogue -----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"

#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFUSEROPE
#include "attnc/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

struct FuseRopeIntoProjection : public OpRewritePattern<RopeOp> {
  FuseRopeIntoProjection(MLIRContext *ctx, DominanceInfo &dominance)
      : OpRewritePattern(ctx), dominance(dominance) {}

  LogicalResult matchAndRewrite(RopeOp rope,
                                PatternRewriter &rewriter) const override {
    auto proj = rope.getQuery().getDefiningOp<QKVProjOp>();
    if (!proj || proj.hasRope())
      return rewriter.notifyMatchFailure(rope, "queries not from a "
                                               "projection without RoPE");
    if (rope.getQuery() != proj.getQuery() || rope.getKey() != proj.getKey())
      return rewriter.notifyMatchFailure(rope, "keys from another op");
    if (!proj.getQuery().hasOneUse() || !proj.getKey().hasOneUse())
      return rewriter.notifyMatchFailure(rope, "unrotated values are used");
    // The fused op replaces the projection, so the positions must exist
    // there already.
    if (!dominance.properlyDominates(rope.getPositions(), proj))
      return rewriter.notifyMatchFailure(rope, "positions defined after the "
                                               "projection");

    rewriter.setInsertionPoint(proj);
    auto fused = QKVProjOp::create(
        rewriter, rope.getLoc(), proj.getResultTypes(), proj.getInput(),
        proj.getWeights(), proj.getBiases(), proj.getQueryInit(),
        proj.getKeyInit(), proj.getValueInit(), rope.getPositions(),
        proj.getWeightLayoutAttr(), rope.getStyleAttr(), rope.getThetaAttr(),
        rope.getRotaryDimAttr(), rope.getRopeScalingAttr(),
        rope.getRopeScalingParamsAttr());
    rewriter.replaceOp(rope, {fused.getQuery(), fused.getKey()});
    rewriter.replaceAllUsesWith(proj.getValue(), fused.getValue());
    rewriter.eraseOp(proj);
    return success();
  }

  DominanceInfo &dominance;
};

struct AttnFuseRopePass
    : public attn::impl::AttnFuseRopeBase<AttnFuseRopePass> {
  void runOnOperation() override {
    DominanceInfo &dominance = getAnalysis<DominanceInfo>();
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseRopeIntoProjection>(&getContext(), dominance);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
