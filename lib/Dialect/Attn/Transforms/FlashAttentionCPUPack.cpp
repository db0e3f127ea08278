//===- FlashAttentionCPUPack.cpp - attn-flash-cpu's K panels ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The packing of attn-flash-cpu (FlashAttentionCPU.cpp), once per call and
// on every core: K becomes contiguous D x Bc panels, one per block of Bc
// keys, which the score loop reads with unit stride (VL x VL tiles
// transposed in registers), and packPanels builds the pair panels of the
// vdpbf16ps path (FlashAttentionCPUBF16.cpp) element by element.
//
//===----------------------------------------------------------------------===//

#include "FlashKernelBuilder.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::attn;

Value mlir::attn::packPanels(ImplicitLocOpBuilder &b, Value source,
                             Value numBlocks, int64_t rows, int64_t cols,
                             Type elementType, PanelElementFn element) {
  // One task per (b * H + h, block): a panel is rows x cols contiguous
  // elements, written in place into the shared result.
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, b.getLoc(), source);
  Value heads = getValueOrCreateConstantIndexOp(b, b.getLoc(), sizes[1]);
  Value init =
      tensor::EmptyOp::create(b,
                              {sizes[0], sizes[1], numBlocks,
                               b.getIndexAttr(rows), b.getIndexAttr(cols)},
                              elementType);
  Value batchHeads = arith::MulIOp::create(
      b, getValueOrCreateConstantIndexOp(b, b.getLoc(), sizes[0]), heads);
  auto forall =
      scf::ForallOp::create(b, ArrayRef<OpFoldResult>{batchHeads, numBlocks},
                            ValueRange{init}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  Value b0 = arith::DivUIOp::create(b, body->getArgument(0), heads);
  Value h = arith::RemUIOp::create(b, body->getArgument(0), heads);
  Value blk = body->getArgument(1);
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  SmallVector<OpFoldResult> offsets = {b0, h, blk, zero, zero};
  SmallVector<OpFoldResult> panelSizes = {one, one, one, b.getIndexAttr(rows),
                                          b.getIndexAttr(cols)};
  SmallVector<OpFoldResult> strides(5, one);
  auto panelType = RankedTensorType::get({rows, cols}, elementType);
  Value slice = tensor::ExtractSliceOp::create(
      b, panelType, body->getArgument(2), offsets, panelSizes, strides);
  // Loops (c, i), i innermost: the source is read along its rows
  // (contiguous for K [.., key, d]), the panel written with stride cols.
  AffineMap transposed =
      AffineMap::getPermutationMap(ArrayRef<unsigned>{1, 0}, b.getContext());
  Value panel =
      linalg::GenericOp::create(
          b, panelType, ValueRange{}, slice, ArrayRef<AffineMap>{transposed},
          SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
          [&](OpBuilder &nb, Location nl, ValueRange) {
            ImplicitLocOpBuilder lb(nl, nb);
            Value c = linalg::IndexOp::create(lb, 0);
            Value i = linalg::IndexOp::create(lb, 1);
            linalg::YieldOp::create(lb,
                                    ValueRange{element(lb, b0, h, blk, i, c)});
          })
          .getResult(0);
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, panel, body->getArgument(2), offsets,
                                        panelSizes, strides);
  return forall.getResult(0);
}

Value FlashKernelBuilder::transposeKeys() {
  // Kt[b, h, jb, d, c] = K[b, h, jb * Bc + c, d], zero past Skv: every key
  // block is one contiguous D x Bc panel, read with unit stride by the score
  // loop (a plain [D, Skv] transpose would stride by Skv and thrash L1). One
  // task per (b * H + h, block) fills its panel VL x VL tiles at a time: VL
  // key rows read as vectors along D, widened, transposed in registers.
  Value key = op.getKey();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, b.getLoc(), key);
  Value heads = getValueOrCreateConstantIndexOp(b, b.getLoc(), sizes[1]);
  Value numBlocks = arith::CeilDivUIOp::create(b, numKeys, index(bc));
  Value lastKey = arith::SubIOp::create(b, numKeys, index(1));
  Value init =
      tensor::EmptyOp::create(b,
                              {sizes[0], sizes[1], numBlocks,
                               b.getIndexAttr(headDim), b.getIndexAttr(bc)},
                              f32);
  Value batchHeads = arith::MulIOp::create(
      b, getValueOrCreateConstantIndexOp(b, b.getLoc(), sizes[0]), heads);
  auto forall =
      scf::ForallOp::create(b, ArrayRef<OpFoldResult>{batchHeads, numBlocks},
                            ValueRange{init}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  Value b0 = arith::DivUIOp::create(b, body->getArgument(0), heads);
  Value h = arith::RemUIOp::create(b, body->getArgument(0), heads);
  Value blk = body->getArgument(1);
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  SmallVector<OpFoldResult> offsets = {b0, h, blk, zero, zero};
  SmallVector<OpFoldResult> panelSizes = {
      one, one, one, b.getIndexAttr(headDim), b.getIndexAttr(bc)};
  SmallVector<OpFoldResult> strides(5, one);
  auto panelType = RankedTensorType::get({headDim, bc}, f32);
  Value panel = tensor::ExtractSliceOp::create(
      b, panelType, body->getArgument(2), offsets, panelSizes, strides);
  Value j0 = arith::MulIOp::create(b, blk, index(bc));
  Value zeros = arith::ConstantOp::create(b, vecType,
                                          DenseElementsAttr::get(vecType, 0.f));
  // The tile of `count` dims from d0 and keys c0 ... c0 + VL of the block,
  // written into `into`. The last keys of the last block are clamped reads
  // of the last key, selected away; a D that is no multiple of VL ends in a
  // tile of fewer dims, read element by element (a masked bf16 read would
  // need compiler-rt on targets without AVX512-BF16).
  auto packTile = [&](Value d0, int64_t c0, int64_t count, Value into) {
    SmallVector<Value> rows;
    for (int64_t i = 0; i < vl; ++i) {
      Value j = arith::AddIOp::create(b, j0, index(c0 + i));
      Value valid =
          arith::CmpIOp::create(b, arith::CmpIPredicate::slt, j, numKeys);
      Value row = minIndex(j, lastKey);
      Value v;
      if (count == vl) {
        v = widen(b, b.getLoc(),
                  vector::TransferReadOp::create(
                      b, VectorType::get({vl}, elementType), key,
                      ValueRange{b0, h, row, d0}, std::nullopt,
                      ArrayRef<bool>{true}));
      } else {
        v = zeros;
        for (int64_t e = 0; e < count; ++e) {
          Value x = tensor::ExtractOp::create(
              b, key,
              ValueRange{b0, h, row, arith::AddIOp::create(b, d0, index(e))});
          v = vector::InsertOp::create(b, widen(b, b.getLoc(), x), v,
                                       ArrayRef<int64_t>{e});
        }
      }
      rows.push_back(arith::SelectOp::create(b, valid, v, zeros));
    }
    for (auto [dd, column] : llvm::enumerate(transposeSquare(rows))) {
      if (static_cast<int64_t>(dd) == count)
        break;
      into = vector::TransferWriteOp::create(
                 b, column, into,
                 ValueRange{arith::AddIOp::create(b, d0, index(dd)), index(c0)},
                 ArrayRef<bool>{true})
                 .getResult();
    }
    return into;
  };
  int64_t wholeDims = headDim / vl * vl;
  if (wholeDims > 0) {
    auto dLoop = scf::ForOp::create(
        b, index(0), index(wholeDims), index(vl), ValueRange{panel},
        [&](OpBuilder &nb, Location nl, Value d0, ValueRange iterArgs) {
          OpBuilder::InsertionGuard loopGuard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          Value tiles = iterArgs[0];
          for (int64_t c0 = 0; c0 < bc; c0 += vl)
            tiles = packTile(d0, c0, vl, tiles);
          scf::YieldOp::create(b, tiles);
        });
    panel = dLoop.getResult(0);
  }
  if (headDim != wholeDims)
    for (int64_t c0 = 0; c0 < bc; c0 += vl)
      panel = packTile(index(wholeDims), c0, headDim - wholeDims, panel);
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, panel, body->getArgument(2), offsets,
                                        panelSizes, strides);
  return forall.getResult(0);
}
