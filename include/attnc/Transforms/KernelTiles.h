//===- KernelTiles.h - Epilogue of CPU kernel tasks --------------*- C++
//-*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// What every CPU kernel task ends with: the tile it computed in a stack
// buffer (L1) is written into the kernel's shared output by the terminator
// of its scf.forall. One-shot bufferization turns the insert into a copy
// into the output buffer, in place.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TRANSFORMS_KERNELTILES_H
#define ATTNC_TRANSFORMS_KERNELTILES_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

namespace mlir::attnc {

/// The `rows x cols` corner of the memref `tile` (its last two dims; a
/// rank-1 tile is one row) becomes a tensor, and the terminator of `forall`
/// inserts it into `into` (a shared output) at `offsets`, with unit sizes
/// before the last two dims.
void insertTileInParallel(OpBuilder &builder, Location loc,
                          scf::ForallOp forall, Value tile, OpFoldResult rows,
                          OpFoldResult cols, Value into,
                          ArrayRef<OpFoldResult> offsets);

} // namespace mlir::attnc

#endif // ATTNC_TRANSFORMS_KERNELTILES_H
