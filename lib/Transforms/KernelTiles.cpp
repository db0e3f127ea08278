//===- KernelTiles.cpp - Tiles and epilogue of CPU kernel tasks -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/KernelTiles.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypeInterfaces.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <unistd.h>

using namespace mlir;

void mlir::attnc::insertTileInParallel(OpBuilder &builder, Location loc,
                                       scf::ForallOp forall, Value tile,
                                       OpFoldResult rows, OpFoldResult cols,
                                       Value into,
                                       ArrayRef<OpFoldResult> offsets) {
  auto tileType = cast<MemRefType>(tile.getType());
  int64_t rank = tileType.getRank();
  Value tileTensor = bufferization::ToTensorOp::create(
      builder, loc,
      RankedTensorType::get(tileType.getShape(), tileType.getElementType()),
      tile, /*restrict=*/builder.getUnitAttr());
  OpFoldResult one = builder.getIndexAttr(1), zero = builder.getIndexAttr(0);
  SmallVector<OpFoldResult> tileSizes(rank, one);
  tileSizes[rank - 1] = cols;
  if (rank > 1)
    tileSizes[rank - 2] = rows;
  Value part = tensor::ExtractSliceOp::create(
      builder, loc, tileTensor, SmallVector<OpFoldResult>(rank, zero),
      tileSizes, SmallVector<OpFoldResult>(rank, one));
  SmallVector<OpFoldResult> sizes(offsets.size(), one);
  sizes[offsets.size() - 1] = cols;
  sizes[offsets.size() - 2] = rows;
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(
      builder, loc, part, into, offsets, sizes,
      SmallVector<OpFoldResult>(offsets.size(), one));
}

mlir::attnc::CacheSizes mlir::attnc::getHostCacheSizes() {
  CacheSizes sizes{32 * 1024, 1024 * 1024};
#if defined(_SC_LEVEL1_DCACHE_SIZE) && defined(_SC_LEVEL2_CACHE_SIZE)
  if (long bytes = sysconf(_SC_LEVEL1_DCACHE_SIZE); bytes > 0)
    sizes.l1Bytes = bytes;
  if (long bytes = sysconf(_SC_LEVEL2_CACHE_SIZE); bytes > 0)
    sizes.l2Bytes = bytes;
#endif
  return sizes;
}

int64_t mlir::attnc::selectFlashQueryTiles(const FlashTileShape &shape,
                                           const CacheSizes &caches) {
  constexpr int64_t kMaxTiles = 4;
  if (ShapedType::isDynamic(shape.numKeys) || shape.pairDot)
    return 1;
  // K and V of one head: K packed as f32 (bf16 pairs take half, counted as
  // f32), V in its type.
  int64_t headBytes =
      shape.numKeys * (shape.headDim * 4 + shape.valueDim * shape.elementBytes);
  if (headBytes <= caches.l2Bytes / 2)
    return 1;
  int64_t vl = shape.vectorWidth, bc = 2 * vl;
  int64_t paddedHeadDim = llvm::alignTo(shape.headDim, vl);
  int64_t paddedValueDim = llvm::alignTo(shape.valueDim, vl);
  // Shared by the tiles: the K panel of one key block and its V rows.
  int64_t keyPanel = shape.headDim * bc * 4;
  int64_t valueBlock = bc * shape.valueDim * shape.elementBytes;
  // Per tile, in f32: its query rows and P, then P and its O rows.
  int64_t perTileScores = shape.blockQ * (paddedHeadDim + bc) * 4;
  int64_t perTileValues = shape.blockQ * (paddedValueDim + bc) * 4;
  int64_t tiles = 1;
  while (tiles < kMaxTiles &&
         keyPanel + (tiles + 1) * perTileScores <= caches.l1Bytes &&
         valueBlock + (tiles + 1) * perTileValues <= caches.l1Bytes)
    ++tiles;
  return tiles;
}

int64_t mlir::attnc::getVectorRegisterCount(int64_t vectorWidth) {
  return vectorWidth >= 16 ? 32 : 16;
}

mlir::attnc::FlashRegisterTile
mlir::attnc::selectFlashRegisterTile(int64_t vectorRegisters, int64_t blockQ) {
  constexpr int64_t kMaxRows = 8, kMaxWidth = 3;
  if (blockQ <= 0)
    blockQ = std::clamp<int64_t>((vectorRegisters - 3) / 2, 1, kMaxRows);
  int64_t width =
      std::clamp<int64_t>((vectorRegisters - 1) / (blockQ + 1), 1, kMaxWidth);
  return {blockQ, width};
}
