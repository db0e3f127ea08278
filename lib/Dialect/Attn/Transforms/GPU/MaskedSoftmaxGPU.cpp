//===- MaskedSoftmaxGPU.cpp - attn.masked_softmax as an NVVM kernel -------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// One block of 256 threads per row of the scores [..., Sq, Skv] (grid: the
// number of rows). Each thread walks the columns j = tid, tid + 256, ... of
// its block's row three times, recomputing the masked score of each column
// from the input (scale, softcap, mask operand, causal, window, in f32):
//
//   1. the row maximum;
//   2. the row sum of exp(s - max) (0 for a row masked everywhere);
//   3. exp(s - max) / sum (0 when the sum is 0), written to the output.
//
// The maximum and the sum are reduced over the block with warp butterflies
// (gpu.shuffle xor, shfl.sync.bfly) and one shared-memory slot per warp,
// then every thread combines the 8 slots in the same order. Each thread
// writes only the columns it read, after both reductions, so the output may
// share the input's buffer.
//
//===----------------------------------------------------------------------===//

#include "OpsGPU.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_kernels;

namespace {

constexpr int64_t kBlockSize = 256;
constexpr int64_t kWarpSize = 32;
constexpr int64_t kNumWarps = kBlockSize / kWarpSize;

using Combine = function_ref<Value(KernelMath &, Value, Value)>;

} // namespace

/// Reduces `value` over the block with `combine`, through `slots`
/// (memref<8xf32> in shared memory, not used by anything else). Every thread
/// gets the same result.
static Value reduceOverBlock(KernelMath &m, Value value, Value threadId,
                             Value slots, Combine combine) {
  for (int32_t offset = kWarpSize / 2; offset > 0; offset /= 2) {
    Value other = gpu::ShuffleOp::create(m.b, m.loc, value, offset, kWarpSize,
                                         gpu::ShuffleMode::XOR)
                      .getShuffleResult();
    value = combine(m, value, other);
  }
  Value lane = m.rem(threadId, m.index(kWarpSize));
  Value warp = m.div(threadId, m.index(kWarpSize));
  m.ifThen(m.eq(lane, m.index(0)), [&] { m.store(value, slots, warp); });
  gpu::BarrierOp::create(m.b, m.loc);
  Value total = m.load(slots, m.index(0));
  for (int64_t w = 1; w < kNumWarps; ++w)
    total = combine(m, total, m.load(slots, m.index(w)));
  return total;
}

/// for (j = tid; j < numColumns; j += 256) acc = step(j, acc); returns acc.
static Value foldColumns(KernelMath &m, Value threadId, Value numColumns,
                         Value init,
                         function_ref<Value(KernelMath &, Value, Value)> step) {
  auto loop = scf::ForOp::create(
      m.b, m.loc, threadId, numColumns, m.index(kBlockSize), ValueRange{init},
      [&](OpBuilder &nb, Location nl, Value j, ValueRange acc) {
        KernelMath n{nb, nl};
        scf::YieldOp::create(nb, nl, step(n, j, acc[0]));
      });
  return loop.getResult(0);
}

SmallVector<Value>
gpu_kernels::lowerMaskedSoftmaxToGPU(OpBuilder &b, MaskedSoftmaxOp op,
                                     gpu::GPUModuleOp kernels) {
  Location loc = op.getLoc();
  Value mask = op.getMask();
  SmallVector<Value> buffers = {getReadBuffer(b, loc, op.getInput())};
  if (mask)
    buffers.push_back(getReadBuffer(b, loc, mask));
  Value out = getWriteBuffer(b, loc, op.getInit());
  buffers.push_back(out);

  float scale = op.getScaleOrDefault();
  std::optional<float> softcap;
  if (std::optional<APFloat> cap = op.getSoftcap())
    softcap = cap->convertToFloat();
  bool causal = op.getCausal();
  std::optional<int64_t> window;
  if (std::optional<uint64_t> w = op.getWindow())
    window = static_cast<int64_t>(*w);
  int64_t rank = cast<RankedTensorType>(op.getInput().getType()).getRank();
  const float minusInf = -std::numeric_limits<float>::infinity();

  gpu::GPUFuncOp kernel = buildKernel(
      b, kernels, "attn_masked_softmax", ValueRange(buffers).getTypes(),
      {kBlockSize, 1, 1}, [&](OpBuilder &kb, Location kloc, ValueRange kargs) {
        KernelMath m{kb, kloc};
        Value input = kargs.front(), output = kargs.back();
        Value maskArg = mask ? kargs[1] : Value();
        Type f32 = kb.getF32Type();
        Value maxSlots = getSharedMemoryView(kb, kloc, 0, {kNumWarps}, f32);
        Value sumSlots =
            getSharedMemoryView(kb, kloc, kNumWarps * 4, {kNumWarps}, f32);

        SmallVector<Value> rowSizes;
        for (int64_t d = 0; d < rank - 1; ++d)
          rowSizes.push_back(m.dim(input, d));
        Value numColumns = m.dim(input, rank - 1);
        Value row = m.blockId(gpu::Dimension::x);
        Value tid = m.threadId();

        // One block per row (the grid is the number of rows).
        {
          SmallVector<Value> rowIdx = m.delinearize(row, rowSizes);
          // Absolute position of query row i: p(i) = Skv - Sq + i.
          Value queryPos;
          if (causal || window)
            queryPos =
                m.add(m.sub(numColumns, rowSizes[rank - 2]), rowIdx[rank - 2]);

          // The masked score of column j of this row, as applyScoreMask.
          auto score = [&](KernelMath &n, Value j) -> Value {
            SmallVector<Value> idx(rowIdx);
            idx.push_back(j);
            Value s = n.fmul(n.toF32(n.load(input, idx)), n.f32(scale));
            if (softcap) {
              Value cap = n.f32(*softcap);
              s = n.fmul(cap, math::TanhOp::create(n.b, n.loc, n.fdiv(s, cap)));
            }
            Value keep;
            auto conjoin = [&](Value cond) {
              keep = keep ? n.both(keep, cond) : cond;
            };
            if (maskArg) {
              // Dimensions of size 1 broadcast.
              auto maskType = cast<MemRefType>(maskArg.getType());
              SmallVector<Value> maskIdx;
              for (auto [d, size] : llvm::enumerate(maskType.getShape()))
                maskIdx.push_back(size == 1 ? n.index(0) : idx[d]);
              Value maskValue = n.load(maskArg, maskIdx);
              if (maskValue.getType().isInteger(1))
                conjoin(maskValue);
              else
                s = n.fadd(s, n.toF32(maskValue));
            }
            if (causal)
              conjoin(n.le(j, queryPos));
            if (window) {
              Value w = n.index(*window);
              conjoin(n.lt(n.sub(queryPos, j), w));
              if (!causal)
                conjoin(n.lt(n.sub(j, queryPos), w));
            }
            return keep ? n.select(keep, s, n.f32(minusInf)) : s;
          };

          // 1. Row maximum.
          Value localMax = foldColumns(m, tid, numColumns, m.f32(minusInf),
                                       [&](KernelMath &n, Value j, Value acc) {
                                         return n.fmax(acc, score(n, j));
                                       });
          Value rowMax = reduceOverBlock(
              m, localMax, tid, maxSlots,
              [](KernelMath &n, Value x, Value y) { return n.fmax(x, y); });

          // exp(s - max), 0 when every key of the row is masked.
          Value fullyMasked = m.feq(rowMax, m.f32(minusInf));
          auto exponential = [&](KernelMath &n, Value j) -> Value {
            Value e =
                math::ExpOp::create(n.b, n.loc, n.fsub(score(n, j), rowMax));
            return n.select(fullyMasked, n.f32(0.0f), e);
          };

          // 2. Row sum.
          Value localSum = foldColumns(m, tid, numColumns, m.f32(0.0f),
                                       [&](KernelMath &n, Value j, Value acc) {
                                         return n.fadd(acc, exponential(n, j));
                                       });
          Value rowSum = reduceOverBlock(
              m, localSum, tid, sumSlots,
              [](KernelMath &n, Value x, Value y) { return n.fadd(x, y); });

          // 3. Probabilities, 0 where the sum is 0.
          Value empty = m.feq(rowSum, m.f32(0.0f));
          Type elementType =
              cast<MemRefType>(output.getType()).getElementType();
          scf::ForOp::create(
              kb, kloc, tid, numColumns, m.index(kBlockSize), ValueRange{},
              [&](OpBuilder &nb, Location nl, Value j, ValueRange) {
                KernelMath n{nb, nl};
                Value p = n.select(empty, n.f32(0.0f),
                                   n.fdiv(exponential(n, j), rowSum));
                SmallVector<Value> idx(rowIdx);
                idx.push_back(j);
                n.store(n.convert(p, elementType), output, idx);
                scf::YieldOp::create(nb, nl);
              });
        }
      });

  KernelMath m{b, loc};
  Value rows = m.index(1);
  for (int64_t d = 0; d < rank - 1; ++d)
    rows = m.mul(rows, m.dim(buffers.front(), d));
  launchKernel(b, loc, kernel, {rows, m.index(1), m.index(1)},
               /*sharedMemoryBytes=*/2 * kNumWarps * 4, buffers);
  return {getWrittenTensor(b, loc, out, op.getResult().getType())};
}
