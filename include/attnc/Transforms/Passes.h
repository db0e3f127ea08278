//===- Passes.h - attnc compiler-wide passes --------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TRANSFORMS_PASSES_H
#define ATTNC_TRANSFORMS_PASSES_H

#include "attnc/Runtime/Symbols.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::attnc {

// The symbols a library exports (attnc/Runtime/Symbols.h, shared with the
// runtime that loads it).

/// Prefix of the exported signature string of function `f`.
inline constexpr llvm::StringLiteral kSignatureSymbolPrefix =
    attnc_symbols::kSignaturePrefix;

/// Prefix of the string that lists the results of function `f` computed in
/// place into its arguments ("result:argument,...").
inline constexpr llvm::StringLiteral kInPlaceSymbolPrefix =
    attnc_symbols::kInPlacePrefix;

/// Prefix of the destination-passing entry point of function `f`
/// (attnc-destination-entries).
inline constexpr llvm::StringLiteral kDestinationEntryPrefix =
    attnc_symbols::kDestinationEntryPrefix;

/// The exported string naming the device a library's functions run on
/// ("cpu" or "cuda").
inline constexpr llvm::StringLiteral kTargetSymbol = attnc_symbols::kTarget;

/// Prefix of the C interface of exported function `f`.
inline constexpr llvm::StringLiteral kCInterfacePrefix =
    attnc_symbols::kCInterfacePrefix;

/// The attnc kernel runtime's pool of temporaries (runtime/lib/Kernel), which
/// compiled CPU libraries link: `void *attnc_workspace_alloc(int64_t bytes)`
/// returns a block aligned to kWorkspaceAlignment bytes, and
/// `void attnc_workspace_free(void *)` gives it back.
inline constexpr llvm::StringLiteral kWorkspaceAllocFunction =
    "attnc_workspace_alloc";
inline constexpr llvm::StringLiteral kWorkspaceFreeFunction =
    "attnc_workspace_free";
inline constexpr int64_t kWorkspaceAlignment = 64;

/// Whether `name` is a libc, libm or libomp function that compiled code may
/// call (the functions attnc-verify-lowered allows to stay external).
bool isRuntimeLibraryFunction(llvm::StringRef name);

#define GEN_PASS_DECL
#include "attnc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "attnc/Transforms/Passes.h.inc"

} // namespace mlir::attnc

#endif // ATTNC_TRANSFORMS_PASSES_H
