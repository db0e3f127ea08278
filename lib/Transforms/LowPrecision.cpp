//===- LowPrecision.cpp - f16/bf16 helpers for the CPU kernels ------------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/LowPrecision.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"

using namespace mlir;

Value mlir::attnc::widenToF32(OpBuilder &builder, Location loc, Value value) {
  Type f32 = builder.getF32Type();
  Type type = f32;
  if (auto vector = dyn_cast<VectorType>(value.getType()))
    type = VectorType::get(vector.getShape(), f32);
  if (value.getType() == type)
    return value;
  return arith::ExtFOp::create(builder, loc, type, value);
}

Value mlir::attnc::roundToBF16(OpBuilder &builder, Location loc, Value value,
                               bool native) {
  auto type = cast<VectorType>(value.getType());
  auto bf16Type = VectorType::get(type.getShape(), builder.getBF16Type());
  int64_t lanes = type.getNumElements();
  if (native && type.getRank() == 1 && (lanes == 8 || lanes == 16))
    return x86vector::CvtPackedF32ToBF16Op::create(builder, loc, bf16Type,
                                                   value);
  return arith::TruncFOp::create(builder, loc, bf16Type, value);
}

Value mlir::attnc::broadcastBF16Pair(OpBuilder &builder, Location loc,
                                     Value source, ValueRange indices,
                                     int64_t lanes, bool inBounds) {
  Type bf16 = builder.getBF16Type();
  auto pairType = VectorType::get({2}, bf16);
  Value padding =
      arith::ConstantOp::create(builder, loc, bf16, builder.getZeroAttr(bf16));
  Value pair =
      vector::TransferReadOp::create(builder, loc, pairType, source, indices,
                                     padding, ArrayRef<bool>{inBounds});
  // One 32-bit lane holds the pair: broadcast it as an integer
  // (vpbroadcastd) and view the result as 2 * lanes bf16 values.
  Type i32 = builder.getI32Type();
  Value word =
      vector::BitCastOp::create(builder, loc, VectorType::get({1}, i32), pair);
  Value scalar = vector::ExtractOp::create(builder, loc, word, 0);
  Value words = vector::BroadcastOp::create(
      builder, loc, VectorType::get({lanes}, i32), scalar);
  return vector::BitCastOp::create(builder, loc,
                                   VectorType::get({2 * lanes}, bf16), words);
}

Value mlir::attnc::dotBF16Pairs(OpBuilder &builder, Location loc, Value acc,
                                Value a, Value b) {
  return x86vector::DotBF16Op::create(builder, loc, acc.getType(), acc, a, b);
}
