//===- ParallelizeElementwise.cpp - row tasks for linalg ops ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_PARALLELIZEELEMENTWISE
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

/// Whether `op` is one the pass splits: a tensor linalg.generic, not
/// already inside a parallel loop, of two loops or more, every one but
/// the last parallel (rows of the last dim, which may be reduced).
bool isCandidate(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumLoops() < 2 ||
      op->getParentOfType<scf::ForallOp>())
    return false;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  return llvm::all_of(ArrayRef(iterators).drop_back(),
                      [](utils::IteratorType iterator) {
                        return iterator == utils::IteratorType::parallel;
                      });
}

struct ParallelizeElementwisePass
    : public attnc::impl::ParallelizeElementwiseBase<
          ParallelizeElementwisePass> {
  using Base::Base;

  void runOnOperation() override {
    if (rowsPerTask < 1 || minElements < 0) {
      getOperation()->emitError("attnc-parallelize-elementwise: expected "
                                "rows-per-task >= 1 and min-elements >= 0");
      return signalPassFailure();
    }
    SmallVector<linalg::GenericOp> candidates;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (isCandidate(op))
        candidates.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : candidates)
      if (failed(parallelize(rewriter, op)))
        return signalPassFailure();
  }

  LogicalResult parallelize(IRRewriter &rewriter, linalg::GenericOp op) {
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    // The iteration space's size, from the operands' shapes.
    SmallVector<Range> domain =
        cast<TilingInterface>(op.getOperation()).getIterationDomain(rewriter);
    Value points;
    for (const Range &range : domain) {
      Value size = getValueOrCreateConstantIndexOp(rewriter, loc, range.size);
      points = points ? rewriter.createOrFold<arith::MulIOp>(loc, points, size)
                      : size;
    }
    Value large = rewriter.createOrFold<arith::CmpIOp>(
        loc, arith::CmpIPredicate::uge, points,
        arith::ConstantIndexOp::create(rewriter, loc, minElements));

    auto ifOp = scf::IfOp::create(rewriter, loc, op->getResultTypes(), large,
                                  /*withElseRegion=*/true);
    // Else: the op as it was.
    rewriter.setInsertionPointToStart(ifOp.elseBlock());
    Operation *inline_ = rewriter.clone(*op);
    scf::YieldOp::create(rewriter, loc, inline_->getResults());
    // Then: one task per block of rows (the next-to-last loop) of each
    // index of the outer loops; the last loop stays whole.
    rewriter.setInsertionPointToStart(ifOp.thenBlock());
    auto split = cast<linalg::GenericOp>(rewriter.clone(*op));
    unsigned numLoops = op.getNumLoops();
    SmallVector<OpFoldResult> tileSizes(numLoops, rewriter.getIndexAttr(1));
    tileSizes[numLoops - 2] = rewriter.getIndexAttr(rowsPerTask);
    tileSizes[numLoops - 1] = rewriter.getIndexAttr(0);
    scf::SCFTilingOptions options;
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    options.setTileSizes(tileSizes);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(split.getOperation()), options);
    if (failed(tiled))
      return op.emitError("attnc-parallelize-elementwise: could not split "
                          "the op into row tasks");
    rewriter.setInsertionPointToEnd(ifOp.thenBlock());
    scf::YieldOp::create(rewriter, loc, tiled->replacements);
    rewriter.eraseOp(split);
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};

} // namespace
