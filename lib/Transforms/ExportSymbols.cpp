//===- ExportSymbols.cpp - Strings a library exports to its loader --------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/ExportSymbols.h"

using namespace mlir;

LLVM::GlobalOp attnc::createExportedString(OpBuilder &builder, Location loc,
                                           SymbolTable &symbols, StringRef name,
                                           StringRef text) {
  std::string value = text.str();
  value.push_back('\0');
  auto arrayType = LLVM::LLVMArrayType::get(builder.getI8Type(), value.size());
  auto global = LLVM::GlobalOp::create(
      builder, loc, arrayType, /*isConstant=*/true, LLVM::Linkage::External,
      name, builder.getStringAttr(value));
  symbols.insert(global);
  return global;
}
