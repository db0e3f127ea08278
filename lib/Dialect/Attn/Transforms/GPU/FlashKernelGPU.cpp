//===- FlashKernelGPU.cpp - FlashAttention-2 NVVM kernel bodies -----------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The bodies of attn-attention-gpu's kernels; the algorithm, the grid and
// the fragment layout are described in AttentionGPU.cpp.
//
//===----------------------------------------------------------------------===//

#include "FlashKernelGPU.h"

#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/IR/ShapeChecks.h"
#include "attnc/Dialect/Attn/Transforms/GPU/KernelUtils.h"
#include "attnc/Dialect/Attn/Transforms/KeyRange.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <limits>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_kernels;

std::string gpu_kernels::getUnsupportedReason(const FlashProblem &problem,
                                              const GPUTarget &target) {
  if (problem.usesTensorCores() && !target.hasMmaSync())
    return "f16/bf16 attention needs mma.sync (sm_80 or later)";
  if (problem.headDim % 16 != 0)
    return "the head dim (" + std::to_string(problem.headDim) +
           ") is not a multiple of 16";
  if (problem.valueDim % 16 != 0)
    return "the value head dim (" + std::to_string(problem.valueDim) +
           ") is not a multiple of 16";
  if (problem.headDim > 256 || problem.valueDim > 256)
    return "head dims above 256 are not supported";
  return "";
}

FailureOr<FlashTiling> gpu_kernels::selectTiling(const FlashProblem &problem,
                                                 const GPUTarget &target) {
  int64_t elementBytes = problem.elementType.getIntOrFloatBitWidth() / 8;
  bool tensorCores = problem.usesTensorCores();
  // 16-bit rows stay 16-byte aligned (+8 elements); f32 rows are read one
  // element at a time by 8 row groups (+1 element).
  int64_t pad = tensorCores ? 8 : 1;
  int64_t maxDim = std::max(problem.headDim, problem.valueDim);
  // f32 keeps 32 keys: its FMA loop holds the whole score tile and the
  // element loads in registers at once.
  int64_t firstBlockKV = maxDim <= 128 && tensorCores ? 64 : 32;
  for (int64_t blockKV = firstBlockKV; blockKV >= 16; blockKV /= 2) {
    FlashTiling tiling;
    tiling.blockKV = blockKV;
    tiling.qStride = problem.headDim + pad;
    tiling.kStride = problem.headDim + pad;
    tiling.vStride = problem.valueDim + pad;
    int64_t offset = 0;
    auto place = [&](int64_t bytes) {
      int64_t at = offset;
      offset += (bytes + 15) / 16 * 16;
      return at;
    };
    tiling.qOffset = place(kBlockQ * tiling.qStride * elementBytes);
    tiling.kOffset = place(blockKV * tiling.kStride * elementBytes);
    tiling.vOffset = place(blockKV * tiling.vStride * elementBytes);
    if (!tensorCores)
      tiling.pOffset = place(kWarps * kRowsPerWarp * blockKV * 4);
    tiling.sharedMemoryBytes = offset;
    if (offset <= target.maxSharedMemoryPerBlock)
      return tiling;
  }
  return failure();
}

namespace {

/// Builds the body of one flash kernel.
class FlashKernelBuilder {
public:
  FlashKernelBuilder(ImplicitLocOpBuilder &b, const FlashProblem &problem,
                     const FlashTiling &tiling)
      : b(b), p(problem), t(tiling), f32(b.getF32Type()) {}

  /// Emits the kernel body; `args` are the kernel's arguments in the order
  /// of buildKernelArguments.
  void build(ValueRange args);

private:
  // Arithmetic helpers.
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value f32Const(float v) {
    return arith::ConstantOp::create(b, b.getF32FloatAttr(v));
  }
  Value i32Const(int32_t v) {
    return arith::ConstantIntOp::create(b, b.getI32Type(), v);
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value add(Value x, int64_t y) { return add(x, index(y)); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, x, y); }
  Value mul(Value x, int64_t y) { return mul(x, index(y)); }
  Value div(Value x, Value y) { return arith::DivUIOp::create(b, x, y); }
  Value div(Value x, int64_t y) { return div(x, index(y)); }
  Value rem(Value x, Value y) { return arith::RemUIOp::create(b, x, y); }
  Value rem(Value x, int64_t y) { return rem(x, index(y)); }
  Value minI(Value x, Value y) { return arith::MinSIOp::create(b, x, y); }
  Value cmp(arith::CmpIPredicate pred, Value x, Value y) {
    return arith::CmpIOp::create(b, pred, x, y);
  }
  Value lt(Value x, Value y) { return cmp(arith::CmpIPredicate::slt, x, y); }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, c, x, y);
  }
  Value dim(Value buffer, int64_t d) {
    return memref::DimOp::create(b, buffer, d);
  }
  Value toF32(Value v) {
    if (v.getType().isF32())
      return v;
    return arith::ExtFOp::create(b, f32, v);
  }
  Value fromF32(Value v, Type type) {
    if (type.isF32())
      return v;
    return arith::TruncFOp::create(b, type, v);
  }
  Value toIndex(Value v) {
    if (v.getType().isIndex())
      return v;
    return arith::IndexCastOp::create(b, b.getIndexType(), v);
  }

  /// The value of lane `lane ^ offset` (lanes of a row: offsets 1 and 2).
  Value shuffleXor(Value v, int32_t offset) {
    return NVVM::ShflOp::create(b, f32, i32Const(-1), v, i32Const(offset),
                                i32Const(31), NVVM::ShflKind::bfly, UnitAttr());
  }
  /// max or sum over the 4 lanes that share a row.
  Value rowReduce(Value v, bool isMax) {
    for (int32_t offset : {1, 2}) {
      Value other = shuffleXor(v, offset);
      v = isMax ? arith::MaximumFOp::create(b, v, other).getResult()
                : arith::AddFOp::create(b, v, other).getResult();
    }
    return v;
  }

  /// Copies `rows` rows of `cols` elements into a shared tile, one element
  /// per thread per step; `load(row, col)` yields the element or zero.
  void copyTile(Value tile, int64_t rows, int64_t cols,
                function_ref<Value(Value, Value)> load);

  /// A 16-bit pair at (row, col), (row, col + 1) of a shared tile as an
  /// mma operand register (vector<2xf16>, or i32 for bf16).
  Value loadPair(Value tile, Value row, Value col);
  /// The pair (v0, v1) as an mma operand register.
  Value packPair(Value v0, Value v1);
  /// One m16n8k16 mma with f32 accumulators (4 values).
  SmallVector<Value> mma(ArrayRef<Value> a, ArrayRef<Value> bFrag,
                         ArrayRef<Value> c);

  /// S = Qs Ks^T for this warp: blockKV / 8 tiles of 4 values each.
  SmallVector<Value> computeScores(Value qs, Value ks);
  /// O += P Vs, P in the same layout as S.
  SmallVector<Value> accumulateValues(ArrayRef<Value> probs,
                                      ArrayRef<Value> acc, Value vs, Value ps);

  ImplicitLocOpBuilder &b;
  const FlashProblem &p;
  const FlashTiling &t;
  Type f32;
  // Per-thread coordinates, set by build().
  Value tid, warp, lane, group, quad;
};

void FlashKernelBuilder::copyTile(Value tile, int64_t rows, int64_t cols,
                                  function_ref<Value(Value, Value)> load) {
  scf::ForOp::create(
      b, tid, index(rows * cols), index(kThreads), ValueRange{},
      [&](OpBuilder &nb, Location, Value idx, ValueRange) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        Value row = div(idx, cols);
        Value col = rem(idx, cols);
        Value v = load(row, col);
        memref::StoreOp::create(b, v, tile, ValueRange{row, col});
        scf::YieldOp::create(b);
      });
}

Value FlashKernelBuilder::packPair(Value v0, Value v1) {
  auto pairType = VectorType::get({2}, p.elementType);
  Value pair = vector::FromElementsOp::create(b, pairType, ValueRange{v0, v1});
  if (p.elementType.isF16())
    return pair;
  // bf16 mma.sync takes i32-packed operands (nvgpu.mma.sync has no bf16
  // lowering in MLIR 22; nvvm.mma.sync does).
  Value word =
      vector::BitCastOp::create(b, VectorType::get({1}, b.getI32Type()), pair);
  return vector::ExtractOp::create(b, word, ArrayRef<int64_t>{0});
}

Value FlashKernelBuilder::loadPair(Value tile, Value row, Value col) {
  auto pairType = VectorType::get({2}, p.elementType);
  Value pair = vector::LoadOp::create(b, pairType, tile, ValueRange{row, col});
  if (p.elementType.isF16())
    return pair;
  Value word =
      vector::BitCastOp::create(b, VectorType::get({1}, b.getI32Type()), pair);
  return vector::ExtractOp::create(b, word, ArrayRef<int64_t>{0});
}

SmallVector<Value> FlashKernelBuilder::mma(ArrayRef<Value> a,
                                           ArrayRef<Value> bFrag,
                                           ArrayRef<Value> c) {
  MLIRContext *context = b.getContext();
  auto resultType =
      LLVM::LLVMStructType::getLiteral(context, {f32, f32, f32, f32});
  NVVM::MMATypes operandType =
      p.elementType.isF16() ? NVVM::MMATypes::f16 : NVVM::MMATypes::bf16;
  Value d = NVVM::MmaOp::create(
      b, resultType, a, bFrag, c, ArrayRef<int64_t>{16, 8, 16}, std::nullopt,
      std::nullopt, std::array<NVVM::MMATypes, 2>{operandType, operandType},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  SmallVector<Value> out;
  for (int64_t i = 0; i < 4; ++i)
    out.push_back(LLVM::ExtractValueOp::create(b, d, ArrayRef<int64_t>{i}));
  return out;
}

SmallVector<Value> FlashKernelBuilder::computeScores(Value qs, Value ks) {
  int64_t numTiles = t.blockKV / 8;
  Value rowA = add(mul(warp, kRowsPerWarp), group);
  Value rowB = add(rowA, 8);
  Value zero = f32Const(0.0f);
  SmallVector<Value> acc(numTiles * 4, zero);
  if (p.usesTensorCores()) {
    // k outer, key tiles inner: one A fragment live at a time.
    for (int64_t k0 = 0; k0 < p.headDim; k0 += 16) {
      Value c0 = add(mul(quad, 2), k0);
      Value c8 = add(c0, 8);
      SmallVector<Value> a = {loadPair(qs, rowA, c0), loadPair(qs, rowB, c0),
                              loadPair(qs, rowA, c8), loadPair(qs, rowB, c8)};
      for (int64_t n = 0; n < numTiles; ++n) {
        Value key = add(group, n * 8);
        SmallVector<Value> bFrag = {loadPair(ks, key, c0),
                                    loadPair(ks, key, c8)};
        SmallVector<Value> c(acc.begin() + n * 4, acc.begin() + n * 4 + 4);
        SmallVector<Value> d = mma(a, bFrag, c);
        std::copy(d.begin(), d.end(), acc.begin() + n * 4);
      }
    }
    return acc;
  }
  // f32: the same fragments, one FMA at a time.
  auto loop = scf::ForOp::create(
      b, index(0), index(p.headDim), index(1), acc,
      [&](OpBuilder &nb, Location, Value d, ValueRange iter) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        Value qa = memref::LoadOp::create(b, qs, ValueRange{rowA, d});
        Value qb = memref::LoadOp::create(b, qs, ValueRange{rowB, d});
        SmallVector<Value> next;
        for (int64_t n = 0; n < numTiles; ++n) {
          Value key0 = add(mul(quad, 2), n * 8);
          Value k0 = memref::LoadOp::create(b, ks, ValueRange{key0, d});
          Value k1 = memref::LoadOp::create(b, ks, ValueRange{add(key0, 1), d});
          next.push_back(math::FmaOp::create(b, qa, k0, iter[n * 4 + 0]));
          next.push_back(math::FmaOp::create(b, qa, k1, iter[n * 4 + 1]));
          next.push_back(math::FmaOp::create(b, qb, k0, iter[n * 4 + 2]));
          next.push_back(math::FmaOp::create(b, qb, k1, iter[n * 4 + 3]));
        }
        scf::YieldOp::create(b, next);
      });
  return SmallVector<Value>(loop.getResults());
}

SmallVector<Value> FlashKernelBuilder::accumulateValues(ArrayRef<Value> probs,
                                                        ArrayRef<Value> acc,
                                                        Value vs, Value ps) {
  int64_t outTiles = p.valueDim / 8;
  SmallVector<Value> out(acc.begin(), acc.end());
  if (p.usesTensorCores()) {
    for (int64_t k0 = 0; k0 < t.blockKV; k0 += 16) {
      // The score tiles of keys [k0, k0 + 8) and [k0 + 8, k0 + 16) are the
      // A fragment of keys [k0, k0 + 16): rows g and g + 8, columns 2t and
      // 2t + 1 of each half.
      int64_t lo = (k0 / 8) * 4, hi = lo + 4;
      Type et = p.elementType;
      SmallVector<Value> a = {
          packPair(fromF32(probs[lo + 0], et), fromF32(probs[lo + 1], et)),
          packPair(fromF32(probs[lo + 2], et), fromF32(probs[lo + 3], et)),
          packPair(fromF32(probs[hi + 0], et), fromF32(probs[hi + 1], et)),
          packPair(fromF32(probs[hi + 2], et), fromF32(probs[hi + 3], et))};
      Value key0 = add(mul(quad, 2), k0);
      Value key1 = add(key0, 1);
      Value key8 = add(key0, 8);
      Value key9 = add(key0, 9);
      for (int64_t n = 0; n < outTiles; ++n) {
        Value col = add(group, n * 8);
        auto at = [&](Value key) {
          return memref::LoadOp::create(b, vs, ValueRange{key, col})
              .getResult();
        };
        SmallVector<Value> bFrag = {packPair(at(key0), at(key1)),
                                    packPair(at(key8), at(key9))};
        SmallVector<Value> c(out.begin() + n * 4, out.begin() + n * 4 + 4);
        SmallVector<Value> d = mma(a, bFrag, c);
        std::copy(d.begin(), d.end(), out.begin() + n * 4);
      }
    }
    return out;
  }
  // f32: P goes through this warp's shared tile [16, blockKV], where every
  // lane of a row can read all of it.
  Value rowA = group, rowB = add(group, 8);
  int64_t numTiles = t.blockKV / 8;
  for (int64_t n = 0; n < numTiles; ++n) {
    Value key = add(mul(quad, 2), n * 8);
    memref::StoreOp::create(b, probs[n * 4 + 0], ps,
                            ValueRange{warp, rowA, key});
    memref::StoreOp::create(b, probs[n * 4 + 1], ps,
                            ValueRange{warp, rowA, add(key, 1)});
    memref::StoreOp::create(b, probs[n * 4 + 2], ps,
                            ValueRange{warp, rowB, key});
    memref::StoreOp::create(b, probs[n * 4 + 3], ps,
                            ValueRange{warp, rowB, add(key, 1)});
  }
  gpu::BarrierOp::create(b);
  for (int64_t n = 0; n < outTiles; ++n) {
    Value col = add(mul(quad, 2), n * 8);
    Value col1 = add(col, 1);
    SmallVector<Value> init(out.begin() + n * 4, out.begin() + n * 4 + 4);
    auto loop = scf::ForOp::create(
        b, index(0), index(t.blockKV), index(1), init,
        [&](OpBuilder &nb, Location, Value k, ValueRange iter) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          Value pa = memref::LoadOp::create(b, ps, ValueRange{warp, rowA, k});
          Value pb = memref::LoadOp::create(b, ps, ValueRange{warp, rowB, k});
          Value v0 = memref::LoadOp::create(b, vs, ValueRange{k, col});
          Value v1 = memref::LoadOp::create(b, vs, ValueRange{k, col1});
          scf::YieldOp::create(
              b, ValueRange{math::FmaOp::create(b, pa, v0, iter[0]),
                            math::FmaOp::create(b, pa, v1, iter[1]),
                            math::FmaOp::create(b, pb, v0, iter[2]),
                            math::FmaOp::create(b, pb, v1, iter[3])});
        });
    std::copy(loop.getResults().begin(), loop.getResults().end(),
              out.begin() + n * 4);
  }
  return out;
}

void FlashKernelBuilder::build(ValueRange args) {
  MLIRContext *context = b.getContext();
  // Arguments: Q, K, V, [mask], [seq_lens], [block_table], outputs
  // (O, or O/max/sum partials), number of splits.
  unsigned next = 0;
  Value query = args[next++], keys = args[next++], values = args[next++];
  Value maskBuf = p.maskOperand ? args[next++] : Value();
  Value lensBuf = p.decode ? args[next++] : Value();
  Value tableBuf = p.blockTable ? args[next++] : Value();
  Value out = args[next++];
  Value maxOut = p.split ? args[next++] : Value();
  Value sumOut = p.split ? args[next++] : Value();
  Value numSplits = args[next++];

  tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  warp = div(tid, kWarpSize);
  lane = rem(tid, kWarpSize);
  group = div(lane, 4);
  quad = rem(lane, 4);
  Value queryBlock = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value blockY = gpu::BlockIdOp::create(b, gpu::Dimension::y);
  Value batchSplit = gpu::BlockIdOp::create(b, gpu::Dimension::z);
  Value batch = div(batchSplit, numSplits);
  Value split = rem(batchSplit, numSplits);

  Value numQueries = dim(query, 2);
  Value groups = div(dim(query, 1), dim(keys, 1));
  // The block's rows. Attention: query rows of head blockIdx.y. Decode packs
  // the G query heads that share KV head blockIdx.y, times the Sq new rows,
  // into the rows (GQA packing: each K/V tile serves the whole group, and
  // one-token decode fills G rows instead of one): packed row r is head
  // kvHead * G + r / Sq, new row r % Sq.
  bool packed = p.decode;
  Value kvHead = packed ? blockY : div(blockY, groups);
  Value numRows = packed ? mul(groups, numQueries) : numQueries;
  auto rowHead = [&](Value r) -> Value {
    return packed ? add(mul(kvHead, groups), div(r, numQueries)) : blockY;
  };
  auto rowQuery = [&](Value r) -> Value {
    return packed ? rem(r, numQueries) : r;
  };

  // The number of keys of this sequence, and where the cache's rows are.
  Value numKeys;
  int64_t pageSize = 0;
  if (p.decode) {
    Value len = toIndex(memref::LoadOp::create(b, lensBuf, batch));
    Value capacity = dim(keys, 2);
    if (tableBuf) {
      pageSize = cast<MemRefType>(keys.getType()).getDimSize(2);
      capacity = mul(dim(tableBuf, 1), pageSize);
    }
    // The reference lowering's checks, in the kernel; every block id the
    // sequence uses is checked below, where it is read.
    Value lenOk =
        arith::AndIOp::create(b, cmp(arith::CmpIPredicate::sge, len, index(0)),
                              cmp(arith::CmpIPredicate::sle, len, capacity));
    cf::AssertOp::create(
        b, lenOk,
        getRuntimeCheckMessage(p.op,
                               "sequence length outside [0, cache capacity]"));
    numKeys = len;
  } else {
    numKeys = dim(keys, 2);
  }
  Value numBlocks = tableBuf ? dim(keys, 0) : Value();

  // Positions of the block's rows; rows past the end take the last row's.
  // Packed rows cover new rows 0 .. Sq - 1 of several heads: the range of
  // all of them is the block's (exact for one-token decode).
  Value q0 = mul(queryBlock, kBlockQ);
  Value offset = sub(numKeys, numQueries);
  Value firstPos = add(offset, q0);
  Value lastPos =
      add(offset, sub(minI(add(q0, kBlockQ), numQueries), index(1)));
  if (packed) {
    firstPos = offset;
    lastPos = sub(numKeys, index(1));
  }
  KeyRange range = getVisibleKeys(b, b.getLoc(), p.mask, firstPos, lastPos,
                                  numKeys, t.blockKV);
  if (p.split) {
    auto [splitBegin, splitEnd] =
        getSplitKeys(b, b.getLoc(), numKeys, split, numSplits, t.blockKV);
    range = intersectKeys(b, b.getLoc(), range, splitBegin, splitEnd);
  }

  // Shared tiles.
  Type et = p.elementType;
  Value qs =
      getSharedMemoryView(b, b.getLoc(), t.qOffset, {kBlockQ, t.qStride}, et);
  Value ks =
      getSharedMemoryView(b, b.getLoc(), t.kOffset, {t.blockKV, t.kStride}, et);
  Value vs =
      getSharedMemoryView(b, b.getLoc(), t.vOffset, {t.blockKV, t.vStride}, et);
  Value ps = p.usesTensorCores()
                 ? Value()
                 : getSharedMemoryView(b, b.getLoc(), t.pOffset,
                                       {kWarps, kRowsPerWarp, t.blockKV}, f32);
  Value zeroElement =
      arith::ConstantOp::create(b, cast<TypedAttr>(b.getZeroAttr(et)));

  // Q tile, zero past the last row.
  copyTile(qs, kBlockQ, p.headDim, [&](Value row, Value col) -> Value {
    Value r = add(q0, row);
    return scf::IfOp::create(
               b, lt(r, numRows),
               [&](OpBuilder &nb, Location loc) {
                 OpBuilder::InsertionGuard guard(b);
                 b.setInsertionPoint(nb.getInsertionBlock(),
                                     nb.getInsertionPoint());
                 Value v = memref::LoadOp::create(
                     b, query, ValueRange{batch, rowHead(r), rowQuery(r), col});
                 scf::YieldOp::create(b, v);
               },
               [&](OpBuilder &nb, Location loc) {
                 scf::YieldOp::create(nb, loc, zeroElement);
               })
        .getResult(0);
  });

  // Where key `j` of this sequence lives: (cache batch or block, row).
  auto keyLocation = [&](Value j) -> std::pair<Value, Value> {
    if (!tableBuf)
      return {batch, j};
    Value block = toIndex(memref::LoadOp::create(
        b, tableBuf, ValueRange{batch, div(j, pageSize)}));
    return {block, rem(j, pageSize)};
  };
  // One K or V tile of keys [j0, j0 + Bc), zero past the visible range.
  auto loadKeyTile = [&](Value tile, Value source, int64_t width, Value j0,
                         Value end) {
    copyTile(tile, t.blockKV, width, [&](Value row, Value col) -> Value {
      Value j = add(j0, row);
      return scf::IfOp::create(
                 b, lt(j, end),
                 [&](OpBuilder &nb, Location loc) {
                   OpBuilder::InsertionGuard guard(b);
                   b.setInsertionPoint(nb.getInsertionBlock(),
                                       nb.getInsertionPoint());
                   auto [outer, slot] = keyLocation(j);
                   if (tableBuf) {
                     Value ok = arith::AndIOp::create(
                         b, cmp(arith::CmpIPredicate::sge, outer, index(0)),
                         lt(outer, numBlocks));
                     cf::AssertOp::create(
                         b, ok,
                         getRuntimeCheckMessage(
                             p.op, "block id outside [0, num_blocks)"));
                   }
                   Value v = memref::LoadOp::create(
                       b, source, ValueRange{outer, kvHead, slot, col});
                   scf::YieldOp::create(b, v);
                 },
                 [&](OpBuilder &nb, Location loc) {
                   scf::YieldOp::create(nb, loc, zeroElement);
                 })
          .getResult(0);
    });
  };

  gpu::BarrierOp::create(b);

  // Running state: O fragments (valueDim / 8 tiles of 4), then the max and
  // this lane's partial sum of rows g and g + 8.
  int64_t outTiles = p.valueDim / 8;
  int64_t numTiles = t.blockKV / 8;
  Value minusInf = f32Const(-std::numeric_limits<float>::infinity());
  Value zero = f32Const(0.0f);
  SmallVector<Value> init(outTiles * 4, zero);
  init.append({minusInf, minusInf, zero, zero});
  Value rowA = add(add(q0, mul(warp, kRowsPerWarp)), group);
  Value rowB = add(rowA, 8);
  Value posA = add(offset, rowQuery(rowA));
  Value posB = add(offset, rowQuery(rowB));
  float log2e = 1.4426950408889634f;
  Value scaleLog2 = f32Const(log2e);

  auto keyLoop = scf::ForOp::create(
      b, range.begin, range.end, index(t.blockKV), init,
      [&](OpBuilder &nb, Location, Value j0, ValueRange iter) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        loadKeyTile(ks, keys, p.headDim, j0, range.end);
        loadKeyTile(vs, values, p.valueDim, j0, range.end);
        gpu::BarrierOp::create(b);

        SmallVector<Value> s = computeScores(qs, ks);
        // Scale and soft-cap.
        Value scale = f32Const(p.scale);
        for (Value &v : s) {
          v = arith::MulFOp::create(b, v, scale);
          if (p.softcap) {
            Value cap = f32Const(*p.softcap);
            v = arith::MulFOp::create(
                b, cap,
                math::TanhOp::create(b, arith::DivFOp::create(b, v, cap)));
          }
        }
        // Key of element e of tile n: j0 + 8 n + 2 t + (e & 1); row A for
        // e < 2, row B otherwise.
        auto keyOf = [&](int64_t n, int64_t e) {
          return add(j0, add(mul(quad, 2), n * 8 + (e & 1)));
        };
        // The mask operand applies everywhere.
        if (maskBuf) {
          auto maskType = cast<MemRefType>(maskBuf.getType());
          Type maskElement = maskType.getElementType();
          // Broadcast dims read index 0; rows and keys are clamped in range
          // (out-of-range ones are masked by position anyway).
          auto pick = [&](int64_t d, Value v) -> Value {
            if (maskType.getDimSize(d) == 1)
              return index(0);
            Value size = dim(maskBuf, d);
            Value isOne = cmp(arith::CmpIPredicate::eq, size, index(1));
            return select(isOne, index(0), minI(v, sub(size, index(1))));
          };
          Value mb = pick(0, batch), mh = pick(1, blockY);
          Value mra = pick(2, rowA), mrb = pick(2, rowB);
          for (int64_t n = 0; n < numTiles; ++n)
            for (int64_t e = 0; e < 4; ++e) {
              Value mk = pick(3, keyOf(n, e));
              Value m = memref::LoadOp::create(
                  b, maskBuf, ValueRange{mb, mh, e < 2 ? mra : mrb, mk});
              Value &v = s[n * 4 + e];
              if (maskElement.isInteger(1))
                v = select(m, v, minusInf);
              else
                v = arith::AddFOp::create(b, v, toF32(m));
            }
        }
        // Positions: only blocks that straddle a mask edge or the end.
        Value clean =
            isCleanBlock(b, b.getLoc(), range, j0, add(j0, t.blockKV));
        SmallVector<Type> sTypes(s.size(), f32);
        auto masked = scf::IfOp::create(
            b, clean,
            [&](OpBuilder &tb, Location loc) {
              scf::YieldOp::create(tb, loc, s);
            },
            [&](OpBuilder &eb, Location loc) {
              OpBuilder::InsertionGuard guard(b);
              b.setInsertionPoint(eb.getInsertionBlock(),
                                  eb.getInsertionPoint());
              SmallVector<Value> out;
              for (int64_t n = 0; n < numTiles; ++n)
                for (int64_t e = 0; e < 4; ++e) {
                  Value visible =
                      isKeyVisible(b, b.getLoc(), p.mask, e < 2 ? posA : posB,
                                   keyOf(n, e), range.end);
                  out.push_back(select(visible, s[n * 4 + e], minusInf));
                }
              scf::YieldOp::create(b, out);
            });
        s.assign(masked.getResults().begin(), masked.getResults().end());

        // Online softmax for rows A and B.
        SmallVector<Value> acc(iter.begin(), iter.begin() + outTiles * 4);
        Value mOld[2] = {iter[outTiles * 4], iter[outTiles * 4 + 1]};
        Value lOld[2] = {iter[outTiles * 4 + 2], iter[outTiles * 4 + 3]};
        Value mNew[2], lNew[2], alpha[2];
        for (int r = 0; r < 2; ++r) {
          Value mx = minusInf;
          for (int64_t n = 0; n < numTiles; ++n)
            for (int64_t e = 2 * r; e < 2 * r + 2; ++e)
              mx = arith::MaximumFOp::create(b, mx, s[n * 4 + e]);
          mx = rowReduce(mx, /*isMax=*/true);
          mNew[r] = arith::MaximumFOp::create(b, mOld[r], mx);
          // A row that has seen no key yet keeps max -inf; exp(x - 0) of
          // its -inf scores is 0, never NaN.
          Value isEmpty = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ,
                                                mNew[r], minusInf);
          Value base = arith::MulFOp::create(b, select(isEmpty, zero, mNew[r]),
                                             scaleLog2);
          auto exp2 = [&](Value x) {
            return math::Exp2Op::create(
                b, arith::SubFOp::create(
                       b, arith::MulFOp::create(b, x, scaleLog2), base));
          };
          alpha[r] = exp2(mOld[r]);
          Value sum = zero;
          for (int64_t n = 0; n < numTiles; ++n)
            for (int64_t e = 2 * r; e < 2 * r + 2; ++e) {
              s[n * 4 + e] = exp2(s[n * 4 + e]);
              sum = arith::AddFOp::create(b, sum, s[n * 4 + e]);
            }
          lNew[r] = arith::AddFOp::create(
              b, arith::MulFOp::create(b, lOld[r], alpha[r]), sum);
        }
        for (int64_t n = 0; n < outTiles; ++n)
          for (int64_t e = 0; e < 4; ++e)
            acc[n * 4 + e] =
                arith::MulFOp::create(b, acc[n * 4 + e], alpha[e < 2 ? 0 : 1]);
        acc = accumulateValues(s, acc, vs, ps);
        // The next block's loads overwrite Ks and Vs.
        gpu::BarrierOp::create(b);
        SmallVector<Value> yielded = acc;
        yielded.append({mNew[0], mNew[1], lNew[0], lNew[1]});
        scf::YieldOp::create(b, yielded);
      });

  SmallVector<Value> acc(keyLoop.getResults().begin(),
                         keyLoop.getResults().begin() + outTiles * 4);
  Value rowMax[2] = {keyLoop.getResult(outTiles * 4),
                     keyLoop.getResult(outTiles * 4 + 1)};
  Value rowSum[2] = {rowReduce(keyLoop.getResult(outTiles * 4 + 2), false),
                     rowReduce(keyLoop.getResult(outTiles * 4 + 3), false)};
  Value rows[2] = {rowA, rowB};
  for (int r = 0; r < 2; ++r) {
    Value inRange = lt(rows[r], numRows);
    scf::IfOp::create(b, inRange, [&](OpBuilder &nb, Location) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
      Value head = rowHead(rows[r]), row = rowQuery(rows[r]);
      if (p.split) {
        for (int64_t n = 0; n < outTiles; ++n)
          for (int64_t c = 0; c < 2; ++c) {
            Value col = add(mul(quad, 2), n * 8 + c);
            memref::StoreOp::create(b, acc[n * 4 + 2 * r + c], out,
                                    ValueRange{split, batch, head, row, col});
          }
        Value first = cmp(arith::CmpIPredicate::eq, quad, index(0));
        scf::IfOp::create(b, first, [&](OpBuilder &sb, Location loc) {
          memref::StoreOp::create(sb, loc, rowMax[r], maxOut,
                                  ValueRange{split, batch, head, row});
          memref::StoreOp::create(sb, loc, rowSum[r], sumOut,
                                  ValueRange{split, batch, head, row});
          scf::YieldOp::create(sb, loc);
        });
      } else {
        // A row that saw no key gives zeros.
        Value positive = arith::CmpFOp::create(b, arith::CmpFPredicate::OGT,
                                               rowSum[r], zero);
        Value inv =
            select(positive,
                   arith::DivFOp::create(b, f32Const(1.0f), rowSum[r]), zero);
        Type outElement = cast<MemRefType>(out.getType()).getElementType();
        for (int64_t n = 0; n < outTiles; ++n)
          for (int64_t c = 0; c < 2; ++c) {
            Value col = add(mul(quad, 2), n * 8 + c);
            Value v = arith::MulFOp::create(b, acc[n * 4 + 2 * r + c], inv);
            memref::StoreOp::create(b, fromF32(v, outElement), out,
                                    ValueRange{batch, head, row, col});
          }
      }
      scf::YieldOp::create(b);
    });
  }
  (void)context;
}

} // namespace

void gpu_kernels::buildFlashKernel(ImplicitLocOpBuilder &b,
                                   const FlashProblem &problem,
                                   const FlashTiling &tiling, ValueRange args) {
  FlashKernelBuilder(b, problem, tiling).build(args);
}

void gpu_kernels::buildMergeKernel(ImplicitLocOpBuilder &b, ValueRange args) {
  Value partOut = args[0], partMax = args[1], partSum = args[2];
  Value out = args[3], numSplits = args[4];
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, v);
  };
  Type f32 = b.getF32Type();
  Value minusInf = arith::ConstantOp::create(
      b, b.getF32FloatAttr(-std::numeric_limits<float>::infinity()));
  Value zero = arith::ConstantOp::create(b, b.getF32FloatAttr(0.0f));
  Value tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  Value row = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value head = gpu::BlockIdOp::create(b, gpu::Dimension::y);
  Value batch = gpu::BlockIdOp::create(b, gpu::Dimension::z);
  Value valueDim = memref::DimOp::create(b, out, 3);
  Type outElement = cast<MemRefType>(out.getType()).getElementType();

  auto maxLoop = scf::ForOp::create(
      b, index(0), numSplits, index(1), ValueRange{minusInf},
      [&](OpBuilder &nb, Location loc, Value s, ValueRange iter) {
        Value m = memref::LoadOp::create(nb, loc, partMax,
                                         ValueRange{s, batch, head, row});
        scf::YieldOp::create(
            nb, loc,
            ValueRange{arith::MaximumFOp::create(nb, loc, iter[0], m)});
      });
  Value globalMax = maxLoop.getResult(0);
  Value isEmpty =
      arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, globalMax, minusInf);
  Value base = arith::SelectOp::create(b, isEmpty, zero, globalMax);
  scf::ForOp::create(
      b, tid, valueDim, index(kThreads), ValueRange{},
      [&](OpBuilder &nb, Location loc, Value col, ValueRange) {
        auto loop = scf::ForOp::create(
            nb, loc, index(0), numSplits, index(1), ValueRange{zero, zero},
            [&](OpBuilder &ib, Location il, Value s, ValueRange iter) {
              Value m = memref::LoadOp::create(ib, il, partMax,
                                               ValueRange{s, batch, head, row});
              Value l = memref::LoadOp::create(ib, il, partSum,
                                               ValueRange{s, batch, head, row});
              Value o = memref::LoadOp::create(
                  ib, il, partOut, ValueRange{s, batch, head, row, col});
              // exp(-inf - base) = 0 drops the splits that saw no key.
              Value w = math::ExpOp::create(
                  ib, il, arith::SubFOp::create(ib, il, m, base));
              scf::YieldOp::create(
                  ib, il,
                  ValueRange{math::FmaOp::create(ib, il, w, o, iter[0]),
                             math::FmaOp::create(ib, il, w, l, iter[1])});
            });
        Value num = loop.getResult(0), den = loop.getResult(1);
        Value positive = arith::CmpFOp::create(
            nb, loc, arith::CmpFPredicate::OGT, den, zero);
        Value v = arith::SelectOp::create(
            nb, loc, positive, arith::DivFOp::create(nb, loc, num, den), zero);
        if (outElement != f32)
          v = arith::TruncFOp::create(nb, loc, outElement, v);
        memref::StoreOp::create(nb, loc, v, out,
                                ValueRange{batch, head, row, col});
        scf::YieldOp::create(nb, loc);
      });
}
