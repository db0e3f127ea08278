//===- CPUPipeline.cpp - attn ops to LLVM for the host CPU ------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Pipelines/Pipelines.h"

#include "attnc/Dialect/Attn/Transforms/Passes.h"
#include "attnc/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void attnc::buildCPUPipeline(OpPassManager &pm,
                             const CPUPipelineOptions &options) {
  if (options.exportFunctions)
    pm.addPass(attnc::createExportFunctions());

  // Tensor level: the reference lowering of attn ops.
  pm.addPass(attn::createAttnDecompose());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // Buffers. Function boundaries get identity-layout memrefs so that the C
  // ABI passes plain contiguous descriptors.
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());

  // Loops, then LLVM.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(attnc::createVerifyLowered());
}

void attnc::registerPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "attnc-cpu-pipeline",
      "Lower attn ops and the rest of a tensor-level module to the LLVM "
      "dialect for the host CPU",
      buildCPUPipeline);
}
