//===- AttnDecompose.cpp - lower attn ops to linalg (reference) -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNDECOMPOSE
#include "attnc/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

struct AttnDecomposePass
    : public attn::impl::AttnDecomposeBase<AttnDecomposePass> {
  void runOnOperation() override {
    SmallVector<linalg::AggregatedOpInterface> worklist;
    getOperation()->walk([&](linalg::AggregatedOpInterface op) {
      if (isa<AttnDialect>(op->getDialect()))
        worklist.push_back(op);
    });

    IRRewriter rewriter(&getContext());
    for (linalg::AggregatedOpInterface op : worklist) {
      rewriter.setInsertionPoint(op);
      FailureOr<SmallVector<Value>> replacements =
          op.decomposeOperation(rewriter);
      if (failed(replacements)) {
        op->emitOpError("could not be decomposed");
        return signalPassFailure();
      }
      rewriter.replaceOp(op, *replacements);
    }
  }
};

} // namespace
