//===- ProjectionGPU.cpp - attn.qkv_proj/out_proj as NVVM GEMMs -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Both projections are GEMMs C[m, n] = bias[n] + sum_k A[m, k] W[k, n] whose
// rows m are the tokens (b, s), m = b * S + s, with the heads split or
// merged by the kernel's indexing, so no transpose ever exists in memory:
//
//   qkv_proj: A = X[b, s, k]; C goes to P[b, n / Dh, s, n % Dh] for each of
//             Q, K, V (one launch each; a fused weight is read from the
//             projection's column offset), then the optional RoPE epilogue
//             rotates Q and K in place with the attn.rope kernel;
//   out_proj: A = O[b, k / Dv, s, k % Dv]; C goes to Y[b, s, n].
//
// The weight is W[k, col] (in_out) or W[col, k] (out_in), col = offset + n,
// of f16, bf16 or f32 widened to f32 as it is staged. The kernel is a
// shared-memory tiled SIMT GEMM in f32: a block of 256 threads computes a
// 64x64 tile of C (grid: (ceil(M / 64), ceil(N / 64))), looping over K in
// slices of 16 that are staged in shared memory as As[k][m] and Bs[k][n]
// (rows padded to 65 floats). Thread (tx, ty) = (tid % 16, tid / 16) owns
// the 4x4 outputs (ty + 16 i, tx + 16 j), so its shared-memory reads are
// broadcasts (A) or 16 consecutive words (B), and its global stores of a
// given (i, j) are consecutive along n. Staging loads are coalesced along
// the contiguous dimension of each operand (k of A and of an out_in weight,
// n of an in_out weight). Elements past M, N or K read as 0 and are not
// written.
//
//===----------------------------------------------------------------------===//

#include "OpsGPU.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_kernels;

namespace {

constexpr int64_t kTileM = 64;
constexpr int64_t kTileN = 64;
constexpr int64_t kTileK = 16;
constexpr int64_t kThreads = 256;
/// Each thread computes kMicro x kMicro outputs; the threads form a
/// kThreadsM x kThreadsN grid over the tile.
constexpr int64_t kMicro = 4;
constexpr int64_t kThreadsM = kTileM / kMicro;
constexpr int64_t kThreadsN = kTileN / kMicro;
/// Shared-memory row pitch (floats) of As[k][m] and Bs[k][n]: one word of
/// padding keeps the transposing stores of a warp in distinct banks.
constexpr int64_t kPitch = kTileM + 1;
constexpr int64_t kTileBytes = kTileK * kPitch * 4;

static_assert(kTileM == kTileN, "one pitch for both staged tiles");
static_assert(kThreadsM * kThreadsN == kThreads, "one output block per thread");
static_assert(kThreadsN == kTileK,
              "tx doubles as the k of the A (and out_in weight) staging");
static_assert(kThreads % kTileN == 0 && kThreads / kTileN * kMicro == kTileK,
              "the in_out weight staging covers the k slice in kMicro passes");

/// How one projection indexes its operands.
struct ProjectionGemm {
  /// A is O [B, H, S, Dv] read with k = h * Dv + e (out_proj), not
  /// X [B, S, Dm].
  bool inputHasHeads;
  /// The weight is [N, K] (out_in), not [K, N].
  bool weightOutIn;
  /// The first weight (and bias) column of this projection.
  int64_t columnOffset;
  bool hasBias;
  /// C goes to [B, H, S, Dh] with n = h * Dh + d (qkv_proj), not [B, S, N].
  bool outputHasHeads;
};

/// The kernel's operands and sizes, read from the memref descriptors.
struct GemmOperands {
  const ProjectionGemm &spec;
  Value input, weight, bias, output;
  Value seqLen, numRows, numCols, depth;

  GemmOperands(KernelMath &m, const ProjectionGemm &spec, Value input,
               Value weight, Value bias, Value output)
      : spec(spec), input(input), weight(weight), bias(bias), output(output) {
    seqLen = m.dim(input, spec.inputHasHeads ? 2 : 1);
    numRows = m.mul(m.dim(input, 0), seqLen);
    depth = spec.inputHasHeads ? m.mul(m.dim(input, 1), m.dim(input, 3))
                               : m.dim(input, 2);
    numCols = spec.outputHasHeads ? m.mul(m.dim(output, 1), m.dim(output, 3))
                                  : m.dim(output, 2);
  }

  /// A[m, k] in f32 for the token (batch, seq) of row m.
  Value loadInput(KernelMath &m, Value batch, Value seq, Value k) const {
    if (!spec.inputHasHeads)
      return m.toF32(m.load(input, {batch, seq, k}));
    Value headDim = m.dim(input, 3);
    return m.toF32(
        m.load(input, {batch, m.div(k, headDim), seq, m.rem(k, headDim)}));
  }

  /// W[k, n] in f32.
  Value loadWeight(KernelMath &m, Value k, Value n) const {
    Value col = m.add(n, m.index(spec.columnOffset));
    return m.toF32(spec.weightOutIn ? m.load(weight, {col, k})
                                    : m.load(weight, {k, col}));
  }

  Value loadBias(KernelMath &m, Value n) const {
    return m.toF32(m.load(bias, m.add(n, m.index(spec.columnOffset))));
  }

  /// C[m, n] = value, for the token (batch, seq) of row m.
  void store(KernelMath &m, Value batch, Value seq, Value n,
             Value value) const {
    Value converted =
        m.convert(value, cast<MemRefType>(output.getType()).getElementType());
    if (!spec.outputHasHeads) {
      m.store(converted, output, {batch, seq, n});
      return;
    }
    Value headDim = m.dim(output, 3);
    m.store(converted, output,
            {batch, m.div(n, headDim), seq, m.rem(n, headDim)});
  }
};

} // namespace

/// The body of the GEMM kernel.
static void buildGemmBody(KernelMath &m, const GemmOperands &ops) {
  OpBuilder &b = m.b;
  Type f32 = b.getF32Type();
  Value tileA = getSharedMemoryView(b, m.loc, 0, {kTileK, kPitch}, f32);
  Value tileB =
      getSharedMemoryView(b, m.loc, kTileBytes, {kTileK, kPitch}, f32);

  Value tid = m.threadId();
  Value tx = m.rem(tid, m.index(kThreadsN));
  Value ty = m.div(tid, m.index(kThreadsN));
  Value rowBase = m.mul(m.blockId(gpu::Dimension::x), m.index(kTileM));
  Value colBase = m.mul(m.blockId(gpu::Dimension::y), m.index(kTileN));
  Value zero = m.f32(0.0f);

  // Rows ty + 16 r of the tile: this thread stages A[row, k0 + tx] of each
  // (loads of consecutive tx are consecutive in k) and owns their outputs.
  struct Row {
    Value valid, batch, seq;
  };
  SmallVector<Row> rows;
  for (int64_t r = 0; r < kMicro; ++r) {
    Value row = m.add(rowBase, m.add(ty, m.index(kThreadsM * r)));
    rows.push_back({m.lt(row, ops.numRows), m.div(row, ops.seqLen),
                    m.rem(row, ops.seqLen)});
  }
  // Columns tx + 16 j of the tile that this thread owns.
  SmallVector<Value> cols;
  for (int64_t j = 0; j < kMicro; ++j)
    cols.push_back(m.add(colBase, m.add(tx, m.index(kThreadsN * j))));

  // The accumulators start as the bias (as in the reference).
  SmallVector<Value> init;
  for (int64_t i = 0; i < kMicro; ++i) {
    for (int64_t j = 0; j < kMicro; ++j) {
      if (!ops.spec.hasBias) {
        init.push_back(zero);
        continue;
      }
      // Row-independent: load once per column.
      if (i > 0) {
        init.push_back(init[j]);
        continue;
      }
      init.push_back(m.ifElse(
          m.lt(cols[j], ops.numCols), f32,
          [&] { return ops.loadBias(m, cols[j]); }, [&] { return zero; }));
    }
  }

  auto loop = scf::ForOp::create(
      b, m.loc, m.index(0), ops.depth, m.index(kTileK), init,
      [&](OpBuilder &nb, Location nl, Value k0, ValueRange acc) {
        KernelMath n{nb, nl};
        Value nZero = n.f32(0.0f);
        // Stage As[kk][mm] = A[rowBase + mm, k0 + kk].
        Value kA = n.add(k0, tx);
        Value kAValid = n.lt(kA, ops.depth);
        for (int64_t r = 0; r < kMicro; ++r) {
          Value a = n.ifElse(
              n.both(rows[r].valid, kAValid), f32,
              [&] { return ops.loadInput(n, rows[r].batch, rows[r].seq, kA); },
              [&] { return nZero; });
          n.store(a, tileA, {tx, n.add(ty, n.index(kThreadsM * r))});
        }
        // Stage Bs[kk][nn] = W[k0 + kk, colBase + nn], each warp reading
        // along the weight's contiguous dimension.
        for (int64_t r = 0; r < kMicro; ++r) {
          Value kk, nn;
          if (ops.spec.weightOutIn) {
            kk = tx;
            nn = n.add(ty, n.index(kThreadsM * r));
          } else {
            int64_t rowsPerPass = kThreads / kTileN;
            kk = n.add(n.div(tid, n.index(kTileN)), n.index(rowsPerPass * r));
            nn = n.rem(tid, n.index(kTileN));
          }
          Value k = n.add(k0, kk), col = n.add(colBase, nn);
          Value w = n.ifElse(
              n.both(n.lt(k, ops.depth), n.lt(col, ops.numCols)), f32,
              [&] { return ops.loadWeight(n, k, col); }, [&] { return nZero; });
          n.store(w, tileB, {kk, nn});
        }
        gpu::BarrierOp::create(nb, nl);

        // acc[i][j] += As[kk][ty + 16 i] * Bs[kk][tx + 16 j].
        SmallVector<Value> sums(acc);
        for (int64_t kk = 0; kk < kTileK; ++kk) {
          SmallVector<Value> a, w;
          for (int64_t i = 0; i < kMicro; ++i)
            a.push_back(n.load(
                tileA, {n.index(kk), n.add(ty, n.index(kThreadsM * i))}));
          for (int64_t j = 0; j < kMicro; ++j)
            w.push_back(n.load(
                tileB, {n.index(kk), n.add(tx, n.index(kThreadsN * j))}));
          for (int64_t i = 0; i < kMicro; ++i)
            for (int64_t j = 0; j < kMicro; ++j)
              sums[i * kMicro + j] =
                  math::FmaOp::create(nb, nl, a[i], w[j], sums[i * kMicro + j]);
        }
        // The tiles are overwritten by the next slice.
        gpu::BarrierOp::create(nb, nl);
        scf::YieldOp::create(nb, nl, sums);
      });

  for (int64_t i = 0; i < kMicro; ++i) {
    for (int64_t j = 0; j < kMicro; ++j) {
      Value inside = m.both(rows[i].valid, m.lt(cols[j], ops.numCols));
      m.ifThen(inside, [&] {
        ops.store(m, rows[i].batch, rows[i].seq, cols[j],
                  loop.getResult(i * kMicro + j));
      });
    }
  }
}

/// Builds and launches the GEMM kernel of one projection.
static void launchProjectionGemm(OpBuilder &b, Location loc,
                                 gpu::GPUModuleOp kernels, StringRef name,
                                 const ProjectionGemm &spec, Value input,
                                 Value weight, Value bias, Value output) {
  SmallVector<Value> args = {input, weight};
  if (bias)
    args.push_back(bias);
  args.push_back(output);
  gpu::GPUFuncOp kernel = buildKernel(
      b, kernels, name, ValueRange(args).getTypes(), {kThreads, 1, 1},
      [&](OpBuilder &kb, Location kloc, ValueRange kargs) {
        KernelMath m{kb, kloc};
        GemmOperands ops(m, spec, kargs[0], kargs[1], bias ? kargs[2] : Value(),
                         kargs.back());
        buildGemmBody(m, ops);
      });

  KernelMath m{b, loc};
  GemmOperands sizes(m, spec, input, weight, bias, output);
  Value gridX = m.ceilDiv(sizes.numRows, m.index(kTileM));
  Value gridY = m.ceilDiv(sizes.numCols, m.index(kTileN));
  launchKernel(b, loc, kernel, {gridX, gridY, m.index(1)}, 2 * kTileBytes,
               args);
}

SmallVector<Value> gpu_kernels::lowerQKVProjToGPU(OpBuilder &b, QKVProjOp op,
                                                  gpu::GPUModuleOp kernels) {
  Location loc = op.getLoc();
  Value input = getReadBuffer(b, loc, op.getInput());
  SmallVector<Value> weights, biases;
  for (Value weight : op.getWeights())
    weights.push_back(getReadBuffer(b, loc, weight));
  for (Value bias : op.getBiases())
    biases.push_back(getReadBuffer(b, loc, bias));
  Value positions =
      op.hasRope() ? getReadBuffer(b, loc, op.getPositions()) : Value();
  Value inits[] = {op.getQueryInit(), op.getKeyInit(), op.getValueInit()};
  SmallVector<Value> outputs;
  for (Value init : inits)
    outputs.push_back(getWriteBuffer(b, loc, init));

  bool fused = op.isFused();
  int64_t columnOffset = 0;
  static constexpr StringLiteral names[] = {
      "attn_qkv_proj_q", "attn_qkv_proj_k", "attn_qkv_proj_v"};
  for (int64_t p = 0; p < 3; ++p) {
    auto initType = cast<RankedTensorType>(inits[p].getType());
    ProjectionGemm spec{/*inputHasHeads=*/false,
                        op.getWeightLayout() == WeightLayout::OutIn,
                        fused ? columnOffset : 0, op.hasBias(),
                        /*outputHasHeads=*/true};
    unsigned operand = fused ? 0 : p;
    launchProjectionGemm(b, loc, kernels, names[p], spec, input,
                         weights[operand],
                         op.hasBias() ? biases[operand] : Value(), outputs[p]);
    columnOffset += initType.getDimSize(1) * initType.getDimSize(3);
  }

  // The RoPE epilogue rotates the projected queries and keys in place, as
  // the reference rotates the projections (rounded to the element type).
  if (op.hasRope()) {
    RopeParams params{*op.getRopeStyle(), op.getRopeThetaOrDefault(),
                      op.getRotaryDimOrDefault(), op.getRopeScaling(),
                      SmallVector<float>(op.getRopeScalingParams().value_or(
                          ArrayRef<float>()))};
    launchRopeKernel(b, loc, kernels, params, outputs[0], outputs[1], positions,
                     Value(), Value());
  }

  SmallVector<Value> results;
  for (auto [output, result] : llvm::zip(outputs, op.getResults()))
    results.push_back(getWrittenTensor(b, loc, output, result.getType()));
  return results;
}

SmallVector<Value> gpu_kernels::lowerOutProjToGPU(OpBuilder &b, OutProjOp op,
                                                  gpu::GPUModuleOp kernels) {
  Location loc = op.getLoc();
  Value input = getReadBuffer(b, loc, op.getInput());
  Value weight = getReadBuffer(b, loc, op.getWeight());
  Value bias = op.getBias() ? getReadBuffer(b, loc, op.getBias()) : Value();
  Value output = getWriteBuffer(b, loc, op.getInit());
  ProjectionGemm spec{/*inputHasHeads=*/true,
                      op.getWeightLayout() == WeightLayout::OutIn,
                      /*columnOffset=*/0, static_cast<bool>(bias),
                      /*outputHasHeads=*/false};
  launchProjectionGemm(b, loc, kernels, "attn_out_proj", spec, input, weight,
                       bias, output);
  return {getWrittenTensor(b, loc, output, op.getResult().getType())};
}
