//===- ShapeChecks.h - run-time checks of dynamic sizes ---------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The verifiers of the attn ops check the relations between operand sizes
// (key and value agree on Skv, the mask broadcasts, the caches agree with the
// new rows, ...) where the sizes are static. When a size is dynamic the
// relation holds only if the caller keeps it; every lowering of an attn op
// (the reference decomposition, the fused CPU kernels and the GPU host code)
// checks it once at the op's entry with the helper below.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_DIALECT_ATTN_IR_SHAPECHECKS_H
#define ATTNC_DIALECT_ATTN_IR_SHAPECHECKS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"

namespace mlir::attn {

/// Emits, at the insertion point of `b`, a run-time check of every relation
/// between operand sizes of the attn op `op` that its verifier checks on
/// static sizes and that involves a dynamic size (`tensor.dim` comparisons
/// only; nothing when all sizes involved are static). A failed check prints
/// `file:line:col: attn.<op>: <what> have <a> and <b> <unit> (...)` with both
/// sizes to stdout, flushes and calls abort(), like `cf.assert`. The checks
/// declare `printf`, `fflush` and `abort` (llvm.func) and the messages
/// (llvm.mlir.global) in the module around `op`. Does nothing for other ops.
void buildShapeChecks(OpBuilder &b, Operation *op);

/// The message of a run-time check of `op`: `file:line:col: attn.<op>:
/// <what>` (the location part when `op` has one). Every lowering's checks
/// (reference, CPU kernels, GPU kernels and host code) use it, so a failure
/// reads the same whichever path ran.
std::string getRuntimeCheckMessage(Operation *op, StringRef what);

} // namespace mlir::attn

#endif // ATTNC_DIALECT_ATTN_IR_SHAPECHECKS_H
