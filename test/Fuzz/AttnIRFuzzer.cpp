//===- AttnIRFuzzer.cpp - fuzz the attn dialect and CPU pipeline -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The input is MLIR text. It is parsed and verified with every dialect attnc
// registers; when it verifies and holds an attn op, it goes through
// attnc-cpu-pipeline, fused and reference. Errors are expected; a crash is
// not: on verified IR a pass emits a diagnostic or leaves the IR alone.
// Modules without attn ops are not compiled, so that the search stays on
// attnc's code rather than on upstream passes.
//
//===----------------------------------------------------------------------===//

#include "Fuzz.h"

#include "attnc/Dialect/Attn/IR/AttnDialect.h"
#include "attnc/InitAll.h"
#include "attnc/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <string>

using namespace mlir;

static const DialectRegistry &getRegistry() {
  static const DialectRegistry *registry = [] {
    auto *registry = new DialectRegistry();
    mlir::attnc::registerAllDialects(*registry);
    return registry;
  }();
  return *registry;
}

static bool hasAttnOp(ModuleOp module) {
  return module
      ->walk([](Operation *op) {
        return isa<attn::AttnDialect>(op->getDialect()) ? WalkResult::interrupt()
                                                        : WalkResult::advance();
      })
      .wasInterrupted();
}

static void compile(ModuleOp module, bool reference) {
  OwningOpRef<ModuleOp> copy(module.clone());
  PassManager pm(module->getContext());
  mlir::attnc::CPUPipelineOptions options;
  options.reference = reference;
  // A fixed width, so that a run replays the same on every host.
  options.vectorWidth = 16;
  mlir::attnc::buildCPUPipeline(pm, options);
  (void)pm.run(*copy);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext context(getRegistry(), MLIRContext::Threading::DISABLED);
  // Diagnostics are expected; printing them would only slow the search.
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  // MLIR's lexer stops at the NUL after its buffer, as files read through
  // llvm::MemoryBuffer have; libFuzzer's data has none, and an identifier at
  // its very end was read past it (regress-unterminated-identifier.mlir).
  std::string text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
  if (!module || failed(verify(*module)) || !hasAttnOp(*module))
    return 0;
  compile(*module, /*reference=*/false);
  compile(*module, /*reference=*/true);
  return 0;
}
