//===- ExpandStridedCopies.cpp - memref.copy without a runtime --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_EXPANDSTRIDEDCOPIES
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

bool isIdentityLayout(Value memref) {
  return cast<MemRefType>(memref.getType()).getLayout().isIdentity();
}

struct ExpandStridedCopiesPass
    : public attnc::impl::ExpandStridedCopiesBase<ExpandStridedCopiesPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation()->walk([&](memref::CopyOp copy) {
      if (isIdentityLayout(copy.getSource()) &&
          isIdentityLayout(copy.getTarget()))
        return;
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    });
  }
};

} // namespace
