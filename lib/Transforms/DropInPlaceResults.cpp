//===- DropInPlaceResults.cpp - results that alias arguments ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/ExportSymbols.h"
#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/BitVector.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_DROPINPLACERESULTS
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

/// The buffer `value` is, looking through casts and through scf.for loops
/// that carry a buffer unchanged (as bufferized in-place updates do).
Value getSourceBuffer(Value value) {
  while (true) {
    if (auto cast = value.getDefiningOp<memref::CastOp>()) {
      value = cast.getSource();
      continue;
    }
    if (auto loop = value.getDefiningOp<scf::ForOp>()) {
      unsigned idx = cast<OpResult>(value).getResultNumber();
      if (getSourceBuffer(loop.getYieldedValues()[idx]) ==
          loop.getRegionIterArgs()[idx]) {
        value = loop.getInitArgs()[idx];
        continue;
      }
    }
    return value;
  }
}

/// The entry block argument that `value` is, if any.
BlockArgument getEntryArgument(Value value, func::FuncOp fn) {
  value = getSourceBuffer(value);
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg || arg.getOwner() != &fn.getBody().front())
    return nullptr;
  return arg;
}

struct DropInPlaceResultsPass
    : public attnc::impl::DropInPlaceResultsBase<DropInPlaceResultsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    for (auto fn : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (fn.isExternal() || fn.isPrivate() ||
          !fn->hasAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName()))
        continue;
      if (!SymbolTable::symbolKnownUseEmpty(fn, module))
        continue;
      auto returnOp = cast<func::ReturnOp>(fn.getBody().back().getTerminator());
      llvm::BitVector dropped(returnOp.getNumOperands());
      std::string pairs;
      for (auto [idx, value] : llvm::enumerate(returnOp.getOperands())) {
        BlockArgument arg = getEntryArgument(value, fn);
        if (!arg)
          continue;
        dropped.set(idx);
        if (!pairs.empty())
          pairs.push_back(',');
        pairs += std::to_string(idx) + ":" + std::to_string(arg.getArgNumber());
      }
      if (dropped.none())
        continue;
      returnOp->eraseOperands(dropped);
      if (failed(fn.eraseResults(dropped))) {
        fn.emitError("could not drop the in-place results of @")
            << fn.getSymName();
        return signalPassFailure();
      }

      std::string name = (attnc::kInPlaceSymbolPrefix + fn.getSymName()).str();
      if (Operation *existing = symbols.lookup(name)) {
        fn.emitError("cannot export @") << fn.getSymName() << ": the symbol @"
                                        << name << " is already defined";
        existing->emitRemark("defined here");
        return signalPassFailure();
      }
      attnc::createExportedString(builder, fn.getLoc(), symbols, name, pairs);
    }
  }
};

} // namespace
