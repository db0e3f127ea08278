//===- AttnOps.h - attn dialect operations ----------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_DIALECT_ATTN_IR_ATTNOPS_H
#define ATTNC_DIALECT_ATTN_IR_ATTNOPS_H

#include "attnc/Dialect/Attn/IR/AttnDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "attnc/Dialect/Attn/IR/AttnEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "attnc/Dialect/Attn/IR/AttnAttrs.h.inc"

#define GET_OP_CLASSES
#include "attnc/Dialect/Attn/IR/AttnOps.h.inc"

namespace mlir::attn {

/// Emits the f32 inverse frequency of rotary pair `pair` (an f32 value):
/// `theta^(-2 pair / rotaryDim)`, then rescaled as `scaling` with `params`
/// says (attn.rope's `scaling(...)` clause). The one definition that
/// attn.rope's reference lowering, attn.qkv_proj's and the CPU kernels use.
Value buildRopeInverseFrequency(OpBuilder &b, Location loc, Value pair,
                                float theta, int64_t rotaryDim,
                                std::optional<RopeScaling> scaling,
                                ArrayRef<float> params);

} // namespace mlir::attn

#endif // ATTNC_DIALECT_ATTN_IR_ATTNOPS_H
