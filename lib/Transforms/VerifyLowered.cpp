//===- VerifyLowered.cpp - contract check of lowered modules ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_VERIFYLOWERED
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

/// Reporting stops after this many ops; the first ones say what is wrong.
constexpr int kMaxReported = 10;

struct VerifyLoweredPass
    : public attnc::impl::VerifyLoweredBase<VerifyLoweredPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    int numLeft = 0;
    module.walk([&](Operation *op) {
      if (op == module.getOperation() ||
          op->getName().getDialectNamespace() ==
              LLVM::LLVMDialect::getDialectNamespace())
        return WalkResult::advance();
      op->emitError("'") << op->getName()
                         << "' was not lowered to the LLVM dialect";
      return ++numLeft < kMaxReported ? WalkResult::advance()
                                      : WalkResult::interrupt();
    });
    if (numLeft > 0)
      signalPassFailure();
  }
};

} // namespace
