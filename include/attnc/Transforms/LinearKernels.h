//===- LinearKernels.h - CPU vector kernels for linear layers ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The one GEMM kernel builder of the CPU pipeline. attnc-matmul-cpu (MLP,
// output projection, lm_head) and attn-projection-cpu (attn.qkv_proj) both
// emit their linear layers through it.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TRANSFORMS_LINEARKERNELS_H
#define ATTNC_TRANSFORMS_LINEARKERNELS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

#include <string>

namespace mlir::attnc {

/// out[b, s, n] = init[b, s, n] + sum_k x[b, s, k] * w(k, columnOffset + n)
/// for n in [0, numColumns): a linear layer on a window of a weight's output
/// columns (one of Q/K/V in a fused QKV weight, or the whole weight).
struct LinearLayer {
  /// `[B, S, K]` f32 activations; K static.
  Value input;
  /// `[K, N]` (`[in, out]`, GPT-2 Conv1D) or, when `transposed`, `[N, K]`
  /// (`[out, in]`, torch nn.Linear); static f32. Read in place.
  Value weight;
  bool transposed = false;
  /// The window of weight columns this layer computes.
  int64_t columnOffset = 0;
  int64_t numColumns = 0;
  /// Optional `[N]` f32 bias, indexed like the weight's columns.
  Value bias;
  /// Optional `[B, S, numColumns]` f32 values the products are added to.
  /// With neither `bias` nor `accumulator`, the products start from zero.
  Value accumulator;
  /// `[B, S, >= destinationColumnOffset + numColumns]` f32 tensor the
  /// result is written into, from column destinationColumnOffset on (a
  /// destination wider than the layer holds several layers' results side
  /// by side).
  Value destination;
  int64_t destinationColumnOffset = 0;
};

/// What the target offers the linear kernels (the pipeline decides it from
/// the host's or the requested CPU's features).
struct LinearKernelTarget {
  /// f32 lanes per vector: 16 (AVX-512) or 8 (AVX2).
  int64_t vectorWidth = 16;
  /// AVX512-BF16 (vdpbf16ps, vcvtneps2bf16): the prefill kernel multiplies
  /// bf16 weights with activations rounded to bf16, pairs along K,
  /// accumulating in f32. Never set for a target without AVX512-BF16.
  bool bf16Dot = false;
  /// AMX-BF16 (tdpbf16ps on 16 x 32 tiles, with bf16Dot): the prefill
  /// kernel of bf16 weights multiplies 32 x 32 blocks of the output per
  /// step where the process is granted the AMX state at run time
  /// (buildAMXGrantedCheck), and runs the AVX512-BF16 kernel where it is
  /// not. Never set for a target without AMX-TILE and AMX-BF16.
  bool amx = false;
};

/// Why buildLinearKernel cannot take `layer` with `vectorWidth` f32 lanes,
/// or an empty string.
std::string getLinearKernelUnsupportedReason(const LinearLayer &layer,
                                             int64_t vectorWidth);

/// Emits the kernels of `layer` at the builder's insertion point and returns
/// the `[B, S, numColumns]` result (the destination, written).
Value buildLinearKernel(OpBuilder &builder, Location loc,
                        const LinearLayer &layer,
                        const LinearKernelTarget &target);

/// Emits the kernels of `layers`, which read the same input and write one
/// destination (the first layer's), each at its destinationColumnOffset,
/// and returns it written. [out, in] weights (Q, K and V of a Llama) are
/// read by one forall over every layer's column blocks in a decode step
/// (fewer rows than a register block): one fork instead of one per layer.
/// Other calls run each layer's kernels one after another; in a prefill the
/// layers packed alike share one packing of the input.
Value buildLinearKernels(OpBuilder &builder, Location loc,
                         ArrayRef<LinearLayer> layers,
                         const LinearKernelTarget &target);

} // namespace mlir::attnc

#endif // ATTNC_TRANSFORMS_LINEARKERNELS_H
