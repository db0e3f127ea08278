//===- ProjectionDecomposition.cpp - qkv_proj/out_proj lowering -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The projections as single linalg.generic contractions that index the weight
// columns of each head directly (`h * D + d`), so no reshape or transpose of
// the products is needed. Accumulation is in f32; a bias initialises the
// accumulator.
//
//===----------------------------------------------------------------------===//

#include "DecompositionUtils.h"
#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/IR/ShapeChecks.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::decomposition;

/// Computes `init[p...] = bias[col] + sum_r lhs[...] * weight[...]` where the
/// loops are `init`'s dims followed by the reduction dims. `lhsMap`,
/// `weightMap` and `biasExpr` (the weight column as a function of the loops)
/// describe the indexing.
static Value buildProjection(OpBuilder &b, Location loc, Value lhs,
                             Value weight, Value bias, Value init,
                             AffineMap lhsMap, AffineMap weightMap,
                             AffineExpr biasExpr, unsigned numReductions) {
  MLIRContext *ctx = b.getContext();
  int64_t outRank = cast<RankedTensorType>(init.getType()).getRank();
  unsigned numLoops = outRank + numReductions;
  Value acc;
  if (bias) {
    // The accumulator starts as the broadcast bias; its map sees only the
    // output loops.
    AffineMap biasMap = AffineMap::get(outRank, 0, biasExpr, ctx);
    acc = buildElementwise(
        b, loc, bias, getAccumulatorStorage(b, loc, init),
        [](OpBuilder &nb, Location nl, ValueRange args) {
          return convertFloat(nb, nl, args[0], nb.getF32Type());
        },
        biasMap);
  } else {
    acc = createAccumulator(b, loc, init, 0.0f);
  }
  SmallVector<AffineMap> maps = {
      lhsMap, weightMap,
      AffineMap::getMultiDimIdentityMap(numLoops, ctx).getMajorSubMap(outRank)};
  Value result =
      buildContraction(b, loc, lhs, weight, acc, maps, numReductions);
  return storeToInit(b, loc, result, init);
}

FailureOr<SmallVector<Value>> QKVProjOp::decomposeOperation(OpBuilder &b) {
  buildShapeChecks(b, getOperation());
  Location loc = getLoc();
  MLIRContext *ctx = b.getContext();
  bool transposed = getWeightLayout() == WeightLayout::OutIn;
  // Loops (b, h, s, d, k); k runs over the model dim.
  AffineExpr db, dh, ds, dd, dk;
  bindDims(ctx, db, dh, ds, dd, dk);
  AffineMap inputMap = AffineMap::get(5, 0, {db, ds, dk}, ctx);

  SmallVector<Value> results;
  int64_t columnOffset = 0;
  Value inits[] = {getQueryInit(), getKeyInit(), getValueInit()};
  for (auto [idx, init] : llvm::enumerate(inits)) {
    auto initType = cast<RankedTensorType>(init.getType());
    int64_t headDim = initType.getDimSize(3);
    // Each projection reads its own weight, or its column range of the fused
    // one.
    unsigned operandIdx = isFused() ? 0 : idx;
    if (!isFused())
      columnOffset = 0;
    AffineExpr column = dh * headDim + dd + columnOffset;
    AffineMap weightMap =
        AffineMap::get(5, 0,
                       transposed ? ArrayRef<AffineExpr>{column, dk}
                                  : ArrayRef<AffineExpr>{dk, column},
                       ctx);
    Value bias = hasBias() ? getBiases()[operandIdx] : Value();
    // With a RoPE epilogue, queries and keys are projected into a temporary
    // and rotated into the init.
    bool rotate = hasRope() && idx < 2;
    Value dest = rotate ? tensor::EmptyOp::create(
                              b, loc, tensor::getMixedSizes(b, loc, init),
                              initType.getElementType())
                              .getResult()
                        : init;
    Value projected =
        buildProjection(b, loc, getInput(), getWeights()[operandIdx], bias,
                        dest, inputMap, weightMap, column,
                        /*numReductions=*/1);
    if (rotate)
      projected = buildRotation(
          b, loc, projected, getPositions(), init, *getRopeStyle(),
          getRopeThetaOrDefault(), getRotaryDimOrDefault(), getRopeScaling(),
          getRopeScalingParams().value_or(ArrayRef<float>()));
    results.push_back(projected);
    columnOffset += initType.getDimSize(1) * headDim;
  }
  return results;
}

FailureOr<SmallVector<Value>> OutProjOp::decomposeOperation(OpBuilder &b) {
  buildShapeChecks(b, getOperation());
  Location loc = getLoc();
  MLIRContext *ctx = b.getContext();
  bool transposed = getWeightLayout() == WeightLayout::OutIn;
  int64_t headDim = cast<RankedTensorType>(getInput().getType()).getDimSize(3);
  // Loops (b, s, m, h, e); h and e are reductions.
  AffineExpr db, ds, dm, dh, de;
  bindDims(ctx, db, ds, dm, dh, de);
  AffineExpr row = dh * headDim + de;
  AffineMap inputMap = AffineMap::get(5, 0, {db, dh, ds, de}, ctx);
  AffineMap weightMap =
      AffineMap::get(5, 0,
                     transposed ? ArrayRef<AffineExpr>{dm, row}
                                : ArrayRef<AffineExpr>{row, dm},
                     ctx);
  return SmallVector<Value>{buildProjection(b, loc, getInput(), getWeight(),
                                            getBias(), getInit(), inputMap,
                                            weightMap, dm,
                                            /*numReductions=*/2)};
}
