//===- AttentionDecomposition.cpp - attention reference lowering -*- C++ -*-=//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// attn.attention and attn.masked_softmax as unfused linalg: scores, masks,
// a stable softmax, and the product with V.
//
//===----------------------------------------------------------------------===//

#include "DecompositionUtils.h"
#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/IR/ShapeChecks.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::decomposition;

FailureOr<SmallVector<Value>> AttentionOp::decomposeOperation(OpBuilder &b) {
  buildShapeChecks(b, getOperation());
  Location loc = getLoc();
  auto queryType = cast<RankedTensorType>(getQuery().getType());
  auto keyType = cast<RankedTensorType>(getKey().getType());
  int64_t groups = queryType.getDimSize(1) / keyType.getDimSize(1);

  ScoreMask spec = getScoreMaskAttributes(*this);
  spec.mask = getMask();

  Value scores = computeScores(b, loc, getQuery(), getKey(), groups);
  scores = applyScoreMask(b, loc, scores, spec);
  Value probabilities = softmaxLastDim(b, loc, scores);
  return SmallVector<Value>{
      attendValues(b, loc, probabilities, getValue(), groups, getInit())};
}

FailureOr<SmallVector<Value>>
MaskedSoftmaxOp::decomposeOperation(OpBuilder &b) {
  buildShapeChecks(b, getOperation());
  Location loc = getLoc();
  ScoreMask spec = getScoreMaskAttributes(*this);
  spec.mask = getMask();

  Value input = getInput();
  auto inputType = cast<RankedTensorType>(input.getType());
  if (!inputType.getElementType().isF32()) {
    input = buildElementwise(
        b, loc, input, createEmptyF32(b, loc, getSizes(b, loc, input)),
        [](OpBuilder &nb, Location nl, ValueRange args) {
          return convertFloat(nb, nl, args[0], nb.getF32Type());
        });
  }
  Value scores = applyScoreMask(b, loc, input, spec);
  Value probabilities = softmaxLastDim(b, loc, scores);
  return SmallVector<Value>{storeToInit(b, loc, probabilities, getInit())};
}
