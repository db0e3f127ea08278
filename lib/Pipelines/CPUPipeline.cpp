//===- CPUPipeline.cpp - attn ops to LLVM for the host CPU ------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Pipelines/Pipelines.h"

#include "attnc/Dialect/Attn/Transforms/Passes.h"
#include "attnc/Transforms/KernelTiles.h"
#include "attnc/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/TargetParser/Host.h"

using namespace mlir;

void attnc::buildCPUPipeline(OpPassManager &pm,
                             const CPUPipelineOptions &options) {
  if (options.exportFunctions)
    pm.addPass(attnc::createExportFunctions());

  // Tensor level: fused kernels where they apply, the reference lowering for
  // every other attn op.
  if (!options.reference) {
    int64_t vectorWidth =
        options.vectorWidth > 0 ? options.vectorWidth : getHostVectorWidth();
    // Each kernel pass reports, on request, the ops it leaves for the
    // reference lowering.
    bool report = options.reportFallbacks;
    attn::AttnFuseRopeOptions ropeOptions;
    ropeOptions.reportFallbacks = report;
    pm.addPass(attn::createAttnFuseRope(ropeOptions));
    attn::AttnProjectionCPUOptions projectionOptions;
    projectionOptions.vectorWidth = vectorWidth;
    projectionOptions.bf16Dot = useAvx512Bf16(options);
    projectionOptions.amxBF16 = useAMXBF16(options);
    projectionOptions.reportFallbacks = report;
    pm.addPass(attn::createAttnProjectionCPU(projectionOptions));
    attn::AttnFlashCPUOptions flashOptions;
    flashOptions.vectorWidth = vectorWidth;
    attnc::CacheSizes caches = attnc::getHostCacheSizes();
    flashOptions.queryTiles = 0;
    flashOptions.l1CacheBytes = caches.l1Bytes;
    flashOptions.l2CacheBytes = caches.l2Bytes;
    flashOptions.bf16Dot = useAvx512Bf16(options);
    flashOptions.amxBF16 = useAMXBF16(options);
    flashOptions.reportFallbacks = report;
    pm.addPass(attn::createAttnFlashCPU(flashOptions));
    attn::AttnDecodeCPUOptions decodeOptions;
    decodeOptions.vectorWidth = vectorWidth;
    decodeOptions.reportFallbacks = report;
    pm.addPass(attn::createAttnDecodeCPU(decodeOptions));
    attnc::MatmulCPUOptions matmulOptions;
    matmulOptions.vectorWidth = vectorWidth;
    matmulOptions.bf16Dot = useAvx512Bf16(options);
    matmulOptions.amxBF16 = useAMXBF16(options);
    matmulOptions.reportFallbacks = report;
    pm.addPass(attnc::createMatmulCPU(matmulOptions));
  }
  pm.addPass(attn::createAttnDecompose());
  // Elementwise arith and math ops on tensors (`arith.addf %a, %b :
  // tensor<...>`, in the caller's own code) have no bufferization: as
  // linalg.generic they bufferize and vectorize like the rest.
  pm.addPass(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (!options.reference)
    pm.addPass(attnc::createApproximateMath());
  // Norms, residual adds and the gated MLP's products of a prefill in
  // parallel row tasks (a decode step's stay inline).
  if (options.threads && !options.reference)
    pm.addPass(attnc::createParallelizeElementwise());

  // Buffers.
  attnc::addABIBufferization(pm, options.exportFunctions,
                             options.destinationEntries);
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Temporaries from the attnc kernel runtime's per-thread pool (the C ABI
  // links it), so that repeated calls do not fault in fresh pages.
  if (options.exportFunctions)
    pm.addPass(attnc::createPoolTemporaries());
  // The AMX kernels, which run behind a run-time check, in functions of
  // their own (LLVM releases the tiles on every return of a function that
  // uses them).
  pm.addPass(attnc::createOutlineAMXRegions());

  // Loops, then LLVM.
  pm.addPass(attnc::createExpandStridedCopies());
  // Parallel tiles (scf.forall) run on all cores through OpenMP (libomp;
  // OMP_NUM_THREADS is respected). Their bodies still need lowering, so
  // the conversion happens before the loops become LLVM.
  if (options.threads)
    pm.addPass(createForallToParallelLoopPass());
  else
    pm.addPass(createForallToForLoopPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  if (options.threads) {
    pm.addPass(createConvertSCFToOpenMPPass());
    // A loop of one task (a decode step's head split) runs on the caller.
    pm.addPass(attnc::createSerializeSingleTaskRegions());
  }
  // Scratch tiles once per thread (threads) or per call (threads=0: the
  // sequential loops would grow the stack by one tile's buffers each).
  pm.addPass(attnc::createHoistParallelAllocas());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToSCFPass());
  // bf16 arithmetic in f32, and bf16 conversions as integer arithmetic:
  // without AVX512-BF16, LLVM would call compiler-rt helpers that neither the
  // JIT nor the library provide (f32 -> bf16 by attnc's own expansion, whose
  // only select is on integers: arith-expand's selects a bf16 value).
  arith::ArithEmulateUnsupportedFloatsOptions emulateOptions;
  emulateOptions.sourceTypeStrs = {"bf16"};
  emulateOptions.targetTypeStr = "f32";
  pm.addPass(arith::createArithEmulateUnsupportedFloats(emulateOptions));
  pm.addPass(attnc::createExpandBF16Truncation());
  arith::ArithExpandOpsPassOptions expandOptions;
  expandOptions.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expandOptions));
  // x86vector ops (AVX512-BF16 dot products) become LLVM intrinsics here.
  ConvertVectorToLLVMPassOptions vectorToLLVMOptions;
  vectorToLLVMOptions.x86Vector = true;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVMOptions));
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  // Descriptor offsets reach the identity-layout bodies; only the C
  // wrappers stay exported.
  if (options.exportFunctions)
    pm.addPass(attnc::createFinalizeExports());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(attnc::createVerifyLowered());
}

void attnc::addABIBufferization(OpPassManager &pm, bool exportFunctions,
                                bool destinationEntries) {
  // Function boundaries get identity-layout memrefs so that the C ABI
  // passes plain contiguous descriptors.
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  // A KV cache updated in place is not returned (deallocation would clone
  // it); the ABI records it instead.
  // Each exported function also gets attnc_into_f, which writes its results
  // into the caller's buffers.
  if (exportFunctions) {
    pm.addPass(attnc::createDropInPlaceResults());
    if (destinationEntries)
      pm.addPass(attnc::createDestinationEntries());
  }
}

int64_t attnc::getHostVectorWidth() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  auto avx512 = features.find("avx512f");
  return avx512 != features.end() && avx512->second ? 16 : 8;
}

bool attnc::hostHasAvx512Bf16() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  return features.lookup("avx512bf16") && features.lookup("avx512vl");
}

bool attnc::useAvx512Bf16(const CPUPipelineOptions &options) {
  return options.avx512Bf16 < 0 ? hostHasAvx512Bf16() : options.avx512Bf16 > 0;
}

bool attnc::hostHasAMXBF16() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  return features.lookup("amx-tile") && features.lookup("amx-bf16");
}

bool attnc::useAMXBF16(const CPUPipelineOptions &options) {
  if (!useAvx512Bf16(options))
    return false;
  return options.amxBf16 < 0 ? hostHasAMXBF16() : options.amxBf16 > 0;
}

void attnc::registerPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "attnc-cpu-pipeline",
      "Lower attn ops and the rest of a tensor-level module to the LLVM "
      "dialect for the host CPU",
      buildCPUPipeline);
  PassPipelineRegistration<GPUPipelineOptions>(
      "attnc-gpu-pipeline",
      "Lower attn ops to NVVM kernels (embedded as cubin/PTX) and host code "
      "in the LLVM dialect that launches them through the CUDA runtime",
      buildGPUPipeline);
}
