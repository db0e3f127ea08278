//===- LowPrecision.h - f16/bf16 helpers for the CPU kernels ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// What the CPU kernels share to compute on f16 and bf16 data:
//
// - widening to f32 in registers (`arith.extf`: F16C's vcvtph2ps for f16, a
//   16-bit shift for bf16 once attnc-cpu-pipeline expands it), so that the
//   arithmetic and the accumulation are f32;
// - the AVX512-BF16 dot product (`x86vector.avx512.dot`, vdpbf16ps): each
//   f32 lane accumulates the products of one *pair* of bf16 values of each
//   operand, so the operand that varies along the lanes is laid out in
//   pairs along the reduction dim, `[..., k / 2, lane, 2]`, and the other one
//   is a pair broadcast to every lane;
// - rounding f32 vectors to bf16 (vcvtneps2bf16 with AVX512-BF16, the
//   round-to-nearest-even integer sequence without).
//
// Whether the target has AVX512-BF16 is the pipeline's decision
// (attnc::useAvx512Bf16 in Pipelines.h); the builders here only emit.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TRANSFORMS_LOWPRECISION_H
#define ATTNC_TRANSFORMS_LOWPRECISION_H

#include "mlir/IR/Builders.h"

namespace mlir::attnc {

/// `value` (a scalar or a vector of f16, bf16 or f32) as f32: an arith.extf,
/// or `value` itself when it is f32 already.
Value widenToF32(OpBuilder &builder, Location loc, Value value);

/// An f32 vector rounded to bf16 (round to nearest even): vcvtneps2bf16 when
/// `native` (8 or 16 lanes), an arith.truncf otherwise.
Value roundToBF16(OpBuilder &builder, Location loc, Value value, bool native);

/// The pair of bf16 values at `indices` (and the next element along the
/// last dim) of `source`, a memref or a ranked tensor of bf16, broadcast to
/// all `lanes` 32-bit lanes: a `vector<2*lanes x bf16>` operand of
/// dotBF16Pairs. When `inBounds` is false, a second element past the end of
/// the last dim reads as 0.
Value broadcastBF16Pair(OpBuilder &builder, Location loc, Value source,
                        ValueRange indices, int64_t lanes,
                        bool inBounds = true);

/// `acc + sum_t a[2i + t] * b[2i + t]` in each f32 lane i of `acc`
/// (vdpbf16ps): `a` and `b` are `vector<2N x bf16>`, `acc` `vector<N x f32>`
/// with N = 4, 8 or 16.
Value dotBF16Pairs(OpBuilder &builder, Location loc, Value acc, Value a,
                   Value b);

} // namespace mlir::attnc

#endif // ATTNC_TRANSFORMS_LOWPRECISION_H
