//===- ExportSymbols.h - Strings a library exports --------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The attnc ABI describes a compiled library with NUL-terminated strings
// exported as constant globals (attnc_signature_<f>, attnc_inplace_<f>,
// attnc_target; docs/abi.md). The passes that export them share this.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TRANSFORMS_EXPORTSYMBOLS_H
#define ATTNC_TRANSFORMS_EXPORTSYMBOLS_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::attnc {

/// Creates the exported constant `name` holding `text` and a terminating NUL
/// at the builder's insertion point, and adds it to `symbols`.
LLVM::GlobalOp createExportedString(OpBuilder &builder, Location loc,
                                    SymbolTable &symbols, StringRef name,
                                    StringRef text);

} // namespace mlir::attnc

#endif // ATTNC_TRANSFORMS_EXPORTSYMBOLS_H
