//===- ApproximateMath.cpp - polynomial math for vector code ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

struct ApproximateMathPass
    : public attnc::impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == math::ExpOp::getOperationName() ||
             name == math::TanhOp::getOperationName();
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
