//===- FlashKernelGPU.h - FlashAttention-2 NVVM kernel bodies ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The flash attention kernels of attn-attention-gpu (AttentionGPU.cpp, which
// describes the algorithm): what one kernel computes (FlashProblem), its
// tiles (FlashTiling, chosen from the target's shared memory), and the
// builders of the kernel bodies, the main one and the merge of split-KV
// partials. AttentionGPU.cpp builds the launches around them.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_GPU_FLASHKERNELGPU_H
#define ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_GPU_FLASHKERNELGPU_H

#include "attnc/Dialect/Attn/Transforms/GPU/KernelUtils.h"
#include "attnc/Dialect/Attn/Transforms/KeyRange.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <optional>
#include <string>

namespace mlir::attn::gpu_kernels {

/// A block is kWarps warps; warp w owns kRowsPerWarp query rows.
inline constexpr int64_t kWarpSize = 32;
inline constexpr int64_t kWarps = 4;
inline constexpr int64_t kRowsPerWarp = 16;
inline constexpr int64_t kBlockQ = kWarps * kRowsPerWarp;
inline constexpr int64_t kThreads = kWarps * kWarpSize;
/// Splits of the key range at most, and the fewest keys a split gets.
inline constexpr int64_t kMaxSplits = 64;
inline constexpr int64_t kMinSplitKeys = 256;

/// The tile decisions of one kernel.
struct FlashTiling {
  /// Keys per block (a multiple of 16).
  int64_t blockKV = 64;
  /// Row strides of the shared-memory tiles, in elements (padded so that
  /// fragment loads of the 8 row groups hit distinct banks).
  int64_t qStride = 0, kStride = 0, vStride = 0;
  /// Byte offsets of the tiles in dynamic shared memory.
  int64_t qOffset = 0, kOffset = 0, vOffset = 0, pOffset = 0;
  int64_t sharedMemoryBytes = 0;
};

/// What a kernel computes: attention or decode attention, from the op.
struct FlashProblem {
  Operation *op;
  bool decode = false;
  Type elementType;
  int64_t headDim = 0, valueDim = 0;
  MaskSpec mask;
  float scale = 1.0f;
  std::optional<float> softcap;
  /// attention: the optional mask operand.
  Value maskOperand;
  /// decode: seq_lens and the optional block table.
  Value seqLens, blockTable;
  /// Writes per-split partial results instead of O.
  bool split = false;

  bool usesTensorCores() const { return !elementType.isF32(); }
};

/// Why the kernel cannot compute `problem` on `target`, or "".
std::string getUnsupportedReason(const FlashProblem &problem,
                                 const GPUTarget &target);

/// The tiles for `problem`: 64 keys per block up to head dim 128, 32 above
/// (the O accumulators then take 128 registers per thread) and for f32,
/// fewer when shared memory is short; failure when even 16 keys do not fit.
FailureOr<FlashTiling> selectTiling(const FlashProblem &problem,
                                    const GPUTarget &target);

/// Emits the body of the flash kernel for `problem`; `args` are the kernel's
/// arguments in the order AttentionGPU.cpp builds them.
void buildFlashKernel(ImplicitLocOpBuilder &b, const FlashProblem &problem,
                      const FlashTiling &tiling, ValueRange args);

/// Emits the merge of split-KV partials: one block of kThreads threads per
/// (row, head, batch), threads over the value columns. `args`: partial O,
/// partial max, partial sum, O, number of splits.
void buildMergeKernel(ImplicitLocOpBuilder &b, ValueRange args);

} // namespace mlir::attn::gpu_kernels

#endif // ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_GPU_FLASHKERNELGPU_H
