//===- FlashAttentionCPUBF16.cpp - attn-flash-cpu on vdpbf16ps -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The AVX512-BF16 path of attn-flash-cpu (`bf16-dot`): bf16 K and V are
// packed once per call in pairs along the reduction dim
// (FlashAttentionCPUPack.cpp), so that Q K^T and P V run on vdpbf16ps (two
// products per f32 lane and instruction) into f32 accumulators. The rest of the
// kernel (key loop, online softmax, masks) is shared with the widening path in
// FlashAttentionCPU.cpp.
//
//===----------------------------------------------------------------------===//

#include "FlashKernelBuilder.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::attn;

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
                                             int64_t rowBase, Value statsTile) {
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
        loadScaledOutput(oTile, rowBase, e, width, statsTile);
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
