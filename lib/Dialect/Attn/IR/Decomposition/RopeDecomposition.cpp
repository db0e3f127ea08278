//===- RopeDecomposition.cpp - attn.rope reference lowering -----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Rotary embedding as one element-wise linalg.generic per tensor. Each output
// component reads its rotation partner with tensor.extract, which keeps the
// two pairing styles and partial rotary in one obvious body.
//
//===----------------------------------------------------------------------===//

#include "DecompositionUtils.h"
#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/IR/ShapeChecks.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::decomposition;

Value decomposition::buildRotation(OpBuilder &b, Location loc, Value input,
                                   Value positions, Value init, RopeStyle style,
                                   float theta, int64_t rotaryDim,
                                   std::optional<RopeScaling> scaling,
                                   ArrayRef<float> scalingParams) {
  MLIRContext *ctx = b.getContext();
  AffineExpr db, dh, ds, dd;
  bindDims(ctx, db, dh, ds, dd);
  bool perBatch = cast<RankedTensorType>(positions.getType()).getRank() == 2;
  AffineMap positionsMap = perBatch ? AffineMap::get(4, 0, {db, ds}, ctx)
                                    : AffineMap::get(4, 0, ds, ctx);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
  auto initType = cast<RankedTensorType>(init.getType());
  Type elementType = initType.getElementType();
  int64_t headDim = initType.getDimSize(3);

  return buildElementwise(
      b, loc, {input, positions}, init,
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Type f32 = nb.getF32Type();
        auto index = [&](int64_t v) {
          return arith::ConstantIndexOp::create(nb, nl, v);
        };
        Value d = linalg::IndexOp::create(nb, nl, 3);
        Value x = convertFloat(nb, nl, args[0], f32);

        // Pair index i, partner component and the sign of the partner term.
        Value pair, partner, isFirst;
        if (style == RopeStyle::Half) {
          Value half = index(rotaryDim / 2);
          isFirst =
              arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ult, d, half);
          Value dMinusHalf = arith::SubIOp::create(nb, nl, d, half);
          pair = arith::SelectOp::create(nb, nl, isFirst, d, dMinusHalf);
          partner = arith::SelectOp::create(
              nb, nl, isFirst, arith::AddIOp::create(nb, nl, d, half),
              dMinusHalf);
        } else {
          Value two = index(2);
          pair = arith::DivUIOp::create(nb, nl, d, two);
          isFirst = arith::CmpIOp::create(
              nb, nl, arith::CmpIPredicate::eq,
              arith::RemUIOp::create(nb, nl, d, two), index(0));
          partner = arith::XOrIOp::create(nb, nl, d, index(1));
        }
        // With partial rotary, components past the rotary dim pass through;
        // their partner is clamped so that the extract below stays in bounds.
        Value rotated;
        if (rotaryDim < headDim) {
          rotated = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ult, d,
                                          index(rotaryDim));
          partner = arith::SelectOp::create(nb, nl, rotated, partner, d);
        }

        // The pair's frequency (f32, as Hugging Face computes it), then
        // angle = position * frequency.
        Value pairF = arith::UIToFPOp::create(
            nb, nl, f32,
            arith::IndexCastUIOp::create(nb, nl, nb.getI32Type(), pair));
        Value invFreq = buildRopeInverseFrequency(
            nb, nl, pairF, theta, rotaryDim, scaling, scalingParams);
        Value position = arith::SIToFPOp::create(nb, nl, f32, args[1]);
        Value angle = arith::MulFOp::create(nb, nl, position, invFreq);
        Value cos = math::CosOp::create(nb, nl, angle);
        Value sin = math::SinOp::create(nb, nl, angle);

        Value partnerValue = convertFloat(
            nb, nl,
            tensor::ExtractOp::create(
                nb, nl, input,
                ValueRange{linalg::IndexOp::create(nb, nl, 0),
                           linalg::IndexOp::create(nb, nl, 1),
                           linalg::IndexOp::create(nb, nl, 2), partner}),
            f32);
        // First of a pair: x cos - y sin; second: x cos + y sin.
        Value partnerTerm = arith::MulFOp::create(nb, nl, partnerValue, sin);
        Value signedTerm = arith::SelectOp::create(
            nb, nl, isFirst, arith::NegFOp::create(nb, nl, partnerTerm),
            partnerTerm);
        Value out = arith::AddFOp::create(
            nb, nl, arith::MulFOp::create(nb, nl, x, cos), signedTerm);
        if (rotated)
          out = arith::SelectOp::create(nb, nl, rotated, out, x);
        return convertFloat(nb, nl, out, elementType);
      },
      {identity, positionsMap});
}

FailureOr<SmallVector<Value>> RopeOp::decomposeOperation(OpBuilder &b) {
  buildShapeChecks(b, getOperation());
  Location loc = getLoc();
  float theta = getTheta().convertToFloat();
  int64_t rotaryDim = getRotaryDimOrDefault();
  return SmallVector<Value>{
      buildRotation(b, loc, getQuery(), getPositions(), getQueryInit(),
                    getStyle(), theta, rotaryDim, getRopeScaling(),
                    getRopeScalingParams().value_or(ArrayRef<float>())),
      buildRotation(b, loc, getKey(), getPositions(), getKeyInit(), getStyle(),
                    theta, rotaryDim, getRopeScaling(),
                    getRopeScalingParams().value_or(ArrayRef<float>()))};
}
