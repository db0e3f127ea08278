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
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include "llvm/Support/MathExtras.h"

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

  /// The running maxima of online softmax: the larger of two scores (or
  /// vectors of them), `x > y ? x : y`, which is what vmaxps computes, and
  /// the largest lane of a vector, by halving it with shuffles. arith's
  /// maximumf (NaN-propagating, -0 < +0) and maxnumf (NaN-ignoring) need
  /// extra compares and blends per step, and LLVM expands their reductions
  /// into a chain of scalar steps: several times the instructions in every
  /// key block. A NaN score still reaches the output whichever operand it
  /// was: exp(NaN - m) and exp(s - NaN) are NaN, and so are the row's sum
  /// and P V.
  Value maxScore(Value x, Value y) {
    return arith::SelectOp::create(
        b, arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, x, y), x, y);
  }
  Value maxLane(Value v) {
    int64_t lanes = cast<VectorType>(v.getType()).getNumElements();
    assert(llvm::isPowerOf2_64(lanes) && "a power-of-two vector");
    for (int64_t half = lanes / 2; half >= 1; half /= 2) {
      // Lane i meets lane i + half (and the upper half, which is no longer
      // read, meets the lower one).
      SmallVector<int64_t> mask;
      for (int64_t i = 0; i < lanes; ++i)
        mask.push_back(i < half ? i + half : i - half);
      v = maxScore(v, vector::ShuffleOp::create(b, v, v, mask));
    }
    return vector::ExtractOp::create(b, v, ArrayRef<int64_t>{0});
  }

  /// `values` where `condition` holds, else what `otherwise` makes of them,
  /// emitted in the else region only: an scf.if that keeps the common case
  /// (a key block that every row sees whole) free of the masking work.
  SmallVector<Value>
  computeUnless(Value condition, ValueRange values,
                function_ref<SmallVector<Value>()> otherwise) {
    auto ifOp = scf::IfOp::create(
        b, condition,
        [&](OpBuilder &tb, Location tl) {
          scf::YieldOp::create(tb, tl, values);
        },
        [&](OpBuilder &eb, Location) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(eb.getInsertionBlock(), eb.getInsertionPoint());
          scf::YieldOp::create(b, otherwise());
        });
    return SmallVector<Value>(ifOp.getResults());
  }

  /// An scf.if on `condition` with one result: each region is built with
  /// this builder by `thenValue` or `elseValue`, which return the value it
  /// yields (a kernel built under a runtime choice).
  Value buildIf(Value condition, function_ref<Value()> thenValue,
                function_ref<Value()> elseValue) {
    auto region = [&](function_ref<Value()> value) {
      return [&, value](OpBuilder &nb, Location) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        scf::YieldOp::create(b, value());
      };
    };
    return scf::IfOp::create(b, condition, region(thenValue), region(elseValue))
        .getResult(0);
  }

  /// The transpose of the square tile whose rows are `rows` (n vectors of n
  /// lanes, n a power of two, any element type): result[j][i] = rows[i][j].
  /// The packing of K panels and of [out, in] weight panels reads rows and
  /// stores columns; done element by element that is a scalar store (or a
  /// scatter) per element. Here it is log2(n) rounds in which row 2i and
  /// 2i + 1 become the interleaved first and second halves of rows i and
  /// i + n/2. Each round rotates an element's 2 log2(n)-bit index (row
  /// bits, then column bits) left by one, so log2(n) rounds swap the row
  /// and the column: n log2(n) two-source shuffles (vpermt2ps with
  /// AVX-512), where the element-wise copy took n^2 stores.
  SmallVector<Value> transposeSquare(ArrayRef<Value> rows) {
    int64_t n = static_cast<int64_t>(rows.size());
    assert(llvm::isPowerOf2_64(n) &&
           cast<VectorType>(rows.front().getType()).getNumElements() == n &&
           "a square tile of a power-of-two size");
    SmallVector<int64_t> low, high;
    for (int64_t i = 0; i < n / 2; ++i) {
      low.append({i, n + i});
      high.append({n / 2 + i, n + n / 2 + i});
    }
    SmallVector<Value> current(rows);
    for (int64_t round = 1; round < n; round *= 2) {
      SmallVector<Value> next;
      for (int64_t i = 0; i < n / 2; ++i) {
        Value first = current[i], second = current[i + n / 2];
        next.push_back(vector::ShuffleOp::create(b, first, second, low));
        next.push_back(vector::ShuffleOp::create(b, first, second, high));
      }
      current = std::move(next);
    }
    return current;
  }

  /// Emits at the insertion point it was given, with the op's location.
  ImplicitLocOpBuilder b;
};

} // namespace mlir::attnc

#endif // ATTNC_TRANSFORMS_KERNELBUILDERBASE_H
