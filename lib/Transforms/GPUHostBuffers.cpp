//===- GPUHostBuffers.cpp - host buffers of GPU functions in device memory ===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/CastInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_GPUHOSTBUFFERS
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

/// True when `op` reads or writes the contents of a memref (allocation and
/// release aside).
bool accessesBufferContents(Operation *op) {
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    // Ops with regions report through their bodies; unknown ops without
    // regions might do anything.
    return op->getNumRegions() == 0 &&
           !op->hasTrait<OpTrait::HasRecursiveMemoryEffects>() &&
           llvm::any_of(op->getOperandTypes(), llvm::IsaPred<MemRefType>);
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::any_of(instances, [](const MemoryEffects::EffectInstance &e) {
    return isa<MemoryEffects::Read, MemoryEffects::Write>(e.getEffect()) &&
           e.getValue() && isa<BaseMemRefType>(e.getValue().getType());
  });
}

/// True when `value`, or a view or cast of it, is returned by its function
/// (then the caller owns it).
bool escapesThroughReturn(Value value) {
  SmallVector<Value> worklist = {value};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (isa<func::ReturnOp>(user))
        return true;
      if (isa<ViewLikeOpInterface, CastOpInterface>(user))
        llvm::append_range(worklist, user->getResults());
    }
  }
  return false;
}

struct GPUHostBuffersPass
    : public attnc::impl::GPUHostBuffersBase<GPUHostBuffersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    IRRewriter rewriter(module.getContext());
    bool ok = true;
    for (auto fn : module.getOps<func::FuncOp>()) {
      SmallVector<Operation *> ops;
      fn.walk([&](Operation *op) { ops.push_back(op); });
      for (Operation *op : ops) {
        rewriter.setInsertionPoint(op);
        Location loc = op->getLoc();
        if (isa<memref::AllocOp, memref::AllocaOp>(op)) {
          auto type = cast<MemRefType>(op->getResult(0).getType());
          ValueRange sizes, symbols;
          if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
            sizes = alloc.getDynamicSizes();
            symbols = alloc.getSymbolOperands();
          } else {
            auto alloca = cast<memref::AllocaOp>(op);
            sizes = alloca.getDynamicSizes();
            symbols = alloca.getSymbolOperands();
          }
          auto alloc = gpu::AllocOp::create(
              rewriter, loc, type, /*asyncToken=*/Type(),
              /*asyncDependencies=*/ValueRange{}, sizes, symbols,
              /*hostShared=*/UnitAttr());
          rewriter.replaceOp(op, alloc.getMemref());
          // Temporaries (split-KV partials, copies) are freed when the
          // function returns; results belong to the caller.
          if (!escapesThroughReturn(alloc.getMemref()))
            fn.walk([&](func::ReturnOp ret) {
              rewriter.setInsertionPoint(ret);
              gpu::DeallocOp::create(rewriter, ret.getLoc(), Type(),
                                     ValueRange{}, alloc.getMemref());
            });
        } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
          gpu::DeallocOp::create(rewriter, loc, /*asyncToken=*/Type(),
                                 ValueRange{}, dealloc.getMemref());
          rewriter.eraseOp(op);
        } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
          gpu::MemcpyOp::create(rewriter, loc, /*asyncToken=*/Type(),
                                ValueRange{}, copy.getTarget(),
                                copy.getSource());
          rewriter.eraseOp(op);
        } else if (!isa<gpu::GPUDialect>(op->getDialect()) &&
                   accessesBufferContents(op)) {
          op->emitError("'")
              << op->getName()
              << "' would access device memory on the host: functions "
                 "compiled for the cuda target may only compute their "
                 "tensors with attn ops";
          ok = false;
        }
      }
    }
    if (!ok)
      signalPassFailure();
  }
};

} // namespace
