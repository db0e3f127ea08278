//===- HoistParallelAllocas.cpp - per-thread scratch buffers ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_HOISTPARALLELALLOCAS
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

/// Where a static alloca inside a loop goes: the entry block of the nearest
/// enclosing omp.parallel (each thread runs it once) or function. Null when
/// the alloca already runs once per entry of that region (it is in no loop
/// below it).
Block *getHoistTarget(memref::AllocaOp alloca) {
  for (Operation *parent = alloca->getParentOp(); parent;
       parent = parent->getParentOp()) {
    if (auto parallel = dyn_cast<omp::ParallelOp>(parent))
      return alloca->getParentOp() == parallel ? nullptr
                                               : &parallel.getRegion().front();
    if (auto function = dyn_cast<FunctionOpInterface>(parent)) {
      // Sequential code (threads=0): only allocas in loops grow the stack.
      auto loop = alloca->getParentOfType<LoopLikeOpInterface>();
      if (!loop || !function->isProperAncestor(loop) ||
          function.isExternal())
        return nullptr;
      return &function.getFunctionBody().front();
    }
  }
  return nullptr;
}

struct HoistParallelAllocasPass
    : public attnc::impl::HoistParallelAllocasBase<HoistParallelAllocasPass> {
  void runOnOperation() override {
    SmallVector<std::pair<memref::AllocaOp, Block *>> moves;
    getOperation()->walk([&](memref::AllocaOp alloca) {
      // Static scratch buffers only: nothing they depend on changes.
      if (!alloca.getType().hasStaticShape() || alloca->getNumOperands() != 0)
        return;
      // A buffer handed from one iteration to the next (a loop-carried
      // value) must stay distinct per iteration.
      if (llvm::any_of(alloca->getUsers(), [](Operation *user) {
            return user->hasTrait<OpTrait::IsTerminator>();
          }))
        return;
      if (Block *target = getHoistTarget(alloca))
        moves.emplace_back(alloca, target);
    });
    for (auto [alloca, target] : moves)
      alloca->moveBefore(target, target->begin());
    // alloca_scope ops that no longer hold an alloca are inlined by their
    // canonicalization.
    RewritePatternSet patterns(&getContext());
    memref::AllocaScopeOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
