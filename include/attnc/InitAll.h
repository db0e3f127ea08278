//===- InitAll.h - register everything attnc tools need ---------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_INITALL_H
#define ATTNC_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlir::attnc {

/// Registers the attn dialect, the upstream dialects attnc lowers through, and
/// their interface models and extensions.
void registerAllDialects(DialectRegistry &registry);

/// Registers the attn passes and pipelines and the upstream passes.
void registerAllPasses();

} // namespace mlir::attnc

#endif // ATTNC_INITALL_H
