//===- KernelUtils.cpp - what the NVVM kernel builders share ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Dialect/Attn/Transforms/GPU/KernelUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::attn::gpu_kernels;

namespace {

struct ChipInfo {
  StringRef chip;
  int64_t computeCapability;
  int64_t numSMs;
  int64_t maxSharedMemoryPerBlock;
  StringRef ptxFeature;
};

/// Opt-in shared memory per block and SM counts from NVIDIA's tuning guides
/// (A100: 163 KiB, 108 SMs; H100/H200 SXM: 227 KiB, 132 SMs).
constexpr ChipInfo kChips[] = {
    {"sm_80", 80, 108, 166912, "+ptx76"},
    {"sm_86", 86, 84, 101376, "+ptx76"},
    {"sm_87", 87, 16, 166912, "+ptx76"},
    {"sm_89", 89, 128, 101376, "+ptx78"},
    {"sm_90", 90, 132, 232448, "+ptx78"},
    {"sm_90a", 90, 132, 232448, "+ptx80"},
    {"sm_100", 100, 148, 232448, "+ptx86"},
    {"sm_100a", 100, 148, 232448, "+ptx86"},
    {"sm_120", 120, 170, 101376, "+ptx87"},
};

} // namespace

FailureOr<GPUTarget> GPUTarget::get(StringRef chip) {
  for (const ChipInfo &info : kChips) {
    if (info.chip != chip)
      continue;
    GPUTarget target;
    target.chip = info.chip.str();
    target.computeCapability = info.computeCapability;
    target.numSMs = info.numSMs;
    target.maxSharedMemoryPerBlock = info.maxSharedMemoryPerBlock;
    target.ptxFeature = info.ptxFeature.str();
    return target;
  }
  return failure();
}

StringRef GPUTarget::getSupportedChips() {
  return "sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a, sm_100, sm_100a, sm_120";
}

MemRefType attn::gpu_kernels::getKernelBufferType(RankedTensorType type) {
  int64_t rank = type.getRank();
  SmallVector<int64_t> strides(rank, ShapedType::kDynamic);
  if (rank > 0)
    strides.back() = 1;
  auto layout = StridedLayoutAttr::get(type.getContext(), ShapedType::kDynamic,
                                       strides);
  return MemRefType::get(type.getShape(), type.getElementType(), layout);
}

Value attn::gpu_kernels::getReadBuffer(OpBuilder &b, Location loc,
                                       Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  return bufferization::ToBufferOp::create(b, loc, getKernelBufferType(type),
                                           tensor, /*readOnly=*/true);
}

Value attn::gpu_kernels::getWriteBuffer(OpBuilder &b, Location loc,
                                        Value tensor) {
  // Destinations keep the identity layout, so that a result returned from
  // a function needs no copy into the identity-layout ABI buffer; the kernel
  // sees them through a cast.
  auto type = cast<RankedTensorType>(tensor.getType());
  auto identity = MemRefType::get(type.getShape(), type.getElementType());
  // An empty destination becomes its own allocation: tensor.empty ops of one
  // shape are interchangeable (CSE merges them), so two kernels writing
  // "into" one would otherwise share a buffer.
  if (auto empty = tensor.getDefiningOp<tensor::EmptyOp>())
    tensor = bufferization::AllocTensorOp::create(b, loc, type,
                                                  empty.getDynamicSizes());
  Value buffer = bufferization::ToBufferOp::create(b, loc, identity, tensor,
                                                   /*readOnly=*/false);
  return memref::CastOp::create(b, loc, getKernelBufferType(type), buffer);
}

Value attn::gpu_kernels::getWrittenTensor(OpBuilder &b, Location loc,
                                          Value buffer, Type tensorType) {
  if (auto cast = buffer.getDefiningOp<memref::CastOp>())
    buffer = cast.getSource();
  // The buffer is the destination's own: nothing else reaches it through
  // another tensor, so the result may be written in place again.
  return bufferization::ToTensorOp::create(b, loc, tensorType, buffer,
                                           /*restrict=*/true,
                                           /*writable=*/true);
}

gpu::GPUModuleOp attn::gpu_kernels::getOrCreateKernelModule(ModuleOp module) {
  static constexpr StringLiteral kName = "attnc_kernels";
  if (auto existing = module.lookupSymbol<gpu::GPUModuleOp>(kName))
    return existing;
  module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                  UnitAttr::get(module.getContext()));
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  return gpu::GPUModuleOp::create(b, module.getLoc(), kName);
}

gpu::GPUFuncOp attn::gpu_kernels::createKernel(
    OpBuilder &b, gpu::GPUModuleOp kernels, StringRef baseName,
    TypeRange argTypes, std::array<int64_t, 3> blockSize) {
  MLIRContext *context = b.getContext();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(kernels.getBody());
  auto type = FunctionType::get(context, argTypes, {});
  auto kernel =
      gpu::GPUFuncOp::create(b, kernels.getLoc(), baseName, type);
  kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(),
                  UnitAttr::get(context));
  SmallVector<int32_t> block(blockSize.begin(), blockSize.end());
  // convert-gpu-to-nvvm turns the known block size into nvvm.maxntid.
  kernel.setKnownBlockSizeAttr(DenseI32ArrayAttr::get(context, block));
  // Unique name within the kernel module.
  SymbolTable symbols(kernels);
  symbols.insert(kernel);
  b.setInsertionPointToStart(&kernel.getBody().front());
  gpu::ReturnOp::create(b, kernels.getLoc());
  b.setInsertionPointToStart(&kernel.getBody().front());
  return kernel;
}

void attn::gpu_kernels::launchKernel(OpBuilder &b, Location loc,
                                     gpu::GPUFuncOp kernel,
                                     std::array<Value, 3> grid,
                                     int64_t sharedMemoryBytes,
                                     ValueRange args) {
  ArrayRef<int32_t> block = *kernel.getKnownBlockSize();
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value smem = arith::ConstantIntOp::create(b, loc, b.getI32Type(),
                                            sharedMemoryBytes);
  auto launch = [&](OpBuilder &lb, Location ll) {
    gpu::LaunchFuncOp::create(
        lb, ll, kernel, gpu::KernelDim3{grid[0], grid[1], grid[2]},
        gpu::KernelDim3{index(block[0]), index(block[1]), index(block[2])},
        sharedMemoryBytes > 0 ? smem : Value(), args);
  };
  // CUDA rejects empty grids; an empty tensor needs no kernel.
  Value nonEmpty;
  for (Value size : grid) {
    std::optional<int64_t> constant = getConstantIntValue(size);
    if (constant && *constant > 0)
      continue;
    Value positive = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                           size, index(0));
    nonEmpty = nonEmpty ? arith::AndIOp::create(b, loc, nonEmpty, positive)
                        : positive;
  }
  if (!nonEmpty)
    return launch(b, loc);
  scf::IfOp::create(b, loc, nonEmpty, [&](OpBuilder &tb, Location tl) {
    launch(tb, tl);
    scf::YieldOp::create(tb, tl);
  });
}

Attribute attn::gpu_kernels::getWorkgroupAddressSpace(MLIRContext *context) {
  return gpu::AddressSpaceAttr::get(context,
                                    gpu::GPUDialect::getWorkgroupAddressSpace());
}

Value attn::gpu_kernels::getSharedMemoryView(OpBuilder &b, Location loc,
                                             int64_t byteOffset,
                                             ArrayRef<int64_t> shape,
                                             Type elementType) {
  MLIRContext *context = b.getContext();
  Attribute space = getWorkgroupAddressSpace(context);
  auto bytesType = MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                                   MemRefLayoutAttrInterface(), space);
  Value all = gpu::DynamicSharedMemoryOp::create(b, loc, bytesType);
  Value offset = arith::ConstantIndexOp::create(b, loc, byteOffset);
  auto viewType =
      MemRefType::get(shape, elementType, MemRefLayoutAttrInterface(), space);
  return memref::ViewOp::create(b, loc, viewType, all, offset, ValueRange{});
}
