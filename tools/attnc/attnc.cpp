//===- attnc.cpp - ahead-of-time compiler driver -----------------*- C++
//-*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
//   attnc compile kernel.mlir --target=cpu -o libkernel.so
//
// compiles every public function of a tensor-level module for the CPU into a
// shared library with the C ABI of docs/abi.md (also .o, .ll, or the lowered
// .mlir, chosen by the output extension).
//
//===----------------------------------------------------------------------===//

#include "attnc/Compiler/Compiler.h"
#include "attnc/Models/ModelIR.h"
#include "attnc/Runtime/ModelConfig.h"
#include "attnc/Runtime/ModelRunner.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Target/TargetMachine.h"

#include <csignal>
#include <optional>

using namespace mlir;
namespace compiler = mlir::attnc;
namespace cl = llvm::cl;

/// The options `attnc --help` lists; LLVM's and MLIR's own stay hidden.
static cl::OptionCategory attncCategory("attnc compile options");

static cl::SubCommand
    compileCommand("compile",
                   "Compile a module ahead of time into a shared library");

static cl::opt<std::string>
    inputPath(cl::Positional, cl::Required,
              cl::desc("<input.mlir | Hugging Face model directory>"),
              cl::sub(compileCommand), cl::cat(attncCategory));
static cl::opt<bool> emitModelIR(
    "emit-mlir",
    cl::desc("With a model directory: print the model's tensor-level IR "
             "(attn ops and linalg) and stop"),
    cl::sub(compileCommand), cl::cat(attncCategory));
static cl::opt<int64_t> maxSequence(
    "max-seq", cl::init(0),
    cl::desc("With a model directory: positions of each sequence's KV cache "
             "(0, the default: the model's maximum context)"),
    cl::sub(compileCommand), cl::cat(attncCategory));
static cl::opt<std::string> weightType(
    "weight-type", cl::init("auto"),
    cl::desc("With a Llama directory: the element type the weight matrices "
             "are read in: auto (the checkpoint's own f16/bf16, read in "
             "place; else f32), f32, f16 or bf16"),
    cl::sub(compileCommand), cl::cat(attncCategory));
static cl::opt<std::string> kvType(
    "kv-type", cl::init("auto"),
    cl::desc("With a model directory: the KV cache's element type: auto "
             "(the checkpoint's own f16/bf16, else f32), f32, f16 or bf16. "
             "f16/bf16 caches store keys and values rounded to nearest even "
             "and halve the bytes a decode step reads; queries and "
             "accumulation stay f32"),
    cl::sub(compileCommand), cl::cat(attncCategory));
static cl::opt<std::string>
    outputPath("o",
               cl::desc("Output: .so (shared library), .o, .ll (LLVM IR), "
                        ".mlir (the lowered LLVM dialect), with "
                        "--target=cuda also .ptx or .cubin (the kernels "
                        "alone), or for a model directory .attnc (the model "
                        "artifact: model.so + manifest.json)"),
               cl::value_desc("path"), cl::sub(compileCommand),
               cl::cat(attncCategory));
static cl::opt<std::string>
    target("target", cl::init("cpu"),
           cl::desc("Where the functions run: cpu (the host) or cuda "
                    "(NVIDIA GPUs: kernels embedded as cubin + PTX, "
                    "arguments are device pointers)"),
           cl::sub(compileCommand), cl::cat(attncCategory));
static cl::opt<std::string>
    gpuChip("gpu-chip", cl::init("sm_90a"),
            cl::desc("With --target=cuda: the chip to compile for (sm_80, "
                     "sm_86, sm_89, sm_90, sm_90a, ...)"),
            cl::sub(compileCommand), cl::cat(attncCategory));
static cl::opt<std::string>
    gpuFormat("gpu-format", cl::init("fatbin"),
              cl::desc("With --target=cuda: fatbin (cubin plus PTX that "
                       "newer chips JIT), bin (cubin only) or isa (PTX only)"),
              cl::sub(compileCommand), cl::cat(attncCategory));
static cl::opt<std::string>
    targetCpu("target-cpu",
              cl::desc("CPU to generate code for (default: the host, e.g. "
                       "znver5, skylake-avx512, x86-64-v3)"),
              cl::sub(compileCommand), cl::cat(attncCategory));
static cl::opt<std::string>
    targetFeatures("target-features",
                   cl::desc("Extra CPU features, e.g. +avx2,-avx512f"),
                   cl::sub(compileCommand), cl::cat(attncCategory));

static cl::opt<compiler::OpenMPLinkage> openmp(
    "openmp", cl::init(compiler::OpenMPLinkage::System),
    cl::desc("With --target=cpu: how the library reaches libomp, which runs "
             "its parallel loops"),
    cl::values(
        clEnumValN(compiler::OpenMPLinkage::System, "system",
                   "a libomp.so.5 beside the library, else LLVM's (default "
                   "for kernel libraries)"),
        clEnumValN(compiler::OpenMPLinkage::Bundle, "bundle",
                   "copy libomp.so.5 beside the library, for machines "
                   "without LLVM (default for .attnc model artifacts)"),
        clEnumValN(compiler::OpenMPLinkage::Off, "off",
                   "run on the calling thread only: the library needs no "
                   "libomp")),
    cl::sub(compileCommand), cl::cat(attncCategory));

static cl::opt<bool> referenceOnly(
    "reference",
    cl::desc("Compile attention through the unfused reference lowering only "
             "(attn-decompose), not the fused kernels"),
    cl::sub(compileCommand), cl::cat(attncCategory));

static cl::opt<bool> reportFallbacks(
    "report-fallbacks",
    cl::desc("Report (as remarks) each op that takes the reference lowering "
             "instead of a fused kernel, and why"),
    cl::sub(compileCommand), cl::cat(attncCategory));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "attnc") << message << "\n";
  return 1;
}

static int fail(llvm::Error error) {
  std::string message = llvm::toString(std::move(error));
  return fail(message);
}

/// The tensor-level module of the Hugging Face model in `inputPath`, whose
/// config is `config`.
static llvm::Expected<OwningOpRef<ModuleOp>>
loadModel(MLIRContext &context, const ::attnc::runtime::ModelConfig &config,
          const compiler::ModelIROptions &options) {
  auto text = compiler::buildModelIR(config, options);
  if (!text)
    return llvm::createStringError(text.getError().getMessage());
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(
      *text, ParserConfig(&context), inputPath + "/model.mlir");
  if (!module || failed(verify(*module)))
    return llvm::createStringError("internal error: the IR built for '" +
                                   inputPath + "' does not verify");
  return std::move(module);
}

static int compile() {
  if (target != "cpu" && target != "cuda")
    return fail("unsupported --target='" + target +
                "' (supported: cpu, cuda)");
  bool cuda = target == "cuda";

  DialectRegistry registry;
  compiler::registerCompilerDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  bool isModel = llvm::sys::fs::is_directory(inputPath);
  if (maxSequence < 0)
    return fail("--max-seq=" + llvm::Twine(maxSequence) +
                ": expected a positive number of positions (0 or absent: "
                "the model's maximum context)");
  ::attnc::runtime::ModelConfig config;
  compiler::ModelIROptions modelOptions;
  modelOptions.maxSequence = maxSequence;
  if (!isModel && kvType.getNumOccurrences())
    return fail("--kv-type applies to model directories, and '" + inputPath +
                "' is a module");
  if (isModel) {
    auto read = ::attnc::runtime::ModelConfig::fromDirectory(inputPath);
    if (!read)
      return fail(read.getError().getMessage());
    config = *read;
    auto parseType = [](llvm::StringRef name)
        -> std::optional<compiler::WeightStorage> {
      if (name == "f32")
        return compiler::WeightStorage::F32;
      if (name == "f16")
        return compiler::WeightStorage::F16;
      if (name == "bf16")
        return compiler::WeightStorage::BF16;
      return std::nullopt;
    };
    // Checked before the weights are opened.
    for (auto [option, value] :
         {std::make_pair("--weight-type", &weightType.getValue()),
          std::make_pair("--kv-type", &kvType.getValue())})
      if (*value != "auto" && !parseType(*value))
        return fail("unknown " + llvm::Twine(option) + "='" + *value +
                    "' (expected auto, f32, f16 or bf16)");
    std::string type = weightType, cacheType = kvType;
    if (type == "auto" || cacheType == "auto") {
      // Only the headers are read here; the runtime maps the data.
      auto weights = ::attnc::runtime::WeightSet::open(inputPath);
      if (!weights)
        return fail(weights.getError().getMessage());
      if (type == "auto")
        type = ::attnc::runtime::getNativeWeightType(config, *weights);
      if (cacheType == "auto")
        cacheType = ::attnc::runtime::getCheckpointType(config, *weights);
    }
    modelOptions.weightType = *parseType(type);
    modelOptions.kvType = *parseType(cacheType);
  }
  llvm::Expected<OwningOpRef<ModuleOp>> module =
      isModel ? loadModel(context, config, modelOptions)
              : compiler::loadModule(inputPath, sourceMgr, context);
  if (!module)
    return fail(module.takeError());
  if (isModel && emitModelIR) {
    (*module)->print(llvm::outs());
    return 0;
  }
  if (outputPath.empty())
    return fail("-o <output> is required");
  // The output kind, checked before the compile (which may take a while).
  llvm::StringRef kind = llvm::sys::path::extension(outputPath);
  if (kind == ".attnc" && !isModel)
    return fail("-o " + outputPath + ": a .attnc model artifact is compiled "
                "from a Hugging Face model directory, and '" + inputPath +
                "' is a module (expected .so, .o, .ll or .mlir)");
  llvm::SmallVector<llvm::StringRef> kinds = {".so", ".o", ".ll", ".mlir"};
  if (isModel)
    kinds.push_back(".attnc");
  if (!llvm::is_contained(kinds, kind) && kind != ".ptx" &&
      kind != ".cubin") {
    std::string expected = isModel ? ".attnc (the model artifact), " : "";
    expected += cuda ? ".so, .o, .ll, .mlir, .ptx or .cubin"
                     : ".so, .o, .ll or .mlir";
    return fail("unknown output kind '" + outputPath + "': expected " +
                expected);
  }
  if (isModel && kind == ".attnc")
    if (llvm::Error error =
            compiler::checkReplaceableDirectory(outputPath, "manifest.json"))
      return fail(std::move(error));
  if (llvm::sys::fs::equivalent(inputPath, outputPath))
    return fail("-o " + outputPath + " is the input '" + inputPath +
                "': refusing to overwrite it");
  if (compiler::getExportedFunctions(**module).empty())
    return fail("'" + inputPath + "' has no public function to compile");
  auto machine = compiler::createTargetMachine({targetCpu, targetFeatures});
  if (!machine)
    return fail(machine.takeError());
  llvm::StringRef extension = llvm::sys::path::extension(outputPath);
  bool modelArtifact = isModel && extension == ".attnc";
  if (cuda) {
    if (isModel)
      return fail("--target=cuda compiles kernel modules; whole models run "
                  "on the cpu target for now");
    if (referenceOnly)
      return fail("--reference applies to the cpu target only");
    compiler::GPUPipelineOptions gpuOptions;
    gpuOptions.chip = gpuChip;
    gpuOptions.format = gpuFormat;
    // -o kernels.ptx / kernels.cubin: the device code alone.
    if (extension == ".ptx")
      gpuOptions.format = "isa";
    else if (extension == ".cubin")
      gpuOptions.format = "bin";
    if (llvm::Error error = compiler::lowerForCUDA(**module, gpuOptions))
      return fail(std::move(error));
    if (extension == ".ptx" || extension == ".cubin") {
      if (llvm::Error error =
              compiler::writeKernelObject(**module, outputPath))
        return fail(std::move(error));
      return 0;
    }
  } else {
    if (extension == ".ptx" || extension == ".cubin")
      return fail("-o " + outputPath + ": ." + extension.drop_front() +
                  " output needs --target=cuda");
    compiler::CPUPipelineOptions pipelineOptions;
    pipelineOptions.reference = referenceOnly;
    pipelineOptions.reportFallbacks = reportFallbacks;
    pipelineOptions.vectorWidth = compiler::getVectorWidth(**machine);
    pipelineOptions.avx512Bf16 = compiler::hasAvx512Bf16(**machine) ? 1 : 0;
    pipelineOptions.amxBf16 = compiler::hasAMXBF16(**machine) ? 1 : 0;
    pipelineOptions.threads = openmp != compiler::OpenMPLinkage::Off;
    // The runtime calls a model artifact's embed/block/head, never their
    // attnc_into_ entry points: leaving those out halves the code LLVM
    // compiles.
    pipelineOptions.destinationEntries = !modelArtifact;
    if (llvm::Error error = compiler::lowerForCPU(**module, pipelineOptions))
      return fail(std::move(error));
  }

  if (modelArtifact) {
    // The artifact: a directory with the host library and its manifest,
    // built beside the output and renamed into place, so that a failed or
    // interrupted compile leaves an earlier artifact whole. The manifest
    // records the model directory, the default --model-dir of attnc-run.
    llvm::SmallString<128> modelDirectory(inputPath);
    llvm::sys::fs::make_absolute(modelDirectory);
    llvm::sys::path::remove_dots(modelDirectory, /*remove_dot_dot=*/true);
    llvm::Error error = compiler::writeDirectoryAtomically(
        outputPath, "manifest.json",
        [&](llvm::StringRef directory) -> llvm::Error {
          // The artifact deploys whole: libomp is copied into it unless
          // asked otherwise.
          compiler::OpenMPLinkage linkage =
              openmp.getNumOccurrences() ? openmp.getValue()
                                         : compiler::OpenMPLinkage::Bundle;
          if (llvm::Error error = compiler::emitArtifact(
                  **module, **machine, (directory + "/model.so").str(),
                  linkage))
            return error;
          if (auto error = ::attnc::runtime::writeManifest(
                  directory.str(), config,
                  compiler::getCacheLength(config, modelOptions),
                  compiler::getWeightStorageName(modelOptions.weightType),
                  compiler::getWeightStorageName(modelOptions.kvType),
                  modelDirectory.str().str()))
            return llvm::createStringError(error.getMessage());
          return llvm::Error::success();
        });
    if (error)
      return fail(std::move(error));
    return 0;
  }
  if (llvm::sys::path::extension(outputPath) == ".mlir") {
    if (llvm::Error error = compiler::writeFileAtomically(
            outputPath, [&](llvm::raw_pwrite_stream &os) {
              (*module)->print(os);
              return llvm::Error::success();
            }))
      return fail(std::move(error));
    return 0;
  }
  if (llvm::Error error =
          compiler::emitArtifact(**module, **machine, outputPath, openmp))
    return fail(std::move(error));
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // Past a file size limit (ulimit -f), writes fail with EFBIG and give a
  // one-line error, the earlier output intact, instead of killing the
  // process (LLVM's handler would print a stack dump first).
  std::signal(SIGXFSZ, SIG_IGN);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  // --help lists attnc's options only (the linked libraries register a few
  // hundred; they stay accepted, as --help-hidden shows).
  for (cl::SubCommand *sub : cl::getRegisteredSubcommands())
    cl::HideUnrelatedOptions(attncCategory, *sub);
  cl::ParseCommandLineOptions(argc, argv,
                              "attnc ahead-of-time compiler\n\n"
                              "  attnc compile kernel.mlir --target=cpu -o "
                              "libkernel.so\n"
                              "  attnc compile kernel.mlir --target=cuda "
                              "--gpu-chip=sm_90a -o libkernel.so\n");
  if (compileCommand)
    return compile();
  cl::PrintHelpMessage();
  return 2;
}
