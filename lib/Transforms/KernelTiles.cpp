//===- KernelTiles.cpp - Epilogue of CPU kernel tasks ------------*- C++
//-*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/KernelTiles.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

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
