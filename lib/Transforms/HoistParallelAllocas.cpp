//===- HoistParallelAllocas.cpp - per-thread scratch buffers ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_HOISTPARALLELALLOCAS
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

struct HoistParallelAllocasPass
    : public attnc::impl::HoistParallelAllocasBase<HoistParallelAllocasPass> {
  void runOnOperation() override {
    getOperation()->walk([](omp::ParallelOp parallel) {
      Block &entry = parallel.getRegion().front();
      SmallVector<memref::AllocaOp> allocas;
      parallel.getRegion().walk([&](memref::AllocaOp alloca) {
        // Static scratch buffers only: nothing they depend on changes.
        if (alloca->getParentOp() != parallel &&
            alloca.getType().hasStaticShape() && alloca->getNumOperands() == 0)
          allocas.push_back(alloca);
      });
      for (memref::AllocaOp alloca : allocas)
        alloca->moveBefore(&entry, entry.begin());
    });
    // alloca_scope ops that no longer hold an alloca are inlined by their
    // canonicalization.
    RewritePatternSet patterns(&getContext());
    memref::AllocaScopeOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
