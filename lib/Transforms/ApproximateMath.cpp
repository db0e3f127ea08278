//===- ApproximateMath.cpp - polynomial math for vector code ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/IR/BuiltinTypes.h"
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
    // Scalars and vectors only: the upstream patterns treat any other
    // shaped type as a scalar and build invalid IR on tensors (an
    // `arith.cmpf` of a tensor and an f32), which stay for bufferization.
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<math::ExpOp, math::TanhOp>(op) &&
          !isa<TensorType>(op->getResult(0).getType()))
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == math::ExpOp::getOperationName() ||
             name == math::TanhOp::getOperationName();
    });
    // What the approximations create (tanh's exp among it) is rewritten
    // too.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    if (failed(applyOpPatternsGreedily(ops, std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
