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
  Option<int> avx512Bf16{
      *this, "avx512-bf16",
      llvm::cl::desc("Whether the fused kernels may use AVX512-BF16 "
                     "instructions (vdpbf16ps, vcvtneps2bf16): 1 yes, 0 no, "
                     "-1 if the host has them"),
      llvm::cl::init(-1)};
  Option<int> amxBf16{
      *this, "amx-bf16",
      llvm::cl::desc("Whether the prefill GEMMs of bf16 weights and bf16 "
                     "attention may compute on AMX tiles (where the process "
                     "is granted the AMX state at run time; needs "
                     "avx512-bf16): 1 yes, 0 no, -1 if the host has "
                     "AMX-TILE and AMX-BF16"),
      llvm::cl::init(-1)};
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
  Option<bool> reportFallbacks{
      *this, "report-fallbacks",
      llvm::cl::desc("Emit a remark for each op that takes the reference "
                     "lowering instead of a fused kernel, naming the reason"),
      llvm::cl::init(false)};
  Option<bool> destinationEntries{
      *this, "destination-entries",
      llvm::cl::desc("With export-functions: also give each exported "
                     "function its destination-passing entry point "
                     "attnc_into_<f> (attnc-destination-entries), a second "
                     "copy of its code"),
      llvm::cl::init(true)};
};

struct GPUPipelineOptions : public PassPipelineOptions<GPUPipelineOptions> {
  Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("NVIDIA chip to compile the kernels for (sm_80, sm_86, "
                     "sm_89, sm_90, sm_90a, ...)"),
      llvm::cl::init("sm_90a")};
  Option<std::string> format{
      *this, "format",
      llvm::cl::desc("How kernels are embedded: bin (cubin for the chip), "
                     "isa (PTX, compiled by the driver at load) or fatbin "
                     "(cubin plus PTX, so newer chips can JIT it)"),
      llvm::cl::init("fatbin")};
  Option<int> optLevel{*this, "opt-level",
                       llvm::cl::desc("Optimisation level of the kernels"),
                       llvm::cl::init(3)};
  Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit with ptxas (and fatbinary); default: "
                     "$CUDA_HOME, else /usr/local/cuda"),
      llvm::cl::init("")};
  Option<bool> exportFunctions{
      *this, "export-functions",
      llvm::cl::desc("Give public functions the attnc C ABI "
                     "(attnc-export-functions, target cuda)"),
      llvm::cl::init(true)};
  Option<bool> binary{
      *this, "binary",
      llvm::cl::desc("Serialize the kernels (ptxas); off stops at the NVVM "
                     "dialect, which needs no CUDA toolkit"),
      llvm::cl::init(true)};
};

/// The CUDA toolkit directory for `options`: the toolkit option, $CUDA_HOME,
/// or /usr/local/cuda.
std::string getCUDAToolkitPath(const GPUPipelineOptions &options);

/// attn ops on tensors -> NVVM kernels in a gpu.module (attn-attention-gpu,
/// attn-ops-gpu) launched from the host functions -> one-shot
/// bufferization with every buffer in device memory -> kernels to the NVVM
/// dialect, host code to the LLVM dialect calling the mgpu* CUDA runtime ->
/// kernels serialized with ptxas into the module (gpu.binary), then the
/// contract check.
void buildGPUPipeline(OpPassManager &pm, const GPUPipelineOptions &options);

/// attn ops on tensors -> fused flash kernels (attn-flash-cpu) for the
/// attention they cover, the reference decomposition for the rest -> one-shot
/// bufferization -> loops and vectors -> LLVM dialect, then the contract
/// check that nothing else is left.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// One-shot bufferization as the C ABI needs it, for every target: function
/// boundaries become identity-layout memrefs, and (with `exportFunctions`)
/// results computed in place into an argument stop being returned
/// (attnc-drop-inplace-results) and, with `destinationEntries`, each
/// exported function gets its attnc_into_ entry point. Deallocation is the
/// caller's choice.
void addABIBufferization(OpPassManager &pm, bool exportFunctions,
                         bool destinationEntries = true);

/// The f32 vector width of the host: 16 with AVX-512, 8 otherwise.
int64_t getHostVectorWidth();

/// Whether the host has AVX512-BF16 (and AVX512-VL, which its 256-bit forms
/// need).
bool hostHasAvx512Bf16();

/// Whether `options` let the kernels use AVX512-BF16: its avx512-bf16 option,
/// or the host's features when that is -1.
bool useAvx512Bf16(const CPUPipelineOptions &options);

/// Whether the host has AMX-TILE and AMX-BF16 (as LLVM reports them: the
/// CPU has them and the OS saves their state).
bool hostHasAMXBF16();

/// Whether `options` let the kernels use AMX-BF16: its amx-bf16 option, or the
/// host's features when that is -1; never without AVX512-BF16 (useAvx512Bf16).
bool useAMXBF16(const CPUPipelineOptions &options);

/// Registers `attnc-cpu-pipeline` and `attnc-gpu-pipeline`.
void registerPipelines();

} // namespace mlir::attnc

#endif // ATTNC_PIPELINES_PIPELINES_H
