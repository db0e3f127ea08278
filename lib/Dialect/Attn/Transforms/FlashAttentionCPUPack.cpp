//===- FlashAttentionCPUPack.cpp - attn-flash-cpu's K/V panels --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The packing of attn-flash-cpu (FlashAttentionCPU.cpp), once per call and
// on every core: one task per (b * H + h, block of Bc keys) fills one
// contiguous panel, VL x VL tiles at a time transposed in registers
// (KernelBuilderBase::transposeSquare) where rows become columns:
//
//   Kt[.., jb, d, c]      = K[.., jb Bc + c, d]        f32 (f16/bf16 widened)
//   Vw[.., jb, c, e]      = V[.., jb Bc + c, e]        f16/bf16 widened
//   Kp[.., jb, p, 2c + t] = K[.., jb Bc + c, 2p + t]   bf16 pairs along D
//   Vp[.., jb, p, 2e + t] = V[.., jb Bc + 2p + t, e]   bf16 pairs of keys
//
// all zero past Skv (and past D, Dv). The score loop reads Kt (or Kp, on
// vdpbf16ps), the P V loop Vw (f16, bf16 without vdpbf16ps) and the
// vdpbf16ps P V loop Vp, all with unit stride.
//
//===----------------------------------------------------------------------===//

#include "FlashKernelBuilder.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::attn;

Value FlashKernelBuilder::buildPanels(
    Value source, int64_t rows, int64_t cols, Type panelElement,
    function_ref<Value(const PanelTask &)> fill) {
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, b.getLoc(), source);
  Value heads = getValueOrCreateConstantIndexOp(b, b.getLoc(), sizes[1]);
  Value numBlocks = arith::CeilDivUIOp::create(b, numKeys, index(bc));
  PanelTask task;
  task.lastKey = arith::SubIOp::create(b, numKeys, index(1));
  Value init =
      tensor::EmptyOp::create(b,
                              {sizes[0], sizes[1], numBlocks,
                               b.getIndexAttr(rows), b.getIndexAttr(cols)},
                              panelElement);
  Value batchHeads = arith::MulIOp::create(
      b, getValueOrCreateConstantIndexOp(b, b.getLoc(), sizes[0]), heads);
  auto forall =
      scf::ForallOp::create(b, ArrayRef<OpFoldResult>{batchHeads, numBlocks},
                            ValueRange{init}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  task.b0 = arith::DivUIOp::create(b, body->getArgument(0), heads);
  task.h = arith::RemUIOp::create(b, body->getArgument(0), heads);
  Value blk = body->getArgument(1);
  task.j0 = arith::MulIOp::create(b, blk, index(bc));
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  SmallVector<OpFoldResult> offsets = {task.b0, task.h, blk, zero, zero};
  SmallVector<OpFoldResult> panelSizes = {one, one, one, b.getIndexAttr(rows),
                                          b.getIndexAttr(cols)};
  SmallVector<OpFoldResult> strides(5, one);
  task.panel = tensor::ExtractSliceOp::create(
      b, RankedTensorType::get({rows, cols}, panelElement),
      body->getArgument(2), offsets, panelSizes, strides);
  Value panel = fill(task);
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, panel, body->getArgument(2), offsets,
                                        panelSizes, strides);
  return forall.getResult(0);
}

std::pair<Value, Value> FlashKernelBuilder::clampedKey(const PanelTask &task,
                                                       Value offset) {
  Value j = arith::AddIOp::create(b, task.j0, offset);
  return {arith::CmpIOp::create(b, arith::CmpIPredicate::slt, j, numKeys),
          minIndex(j, task.lastKey)};
}

Value FlashKernelBuilder::widenValues() {
  // Vw: each key block's Bc value rows widened to f32, Dv padded to whole
  // vectors with zeros (a masked read of the row's last vector), as are
  // the rows past Skv.
  Value value = op.getValue();
  auto narrowType = VectorType::get({vl}, elementType);
  Value zeros = arith::ConstantOp::create(b, vecType,
                                          DenseElementsAttr::get(vecType, 0.f));
  Value padding =
      arith::ConstantOp::create(b, cast<TypedAttr>(b.getZeroAttr(elementType)));
  return buildPanels(
      value, bc, paddedValueDim, f32, [&](const PanelTask &task) {
        auto keyLoop = scf::ForOp::create(
            b, index(0), index(bc), index(1), ValueRange{task.panel},
            [&](OpBuilder &nb, Location nl, Value c, ValueRange iterArgs) {
              OpBuilder::InsertionGuard loopGuard(b);
              b.setInsertionPoint(nb.getInsertionBlock(),
                                  nb.getInsertionPoint());
              auto [valid, row] = clampedKey(task, c);
              Value panel = iterArgs[0];
              for (int64_t e = 0; e < paddedValueDim; e += vl) {
                Value v =
                    widen(b, b.getLoc(),
                          vector::TransferReadOp::create(
                              b, narrowType, value,
                              ValueRange{task.b0, task.h, row, index(e)},
                              padding, ArrayRef<bool>{e + vl <= valueDim}));
                v = arith::SelectOp::create(b, valid, v, zeros);
                panel = vector::TransferWriteOp::create(b, v, panel,
                                                        ValueRange{c, index(e)},
                                                        ArrayRef<bool>{true})
                            .getResult();
              }
              scf::YieldOp::create(b, panel);
            });
        return keyLoop.getResult(0);
      });
}

Value FlashKernelBuilder::transposeKeys() {
  // Kt: every key block is one contiguous D x Bc panel, read with unit
  // stride by the score loop (a plain [D, Skv] transpose would stride by
  // Skv and thrash L1). VL key rows are read as vectors along D, widened,
  // and transposed in registers.
  Value key = op.getKey();
  Value zeros = arith::ConstantOp::create(b, vecType,
                                          DenseElementsAttr::get(vecType, 0.f));
  return buildPanels(key, headDim, bc, f32, [&](const PanelTask &task) {
    // The tile of `count` dims from d0 and keys c0 ... c0 + VL of the
    // block, written into `into`. The last keys of the last block are
    // clamped reads of the last key, selected away; a D that is no
    // multiple of VL ends in a tile of fewer dims, read element by element
    // (a masked bf16 read would need compiler-rt on targets without
    // AVX512-BF16).
    auto packTile = [&](Value d0, int64_t c0, int64_t count, Value into) {
      SmallVector<Value> rows;
      for (int64_t i = 0; i < vl; ++i) {
        auto [valid, row] = clampedKey(task, index(c0 + i));
        Value v;
        if (count == vl) {
          v = widen(b, b.getLoc(),
                    vector::TransferReadOp::create(
                        b, VectorType::get({vl}, elementType), key,
                        ValueRange{task.b0, task.h, row, d0}, std::nullopt,
                        ArrayRef<bool>{true}));
        } else {
          v = zeros;
          for (int64_t e = 0; e < count; ++e) {
            Value x = tensor::ExtractOp::create(
                b, key,
                ValueRange{task.b0, task.h, row,
                           arith::AddIOp::create(b, d0, index(e))});
            v = vector::InsertOp::create(b, widen(b, b.getLoc(), x), v,
                                         ArrayRef<int64_t>{e});
          }
        }
        rows.push_back(arith::SelectOp::create(b, valid, v, zeros));
      }
      for (auto [dd, column] : llvm::enumerate(transposeSquare(rows))) {
        if (static_cast<int64_t>(dd) == count)
          break;
        into =
            vector::TransferWriteOp::create(
                b, column, into,
                ValueRange{arith::AddIOp::create(b, d0, index(dd)), index(c0)},
                ArrayRef<bool>{true})
                .getResult();
      }
      return into;
    };
    Value panel = task.panel;
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
    return panel;
  });
}

Value FlashKernelBuilder::packKeyPairs() {
  // Kp: row p of a block's panel holds, for each of its Bc keys, the pair
  // of elements (2p, 2p + 1) along D, the layout vdpbf16ps reduces. A key
  // row's 2 VL values from 2 p0 on are VL pairs, each a 32-bit word as
  // stored: VL such rows transposed in registers give VL pair rows of VL
  // keys. Only the bf16-dot path packs pairs, so the masked read past D
  // (its bf16 zero padding) has the target's AVX512-BF16 to lower to.
  Type i32 = b.getI32Type();
  auto wordsType = VectorType::get({vl}, i32);
  int64_t numPairs = llvm::divideCeil(headDim, 2);
  Value zeroWords = arith::ConstantOp::create(
      b, wordsType, DenseElementsAttr::get(wordsType, APInt(32, 0)));
  Value bf16Zero = arith::ConstantOp::create(b, bf16, b.getZeroAttr(bf16));
  return buildPanels(
      op.getKey(), numPairs, 2 * bc, bf16, [&](const PanelTask &task) {
        Value panel = task.panel;
        for (int64_t p0 = 0; p0 < numPairs; p0 += vl) {
          bool whole = 2 * (p0 + vl) <= headDim;
          for (int64_t c0 = 0; c0 < bc; c0 += vl) {
            SmallVector<Value> rows;
            for (int64_t i = 0; i < vl; ++i) {
              auto [valid, row] = clampedKey(task, index(c0 + i));
              Value v = vector::TransferReadOp::create(
                  b, pairVecType, op.getKey(),
                  ValueRange{task.b0, task.h, row, index(2 * p0)}, bf16Zero,
                  ArrayRef<bool>{whole});
              rows.push_back(arith::SelectOp::create(
                  b, valid, vector::BitCastOp::create(b, wordsType, v),
                  zeroWords));
            }
            for (auto [jj, words] : llvm::enumerate(transposeSquare(rows))) {
              if (p0 + static_cast<int64_t>(jj) == numPairs)
                break;
              panel = vector::TransferWriteOp::create(
                          b, vector::BitCastOp::create(b, pairVecType, words),
                          panel, ValueRange{index(p0 + jj), index(2 * c0)},
                          ArrayRef<bool>{true})
                          .getResult();
            }
          }
        }
        return panel;
      });
}

Value FlashKernelBuilder::packValuePairs() {
  // Vp: row p of a block's panel interleaves key rows 2p and 2p + 1, VL
  // columns at a time (Dv padded to whole vectors, zeros past it: a masked
  // read, as in packKeyPairs), so that each f32 lane of vdpbf16ps takes the
  // pair of keys of one column.
  Type i16 = b.getI16Type();
  auto halfType = VectorType::get({vl}, i16);
  auto narrowType = VectorType::get({vl}, bf16);
  Value zeroHalf = arith::ConstantOp::create(
      b, halfType, DenseElementsAttr::get(halfType, APInt(16, 0)));
  Value bf16Zero = arith::ConstantOp::create(b, bf16, b.getZeroAttr(bf16));
  return buildPanels(
      op.getValue(), bc / 2, 2 * paddedValueDim, bf16,
      [&](const PanelTask &task) {
        auto pLoop = scf::ForOp::create(
            b, index(0), index(bc / 2), index(1), ValueRange{task.panel},
            [&](OpBuilder &nb, Location nl, Value p, ValueRange iterArgs) {
              OpBuilder::InsertionGuard loopGuard(b);
              b.setInsertionPoint(nb.getInsertionBlock(),
                                  nb.getInsertionPoint());
              Value panel = iterArgs[0];
              Value first = arith::MulIOp::create(b, p, index(2));
              SmallVector<std::pair<Value, Value>> keys;
              for (int64_t t = 0; t < 2; ++t)
                keys.push_back(clampedKey(
                    task, arith::AddIOp::create(b, first, index(t))));
              for (int64_t e0 = 0; e0 < paddedValueDim; e0 += vl) {
                SmallVector<Value> halves;
                for (auto [valid, row] : keys) {
                  Value v = vector::TransferReadOp::create(
                      b, narrowType, op.getValue(),
                      ValueRange{task.b0, task.h, row, index(e0)}, bf16Zero,
                      ArrayRef<bool>{e0 + vl <= valueDim});
                  halves.push_back(arith::SelectOp::create(
                      b, valid, vector::BitCastOp::create(b, halfType, v),
                      zeroHalf));
                }
                Value pairs =
                    vector::InterleaveOp::create(b, halves[0], halves[1]);
                panel = vector::TransferWriteOp::create(
                            b, vector::BitCastOp::create(b, pairVecType, pairs),
                            panel, ValueRange{p, index(2 * e0)},
                            ArrayRef<bool>{true})
                            .getResult();
              }
              scf::YieldOp::create(b, panel);
            });
        return pLoop.getResult(0);
      });
}
