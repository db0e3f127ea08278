//===- KernelRewrite.h - Replace attn ops by generated kernels --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// What the CPU kernel passes (attn-flash-cpu, attn-decode-cpu,
// attn-projection-cpu) share: collect the ops of one kind that a kernel
// covers, build each kernel where the op stands, and replace the op by its
// results. Ops the kernel does not cover stay for attn-decompose, and are
// reported on request (a remark with the reason: no silent fallback).
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_KERNELREWRITE_H
#define ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_KERNELREWRITE_H

#include "attnc/Dialect/Attn/IR/ShapeChecks.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"

namespace mlir::attn {

/// Reports that `op` takes the reference lowering (attn-decompose) instead
/// of a fused kernel: a remark at the op's location that names the op and
/// `reason`.
inline void reportFallback(Operation *op, StringRef reason) {
  emitRemark(op->getLoc())
      << op->getName() << " takes the reference lowering: " << reason;
}

/// Replaces every `OpTy` under `root` for which `getUnsupportedReason(op)`
/// is empty by the values `build(op, builder)` returns (the builder is set
/// before `op`, after the run-time checks of the op's dynamic sizes). The
/// other ops stay for attn-decompose; with `reportFallbacks`, each is
/// reported with its reason.
template <typename OpTy, typename Reason, typename Build>
void replaceByKernels(Operation *root, bool reportFallbacks,
                      Reason getUnsupportedReason, Build build) {
  SmallVector<OpTy> worklist;
  root->walk([&](OpTy op) {
    std::string reason = getUnsupportedReason(op);
    if (reason.empty())
      worklist.push_back(op);
    else if (reportFallbacks)
      reportFallback(op, reason);
  });
  OpBuilder builder(root->getContext());
  for (OpTy op : worklist) {
    builder.setInsertionPoint(op);
    buildShapeChecks(builder, op);
    SmallVector<Value> results = build(op, builder);
    op->replaceAllUsesWith(results);
    op.erase();
  }
}

} // namespace mlir::attn

#endif // ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_KERNELREWRITE_H
