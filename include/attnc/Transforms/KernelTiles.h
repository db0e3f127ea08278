//===- KernelTiles.h - Tiles and epilogue of CPU kernel tasks --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// What every CPU kernel task ends with: the tile it computed in a stack
// buffer (L1) is written into the kernel's shared output by the terminator
// of its scf.forall. One-shot bufferization turns the insert into a copy
// into the output buffer, in place. And the tile sizes that depend on the
// target's caches, decided here rather than in each kernel.
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

/// The per-core data caches a kernel tiles for, in bytes.
struct CacheSizes {
  int64_t l1Bytes, l2Bytes;
};

/// The host's (from the C library; 32 KiB and 1 MiB where it does not know
/// them).
CacheSizes getHostCacheSizes();

/// The vector registers of a target whose vectors hold `vectorWidth` f32
/// lanes, as the kernels are built: 32 with AVX-512 (16 lanes), 16 with
/// AVX2 (8 lanes).
int64_t getVectorRegisterCount(int64_t vectorWidth);

/// The register blocking of attn-flash-cpu's two inner loops.
struct FlashRegisterTile {
  /// Query rows per register tile. The score loop holds two accumulators
  /// per row (a key block is two vectors), the block's two K vectors and
  /// one broadcast query element.
  int64_t blockQ;
  /// Vectors of each row of O that one pass of the P V loop over a key
  /// block accumulates: blockQ x width accumulators, the width V vectors of
  /// a key and one broadcast P element.
  int64_t valueGroupWidth;
};

/// The largest tiles (at most 8 rows and 3 vectors; `blockQ` when it is
/// not 0) whose loops fit `vectorRegisters` registers without spilling:
/// 8 rows x 3 vectors with 32 registers, 6 x 2 with 16. (AVX2 code built
/// with 8 x 2, as for AVX-512, spilled in both loops: P1 ran 35% and P2
/// 15% slower than with 6 x 2.)
FlashRegisterTile selectFlashRegisterTile(int64_t vectorRegisters,
                                          int64_t blockQ = 0);

/// What attn-flash-cpu's choice of tiles depends on.
struct FlashTileShape {
  /// Query rows per register tile and f32 lanes per vector (a key block
  /// holds 2 * vectorWidth keys).
  int64_t blockQ, vectorWidth;
  int64_t headDim, valueDim;
  /// Keys per head (Skv), or ShapedType::kDynamic.
  int64_t numKeys;
  /// Bytes per element of Q, K and V.
  int64_t elementBytes;
  /// Whether the kernel multiplies bf16 pairs (vdpbf16ps): it reads K and
  /// V in half the bytes and reaches the FMA peak with one tile.
  bool pairDot = false;
};

/// Register tiles per pass over a key block in attn-flash-cpu. Where the K
/// and V of a head fit in half of L2 they stay there across the query
/// tiles of the head, and one tile per pass is best. Otherwise every pass
/// streams K and V from L3 (or memory), and a pass serves as many tiles as
/// keep each of its phases in L1 (the scores of all tiles read the K panel
/// and their query rows, then their P V read the V block and their O rows),
/// at most 4. Dynamic key counts and the bf16 pair kernel (one tile: 96% of
/// the FMA peak on P2 causal, 90-96% with four) get one tile.
int64_t selectFlashQueryTiles(const FlashTileShape &shape,
                              const CacheSizes &caches);

} // namespace mlir::attnc

#endif // ATTNC_TRANSFORMS_KERNELTILES_H
