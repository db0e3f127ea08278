//===- OutlineAMXRegions.cpp - AMX kernels in functions of their own ------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// LLVM ends every function that uses AMX tiles with `tilerelease`, run on
// each return. The AMX kernels run behind a run-time check, so the function
// that holds one must not execute any tile instruction where the check
// failed: each conditional region with AMX ops becomes a function of its
// own, called without inlining.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_OUTLINEAMXREGIONS
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

bool containsAMX(Region &region) {
  return region
      .walk([](Operation *op) {
        return isa<amx::AMXDialect>(op->getDialect()) ? WalkResult::interrupt()
                                                      : WalkResult::advance();
      })
      .wasInterrupted();
}

struct OutlineAMXRegionsPass
    : public attnc::impl::OutlineAMXRegionsBase<OutlineAMXRegionsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The outermost regions only: an outlined region takes the ifs inside
    // it along.
    SmallVector<Region *> regions;
    module.walk<WalkOrder::PreOrder>([&](scf::IfOp ifOp) {
      bool found = false;
      for (Region *region : {&ifOp.getThenRegion(), &ifOp.getElseRegion()}) {
        if (!region->empty() && containsAMX(*region)) {
          regions.push_back(region);
          found = true;
        }
      }
      return found ? WalkResult::skip() : WalkResult::advance();
    });

    SymbolTable symbols(module);
    IRRewriter rewriter(&getContext());
    for (Region *region : regions) {
      auto parent = region->getParentOfType<func::FuncOp>();
      if (!parent)
        continue;
      std::string name;
      for (unsigned n = 0;; ++n) {
        name = (parent.getSymName() + "_amx" + Twine(n)).str();
        if (!symbols.lookup(name))
          break;
      }
      func::CallOp call;
      FailureOr<func::FuncOp> outlined = outlineSingleBlockRegion(
          rewriter, region->getParentOp()->getLoc(), *region, name, &call);
      if (failed(outlined)) {
        region->getParentOp()->emitError(
            "attnc-outline-amx-regions: cannot outline this AMX region");
        return signalPassFailure();
      }
      symbols.insert(*outlined);
      outlined->setPrivate();
      (*outlined)->setAttr(
          "llvm.linkage",
          LLVM::LinkageAttr::get(&getContext(), LLVM::Linkage::Internal));
      call.setNoInline(true);
    }
  }
};

} // namespace
