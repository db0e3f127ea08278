//===- Pipelines.h - named attnc compilation pipelines ----------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The pipelines the drivers (attnc-run, attnc compile) run, as C++ functions
// with options structs, registered so that `attnc-opt --<pipeline>`
// reproduces every compile.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_PIPELINES_PIPELINES_H
#define ATTNC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::attnc {

struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  Option<bool> exportFunctions{
      *this, "export-functions",
      llvm::cl::desc("Give public functions the attnc C ABI "
                     "(attnc-export-functions); needed to call them from "
                     "attnc-run or a C/C++ program"),
      llvm::cl::init(true)};
};

/// attn ops on tensors -> reference decomposition -> linalg -> one-shot
/// bufferization -> loops -> LLVM dialect, then the contract check that
/// nothing else is left.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers `attnc-cpu-pipeline`.
void registerPipelines();

} // namespace mlir::attnc

#endif // ATTNC_PIPELINES_PIPELINES_H
