//===- PoolTemporaries.cpp - temporaries from the workspace pool -*- C++ -*-=//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Conversion/LLVMCommon/MemRefBuilder.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/FunctionCallUtils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_POOLTEMPORARIES
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

/// Bytes of one element of `type` in the lowered code, or 0 when the pass
/// does not handle it.
int64_t getElementBytes(Type type) {
  if (type.isIndex())
    return 8;
  if (type.isIntOrFloat())
    return (type.getIntOrFloatBitWidth() + 7) / 8;
  return 0;
}

/// Whether `alloc` is a temporary the pool may serve: an identity-layout
/// buffer in the default memory space that the block allocating it also
/// frees. Such a buffer never outlives its function (a result is not
/// freed), and no other dealloc can free it (that would be a double free).
bool isPoolable(memref::AllocOp alloc) {
  MemRefType type = alloc.getType();
  if (!type.getLayout().isIdentity() || type.getMemorySpace() ||
      getElementBytes(type.getElementType()) == 0 ||
      alloc.getAlignment().value_or(0) > attnc::kWorkspaceAlignment)
    return false;
  return llvm::any_of(alloc->getUsers(), [&](Operation *user) {
    return isa<memref::DeallocOp>(user) &&
           user->getBlock() == alloc->getBlock();
  });
}

struct PoolTemporariesPass
    : public attnc::impl::PoolTemporariesBase<PoolTemporariesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<memref::AllocOp> allocs;
    module.walk([&](memref::AllocOp alloc) {
      if (isPoolable(alloc))
        allocs.push_back(alloc);
    });
    if (allocs.empty())
      return;

    MLIRContext *context = &getContext();
    LLVMTypeConverter converter(context);
    OpBuilder b(context);
    Type i64 = b.getI64Type();
    auto ptrType = LLVM::LLVMPointerType::get(context);
    FailureOr<LLVM::LLVMFuncOp> allocFn = LLVM::lookupOrCreateFn(
        b, module, attnc::kWorkspaceAllocFunction, {i64}, ptrType);
    FailureOr<LLVM::LLVMFuncOp> freeFn =
        LLVM::lookupOrCreateFn(b, module, attnc::kWorkspaceFreeFunction,
                               {ptrType}, LLVM::LLVMVoidType::get(context));
    if (failed(allocFn) || failed(freeFn)) {
      module.emitError("cannot declare the workspace functions");
      return signalPassFailure();
    }

    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      Location loc = alloc.getLoc();
      b.setInsertionPoint(alloc);

      // Sizes and row-major strides, as i64.
      SmallVector<Value> sizes;
      unsigned dynamicIdx = 0;
      for (int64_t size : type.getShape()) {
        Value value =
            ShapedType::isDynamic(size)
                ? alloc.getDynamicSizes()[dynamicIdx++]
                : arith::ConstantIndexOp::create(b, loc, size).getResult();
        sizes.push_back(arith::IndexCastOp::create(b, loc, i64, value));
      }
      auto constant = [&](int64_t value) -> Value {
        return arith::ConstantIntOp::create(b, loc, i64, value);
      };
      SmallVector<Value> strides(sizes.size());
      Value elements = constant(1);
      for (int64_t dim = static_cast<int64_t>(sizes.size()) - 1; dim >= 0;
           --dim) {
        strides[dim] = elements;
        elements = arith::MulIOp::create(b, loc, elements, sizes[dim]);
      }
      Value bytes = arith::MulIOp::create(
          b, loc, elements,
          constant(getElementBytes(type.getElementType())));
      Value pointer =
          LLVM::CallOp::create(b, loc, *allocFn, ValueRange{bytes}).getResult();

      MemRefDescriptor descriptor =
          MemRefDescriptor::poison(b, loc, converter.convertType(type));
      descriptor.setAllocatedPtr(b, loc, pointer);
      descriptor.setAlignedPtr(b, loc, pointer);
      descriptor.setConstantOffset(b, loc, 0);
      for (auto [dim, size] : llvm::enumerate(sizes)) {
        descriptor.setSize(b, loc, dim, size);
        descriptor.setStride(b, loc, dim, strides[dim]);
      }
      Value buffer = UnrealizedConversionCastOp::create(
                         b, loc, type, ValueRange{Value(descriptor)})
                         .getResult(0);

      for (Operation *user : llvm::to_vector(alloc->getUsers())) {
        auto dealloc = dyn_cast<memref::DeallocOp>(user);
        if (!dealloc)
          continue;
        b.setInsertionPoint(dealloc);
        Value lowered = UnrealizedConversionCastOp::create(
                            b, dealloc.getLoc(),
                            converter.convertType(type), ValueRange{buffer})
                            .getResult(0);
        Value allocated =
            MemRefDescriptor(lowered).allocatedPtr(b, dealloc.getLoc());
        LLVM::CallOp::create(b, dealloc.getLoc(), *freeFn,
                             ValueRange{allocated});
        dealloc.erase();
      }
      alloc.getResult().replaceAllUsesWith(buffer);
      alloc.erase();
    }
  }
};

} // namespace
