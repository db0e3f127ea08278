//===- DestinationEntries.cpp - entry points writing caller buffers -------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/ExportSymbols.h"
#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_DESTINATIONENTRIES
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

/// The tensor type a result buffer of type `type` stands for at the ABI.
Type getABITensorType(Type type) {
  auto memref = cast<MemRefType>(type);
  return RankedTensorType::get(memref.getShape(), memref.getElementType());
}

/// The `memref.alloc` in `entry` that `value` is (looking through casts),
/// or null.
memref::AllocOp getEntryAlloc(Value value, Block *entry) {
  while (auto cast = value.getDefiningOp<memref::CastOp>())
    value = cast.getSource();
  auto alloc = value.getDefiningOp<memref::AllocOp>();
  return alloc && alloc->getBlock() == entry ? alloc : nullptr;
}

/// Checks at run time that `output` has the sizes of `sizes` (one value per
/// dimension, null where both are static and equal).
void buildSizeChecks(OpBuilder &b, Location loc, Value output,
                     ArrayRef<OpFoldResult> sizes, StringRef function,
                     unsigned outputIdx) {
  auto type = cast<MemRefType>(output.getType());
  for (auto [dim, size] : llvm::enumerate(sizes)) {
    if (!type.isDynamicDim(dim) && isa<Attribute>(size))
      continue;
    Value expected = isa<Value>(size)
                         ? cast<Value>(size)
                         : arith::ConstantIndexOp::create(
                               b, loc, *getConstantIntValue(size))
                               .getResult();
    Value actual = memref::DimOp::create(b, loc, output, dim);
    Value same = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                       actual, expected);
    std::string message;
    llvm::raw_string_ostream(message)
        << "_mlir_ciface_" << function << ": output #" << outputIdx << " ("
        << getABITensorType(type)
        << ") differs from the result in size " << dim;
    cf::AssertOp::create(b, loc, same, message);
  }
}

/// The sizes of buffer `value`, static ones as attributes.
SmallVector<OpFoldResult> getSizes(OpBuilder &b, Location loc, Value value) {
  SmallVector<OpFoldResult> sizes;
  auto type = cast<MemRefType>(value.getType());
  for (int64_t dim = 0; dim < type.getRank(); ++dim)
    sizes.push_back(type.isDynamicDim(dim)
                        ? OpFoldResult(memref::DimOp::create(b, loc, value,
                                                             dim)
                                           .getResult())
                        : OpFoldResult(b.getIndexAttr(type.getDimSize(dim))));
  return sizes;
}

struct DestinationEntriesPass
    : public attnc::impl::DestinationEntriesBase<DestinationEntriesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    for (auto fn : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (fn.isExternal() || fn.isPrivate() || fn.getNumResults() == 0 ||
          !fn->hasAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName()) ||
          fn.getSymName().starts_with(attnc::kDestinationEntryPrefix) ||
          !SymbolTable::symbolKnownUseEmpty(fn, module))
        continue;
      std::string name =
          (attnc::kDestinationEntryPrefix + fn.getSymName()).str();
      std::string signatureName =
          (attnc::kSignatureSymbolPrefix + name).str();
      if (symbols.lookup(name) || symbols.lookup(signatureName)) {
        fn.emitError("cannot export @")
            << fn.getSymName() << ": @" << name
            << " (its destination-passing entry point) is already defined";
        return signalPassFailure();
      }
      auto signature = symbols.lookup<LLVM::GlobalOp>(
          (attnc::kSignatureSymbolPrefix + fn.getSymName()).str());
      auto signatureText =
          signature ? dyn_cast_or_null<StringAttr>(signature.getValueOrNull())
                    : StringAttr();
      if (!signatureText)
        continue;

      // attnc_into_f(inputs..., outputs...): f's body, with each result
      // written into the output after it instead of returned.
      auto entry = cast<func::FuncOp>(fn->clone());
      entry.setSymName(name);
      module.getBody()->getOperations().insertAfter(Block::iterator(fn),
                                                    entry);
      symbols.insert(entry);
      TypeRange resultTypes = fn.getResultTypes();
      SmallVector<Type> inputTypes(fn.getArgumentTypes());
      llvm::append_range(inputTypes, resultTypes);
      entry.setType(builder.getFunctionType(inputTypes, {}));
      Block &body = entry.getBody().front();
      SmallVector<Value> outputs;
      for (Type type : resultTypes)
        outputs.push_back(body.addArgument(type, entry.getLoc()));

      auto returnOp = cast<func::ReturnOp>(entry.getBody().back().getTerminator());
      OpBuilder b(returnOp);
      Location loc = returnOp.getLoc();
      llvm::SmallPtrSet<Operation *, 4> forwarded;
      for (auto [idx, result] : llvm::enumerate(returnOp.getOperands())) {
        Value output = outputs[idx];
        // A result allocated in the entry block is computed directly in the
        // caller's buffer (after checking that its sizes are the result's).
        if (memref::AllocOp alloc = getEntryAlloc(result, &body);
            alloc && forwarded.insert(alloc).second) {
          OpBuilder atAlloc(alloc);
          buildSizeChecks(atAlloc, alloc.getLoc(), output,
                          alloc.getMixedSizes(), name, idx);
          Value replacement = output;
          if (output.getType() != alloc.getType())
            replacement = memref::CastOp::create(atAlloc, alloc.getLoc(),
                                                 alloc.getType(), output);
          alloc.getResult().replaceAllUsesWith(replacement);
          alloc.erase();
          continue;
        }
        buildSizeChecks(b, loc, output, getSizes(b, loc, result), name, idx);
        memref::CopyOp::create(b, loc, result, output);
      }
      func::ReturnOp::create(b, loc);
      returnOp.erase();

      // Its signature: f's inputs, then the results it still returns.
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "(";
      llvm::interleaveComma(inputTypes, os, [&](Type type) {
        if (isa<MemRefType>(type))
          os << getABITensorType(type);
        else
          os << type;
      });
      os << ") -> ()";
      builder.setInsertionPointAfter(signature);
      attnc::createExportedString(builder, entry.getLoc(), symbols,
                                  signatureName, text);
    }
  }
};

} // namespace
