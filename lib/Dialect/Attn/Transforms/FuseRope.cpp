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

/// Why `rope` cannot fold into the projection of its queries and keys, or
/// an empty string.
std::string getUnfusableReason(RopeOp rope, DominanceInfo &dominance) {
  auto proj = rope.getQuery().getDefiningOp<QKVProjOp>();
  if (!proj || proj.hasRope())
    return "queries not from a projection without RoPE";
  if (rope.getQuery() != proj.getQuery() || rope.getKey() != proj.getKey())
    return "keys from another op";
  if (!proj.getQuery().hasOneUse() || !proj.getKey().hasOneUse())
    return "unrotated values are used";
  // The fused op replaces the projection, so the positions must exist
  // there already.
  if (!dominance.properlyDominates(rope.getPositions(), proj))
    return "positions defined after the projection";
  return "";
}

struct FuseRopeIntoProjection : public OpRewritePattern<RopeOp> {
  FuseRopeIntoProjection(MLIRContext *ctx, DominanceInfo &dominance)
      : OpRewritePattern(ctx), dominance(dominance) {}

  LogicalResult matchAndRewrite(RopeOp rope,
                                PatternRewriter &rewriter) const override {
    std::string reason = getUnfusableReason(rope, dominance);
    if (!reason.empty())
      return rewriter.notifyMatchFailure(rope, reason);
    auto proj = rope.getQuery().getDefiningOp<QKVProjOp>();

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
  using Base::Base;

  void runOnOperation() override {
    DominanceInfo &dominance = getAnalysis<DominanceInfo>();
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseRopeIntoProjection>(&getContext(), dominance);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // A rope left alone takes the reference lowering (no CPU kernel rotates
    // Q and K outside a projection).
    if (reportFallbacks) {
      DominanceInfo after(getOperation());
      getOperation()->walk([&](RopeOp rope) {
        emitRemark(rope.getLoc())
            << rope->getName()
            << " takes the reference lowering: it does not fold into a "
               "projection ("
            << getUnfusableReason(rope, after) << ")";
      });
    }
  }
};

} // namespace
