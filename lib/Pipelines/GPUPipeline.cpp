//===- GPUPipeline.cpp - attn ops to NVVM kernels and host code -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Pipelines/Pipelines.h"

#include "attnc/Dialect/Attn/Transforms/GPU/KernelUtils.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"
#include "attnc/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include <cstdlib>

using namespace mlir;

std::string attnc::getCUDAToolkitPath(const GPUPipelineOptions &options) {
  if (!options.toolkit.empty())
    return options.toolkit;
  if (const char *home = std::getenv("CUDA_HOME"); home && *home)
    return home;
  return "/usr/local/cuda";
}

void attnc::buildGPUPipeline(OpPassManager &pm,
                             const GPUPipelineOptions &options) {
  if (options.exportFunctions) {
    attnc::ExportFunctionsOptions exportOptions;
    exportOptions.target = "cuda";
    pm.addPass(attnc::createExportFunctions(exportOptions));
  }

  // Tensor level: every attn op becomes kernel launches. No CSE after this
  // point until bufferization: the launches reach their buffers through
  // bufferization.to_buffer, and merging two of those would make two
  // kernels write one buffer.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  attn::AttnAttentionGPUOptions attentionOptions;
  attentionOptions.chip = options.chip;
  pm.addPass(attn::createAttnAttentionGPU(attentionOptions));
  attn::AttnOpsGPUOptions opsOptions;
  opsOptions.chip = options.chip;
  pm.addPass(attn::createAttnOpsGPU(opsOptions));

  // Buffers, all of them in device memory.
  attnc::addABIBufferization(pm, options.exportFunctions);
  // attnc-gpu-host-buffers frees the temporaries: ownership-based
  // deallocation rejects gpu.launch_func (no declared memory effects).
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(attnc::createGPUHostBuffers());
  // One stream per call: launches, allocations and copies are ordered on
  // it, and the call waits for it once at the end.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());

  // Kernels to NVVM.
  FailureOr<attn::gpu_kernels::GPUTarget> target =
      attn::gpu_kernels::GPUTarget::get(options.chip);
  GpuNVVMAttachTargetOptions attachOptions;
  attachOptions.chip = options.chip;
  attachOptions.features = succeeded(target) ? target->ptxFeature : "+ptx80";
  attachOptions.optLevel = options.optLevel;
  pm.addPass(createGpuNVVMAttachTarget(attachOptions));
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createSCFToControlFlowPass());
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());

  // Host code to LLVM, calling the mgpu* runtime.
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  // Only the C wrappers stay exported. The kernels read offsets and strides
  // from the descriptors, so the wrappers pass them on unchanged.
  if (options.exportFunctions) {
    attnc::FinalizeExportsOptions finalizeOptions;
    finalizeOptions.foldOffsets = false;
    pm.addPass(attnc::createFinalizeExports(finalizeOptions));
  }
  pm.addPass(createCanonicalizerPass());

  if (!options.binary)
    return;
  GpuModuleToBinaryPassOptions binaryOptions;
  binaryOptions.compilationTarget = options.format;
  binaryOptions.toolkitPath = getCUDAToolkitPath(options);
  pm.addPass(createGpuModuleToBinaryPass(binaryOptions));
  attnc::VerifyLoweredOptions verifyOptions;
  verifyOptions.cuda = true;
  pm.addPass(attnc::createVerifyLowered(verifyOptions));
}
