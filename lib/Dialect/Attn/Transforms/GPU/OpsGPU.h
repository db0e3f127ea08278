//===- OpsGPU.h - NVVM kernels of the non-attention attn ops ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// What the attn-ops-gpu lowerings share: one entry point per op family, each
// of which builds its kernels into the module's gpu.module and replaces the
// op by launches (KernelUtils.h), and KernelMath, the few index and float
// helpers that keep the per-thread kernel bodies short enough to read.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_GPU_OPSGPU_H
#define ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_GPU_OPSGPU_H

#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/Transforms/GPU/KernelUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <optional>

namespace mlir::attn::gpu_kernels {

//===----------------------------------------------------------------------===//
// Lowerings (one per file). Each is called with the builder before `op` and
// returns the values that replace the op's results.
//===----------------------------------------------------------------------===//

SmallVector<Value> lowerRopeToGPU(OpBuilder &b, RopeOp op,
                                  gpu::GPUModuleOp kernels);
SmallVector<Value> lowerKVAppendToGPU(OpBuilder &b, KVAppendOp op,
                                      gpu::GPUModuleOp kernels);
SmallVector<Value> lowerMaskedSoftmaxToGPU(OpBuilder &b, MaskedSoftmaxOp op,
                                           gpu::GPUModuleOp kernels);
SmallVector<Value> lowerQKVProjToGPU(OpBuilder &b, QKVProjOp op,
                                     gpu::GPUModuleOp kernels);
SmallVector<Value> lowerOutProjToGPU(OpBuilder &b, OutProjOp op,
                                     gpu::GPUModuleOp kernels);

/// The rotation parameters of attn.rope and of attn.qkv_proj's epilogue.
struct RopeParams {
  RopeStyle style;
  float theta;
  int64_t rotaryDim;
  std::optional<RopeScaling> scaling;
  SmallVector<float> scalingParams;
};

/// Launches the rotary kernel on the query and key buffers [B, H, S, D].
/// With `queryOut`/`keyOut` null the rotation is done in place (each thread
/// reads and writes one pair of components, so this is race free).
void launchRopeKernel(OpBuilder &b, Location loc, gpu::GPUModuleOp kernels,
                      const RopeParams &params, Value queryIn, Value keyIn,
                      Value positions, Value queryOut, Value keyOut);

/// Creates a kernel (createKernel) and fills it with `body`, called with the
/// builder at the start of the kernel body and the kernel's arguments; the
/// builder's insertion point is the same after the call as before.
gpu::GPUFuncOp
buildKernel(OpBuilder &b, gpu::GPUModuleOp kernels, StringRef baseName,
            TypeRange argTypes, std::array<int64_t, 3> blockSize,
            function_ref<void(OpBuilder &, Location, ValueRange)> body);

/// Threads per block of the element-wise kernels (rope, kv_append).
constexpr int64_t kElementwiseBlock = 256;

//===----------------------------------------------------------------------===//
// KernelMath
//===----------------------------------------------------------------------===//

/// Index and f32 arithmetic, loads and structured control flow, spelled
/// short. Index arithmetic is unsigned where it divides: every value divided
/// here is a non-negative size or offset.
struct KernelMath {
  OpBuilder &b;
  Location loc;

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value f32(float v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value i32(int32_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivUIOp::create(b, loc, x, y); }
  Value rem(Value x, Value y) { return arith::RemUIOp::create(b, loc, x, y); }
  Value ceilDiv(Value x, Value y) {
    return arith::CeilDivUIOp::create(b, loc, x, y);
  }
  Value max(Value x, Value y) { return arith::MaxUIOp::create(b, loc, x, y); }
  Value cmp(arith::CmpIPredicate pred, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, pred, x, y);
  }
  Value lt(Value x, Value y) { return cmp(arith::CmpIPredicate::slt, x, y); }
  Value le(Value x, Value y) { return cmp(arith::CmpIPredicate::sle, x, y); }
  Value ge(Value x, Value y) { return cmp(arith::CmpIPredicate::sge, x, y); }
  Value eq(Value x, Value y) { return cmp(arith::CmpIPredicate::eq, x, y); }
  Value both(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  /// lo <= x < hi (signed).
  Value inRange(Value x, Value lo, Value hi) {
    return both(ge(x, lo), lt(x, hi));
  }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }

  Value fadd(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value fsub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value fmul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value fdiv(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value fmax(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }
  Value feq(Value x, Value y) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, y);
  }
  /// A float scalar extended or truncated to `type` (no-op when equal).
  Value convert(Value v, Type type);
  Value toF32(Value v) { return convert(v, b.getF32Type()); }
  /// An i32/i64 scalar as index (sign-extending, as the reference does).
  Value toIndex(Value v) {
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
  }

  Value dim(Value memref, int64_t idx) {
    return memref::DimOp::create(b, loc, memref, idx);
  }
  Value load(Value memref, ValueRange indices) {
    return memref::LoadOp::create(b, loc, memref, indices);
  }
  void store(Value v, Value memref, ValueRange indices) {
    memref::StoreOp::create(b, loc, v, memref, indices);
  }

  Value threadId() {
    return gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  }
  Value blockId(gpu::Dimension d) { return gpu::BlockIdOp::create(b, loc, d); }
  /// blockIdx.x * blockSize + threadIdx.x.
  Value globalThreadId(int64_t blockSize) {
    return add(mul(blockId(gpu::Dimension::x), index(blockSize)), threadId());
  }

  /// Splits the linear index `linear` over `sizes` (row-major, the last size
  /// fastest) into one index per size. Only the sizes after the first are
  /// used; the first index is whatever remains.
  SmallVector<Value> delinearize(Value linear, ArrayRef<Value> sizes);

  /// if (cond) { body() }
  void ifThen(Value cond, function_ref<void()> body);
  /// cond ? thenValue() : elseValue(), with only the taken side evaluated.
  Value ifElse(Value cond, Type type, function_ref<Value()> thenValue,
               function_ref<Value()> elseValue);
};

} // namespace mlir::attn::gpu_kernels

#endif // ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_GPU_OPSGPU_H
