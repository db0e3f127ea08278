//===- KernelUtils.h - what the NVVM kernel builders share ------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The GPU lowerings of attn ops (attn-attention-gpu, attn-ops-gpu) replace
// each tensor-level op, where it stands, by
//
//   %q = bufferization.to_buffer %query read_only   (every operand read)
//   %o = bufferization.to_buffer %init               (the destination)
//   gpu.launch_func @attnc_kernels::@f_attention_0 blocks in (...)
//       threads in (...) dynamic_shared_memory_size %smem args(%q, ..., %o)
//   %r = bufferization.to_tensor %o restrict writable
//
// so that one-shot bufferization sees which buffers the kernel reads and
// writes, and puts the kernels themselves (gpu.func) in one gpu.module per
// host module. Buffers cross into kernels as full memref descriptors with
// dynamic strides and offset and a unit innermost stride, so every layout
// bufferization may produce is accepted and dynamic shapes need nothing
// special.
//
// GPUTarget holds the properties of the chip the kernels are built for; the
// tiling decisions read them from here, never from a chip name.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_DIALECT_ATTN_TRANSFORMS_GPU_KERNELUTILS_H
#define ATTNC_DIALECT_ATTN_TRANSFORMS_GPU_KERNELUTILS_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <array>
#include <string>

namespace mlir::attn::gpu_kernels {

/// What the kernel builders need to know about an NVIDIA chip.
struct GPUTarget {
  /// The chip name as ptxas spells it, e.g. "sm_90a".
  std::string chip;
  /// Compute capability as major * 10 + minor, e.g. 90.
  int64_t computeCapability = 0;
  /// Streaming multiprocessors of the usual part with this chip (H100/H200
  /// SXM: 132, A100: 108); split-KV sizes its grid from it.
  int64_t numSMs = 0;
  /// Shared memory one block may use, with the opt-in attribute, in bytes.
  int64_t maxSharedMemoryPerBlock = 0;
  /// The PTX ISA version feature that the chip needs, e.g. "+ptx80".
  std::string ptxFeature;

  /// Tensor-core mma.sync (m16n8k16, f16 and bf16): sm_80 and later.
  bool hasMmaSync() const { return computeCapability >= 80; }

  /// The target for `chip` (sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a,
  /// sm_100, sm_100a, sm_120), or failure for anything else.
  static FailureOr<GPUTarget> get(StringRef chip);
  /// The chips get() accepts, for messages.
  static StringRef getSupportedChips();
};

/// The memref type a kernel sees for a tensor of `type`: the same shape and
/// element type, dynamic strides and offset, unit innermost stride.
MemRefType getKernelBufferType(RankedTensorType type);

/// The buffer of a tensor that a kernel only reads.
Value getReadBuffer(OpBuilder &b, Location loc, Value tensor);
/// The buffer of a destination tensor that a kernel writes.
Value getWriteBuffer(OpBuilder &b, Location loc, Value tensor);
/// The tensor that a kernel wrote into `buffer` (the op's result).
Value getWrittenTensor(OpBuilder &b, Location loc, Value buffer,
                       Type tensorType);

/// The gpu.module that holds the kernels of `module`, created on first use
/// (the module gets the gpu.container_module attribute).
gpu::GPUModuleOp getOrCreateKernelModule(ModuleOp module);

/// Creates an empty kernel `gpu.func` in `kernels` with a unique name made
/// from `baseName`, taking `argTypes`, launched with `blockSize` threads
/// (recorded as gpu.known_block_size, which becomes nvvm.maxntid), and
/// ending in gpu.return. The caller's insertion point is kept; build the
/// body at the start of `kernel.getBody().front()`.
gpu::GPUFuncOp createKernel(OpBuilder &b, gpu::GPUModuleOp kernels,
                            StringRef baseName, TypeRange argTypes,
                            std::array<int64_t, 3> blockSize);

/// Launches `kernel` on a grid of `grid` blocks of its block size, with
/// `sharedMemoryBytes` of dynamic shared memory.
void launchKernel(OpBuilder &b, Location loc, gpu::GPUFuncOp kernel,
                  std::array<Value, 3> grid, int64_t sharedMemoryBytes,
                  ValueRange args);

/// A view of `bytes` of the kernel's dynamic shared memory starting at
/// `byteOffset`, typed as a static `shape` memref of `elementType` in the
/// workgroup address space.
Value getSharedMemoryView(OpBuilder &b, Location loc, int64_t byteOffset,
                          ArrayRef<int64_t> shape, Type elementType);

/// The workgroup (shared) address space attribute.
Attribute getWorkgroupAddressSpace(MLIRContext *context);

} // namespace mlir::attn::gpu_kernels

#endif // ATTNC_DIALECT_ATTN_TRANSFORMS_GPU_KERNELUTILS_H
