//===- ExportFunctions.cpp - the attnc C ABI of public functions -*- C++ -*-=//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/ExportSymbols.h"
#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_EXPORTFUNCTIONS
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

/// Ranked tensors (or identity-layout memrefs) of the element types the
/// runtime can read and write.
bool isExportable(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return false;
  if (auto memref = dyn_cast<MemRefType>(type);
      memref && !memref.getLayout().isIdentity())
    return false;
  if (!isa<RankedTensorType, MemRefType>(type))
    return false;
  Type element = shaped.getElementType();
  return element.isF16() || element.isBF16() || element.isF32() ||
         element.isF64() || element.isSignlessInteger(1) ||
         element.isSignlessInteger(8) || element.isSignlessInteger(32) ||
         element.isSignlessInteger(64);
}

LogicalResult checkSignature(func::FuncOp fn) {
  FunctionType type = fn.getFunctionType();
  auto check = [&](TypeRange types, StringRef what) -> LogicalResult {
    for (auto [idx, t] : llvm::enumerate(types)) {
      if (isExportable(t))
        continue;
      return fn.emitError("cannot export @")
             << fn.getSymName() << ": " << what << " #" << idx << " has type "
             << t
             << "; exported functions take and return ranked tensors of "
                "f16, bf16, f32, f64, i1, i8, i32 or i64 (use tensor<f32> "
                "for a scalar)";
    }
    return success();
  };
  return success(succeeded(check(type.getInputs(), "argument")) &&
                 succeeded(check(type.getResults(), "result")));
}

/// What holds `name` if a function defined in the module may not have it,
/// because the lowering or the ABI needs that symbol; empty otherwise.
StringRef getReservedNameOwner(StringRef name) {
  if (attnc::isRuntimeLibraryFunction(name) || name == "stderr")
    return "the C library functions compiled code calls";
  if (name.starts_with("mgpu"))
    return "the CUDA runtime functions compiled code calls";
  if (name.starts_with("_mlir_"))
    return "the C interface of exported functions (_mlir_ciface_*)";
  if (name.starts_with("attnc_"))
    return "the attnc ABI (attnc_*)";
  if (name.starts_with("__"))
    return "the compiler and its runtime libraries (__*)";
  return {};
}

struct ExportFunctionsPass
    : public attnc::impl::ExportFunctionsBase<ExportFunctionsPass> {
  using ExportFunctionsBase::ExportFunctionsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    bool ok = true;
    for (auto fn : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (fn.isExternal())
        continue;
      // A definition would replace the function the lowering calls (a
      // public @memset is called by every buffer fill).
      if (StringRef owner = getReservedNameOwner(fn.getSymName());
          !owner.empty()) {
        fn.emitError("cannot compile @")
            << fn.getSymName() << ": the name is reserved for " << owner
            << "; rename the function";
        ok = false;
        continue;
      }
      if (fn.isPrivate())
        continue;
      if (failed(checkSignature(fn))) {
        ok = false;
        continue;
      }
      fn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                  builder.getUnitAttr());

      std::string name =
          (attnc::kSignatureSymbolPrefix + fn.getSymName()).str();
      if (Operation *existing = symbols.lookup(name)) {
        // A signature from an earlier run is replaced; anything else that
        // holds the name is the user's.
        if (!isa<LLVM::GlobalOp>(existing)) {
          existing->emitError("cannot export @")
              << fn.getSymName() << ": its signature symbol @" << name
              << " is already defined";
          ok = false;
          continue;
        }
        symbols.erase(existing);
      }
      std::string signature;
      llvm::raw_string_ostream(signature) << fn.getFunctionType();
      attnc::createExportedString(builder, fn.getLoc(), symbols, name,
                                  signature);
    }
    if (!ok)
      return signalPassFailure();
    if (target != "cpu" && target != "cuda") {
      module.emitError("unknown target '") << target
                                           << "' (expected cpu or cuda)";
      return signalPassFailure();
    }
    // Which device the functions' tensors live on.
    if (Operation *existing = symbols.lookup(attnc::kTargetSymbol)) {
      if (!isa<LLVM::GlobalOp>(existing)) {
        existing->emitError("the symbol @")
            << attnc::kTargetSymbol << " is reserved by the attnc ABI";
        return signalPassFailure();
      }
      symbols.erase(existing);
    }
    attnc::createExportedString(builder, module.getLoc(), symbols,
                                attnc::kTargetSymbol, target);
  }
};

} // namespace
