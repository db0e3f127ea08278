//===- ExpandBF16Truncation.cpp - f32 -> bf16 as integer arithmetic -------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_EXPANDBF16TRUNCATION
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

/// arith.truncf f32 -> bf16, rounding to nearest even on the bits:
///   b = bits(x); for a NaN, (b | quiet bit) & 0xffff0000
///   bf16 = bits((b + 0x7fff + ((b >> 16) & 1)) >> 16)
/// A NaN stays a NaN of its sign (nothing carries out of its cleared lower
/// half), and the only select is on the i32 bits before rounding.
struct ExpandTruncFToBF16 : OpRewritePattern<arith::TruncFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::TruncFOp op,
                                PatternRewriter &rewriter) const override {
    Type source = op.getIn().getType(), result = op.getType();
    if (!getElementTypeOrSelf(source).isF32() ||
        !getElementTypeOrSelf(result).isBF16() || op.getRoundingmodeAttr())
      return failure();
    auto like = [&](Type element) -> Type {
      if (auto vector = dyn_cast<VectorType>(source))
        return vector.clone(element);
      return element;
    };
    Type i32 = like(rewriter.getI32Type()), i16 = like(rewriter.getI16Type());
    Location loc = op.getLoc();
    auto constant = [&](int32_t value) -> Value {
      TypedAttr attr = rewriter.getI32IntegerAttr(value);
      if (auto vector = dyn_cast<VectorType>(i32))
        attr = DenseElementsAttr::get(vector, ArrayRef<Attribute>{attr});
      return arith::ConstantOp::create(rewriter, loc, attr);
    };
    Value x = op.getIn();
    Value bits = arith::BitcastOp::create(rewriter, loc, i32, x);
    Value isNaN =
        arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::UNO, x, x);
    // A NaN keeps its sign and upper payload, quiet, with its lower half
    // cleared so that the rounding below carries nothing into it.
    Value quietNaN = arith::AndIOp::create(
        rewriter, loc,
        arith::OrIOp::create(rewriter, loc, bits, constant(0x00400000)),
        constant(static_cast<int32_t>(0xffff0000u)));
    bits = arith::SelectOp::create(rewriter, loc, isNaN, quietNaN, bits);
    Value lsb = arith::AndIOp::create(
        rewriter, loc,
        arith::ShRUIOp::create(rewriter, loc, bits, constant(16)), constant(1));
    Value rounded = arith::AddIOp::create(
        rewriter, loc, bits,
        arith::AddIOp::create(rewriter, loc, lsb, constant(0x7fff)));
    Value high = arith::TruncIOp::create(
        rewriter, loc, i16,
        arith::ShRUIOp::create(rewriter, loc, rounded, constant(16)));
    rewriter.replaceOpWithNewOp<arith::BitcastOp>(op, result, high);
    return success();
  }
};

struct ExpandBF16TruncationPass
    : public attnc::impl::ExpandBF16TruncationBase<ExpandBF16TruncationPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandTruncFToBF16>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
