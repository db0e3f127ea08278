//===- RopeGPU.cpp - attn.rope as an NVVM kernel ----------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// One thread per rotary pair (and one per passed-through component past the
// rotary dim): with R = rotary_dim and D the head dim, each row
// (b, h, s) of a [B, H, S, D] tensor has W = D - R/2 work items j:
//
//   j <  R/2: the pair (j, j + R/2) (half) or (2j, 2j + 1) (interleaved)
//             is read, rotated by positions[..s] * f_j, and written;
//   j >= R/2: component j + R/2 (in [R, D)) is copied.
//
// A thread reads only the components it writes, so the rotation may run in
// place (the RoPE epilogue of attn.qkv_proj rotates the projected queries
// and keys where the projection wrote them). Grid: (ceil(B*H*S*W / 256), 2),
// blockIdx.y = 0 for the queries and 1 for the keys; 256 threads, the work
// items of consecutive threads adjacent along the head dim.
//
//===----------------------------------------------------------------------===//

#include "OpsGPU.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_kernels;

/// Emits the body of one side (queries or keys) for the thread with linear
/// id `id`: rotates `in` into `out` (`out` == `in` in place, then the
/// pass-through components are left alone).
static void buildRotationBody(OpBuilder &b, Location loc,
                              const RopeParams &params, Value id, Value in,
                              Value positions, Value out, bool inPlace) {
  KernelMath m{b, loc};
  auto inType = cast<MemRefType>(in.getType());
  Type elementType = inType.getElementType();
  int64_t headDim = inType.getDimSize(3);
  int64_t halfRotary = params.rotaryDim / 2;
  int64_t itemsPerRow = headDim - halfRotary;

  Value sizes[] = {m.dim(in, 0), m.dim(in, 1), m.dim(in, 2),
                   m.index(itemsPerRow)};
  Value total = m.mul(m.mul(m.mul(sizes[0], sizes[1]), sizes[2]), sizes[3]);
  m.ifThen(m.lt(id, total), [&] {
    SmallVector<Value> idx = m.delinearize(id, sizes);
    Value batch = idx[0], head = idx[1], seq = idx[2], item = idx[3];

    auto rotate = [&] {
      Value first, second;
      if (params.style == RopeStyle::Half) {
        first = item;
        second = m.add(item, m.index(halfRotary));
      } else {
        first = m.mul(item, m.index(2));
        second = m.add(first, m.index(1));
      }
      Value x1 = m.toF32(m.load(in, {batch, head, seq, first}));
      Value x2 = m.toF32(m.load(in, {batch, head, seq, second}));

      // angle = position * f_item, f as the reference computes it (f32).
      bool perBatch = cast<MemRefType>(positions.getType()).getRank() == 2;
      Value position =
          perBatch ? m.load(positions, {batch, seq}) : m.load(positions, seq);
      Type f32 = b.getF32Type();
      Value pair = arith::UIToFPOp::create(
          b, loc, f32,
          arith::IndexCastUIOp::create(b, loc, b.getI32Type(), item));
      Value invFreq = buildRopeInverseFrequency(
          b, loc, pair, params.theta, params.rotaryDim, params.scaling,
          params.scalingParams);
      Value angle =
          m.fmul(arith::SIToFPOp::create(b, loc, f32, position), invFreq);
      Value cos = math::CosOp::create(b, loc, angle);
      Value sin = math::SinOp::create(b, loc, angle);

      // x1' = x1 cos - x2 sin; x2' = x2 cos + x1 sin.
      Value out1 = m.fadd(m.fmul(x1, cos),
                          arith::NegFOp::create(b, loc, m.fmul(x2, sin)));
      Value out2 = m.fadd(m.fmul(x2, cos), m.fmul(x1, sin));
      m.store(m.convert(out1, elementType), out, {batch, head, seq, first});
      m.store(m.convert(out2, elementType), out, {batch, head, seq, second});
    };

    if (itemsPerRow == halfRotary) {
      rotate();
      return;
    }
    Value isPair = m.lt(item, m.index(halfRotary));
    if (inPlace) {
      m.ifThen(isPair, rotate);
      return;
    }
    auto ifOp = scf::IfOp::create(b, loc, isPair, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
    rotate();
    // Components in [R, D) pass through.
    b.setInsertionPoint(ifOp.elseBlock()->getTerminator());
    Value component = m.add(item, m.index(halfRotary));
    m.store(m.load(in, {batch, head, seq, component}), out,
            {batch, head, seq, component});
  });
}

void gpu_kernels::launchRopeKernel(OpBuilder &b, Location loc,
                                   gpu::GPUModuleOp kernels,
                                   const RopeParams &params, Value queryIn,
                                   Value keyIn, Value positions, Value queryOut,
                                   Value keyOut) {
  bool inPlace = !queryOut;
  SmallVector<Value> args = {queryIn, keyIn, positions};
  if (!inPlace)
    args.append({queryOut, keyOut});

  gpu::GPUFuncOp kernel = buildKernel(
      b, kernels, "attn_rope", ValueRange(args).getTypes(),
      {kElementwiseBlock, 1, 1},
      [&](OpBuilder &kb, Location kloc, ValueRange kargs) {
        KernelMath m{kb, kloc};
        Value id = m.globalThreadId(kElementwiseBlock);
        Value isQuery = m.eq(m.blockId(gpu::Dimension::y), m.index(0));
        auto ifOp =
            scf::IfOp::create(kb, kloc, isQuery, /*withElseRegion=*/true);
        kb.setInsertionPoint(ifOp.thenBlock()->getTerminator());
        buildRotationBody(kb, kloc, params, id, kargs[0], kargs[2],
                          inPlace ? kargs[0] : kargs[3], inPlace);
        kb.setInsertionPoint(ifOp.elseBlock()->getTerminator());
        buildRotationBody(kb, kloc, params, id, kargs[1], kargs[2],
                          inPlace ? kargs[1] : kargs[4], inPlace);
      });

  // The launch: enough blocks for the larger of the two sides.
  KernelMath m{b, loc};
  int64_t itemsPerRow =
      cast<MemRefType>(queryIn.getType()).getDimSize(3) - params.rotaryDim / 2;
  auto items = [&](Value buffer) {
    return m.mul(
        m.mul(m.mul(m.dim(buffer, 0), m.dim(buffer, 1)), m.dim(buffer, 2)),
        m.index(itemsPerRow));
  };
  Value blocks = m.ceilDiv(m.max(items(queryIn), items(keyIn)),
                           m.index(kElementwiseBlock));
  launchKernel(b, loc, kernel, {blocks, m.index(2), m.index(1)},
               /*sharedMemoryBytes=*/0, args);
}

SmallVector<Value> gpu_kernels::lowerRopeToGPU(OpBuilder &b, RopeOp op,
                                               gpu::GPUModuleOp kernels) {
  Location loc = op.getLoc();
  RopeParams params{op.getStyle(), op.getTheta().convertToFloat(),
                    op.getRotaryDimOrDefault(), op.getRopeScaling(),
                    SmallVector<float>(
                        op.getRopeScalingParams().value_or(ArrayRef<float>()))};
  Value query = getReadBuffer(b, loc, op.getQuery());
  Value key = getReadBuffer(b, loc, op.getKey());
  Value positions = getReadBuffer(b, loc, op.getPositions());
  Value queryOut = getWriteBuffer(b, loc, op.getQueryInit());
  Value keyOut = getWriteBuffer(b, loc, op.getKeyInit());
  launchRopeKernel(b, loc, kernels, params, query, key, positions, queryOut,
                   keyOut);
  return {getWrittenTensor(b, loc, queryOut, op.getQueryResult().getType()),
          getWrittenTensor(b, loc, keyOut, op.getKeyResult().getType())};
}
