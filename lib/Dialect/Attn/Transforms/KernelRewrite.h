//===- KernelRewrite.h - Replace attn ops by generated kernels --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// What the CPU kernel passes (attn-flash-cpu, attn-decode-cpu,
// attn-projection-cpu) share: collect the ops of one kind that a kernel
// covers, build each kernel where the op stands, and replace the op by its
// results. Ops the kernel does not cover stay for attn-decompose.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_KERNELREWRITE_H
#define ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_KERNELREWRITE_H

#include "attnc/Dialect/Attn/IR/ShapeChecks.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"

namespace mlir::attn {

/// Replaces every `OpTy` under `root` for which `covers(op)` holds by the
/// values `build(op, builder)` returns (the builder is set before `op`, after
/// the run-time checks of the op's dynamic sizes).
template <typename OpTy, typename Covers, typename Build>
void replaceByKernels(Operation *root, Covers covers, Build build) {
  SmallVector<OpTy> worklist;
  root->walk([&](OpTy op) {
    if (covers(op))
      worklist.push_back(op);
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
