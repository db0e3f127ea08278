//===- SerializeSingleTaskRegions.cpp - no fork for one task ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_SERIALIZESINGLETASKREGIONS
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

/// The loop nest of `parallel` when its region is one worksharing loop
/// (what convert-scf-to-openmp makes of an scf.parallel), else null.
omp::LoopNestOp getWorksharedLoop(omp::ParallelOp parallel) {
  omp::LoopNestOp nest;
  for (Operation &op : parallel.getRegion().getOps()) {
    if (isa<omp::TerminatorOp>(op) || isMemoryEffectFree(&op) ||
        isa<memref::AllocaOp>(op))
      continue;
    auto wsloop = dyn_cast<omp::WsloopOp>(op);
    if (!wsloop || nest)
      return nullptr;
    nest = dyn_cast<omp::LoopNestOp>(wsloop.getWrappedLoop());
    if (!nest)
      return nullptr;
  }
  return nest;
}

struct SerializeSingleTaskRegionsPass
    : public attnc::impl::SerializeSingleTaskRegionsBase<
          SerializeSingleTaskRegionsPass> {
  void runOnOperation() override {
    getOperation()->walk([](omp::ParallelOp parallel) {
      if (parallel.getIfExpr())
        return;
      omp::LoopNestOp nest = getWorksharedLoop(parallel);
      if (!nest)
        return;
      // The bounds must be available before the fork.
      auto outside = [&](Value v) {
        return !parallel->isAncestor(v.getParentRegion()->getParentOp());
      };
      if (!llvm::all_of(nest.getLoopLowerBounds(), outside) ||
          !llvm::all_of(nest.getLoopUpperBounds(), outside) ||
          !llvm::all_of(nest.getLoopSteps(), outside))
        return;
      ImplicitLocOpBuilder b(parallel.getLoc(), parallel);
      // Trip counts of `for (i = lb; i < ub (or <= ub); i += step)`, step
      // positive as convert-scf-to-openmp emits it; an empty range counts 0.
      Value iterations;
      for (auto [lb, ub, step] :
           llvm::zip(nest.getLoopLowerBounds(), nest.getLoopUpperBounds(),
                     nest.getLoopSteps())) {
        Value end = ub;
        if (nest.getLoopInclusive())
          end = b.createOrFold<arith::AddIOp>(
              ub, arith::ConstantOp::create(b, b.getOneAttr(ub.getType())));
        Value span = b.createOrFold<arith::SubIOp>(
            b.createOrFold<arith::MaxSIOp>(end, lb), lb);
        Value count = b.createOrFold<arith::CeilDivUIOp>(span, step);
        if (count.getType() != b.getI64Type())
          count = b.createOrFold<arith::IndexCastUIOp>(b.getI64Type(), count);
        iterations = iterations
                         ? b.createOrFold<arith::MulIOp>(iterations, count)
                         : count;
      }
      if (!iterations)
        return;
      Value several = b.createOrFold<arith::CmpIOp>(
          arith::CmpIPredicate::ugt, iterations,
          arith::ConstantIntOp::create(b, b.getI64Type(), 1));
      parallel.getIfExprMutable().assign(several);
    });
  }
};

} // namespace
