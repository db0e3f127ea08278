//===- Passes.h - attnc compiler-wide passes --------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TRANSFORMS_PASSES_H
#define ATTNC_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::attnc {

/// Prefix of the exported signature string of function `f`.
inline constexpr llvm::StringLiteral kSignatureSymbolPrefix =
    "attnc_signature_";

/// Prefix of the string that lists the results of function `f` computed in
/// place into its arguments ("result:argument,...").
inline constexpr llvm::StringLiteral kInPlaceSymbolPrefix = "attnc_inplace_";

/// The exported string naming the device a library's functions run on
/// ("cpu" or "cuda").
inline constexpr llvm::StringLiteral kTargetSymbol = "attnc_target";

/// Whether `name` is a libc, libm or libomp function that compiled code may
/// call (the functions attnc-verify-lowered allows to stay external).
bool isRuntimeLibraryFunction(llvm::StringRef name);

#define GEN_PASS_DECL
#include "attnc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "attnc/Transforms/Passes.h.inc"

} // namespace mlir::attnc

#endif // ATTNC_TRANSFORMS_PASSES_H
