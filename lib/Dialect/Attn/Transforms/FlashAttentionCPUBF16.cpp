//===- FlashAttentionCPUBF16.cpp - attn-flash-cpu on vdpbf16ps -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The AVX512-BF16 path of attn-flash-cpu (`bf16-dot`): bf16 K and V are
// packed once per call in pairs along the reduction dim, so that Q K^T and
// P V run on vdpbf16ps (two products per f32 lane and instruction) into f32
// accumulators. The rest of the kernel (key loop, online softmax, masks) is
// shared with the widening path in FlashAttentionCPU.cpp.
//
//===----------------------------------------------------------------------===//

#include "FlashKernelBuilder.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/Support/MathExtras.h"

#include <functional>

using namespace mlir;
using namespace mlir::attn;

/// A [B, H, blocks, rows, cols] panel of `source`'s element type, element
/// [b, h, blk, i, c] = source[b, h, at(i, blk, c)] or 0 where `at` finds no
/// element (past the keys or the head dim).
using PanelIndexFn = std::function<std::pair<Value, SmallVector<Value, 2>>(
    ImplicitLocOpBuilder &, Value blk, Value row, Value col)>;

static Value packPanel(ImplicitLocOpBuilder &b, Value source, Value numBlocks,
                       int64_t rows, int64_t cols, PanelIndexFn at) {
  Type elementType = cast<RankedTensorType>(source.getType()).getElementType();
  return packPanels(
      b, source, numBlocks, rows, cols, elementType,
      [&](ImplicitLocOpBuilder &lb, Value b0, Value h, Value blk, Value i,
          Value c) {
        auto [valid, inner] = at(lb, blk, i, c);
        Value x = tensor::ExtractOp::create(
            lb, source, ValueRange{b0, h, inner[0], inner[1]});
        Value zero = arith::ConstantOp::create(
            lb, cast<TypedAttr>(lb.getZeroAttr(elementType)));
        return arith::SelectOp::create(lb, valid, x, zero).getResult();
      });
}

/// The element of key `j` and column `col` of a pair panel: valid where
/// j < numKeys and col < width, read at both clamped into range (the valid
/// mask zeroes what the clamp reads in place of a missing element).
static std::pair<Value, SmallVector<Value, 2>>
clampedElement(ImplicitLocOpBuilder &lb, Value j, Value numKeys, Value lastKey,
               Value col, int64_t width) {
  auto c = [&](int64_t v) { return arith::ConstantIndexOp::create(lb, v); };
  Value valid = arith::AndIOp::create(
      lb, arith::CmpIOp::create(lb, arith::CmpIPredicate::slt, j, numKeys),
      arith::CmpIOp::create(lb, arith::CmpIPredicate::slt, col, c(width)));
  return std::make_pair(
      valid,
      SmallVector<Value, 2>{arith::MinSIOp::create(lb, j, lastKey),
                            arith::MinSIOp::create(lb, col, c(width - 1))});
}

Value FlashKernelBuilder::packKeyPairs() {
  // Kp[b, h, jb, p, 2 * c + t] = K[b, h, jb * Bc + c, 2 * p + t]: row p of a
  // block's panel holds, for each of its Bc keys, the pair of elements
  // (2p, 2p + 1) along D, the layout vdpbf16ps reduces; zero past Skv and D.
  Value numBlocks = arith::CeilDivUIOp::create(b, numKeys, index(bc));
  Value lastKey = arith::SubIOp::create(b, numKeys, index(1));
  return packPanel(
      b, op.getKey(), numBlocks, llvm::divideCeil(headDim, 2), 2 * bc,
      [&](ImplicitLocOpBuilder &lb, Value blk, Value p, Value x) {
        auto c = [&](int64_t v) {
          return arith::ConstantIndexOp::create(lb, v);
        };
        Value j =
            arith::AddIOp::create(lb, arith::MulIOp::create(lb, blk, c(bc)),
                                  arith::DivUIOp::create(lb, x, c(2)));
        Value d = arith::AddIOp::create(lb, arith::MulIOp::create(lb, p, c(2)),
                                        arith::RemUIOp::create(lb, x, c(2)));
        return clampedElement(lb, j, numKeys, lastKey, d, headDim);
      });
}

Value FlashKernelBuilder::packValuePairs() {
  // Vp[b, h, jb, p, 2 * e + t] = V[b, h, jb * Bc + 2 * p + t, e]: row p of a
  // block's panel holds, for each column e (padded to whole vectors), the
  // values of the key pair (2p, 2p + 1); zero past Skv and Dv.
  Value numBlocks = arith::CeilDivUIOp::create(b, numKeys, index(bc));
  Value lastKey = arith::SubIOp::create(b, numKeys, index(1));
  return packPanel(
      b, op.getValue(), numBlocks, bc / 2, 2 * paddedValueDim,
      [&](ImplicitLocOpBuilder &lb, Value blk, Value p, Value x) {
        auto c = [&](int64_t v) {
          return arith::ConstantIndexOp::create(lb, v);
        };
        Value j = arith::AddIOp::create(
            lb, arith::MulIOp::create(lb, blk, c(bc)),
            arith::AddIOp::create(lb, arith::MulIOp::create(lb, p, c(2)),
                                  arith::RemUIOp::create(lb, x, c(2))));
        Value e = arith::DivUIOp::create(lb, x, c(2));
        return clampedElement(lb, j, numKeys, lastKey, e, valueDim);
      });
}

SmallVector<Value> FlashKernelBuilder::computeScoresDot(Value b0, Value h,
                                                        Value kvHead,
                                                        ArrayRef<Value> rows,
                                                        Value j0) {
  // acc[r * 2 + c] holds keys j0 + c * VL ... for query row r; each step
  // takes a pair of dims: one vdpbf16ps per accumulator per two dims.
  Value zero = arith::ConstantOp::create(b, vecType,
                                         DenseElementsAttr::get(vecType, 0.0f));
  SmallVector<Value> init(2 * br, zero);
  Value block = arith::DivUIOp::create(b, j0, index(bc));
  Value padding =
      arith::ConstantOp::create(b, cast<TypedAttr>(b.getZeroAttr(bf16)));
  auto loop = scf::ForOp::create(
      b, index(0), index(llvm::divideCeil(headDim, 2)), index(1), init,
      [&](OpBuilder &nb, Location nl, Value p, ValueRange accs) {
        ImplicitLocOpBuilder lb(nl, nb);
        SmallVector<Value, 2> k;
        for (int64_t c = 0; c < 2; ++c)
          k.push_back(vector::TransferReadOp::create(
              lb, pairVecType, keysT,
              ValueRange{b0, kvHead, block, p,
                         arith::ConstantIndexOp::create(lb, 2 * c * vl)},
              padding, ArrayRef<bool>{true}));
        Value d =
            arith::MulIOp::create(lb, p, arith::ConstantIndexOp::create(lb, 2));
        SmallVector<Value> next;
        for (int64_t r = 0; r < br; ++r) {
          // An odd D reads 0 past its last element.
          Value q = attnc::broadcastBF16Pair(lb, nl, queries,
                                             ValueRange{b0, h, rows[r], d}, vl,
                                             /*inBounds=*/headDim % 2 == 0);
          for (int64_t c = 0; c < 2; ++c)
            next.push_back(
                attnc::dotBF16Pairs(lb, nl, accs[2 * r + c], q, k[c]));
        }
        scf::YieldOp::create(lb, next);
      });
  return scaleScores(loop.getResults());
}

void FlashKernelBuilder::accumulateValuesDot(Value b0, Value kvHead, Value j0,
                                             Value pTile, Value oTile,
                                             int64_t rowBase,
                                             ArrayRef<Value> alphas) {
  // accumulateValues on vdpbf16ps: each step takes a pair of keys, the
  // (bf16) P[r, 2p .. 2p + 1] broadcast against the packed V pairs of a
  // column group of up to two vectors (this path runs at the FMA peak;
  // groups of three measured no faster on P2).
  Value block = arith::DivUIOp::create(b, j0, index(bc));
  Value padding =
      arith::ConstantOp::create(b, cast<TypedAttr>(b.getZeroAttr(bf16)));
  for (std::pair<int64_t, int64_t> group : getValueColumnGroups(2)) {
    // The group's first column and vectors (named, not bound: the lambda
    // below captures them).
    int64_t e = group.first, width = group.second;
    SmallVector<Value> accs =
        loadScaledOutput(oTile, rowBase, e, width, alphas);
    auto loop = scf::ForOp::create(
        b, index(0), index(bc / 2), index(1), accs,
        [&](OpBuilder &nb, Location nl, Value p, ValueRange iter) {
          ImplicitLocOpBuilder lb(nl, nb);
          SmallVector<Value, 2> v;
          for (int64_t c = 0; c < width; ++c)
            v.push_back(vector::TransferReadOp::create(
                lb, pairVecType, valuePairs,
                ValueRange{
                    b0, kvHead, block, p,
                    arith::ConstantIndexOp::create(lb, 2 * (e + c * vl))},
                padding, ArrayRef<bool>{true}));
          Value j = arith::MulIOp::create(
              lb, p, arith::ConstantIndexOp::create(lb, 2));
          SmallVector<Value> next;
          for (int64_t r = 0; r < br; ++r) {
            Value pPair = attnc::broadcastBF16Pair(
                lb, nl, pTile,
                ValueRange{arith::ConstantIndexOp::create(lb, r), j}, vl);
            for (int64_t c = 0; c < width; ++c)
              next.push_back(attnc::dotBF16Pairs(lb, nl, iter[r * width + c],
                                                 pPair, v[c]));
          }
          scf::YieldOp::create(lb, next);
        });
    storeOutput(loop.getResults(), oTile, rowBase, e, width);
  }
}
