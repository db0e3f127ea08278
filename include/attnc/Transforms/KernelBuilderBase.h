//===- KernelBuilderBase.h - what every CPU kernel builder uses -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The CPU kernel builders (flash and decode attention, the QKV projections,
// the linear layers) emit at the op they replace, with its location, and are
// written with index constants, sizes of tensors and index min/max. This
// base holds the builder and those helpers, so that each kernel keeps only
// what is its own.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TRANSFORMS_KERNELBUILDERBASE_H
#define ATTNC_TRANSFORMS_KERNELBUILDERBASE_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::attnc {

class KernelBuilderBase {
protected:
  KernelBuilderBase(Location loc, OpBuilder &builder) : b(loc, builder) {}

  /// An index constant.
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  /// An f32 constant.
  Value f32Const(float v) {
    return arith::ConstantOp::create(b, b.getF32FloatAttr(v));
  }
  /// Dim `idx` of `tensor`: a constant when static.
  Value dim(Value tensor, int64_t idx) {
    return getValueOrCreateConstantIndexOp(
        b, b.getLoc(), tensor::getMixedSize(b, b.getLoc(), tensor, idx));
  }
  /// Signed min and max of two indices.
  Value minIndex(Value x, Value y) { return arith::MinSIOp::create(b, x, y); }
  Value maxIndex(Value x, Value y) { return arith::MaxSIOp::create(b, x, y); }

  /// Emits at the insertion point it was given, with the op's location.
  ImplicitLocOpBuilder b;
};

} // namespace mlir::attnc

#endif // ATTNC_TRANSFORMS_KERNELBUILDERBASE_H
