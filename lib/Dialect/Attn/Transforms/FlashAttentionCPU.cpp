//===- FlashAttentionCPU.cpp - fused flash attention for CPUs ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Lowers attn.attention into one fused kernel in the style of
// FlashAttention-2, written with vector ops sized for the target's registers:
//
//   Kt = pack(K)                    [B, Hkv, Skv/Bc, D, Bc], once per call
//   scf.forall (b * Hq + h, query block of Br rows) {
//     m[r] = -inf, l[r] = 0, O_tile[Br, Dv] = 0         (O_tile in L1)
//     for each block of Bc = 2 * VL keys in the visible range:
//       S[r, :] = scale * sum_d Q[r, d] * Kt[d, :]      2 * Br vector accs
//       S = -inf where masked                           only on edge blocks
//       m' = max(m, rowmax S); P = exp(S - m'); alpha = exp(m - m')
//       l = l * alpha + rowsum P; P -> L1 scratch
//       O_tile[r, :] = O_tile[r, :] * alpha + sum_j P[r, j] * V[j, :]
//     O[rows] = O_tile / l   (0 where l == 0: the row saw no key)
//   }
//
// The [Sq, Skv] score matrix never exists in memory. Causal and
// sliding-window masks shrink the key range of each query block, so fully
// masked blocks are never visited, and only blocks that straddle a mask edge
// (or the end of the keys) evaluate the mask. Attention ops this kernel does
// not cover are left alone for attn-decompose.
//
//===----------------------------------------------------------------------===//

#include "KernelRewrite.h"
#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/Transforms/KeyRange.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"
#include "attnc/Transforms/KernelTiles.h"
#include "attnc/Transforms/LowPrecision.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "llvm/Support/MathExtras.h"

#include <functional>
#include <limits>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFLASHCPU
#include "attnc/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Register tiling of the kernel.
struct FlashTiling {
  /// Query rows per tile.
  int64_t blockQ;
  /// f32 lanes per vector; key blocks hold two vectors.
  int64_t vectorWidth;
  /// bf16 attention uses AVX512-BF16 dot products (vdpbf16ps).
  bool bf16Dot;
};

/// Why the fused kernel cannot take `op`, or an empty string.
std::string getUnsupportedReason(AttentionOp op, const FlashTiling &tiling) {
  // f16 and bf16 are read in their type and widened in registers; the
  // scores, softmax and accumulation are f32 for every type.
  Type elementType =
      cast<RankedTensorType>(op.getQuery().getType()).getElementType();
  for (Value v : {op.getKey(), op.getValue(), op.getInit()})
    if (cast<RankedTensorType>(v.getType()).getElementType() != elementType)
      return "query, key, value and result element types differ";
  auto valueType = cast<RankedTensorType>(op.getValue().getType());
  auto queryType = cast<RankedTensorType>(op.getQuery().getType());
  // Dv need not be a multiple of the vector width: the accumulator tile is
  // padded to whole vectors and the last vector of a V row is a masked read.
  if (queryType.isDynamicDim(3) || valueType.isDynamicDim(3))
    return "head dims must be static";
  return "";
}

/// Emits the kernel for one attn.attention.
class FlashKernelBuilder {
public:
  FlashKernelBuilder(AttentionOp op, const FlashTiling &tiling,
                     OpBuilder &builder)
      : op(op), b(op.getLoc(), builder), br(tiling.blockQ),
        vl(tiling.vectorWidth), bc(2 * tiling.vectorWidth),
        f32(builder.getF32Type()),
        vecType(VectorType::get({tiling.vectorWidth}, f32)) {
    auto queryType = cast<RankedTensorType>(op.getQuery().getType());
    auto keyType = cast<RankedTensorType>(op.getKey().getType());
    numQueryHeads = queryType.getDimSize(1);
    groups = numQueryHeads / keyType.getDimSize(1);
    headDim = queryType.getDimSize(3);
    valueDim = cast<RankedTensorType>(op.getValue().getType()).getDimSize(3);
    paddedValueDim = llvm::alignTo(valueDim, vl);
    elementType = queryType.getElementType();
    dot = tiling.bf16Dot && elementType.isBF16();
    bf16 = builder.getBF16Type();
    pairVecType = VectorType::get({2 * vl}, bf16);
  }

  Value build();

private:
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value f32Const(float v) {
    return arith::ConstantOp::create(b, b.getF32FloatAttr(v));
  }
  Value dim(Value tensor, int64_t idx) {
    return getValueOrCreateConstantIndexOp(
        b, b.getLoc(), tensor::getMixedSize(b, b.getLoc(), tensor, idx));
  }
  Value minIndex(Value x, Value y) { return arith::MinSIOp::create(b, x, y); }
  Value maxIndex(Value x, Value y) { return arith::MaxSIOp::create(b, x, y); }

  Value transposeKeys();
  Value packKeyPairs();
  Value packValuePairs();
  SmallVector<Value> computeScoresDot(Value b0, Value h, Value kvHead,
                                      ArrayRef<Value> rows, Value j0);
  void accumulateValuesDot(Value b0, Value kvHead, Value j0, Value pTile,
                           Value oTile, ArrayRef<Value> alphas);
  SmallVector<Value> scaleScores(ValueRange accs);
  void buildTile(Value bh, Value queryBlock, Value outTile);
  SmallVector<Value> computeScores(Value b0, Value h, Value kvHead,
                                   ArrayRef<Value> rows, Value j0);
  SmallVector<Value> maskScores(ArrayRef<Value> scores, Value j0,
                                ArrayRef<Value> positions);
  SmallVector<Value> applyMaskOperand(ArrayRef<Value> scores, Value b0, Value h,
                                      ArrayRef<Value> rows, Value j0);
  void accumulateValues(Value b0, Value kvHead, Value j0, Value pTile,
                        Value oTile, ArrayRef<Value> alphas);

  AttentionOp op;
  ImplicitLocOpBuilder b;
  int64_t br, vl, bc;
  Type f32;
  VectorType vecType;
  /// The element type of Q, K, V and O (f32, f16 or bf16).
  Type elementType;

  /// `v` (a scalar or vector of elementType) in f32.
  Value widen(OpBuilder &ob, Location loc, Value v) {
    return attnc::widenToF32(ob, loc, v);
  }
  /// bf16 Q K^T and P V on vdpbf16ps: K and V are packed in pairs along the
  /// reduction dim, P is rounded to bf16.
  bool dot;
  Type bf16;
  /// 2 * VL bf16 values: VL pairs, one per f32 lane.
  VectorType pairVecType;
  int64_t numQueryHeads, groups, headDim, valueDim;
  /// Dv rounded up to whole vectors: the width of the accumulator tile.
  int64_t paddedValueDim;

  // Values shared by the whole kernel.
  Value keysT, valuePairs, queries, numQueries, numKeys, minusInf;
  /// f16 (and widened bf16) queries: the tile's rows widened to f32 once,
  /// [Br, D] in L1, so that the score loop broadcasts them from memory as
  /// for f32 instead of converting each element again for every key block.
  Value queryTile;
  /// An i1 keep-mask widened to i8, one byte per element as memrefs store
  /// i1, so that it can be read a vector at a time (LLVM packs vectors of
  /// i1 into bits).
  Value keepMaskBytes;
};

Value FlashKernelBuilder::transposeKeys() {
  // Kt[b, h, jb, d, c] = K[b, h, jb * Bc + c, d], zero past Skv: every key
  // block is one contiguous D x Bc panel, read with unit stride by the score
  // loop (a plain [D, Skv] transpose would stride by Skv and thrash L1).
  Value key = op.getKey();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, b.getLoc(), key);
  Value numBlocks = arith::CeilDivUIOp::create(b, numKeys, index(bc));
  SmallVector<OpFoldResult> packedSizes = {sizes[0], sizes[1], numBlocks,
                                           b.getIndexAttr(headDim),
                                           b.getIndexAttr(bc)};
  Value init = tensor::EmptyOp::create(b, packedSizes, f32);
  Value lastKey = arith::SubIOp::create(b, numKeys, index(1));
  AffineMap identity = b.getMultiDimIdentityMap(5);
  return linalg::GenericOp::create(
             b, init.getType(), ValueRange{}, init,
             ArrayRef<AffineMap>{identity},
             SmallVector<utils::IteratorType>(5, utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               ImplicitLocOpBuilder lb(nl, nb);
               Value idx[5];
               for (int64_t i = 0; i < 5; ++i)
                 idx[i] = linalg::IndexOp::create(lb, i);
               Value j = arith::AddIOp::create(
                   lb,
                   arith::MulIOp::create(
                       lb, idx[2], arith::ConstantIndexOp::create(lb, bc)),
                   idx[4]);
               Value valid = arith::CmpIOp::create(
                   lb, arith::CmpIPredicate::slt, j, numKeys);
               Value clamped = arith::MinSIOp::create(lb, j, lastKey);
               Value x = widen(
                   lb, lb.getLoc(),
                   tensor::ExtractOp::create(
                       lb, key, ValueRange{idx[0], idx[1], clamped, idx[3]}));
               Value zero =
                   arith::ConstantOp::create(lb, lb.getF32FloatAttr(0.0f));
               linalg::YieldOp::create(
                   lb, ValueRange{arith::SelectOp::create(lb, valid, x, zero)});
             })
      .getResult(0);
}

/// A [B, H, blocks, rows, cols] panel of `source`'s element type, element
/// [b, h, blk, i, c] = source[b, h, at(i, blk, c)] or 0 where `at` finds no
/// element (past the keys or the head dim).
using PanelIndexFn = std::function<std::pair<Value, SmallVector<Value, 2>>(
    ImplicitLocOpBuilder &, Value blk, Value row, Value col)>;

static Value packPanel(ImplicitLocOpBuilder &b, Value source, Value numBlocks,
                       int64_t rows, int64_t cols, PanelIndexFn at) {
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, b.getLoc(), source);
  Type elementType = cast<RankedTensorType>(source.getType()).getElementType();
  Value init =
      tensor::EmptyOp::create(b,
                              {sizes[0], sizes[1], numBlocks,
                               b.getIndexAttr(rows), b.getIndexAttr(cols)},
                              elementType);
  AffineMap identity = b.getMultiDimIdentityMap(5);
  return linalg::GenericOp::create(
             b, init.getType(), ValueRange{}, init,
             ArrayRef<AffineMap>{identity},
             SmallVector<utils::IteratorType>(5, utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               ImplicitLocOpBuilder lb(nl, nb);
               Value idx[5];
               for (int64_t i = 0; i < 5; ++i)
                 idx[i] = linalg::IndexOp::create(lb, i);
               auto [valid, inner] = at(lb, idx[2], idx[3], idx[4]);
               Value x = tensor::ExtractOp::create(
                   lb, source, ValueRange{idx[0], idx[1], inner[0], inner[1]});
               Value zero = arith::ConstantOp::create(
                   lb, cast<TypedAttr>(lb.getZeroAttr(elementType)));
               linalg::YieldOp::create(
                   lb, ValueRange{arith::SelectOp::create(lb, valid, x, zero)});
             })
      .getResult(0);
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
        Value valid = arith::AndIOp::create(
            lb,
            arith::CmpIOp::create(lb, arith::CmpIPredicate::slt, j, numKeys),
            arith::CmpIOp::create(lb, arith::CmpIPredicate::slt, d,
                                  c(headDim)));
        return std::make_pair(
            valid, SmallVector<Value, 2>{
                       arith::MinSIOp::create(lb, j, lastKey),
                       arith::MinSIOp::create(lb, d, c(headDim - 1))});
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
        Value valid = arith::AndIOp::create(
            lb,
            arith::CmpIOp::create(lb, arith::CmpIPredicate::slt, j, numKeys),
            arith::CmpIOp::create(lb, arith::CmpIPredicate::slt, e,
                                  c(valueDim)));
        return std::make_pair(
            valid, SmallVector<Value, 2>{
                       arith::MinSIOp::create(lb, j, lastKey),
                       arith::MinSIOp::create(lb, e, c(valueDim - 1))});
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

SmallVector<Value> FlashKernelBuilder::computeScores(Value b0, Value h,
                                                     Value kvHead,
                                                     ArrayRef<Value> rows,
                                                     Value j0) {
  // acc[r * 2 + c] holds keys j0 + c * VL ... for query row r.
  Value zero = arith::ConstantOp::create(b, vecType,
                                         DenseElementsAttr::get(vecType, 0.0f));
  SmallVector<Value> init(2 * br, zero);
  Value block = arith::DivUIOp::create(b, j0, index(bc));
  Value padding = f32Const(0.0f);
  auto loop = scf::ForOp::create(
      b, index(0), index(headDim), index(1), init,
      [&](OpBuilder &nb, Location nl, Value d, ValueRange accs) {
        ImplicitLocOpBuilder lb(nl, nb);
        // Keys past Skv are zero padding; the mask removes them.
        Value k0 = vector::TransferReadOp::create(
            lb, vecType, keysT,
            ValueRange{b0, kvHead, block, d,
                       arith::ConstantIndexOp::create(lb, 0)},
            padding, ArrayRef<bool>{true});
        Value k1 = vector::TransferReadOp::create(
            lb, vecType, keysT,
            ValueRange{b0, kvHead, block, d,
                       arith::ConstantIndexOp::create(lb, vl)},
            padding, ArrayRef<bool>{true});
        SmallVector<Value> next;
        for (int64_t r = 0; r < br; ++r) {
          // f32 queries are read in place; others from the widened tile.
          Value q = widen(
              lb, lb.getLoc(),
              queryTile
                  ? memref::LoadOp::create(
                        lb, queryTile,
                        ValueRange{arith::ConstantIndexOp::create(lb, r), d})
                        .getResult()
                  : tensor::ExtractOp::create(lb, queries,
                                              ValueRange{b0, h, rows[r], d})
                        .getResult());
          Value qv = vector::BroadcastOp::create(lb, vecType, q);
          next.push_back(
              vector::FMAOp::create(lb, vecType, qv, k0, accs[2 * r]));
          next.push_back(
              vector::FMAOp::create(lb, vecType, qv, k1, accs[2 * r + 1]));
        }
        scf::YieldOp::create(lb, next);
      });
  return scaleScores(loop.getResults());
}

SmallVector<Value> FlashKernelBuilder::scaleScores(ValueRange accs) {
  // Scaling the 2 * Br score vectors of a block costs less than a pass over
  // Q.
  Value scale =
      vector::BroadcastOp::create(b, vecType, f32Const(op.getScaleOrDefault()));
  SmallVector<Value> scaled;
  std::optional<APFloat> softcap = op.getSoftcap();
  Value cap, invCap;
  if (softcap) {
    float c = softcap->convertToFloat();
    cap = vector::BroadcastOp::create(b, vecType, f32Const(c));
    invCap = vector::BroadcastOp::create(b, vecType, f32Const(1.0f / c));
  }
  for (Value acc : accs) {
    Value s = arith::MulFOp::create(b, acc, scale);
    // cap * tanh(s / cap), with tanh approximated by attnc-approximate-math.
    if (softcap)
      s = arith::MulFOp::create(
          b, cap, math::TanhOp::create(b, arith::MulFOp::create(b, s, invCap)));
    scaled.push_back(s);
  }
  return scaled;
}

SmallVector<Value> FlashKernelBuilder::applyMaskOperand(ArrayRef<Value> scores,
                                                        Value b0, Value h,
                                                        ArrayRef<Value> rows,
                                                        Value j0) {
  // The mask is broadcastable to [B, Hq, Sq, Skv]: a static size-1 dim reads
  // index 0. An i1 mask keeps where true; a float mask is added. Keys past
  // Skv read padding; the positional mask hides them.
  Value mask = keepMaskBytes ? keepMaskBytes : op.getMask();
  auto maskType = cast<RankedTensorType>(mask.getType());
  Type elementType = maskType.getElementType();
  bool keepMask = static_cast<bool>(keepMaskBytes);
  auto at = [&](int64_t dimIdx, Value idx) {
    return maskType.getDimSize(dimIdx) == 1 ? index(0) : idx;
  };
  bool keysBroadcast = maskType.getDimSize(3) == 1;
  auto maskVecType = VectorType::get({vl}, elementType);
  Value padding =
      arith::ConstantOp::create(b, b.getZeroAttr(elementType)).getResult();
  Value minusInfV = vector::BroadcastOp::create(b, vecType, minusInf);
  SmallVector<Value> result;
  for (int64_t r = 0; r < br; ++r) {
    for (int64_t c = 0; c < 2; ++c) {
      Value key = arith::AddIOp::create(b, j0, index(c * vl));
      SmallVector<Value> indices = {at(0, b0), at(1, h), at(2, rows[r]),
                                    at(3, key)};
      Value m;
      if (keysBroadcast)
        m = vector::BroadcastOp::create(
            b, maskVecType, tensor::ExtractOp::create(b, mask, indices));
      else
        m = vector::TransferReadOp::create(b, maskVecType, mask, indices,
                                           padding, ArrayRef<bool>{false});
      Value s = scores[2 * r + c];
      if (keepMask) {
        Value keep = arith::CmpIOp::create(
            b, arith::CmpIPredicate::ne, m,
            arith::ConstantOp::create(
                b, DenseElementsAttr::get(maskVecType,
                                          b.getI8IntegerAttr(0).getValue())));
        result.push_back(arith::SelectOp::create(b, keep, s, minusInfV));
        continue;
      }
      if (!elementType.isF32())
        m = arith::ExtFOp::create(b, vecType, m);
      result.push_back(arith::AddFOp::create(b, s, m));
    }
  }
  return result;
}

SmallVector<Value> FlashKernelBuilder::maskScores(ArrayRef<Value> scores,
                                                  Value j0,
                                                  ArrayRef<Value> positions) {
  // Key indices of the two vectors, as i64 lanes.
  auto indexVecType = VectorType::get({vl}, b.getI64Type());
  SmallVector<Value> keyIdx;
  Value step =
      vector::StepOp::create(b, VectorType::get({vl}, b.getIndexType()));
  for (int64_t c = 0; c < 2; ++c) {
    Value base = arith::AddIOp::create(b, j0, index(c * vl));
    Value lanes = arith::AddIOp::create(
        b, vector::BroadcastOp::create(b, step.getType(), base), step);
    keyIdx.push_back(arith::IndexCastOp::create(b, indexVecType, lanes));
  }
  auto splat = [&](Value scalar) {
    return vector::BroadcastOp::create(
        b, indexVecType, arith::IndexCastOp::create(b, b.getI64Type(), scalar));
  };
  Value numKeysV = splat(numKeys);
  std::optional<uint64_t> window = op.getWindow();
  Value windowV = window ? splat(index(*window)) : Value();
  Value minusInfV = vector::BroadcastOp::create(b, vecType, minusInf);

  SmallVector<Value> masked;
  for (int64_t r = 0; r < br; ++r) {
    Value pos = splat(positions[r]);
    for (int64_t c = 0; c < 2; ++c) {
      Value j = keyIdx[c];
      Value keep =
          arith::CmpIOp::create(b, arith::CmpIPredicate::slt, j, numKeysV);
      auto conjoin = [&](Value cond) {
        keep = arith::AndIOp::create(b, keep, cond);
      };
      if (op.getCausal())
        conjoin(arith::CmpIOp::create(b, arith::CmpIPredicate::sle, j, pos));
      if (window) {
        conjoin(arith::CmpIOp::create(b, arith::CmpIPredicate::slt,
                                      arith::SubIOp::create(b, pos, j),
                                      windowV));
        if (!op.getCausal())
          conjoin(arith::CmpIOp::create(b, arith::CmpIPredicate::slt,
                                        arith::SubIOp::create(b, j, pos),
                                        windowV));
      }
      masked.push_back(
          arith::SelectOp::create(b, keep, scores[2 * r + c], minusInfV));
    }
  }
  return masked;
}

void FlashKernelBuilder::accumulateValues(Value b0, Value kvHead, Value j0,
                                          Value pTile, Value oTile,
                                          ArrayRef<Value> alphas) {
  // O[r, cols] = O[r, cols] * alpha[r] + sum_j P[r, j] V[j, cols], for
  // column groups of up to two vectors so that the Br x 2 accumulators stay
  // in registers across the Bc keys and each broadcast P[r, j] feeds two
  // FMAs.
  Value lastKey = arith::SubIOp::create(b, numKeys, index(1));
  Value padding =
      arith::ConstantOp::create(b, cast<TypedAttr>(b.getZeroAttr(elementType)));
  auto valueVecType = VectorType::get({vl}, elementType);
  for (int64_t e = 0; e < paddedValueDim; e += 2 * vl) {
    int64_t width = std::min<int64_t>(2, (paddedValueDim - e) / vl);
    SmallVector<Value> accs;
    for (int64_t r = 0; r < br; ++r) {
      Value alpha = vector::BroadcastOp::create(b, vecType, alphas[r]);
      for (int64_t c = 0; c < width; ++c) {
        Value o = vector::LoadOp::create(
            b, vecType, oTile, ValueRange{index(r), index(e + c * vl)});
        accs.push_back(arith::MulFOp::create(b, o, alpha));
      }
    }
    auto loop = scf::ForOp::create(
        b, index(0), index(bc), index(1), accs,
        [&](OpBuilder &nb, Location nl, Value jj, ValueRange iter) {
          ImplicitLocOpBuilder lb(nl, nb);
          // Keys past Skv have P = 0; read a valid row so 0 * V stays 0.
          Value key = arith::MinSIOp::create(
              lb, arith::AddIOp::create(lb, j0, jj), lastKey);
          // The vector that crosses Dv is a masked read: its lanes past
          // Dv are 0 and land in the padding of the tile.
          SmallVector<Value> v;
          for (int64_t c = 0; c < width; ++c)
            v.push_back(widen(
                lb, lb.getLoc(),
                vector::TransferReadOp::create(
                    lb, valueVecType, op.getValue(),
                    ValueRange{b0, kvHead, key,
                               arith::ConstantIndexOp::create(lb, e + c * vl)},
                    padding, ArrayRef<bool>{e + (c + 1) * vl <= valueDim})));
          SmallVector<Value> next;
          for (int64_t r = 0; r < br; ++r) {
            Value p = memref::LoadOp::create(
                lb, pTile,
                ValueRange{arith::ConstantIndexOp::create(lb, r), jj});
            Value pv = vector::BroadcastOp::create(lb, vecType, p);
            for (int64_t c = 0; c < width; ++c)
              next.push_back(vector::FMAOp::create(lb, vecType, pv, v[c],
                                                   iter[r * width + c]));
          }
          scf::YieldOp::create(lb, next);
        });
    for (int64_t r = 0; r < br; ++r)
      for (int64_t c = 0; c < width; ++c)
        vector::StoreOp::create(b, loop.getResult(r * width + c), oTile,
                                ValueRange{index(r), index(e + c * vl)});
  }
}

void FlashKernelBuilder::accumulateValuesDot(Value b0, Value kvHead, Value j0,
                                             Value pTile, Value oTile,
                                             ArrayRef<Value> alphas) {
  // accumulateValues on vdpbf16ps: each step takes a pair of keys, the
  // (bf16) P[r, 2p .. 2p + 1] broadcast against the packed V pairs of up to
  // two vectors of columns.
  Value block = arith::DivUIOp::create(b, j0, index(bc));
  Value padding =
      arith::ConstantOp::create(b, cast<TypedAttr>(b.getZeroAttr(bf16)));
  for (int64_t e = 0; e < paddedValueDim; e += 2 * vl) {
    int64_t width = std::min<int64_t>(2, (paddedValueDim - e) / vl);
    SmallVector<Value> accs;
    for (int64_t r = 0; r < br; ++r) {
      Value alpha = vector::BroadcastOp::create(b, vecType, alphas[r]);
      for (int64_t c = 0; c < width; ++c) {
        Value o = vector::LoadOp::create(
            b, vecType, oTile, ValueRange{index(r), index(e + c * vl)});
        accs.push_back(arith::MulFOp::create(b, o, alpha));
      }
    }
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
    for (int64_t r = 0; r < br; ++r)
      for (int64_t c = 0; c < width; ++c)
        vector::StoreOp::create(b, loop.getResult(r * width + c), oTile,
                                ValueRange{index(r), index(e + c * vl)});
  }
}

void FlashKernelBuilder::buildTile(Value bh, Value queryBlock, Value out) {
  Value b0 = arith::DivUIOp::create(b, bh, index(numQueryHeads));
  Value h = arith::RemUIOp::create(b, bh, index(numQueryHeads));
  Value kvHead = arith::DivUIOp::create(b, h, index(groups));
  Value q0 = arith::MulIOp::create(b, queryBlock, index(br));
  Value lastRow = arith::SubIOp::create(b, numQueries, index(1));
  Value rowsHere =
      minIndex(index(br), arith::SubIOp::create(b, numQueries, q0));

  // Rows past Sq repeat the last row; they are never written back.
  SmallVector<Value> rows, positions;
  Value offset = arith::SubIOp::create(b, numKeys, numQueries);
  for (int64_t r = 0; r < br; ++r) {
    rows.push_back(minIndex(arith::AddIOp::create(b, q0, index(r)), lastRow));
    positions.push_back(arith::AddIOp::create(b, offset, rows.back()));
  }

  // The keys any row of this tile can see, [kvBegin, kvEnd), and those
  // every row sees, [cleanBegin, cleanEnd): the rule all back ends share.
  KeyRange range =
      getVisibleKeys(b, b.getLoc(), MaskSpec{op.getCausal(), op.getWindow()},
                     positions.front(), positions.back(), numKeys, bc);
  Value kvBegin = range.begin, kvEnd = range.end;
  Value cleanBegin = range.cleanBegin, cleanEnd = range.cleanEnd;

  // P of the key block: f32, or bf16 (rounded) for the dot products.
  auto pTileType = MemRefType::get({br, bc}, dot ? bf16 : f32);
  auto oTileType = MemRefType::get({br, paddedValueDim}, f32);
  Value pTile = memref::AllocaOp::create(b, pTileType);
  Value oTile = memref::AllocaOp::create(b, oTileType);
  Value zeroVec = arith::ConstantOp::create(
      b, vecType, DenseElementsAttr::get(vecType, 0.0f));
  for (int64_t r = 0; r < br; ++r)
    for (int64_t e = 0; e < paddedValueDim; e += vl)
      vector::StoreOp::create(b, zeroVec, oTile,
                              ValueRange{index(r), index(e)});

  // Widened query rows (f16, and bf16 without the dot products).
  queryTile = Value();
  if (!elementType.isF32() && !dot) {
    int64_t paddedHeadDim = llvm::alignTo(headDim, vl);
    queryTile =
        memref::AllocaOp::create(b, MemRefType::get({br, paddedHeadDim}, f32));
    Value padding = arith::ConstantOp::create(
        b, cast<TypedAttr>(b.getZeroAttr(elementType)));
    auto rowType = VectorType::get({vl}, elementType);
    for (int64_t r = 0; r < br; ++r)
      for (int64_t e = 0; e < paddedHeadDim; e += vl) {
        Value row = vector::TransferReadOp::create(
            b, rowType, queries, ValueRange{b0, h, rows[r], index(e)}, padding,
            ArrayRef<bool>{e + vl <= headDim});
        vector::StoreOp::create(b, widen(b, b.getLoc(), row), queryTile,
                                ValueRange{index(r), index(e)});
      }
  }

  SmallVector<Value> stats(br, minusInf);
  stats.append(br, f32Const(0.0f));
  auto kvLoop = scf::ForOp::create(
      b, kvBegin, kvEnd, index(bc), stats,
      [&](OpBuilder &nb, Location, Value j0, ValueRange iter) {
        OpBuilder::InsertionGuard bodyGuard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        SmallVector<Value> scores =
            dot ? computeScoresDot(b0, h, kvHead, rows, j0)
                : computeScores(b0, h, kvHead, rows, j0);
        if (op.getMask())
          scores = applyMaskOperand(scores, b0, h, rows, j0);
        // Mask only blocks that are not entirely visible.
        Value blockEnd = arith::AddIOp::create(b, j0, index(bc));
        Value clean = arith::AndIOp::create(
            b,
            arith::CmpIOp::create(b, arith::CmpIPredicate::sle, blockEnd,
                                  cleanEnd),
            arith::CmpIOp::create(b, arith::CmpIPredicate::sge, j0,
                                  cleanBegin));
        auto maybeMask = scf::IfOp::create(
            b, clean,
            [&](OpBuilder &tb, Location tl) {
              scf::YieldOp::create(tb, tl, scores);
            },
            [&](OpBuilder &eb, Location) {
              OpBuilder::InsertionGuard elseGuard(b);
              b.setInsertionPoint(eb.getInsertionBlock(),
                                  eb.getInsertionPoint());
              scf::YieldOp::create(b, maskScores(scores, j0, positions));
            });

        // Online softmax, row by row.
        SmallVector<Value> newMax, newSum, alphas;
        Value zero = f32Const(0.0f);
        for (int64_t r = 0; r < br; ++r) {
          Value s0 = maybeMask.getResult(2 * r);
          Value s1 = maybeMask.getResult(2 * r + 1);
          Value rowMax =
              vector::ReductionOp::create(b, vector::CombiningKind::MAXIMUMF,
                                          arith::MaximumFOp::create(b, s0, s1));
          Value m = arith::MaximumFOp::create(b, iter[r], rowMax);
          // A row with no visible key so far keeps m = -inf; subtract 0
          // instead so that exp(-inf - -inf) never produces NaN.
          Value safe = arith::SelectOp::create(
              b,
              arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, m, minusInf),
              zero, m);
          Value safeV = vector::BroadcastOp::create(b, vecType, safe);
          Value p0 =
              math::ExpOp::create(b, arith::SubFOp::create(b, s0, safeV));
          Value p1 =
              math::ExpOp::create(b, arith::SubFOp::create(b, s1, safeV));
          auto toTile = [&](Value p) {
            return dot ? attnc::roundToBF16(b, b.getLoc(), p, /*native=*/true)
                       : p;
          };
          vector::StoreOp::create(b, toTile(p0), pTile,
                                  ValueRange{index(r), index(0)});
          vector::StoreOp::create(b, toTile(p1), pTile,
                                  ValueRange{index(r), index(vl)});
          Value alpha =
              math::ExpOp::create(b, arith::SubFOp::create(b, iter[r], safe));
          Value rowSum = vector::ReductionOp::create(
              b, vector::CombiningKind::ADD, arith::AddFOp::create(b, p0, p1),
              arith::FastMathFlags::reassoc);
          newSum.push_back(arith::AddFOp::create(
              b, arith::MulFOp::create(b, iter[br + r], alpha), rowSum));
          newMax.push_back(m);
          alphas.push_back(alpha);
        }
        if (dot)
          accumulateValuesDot(b0, kvHead, j0, pTile, oTile, alphas);
        else
          accumulateValues(b0, kvHead, j0, pTile, oTile, alphas);
        newMax.append(newSum);
        scf::YieldOp::create(b, newMax);
      });

  // Normalise the tile in place (or, for f16/bf16, into a tile of that
  // type) and hand it over as a tensor. (Building the tile as a chain of
  // Br * Dv / VL tensor writes instead makes one-shot bufferization
  // superlinearly slow.)
  Value outTile = oTile;
  if (!elementType.isF32())
    outTile = memref::AllocaOp::create(
        b, MemRefType::get({br, paddedValueDim}, elementType));
  auto outVecType = VectorType::get({vl}, elementType);
  for (int64_t r = 0; r < br; ++r) {
    Value l = kvLoop.getResult(br + r);
    Value inv = arith::SelectOp::create(
        b, arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, l, f32Const(0)),
        f32Const(0), arith::DivFOp::create(b, f32Const(1), l));
    Value invV = vector::BroadcastOp::create(b, vecType, inv);
    for (int64_t e = 0; e < paddedValueDim; e += vl) {
      SmallVector<Value, 2> at = {index(r), index(e)};
      Value o = vector::LoadOp::create(b, vecType, oTile, at);
      Value normalised = arith::MulFOp::create(b, o, invV);
      if (!elementType.isF32())
        normalised = arith::TruncFOp::create(b, outVecType, normalised);
      vector::StoreOp::create(b, normalised, outTile, at);
    }
  }
  auto forall = cast<scf::ForallOp>(out.getParentBlock()->getParentOp());
  attnc::insertTileInParallel(b, b.getLoc(), forall, outTile, rowsHere,
                              b.getIndexAttr(valueDim), out,
                              {b0, h, q0, b.getIndexAttr(0)});
}

Value FlashKernelBuilder::build() {
  numQueries = dim(op.getQuery(), 2);
  numKeys = dim(op.getKey(), 2);
  minusInf = f32Const(-std::numeric_limits<float>::infinity());
  if (dot) {
    keysT = packKeyPairs();
    valuePairs = packValuePairs();
  } else {
    keysT = transposeKeys();
  }
  queries = op.getQuery();
  if (Value mask = op.getMask();
      mask &&
      cast<RankedTensorType>(mask.getType()).getElementType().isInteger(1)) {
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(b, b.getLoc(), mask);
    Value init = tensor::EmptyOp::create(b, sizes, b.getI8Type());
    AffineMap identity = b.getMultiDimIdentityMap(4);
    keepMaskBytes =
        linalg::GenericOp::create(
            b, init.getType(), mask, init,
            ArrayRef<AffineMap>{identity, identity},
            SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              linalg::YieldOp::create(nb, nl,
                                      ValueRange{arith::ExtUIOp::create(
                                          nb, nl, nb.getI8Type(), args[0])});
            })
            .getResult(0);
  }

  Value batchHeads =
      arith::MulIOp::create(b, dim(op.getQuery(), 0), index(numQueryHeads));
  Value queryBlocks = arith::CeilDivUIOp::create(b, numQueries, index(br));
  auto forall =
      scf::ForallOp::create(b, ArrayRef<OpFoldResult>{batchHeads, queryBlocks},
                            ValueRange{op.getInit()}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Block *body = forall.getBody();
  buildTile(body->getArgument(0), body->getArgument(1), body->getArgument(2));
  return forall.getResult(0);
}

struct AttnFlashCPUPass
    : public attn::impl::AttnFlashCPUBase<AttnFlashCPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockQ <= 0 || (vectorWidth != 8 && vectorWidth != 16)) {
      getOperation()->emitError("attn-flash-cpu: expected block-q > 0 and "
                                "vector-width 8 or 16, got ")
          << blockQ.getValue() << " and " << vectorWidth.getValue();
      return signalPassFailure();
    }
    FlashTiling tiling{blockQ, vectorWidth, bf16Dot};
    // The softmax of attn.masked_softmax is fused only inside attention.
    if (reportFallbacks)
      getOperation()->walk([](MaskedSoftmaxOp op) {
        reportFallback(op, "no fused CPU kernel (the flash kernel fuses the "
                           "softmax only inside attn.attention)");
      });
    replaceByKernels<AttentionOp>(
        getOperation(), reportFallbacks,
        [&](AttentionOp op) { return getUnsupportedReason(op, tiling); },
        [&](AttentionOp op, OpBuilder &builder) {
          return SmallVector<Value>{
              FlashKernelBuilder(op, tiling, builder).build()};
        });
  }
};

} // namespace
