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
  Option<bool> reference{
      *this, "reference",
      llvm::cl::desc("Lower attention only through the unfused reference "
                     "decomposition (attn-decompose), without attn-flash-cpu"),
      llvm::cl::init(false)};
  Option<int64_t> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("f32 lanes of the target's vectors for the fused "
                     "kernels: 16 (AVX-512) or 8 (AVX2); 0 picks the host's"),
      llvm::cl::init(0)};
  Option<bool> threads{
      *this, "threads",
      llvm::cl::desc("Run parallel tiles on all cores with OpenMP (the "
                     "compiled code then needs libomp)"),
      llvm::cl::init(true)};
  Option<bool> exportFunctions{
      *this, "export-functions",
      llvm::cl::desc("Give public functions the attnc C ABI "
                     "(attnc-export-functions); needed to call them from "
                     "attnc-run or a C/C++ program"),
      llvm::cl::init(true)};
};

/// attn ops on tensors -> fused flash kernels (attn-flash-cpu) for the
/// attention they cover, the reference decomposition for the rest -> one-shot
/// bufferization -> loops and vectors -> LLVM dialect, then the contract
/// check that nothing else is left.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// The f32 vector width of the host: 16 with AVX-512, 8 otherwise.
int64_t getHostVectorWidth();

/// Registers `attnc-cpu-pipeline`.
void registerPipelines();

} // namespace mlir::attnc

#endif // ATTNC_PIPELINES_PIPELINES_H
