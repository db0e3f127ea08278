//===- AttentionGPU.cpp - flash attention kernels for NVIDIA GPUs -*- C++ -*-//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Lowers attn.attention and attn.decode_attention to a FlashAttention-2 style
// NVVM kernel on tensor cores:
//
//   grid (query block of 64 rows, query head h, batch b [x split s])
//   block: 4 warps; warp w owns query rows [16 w, 16 w + 16) of the block
//   Qs = Q[b, h, rows, :]                      shared memory, once
//   [kvBegin, kvEnd) = keys the block's rows see (KeyRange.h), [∩ split s]
//   for each block of Bc keys:
//     Ks, Vs = K/V[b, h / G, keys, :]          shared memory (paged: through
//                                               the block table)
//     S = Qs Ks^T                               mma.sync m16n8k16, f32 accs
//     S = softcap(scale * S); mask              mask only on edge blocks,
//                                               the mask operand always
//     m' = max(m, rowmax S); P = exp(S - m'); alpha = exp(m - m')
//     l = l * alpha + rowsum P; O = O * alpha + P Vs   (P stays in registers:
//                                               the S accumulator fragments
//                                               are the A fragments of P V)
//   O[b, h, rows, :] = O / l  (0 where l == 0)    or, split: O, m, l partials
//
// Decode packs the G query heads that share a KV head (times the Sq new
// rows) into the block's rows, so the grid is (row blocks, KV head, batch x
// split) and each K/V tile serves the whole GQA group.
//
// Fragment layout (PTX ISA, mma.m16n8k16, lane = 4 g + t): a thread holds
// rows g and g + 8 of its warp's 16 rows and, of each 8-column tile,
// columns 2t and 2t + 1. Row statistics reduce over the 4 lanes of a row
// with shfl.bfly 1 and 2; the row sums stay per-lane until the end.
// f32 inputs use the same tiles and layout with CUDA-core FMAs in f32 (P goes
// through shared memory there), so that masking and softmax are shared.
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

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNATTENTIONGPU
#include "attnc/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_kernels;

namespace {

/// The function name the kernels of `op` are named after.
std::string getKernelBaseName(Operation *op, StringRef kind) {
  auto fn = op->getParentOfType<FunctionOpInterface>();
  return ((fn ? fn.getName() : StringRef("kernel")) + "_" + kind).str();
}

struct AttnAttentionGPUPass
    : public attn::impl::AttnAttentionGPUBase<AttnAttentionGPUPass> {
  using AttnAttentionGPUBase::AttnAttentionGPUBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<GPUTarget> target = GPUTarget::get(chip);
    if (failed(target)) {
      module.emitError("unknown GPU chip '")
          << chip << "' (expected one of " << GPUTarget::getSupportedChips()
          << ")";
      return signalPassFailure();
    }
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<AttentionOp, DecodeAttentionOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      if (failed(lower(op, *target)))
        return signalPassFailure();
  }

  LogicalResult lower(Operation *op, const GPUTarget &target);
};

LogicalResult AttnAttentionGPUPass::lower(Operation *op,
                                          const GPUTarget &target) {
  FlashProblem problem;
  problem.op = op;
  Value query, keys, values, init;
  if (auto attention = dyn_cast<AttentionOp>(op)) {
    query = attention.getQuery();
    keys = attention.getKey();
    values = attention.getValue();
    init = attention.getInit();
    problem.mask.causal = attention.getCausal();
    problem.mask.window = attention.getWindow();
    problem.scale = attention.getScaleOrDefault();
    if (auto softcap = attention.getSoftcap())
      problem.softcap = softcap->convertToFloat();
    problem.maskOperand = attention.getMask();
  } else {
    auto decode = cast<DecodeAttentionOp>(op);
    problem.decode = true;
    query = decode.getQuery();
    keys = decode.getKeyCache();
    values = decode.getValueCache();
    init = decode.getInit();
    problem.mask.causal = decode.getCausal();
    problem.mask.window = decode.getWindow();
    problem.scale = decode.getScaleOrDefault();
    if (auto softcap = decode.getSoftcap())
      problem.softcap = softcap->convertToFloat();
    problem.seqLens = decode.getSeqLens();
    problem.blockTable = decode.getBlockTable();
  }
  auto queryType = cast<RankedTensorType>(query.getType());
  auto keyType = cast<RankedTensorType>(keys.getType());
  auto valueType = cast<RankedTensorType>(values.getType());
  problem.elementType = queryType.getElementType();
  problem.headDim = queryType.getDimSize(3);
  problem.valueDim = valueType.getDimSize(3);
  if (keyType.getElementType() != problem.elementType ||
      valueType.getElementType() != problem.elementType)
    return op->emitOpError("is not supported by the cuda target: query, key "
                           "and value element types differ");
  if (ShapedType::isDynamic(problem.headDim) ||
      ShapedType::isDynamic(problem.valueDim))
    return op->emitOpError(
        "is not supported by the cuda target: dynamic head dims");
  std::string reason = getUnsupportedReason(problem, target);
  if (!reason.empty())
    return op->emitOpError("is not supported by the cuda target: ") << reason;
  FailureOr<FlashTiling> tiling = selectTiling(problem, target);
  if (failed(tiling))
    return op->emitOpError("is not supported by the cuda target: its tiles "
                           "do not fit in the ")
           << target.maxSharedMemoryPerBlock << " bytes of shared memory of "
           << target.chip;
  problem.split = problem.decode;

  ImplicitLocOpBuilder b(op->getLoc(), op);
  buildShapeChecks(b, op);
  auto module = op->getParentOfType<ModuleOp>();
  gpu::GPUModuleOp kernels = getOrCreateKernelModule(module);
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, v);
  };
  // Static sizes fold to constants (no launch guard, constant grids).
  auto tensorDim = [&](Value t, int64_t d) -> Value {
    int64_t size = cast<RankedTensorType>(t.getType()).getDimSize(d);
    if (!ShapedType::isDynamic(size))
      return index(size);
    return tensor::DimOp::create(b, t, d);
  };

  // Host side: buffers, grid, split count.
  SmallVector<Value> args = {getReadBuffer(b, b.getLoc(), query),
                             getReadBuffer(b, b.getLoc(), keys),
                             getReadBuffer(b, b.getLoc(), values)};
  if (problem.maskOperand)
    args.push_back(getReadBuffer(b, b.getLoc(), problem.maskOperand));
  if (problem.seqLens)
    args.push_back(getReadBuffer(b, b.getLoc(), problem.seqLens));
  if (problem.blockTable)
    args.push_back(getReadBuffer(b, b.getLoc(), problem.blockTable));

  Value batchSize = tensorDim(query, 0);
  Value numHeads = tensorDim(query, 1);
  Value numQueries = tensorDim(query, 2);
  // The grid's rows and heads: query rows x query heads, or for decode
  // (G query heads packed into the rows) G * Sq rows x KV heads.
  Value numRows = numQueries, gridHeads = numHeads;
  if (problem.decode) {
    auto queryHeads = getConstantIntValue(numHeads);
    auto keyHeads = getConstantIntValue(tensorDim(keys, 1));
    gridHeads = tensorDim(keys, 1);
    Value groupSize = arith::DivUIOp::create(b, numHeads, gridHeads);
    if (queryHeads && keyHeads)
      groupSize = index(*queryHeads / *keyHeads);
    numRows = arith::MulIOp::create(b, groupSize, numQueries);
    if (auto g = getConstantIntValue(groupSize))
      if (auto sq = getConstantIntValue(numQueries))
        numRows = index(*g * *sq);
  }
  Value queryBlocks = arith::CeilDivUIOp::create(b, numRows, index(kBlockQ));
  if (auto rows = getConstantIntValue(numRows))
    queryBlocks = index((*rows + kBlockQ - 1) / kBlockQ);
  Value numSplits = index(1);
  Value partOut, partMax, partSum;
  if (problem.split) {
    // Enough splits to give the chip two blocks per SM, none shorter than
    // kMinSplitKeys positions of the cache, at most kMaxSplits.
    Value capacity = tensorDim(keys, 2);
    if (problem.blockTable)
      capacity = arith::MulIOp::create(b, tensorDim(problem.blockTable, 1),
                                       capacity);
    Value work = arith::MulIOp::create(
        b, arith::MulIOp::create(b, batchSize, gridHeads), queryBlocks);
    Value wanted = arith::CeilDivUIOp::create(
        b, index(2 * target.numSMs), arith::MaxUIOp::create(b, work, index(1)));
    Value bySize =
        arith::CeilDivUIOp::create(b, capacity, index(kMinSplitKeys));
    numSplits = arith::MinUIOp::create(b, wanted, bySize);
    numSplits = arith::MinUIOp::create(b, numSplits, index(kMaxSplits));
    numSplits = arith::MaxUIOp::create(b, numSplits, index(1));
    Type f32 = b.getF32Type();
    int64_t valueDim = problem.valueDim;
    SmallVector<int64_t> partShape = {ShapedType::kDynamic,
                                      queryType.getDimSize(0),
                                      queryType.getDimSize(1),
                                      queryType.getDimSize(2), valueDim};
    SmallVector<Value> dynSizes = {numSplits};
    for (int64_t d = 0; d < 3; ++d)
      if (queryType.isDynamicDim(d))
        dynSizes.push_back(tensorDim(query, d));
    Value outTensor = tensor::EmptyOp::create(
        b, RankedTensorType::get(partShape, f32), dynSizes);
    Value maxTensor = tensor::EmptyOp::create(
        b, RankedTensorType::get(ArrayRef(partShape).drop_back(), f32),
        dynSizes);
    Value sumTensor = tensor::EmptyOp::create(
        b, RankedTensorType::get(ArrayRef(partShape).drop_back(), f32),
        dynSizes);
    partOut = getWriteBuffer(b, b.getLoc(), outTensor);
    partMax = getWriteBuffer(b, b.getLoc(), maxTensor);
    partSum = getWriteBuffer(b, b.getLoc(), sumTensor);
    args.append({partOut, partMax, partSum});
  } else {
    args.push_back(getWriteBuffer(b, b.getLoc(), init));
  }
  args.push_back(numSplits);

  SmallVector<Type> argTypes;
  for (Value arg : args)
    argTypes.push_back(arg.getType());
  std::string baseName = getKernelBaseName(
      op, problem.decode ? "decode_attention" : "attention");
  gpu::GPUFuncOp kernel = createKernel(b, kernels, baseName, argTypes,
                                       {kThreads, 1, 1});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&kernel.getBody().front());
    buildFlashKernel(b, problem, *tiling, kernel.getArguments());
  }
  Value gridZ;
  if (auto one = getConstantIntValue(numSplits); one && *one == 1)
    gridZ = batchSize;
  else
    gridZ = arith::MulIOp::create(b, batchSize, numSplits);
  launchKernel(b, b.getLoc(), kernel, {queryBlocks, gridHeads, gridZ},
               tiling->sharedMemoryBytes, args);

  Value result;
  if (problem.split) {
    // The partials as tensors again, then the merge into the destination.
    auto asTensor = [&](Value buffer) {
      auto type = cast<MemRefType>(buffer.getType());
      return getWrittenTensor(
          b, b.getLoc(), buffer,
          RankedTensorType::get(type.getShape(), type.getElementType()));
    };
    SmallVector<Value> mergeArgs = {
        getReadBuffer(b, b.getLoc(), asTensor(partOut)),
        getReadBuffer(b, b.getLoc(), asTensor(partMax)),
        getReadBuffer(b, b.getLoc(), asTensor(partSum)),
        getWriteBuffer(b, b.getLoc(), init), numSplits};
    SmallVector<Type> mergeTypes;
    for (Value arg : mergeArgs)
      mergeTypes.push_back(arg.getType());
    gpu::GPUFuncOp merge =
        createKernel(b, kernels, getKernelBaseName(op, "decode_merge"),
                     mergeTypes, {kThreads, 1, 1});
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&merge.getBody().front());
      buildMergeKernel(b, merge.getArguments());
    }
    launchKernel(b, b.getLoc(), merge, {numQueries, numHeads, batchSize},
                 /*sharedMemoryBytes=*/0, mergeArgs);
    result = getWrittenTensor(b, b.getLoc(), mergeArgs[3], init.getType());
  } else {
    result = getWrittenTensor(b, b.getLoc(), args[args.size() - 2],
                              init.getType());
  }
  op->getResult(0).replaceAllUsesWith(result);
  op->erase();
  return success();
}

} // namespace
