//===- InitAll.cpp - register everything attnc tools need -------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/InitAll.h"

#include "attnc/Dialect/Attn/IR/AttnDialect.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"
#include "attnc/Pipelines/Pipelines.h"
#include "attnc/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void mlir::attnc::registerAllDialects(DialectRegistry &registry) {
  registry.insert<attn::AttnDialect>();
  // attnc lowers through most of upstream (linalg, bufferization, vector,
  // scf/openmp, gpu/nvgpu/nvvm, llvm); registering all of it keeps attnc-opt
  // able to reproduce every pipeline and to run any upstream pass on its
  // output.
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates kernels to LLVM IR inside the pipeline.
  mlir::registerAllToLLVMIRTranslations(registry);
}

void mlir::attnc::registerAllPasses() {
  attn::registerAttnPasses();
  attnc::registerAttncPasses();
  attnc::registerPipelines();
  mlir::registerAllPasses();
}
