//===- OpsGPU.cpp - attn-ops-gpu: the non-attention ops as NVVM kernels ---===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The pass replaces attn.rope, attn.kv_append, attn.masked_softmax,
// attn.qkv_proj and attn.out_proj by launches of the kernels built in
// RopeGPU.cpp, KVAppendGPU.cpp, MaskedSoftmaxGPU.cpp and ProjectionGPU.cpp,
// and holds the helpers those files share (OpsGPU.h).
//
//===----------------------------------------------------------------------===//

#include "OpsGPU.h"

#include "attnc/Dialect/Attn/IR/ShapeChecks.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"

#include "llvm/ADT/TypeSwitch.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNOPSGPU
#include "attnc/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_kernels;

//===----------------------------------------------------------------------===//
// KernelMath
//===----------------------------------------------------------------------===//

Value KernelMath::convert(Value v, Type type) {
  Type from = v.getType();
  if (from == type)
    return v;
  if (from.getIntOrFloatBitWidth() < type.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, type, v);
  return arith::TruncFOp::create(b, loc, type, v);
}

SmallVector<Value> KernelMath::delinearize(Value linear,
                                           ArrayRef<Value> sizes) {
  SmallVector<Value> indices(sizes.size());
  Value rest = linear;
  for (int64_t i = static_cast<int64_t>(sizes.size()) - 1; i > 0; --i) {
    indices[i] = rem(rest, sizes[i]);
    rest = div(rest, sizes[i]);
  }
  if (!sizes.empty())
    indices[0] = rest;
  return indices;
}

void KernelMath::ifThen(Value cond, function_ref<void()> body) {
  auto ifOp = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
  body();
}

Value KernelMath::ifElse(Value cond, Type type, function_ref<Value()> thenValue,
                         function_ref<Value()> elseValue) {
  auto ifOp = scf::IfOp::create(b, loc, TypeRange{type}, cond,
                                /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    scf::YieldOp::create(b, loc, thenValue());
  }
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.elseBlock());
    scf::YieldOp::create(b, loc, elseValue());
  }
  return ifOp.getResult(0);
}

gpu::GPUFuncOp gpu_kernels::buildKernel(
    OpBuilder &b, gpu::GPUModuleOp kernels, StringRef baseName,
    TypeRange argTypes, std::array<int64_t, 3> blockSize,
    function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  OpBuilder::InsertionGuard guard(b);
  gpu::GPUFuncOp kernel =
      createKernel(b, kernels, baseName, argTypes, blockSize);
  b.setInsertionPointToStart(&kernel.getBody().front());
  body(b, kernel.getLoc(), kernel.getArguments());
  return kernel;
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {

struct AttnOpsGPUPass : public attn::impl::AttnOpsGPUBase<AttnOpsGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(GPUTarget::get(chip))) {
      module.emitError("unknown chip '")
          << chip << "', expected one of " << GPUTarget::getSupportedChips();
      return signalPassFailure();
    }

    SmallVector<Operation *> worklist;
    module.walk([&](Operation *op) {
      if (isa<RopeOp, KVAppendOp, MaskedSoftmaxOp, QKVProjOp, OutProjOp>(op))
        worklist.push_back(op);
    });
    if (worklist.empty())
      return;

    gpu::GPUModuleOp kernels = getOrCreateKernelModule(module);
    OpBuilder b(module.getContext());
    for (Operation *op : worklist) {
      b.setInsertionPoint(op);
      buildShapeChecks(b, op);
      SmallVector<Value> results =
          TypeSwitch<Operation *, SmallVector<Value>>(op)
              .Case(
                  [&](RopeOp rope) { return lowerRopeToGPU(b, rope, kernels); })
              .Case([&](KVAppendOp append) {
                return lowerKVAppendToGPU(b, append, kernels);
              })
              .Case([&](MaskedSoftmaxOp softmax) {
                return lowerMaskedSoftmaxToGPU(b, softmax, kernels);
              })
              .Case([&](QKVProjOp proj) {
                return lowerQKVProjToGPU(b, proj, kernels);
              })
              .Case([&](OutProjOp proj) {
                return lowerOutProjToGPU(b, proj, kernels);
              });
      op->replaceAllUsesWith(results);
      op->erase();
    }
  }
};

} // namespace
