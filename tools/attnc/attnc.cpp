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

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::SubCommand
    compileCommand("compile",
                   "Compile a module ahead of time into a shared library");

static cl::opt<std::string> inputPath(cl::Positional, cl::Required,
                                      cl::desc("<input.mlir>"),
                                      cl::sub(compileCommand));
static cl::opt<std::string>
    outputPath("o", cl::Required,
               cl::desc("Output file: .so (shared library), .o, .ll (LLVM "
                        "IR) or .mlir (the lowered LLVM dialect)"),
               cl::value_desc("path"), cl::sub(compileCommand));
static cl::opt<std::string> target("target", cl::init("cpu"),
                                   cl::desc("Target (only 'cpu' for now)"),
                                   cl::sub(compileCommand));
static cl::opt<std::string>
    targetCpu("target-cpu",
              cl::desc("CPU to generate code for (default: the host, e.g. "
                       "znver5, skylake-avx512, x86-64-v3)"),
              cl::sub(compileCommand));
static cl::opt<std::string>
    targetFeatures("target-features",
                   cl::desc("Extra CPU features, e.g. +avx2,-avx512f"),
                   cl::sub(compileCommand));

static cl::opt<bool> referenceOnly(
    "reference",
    cl::desc("Compile attention through the unfused reference lowering only "
             "(attn-decompose), not the fused kernels"),
    cl::sub(compileCommand));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "attnc") << message << "\n";
  return 1;
}

static int fail(llvm::Error error) {
  std::string message = llvm::toString(std::move(error));
  return fail(message);
}

static int compile() {
  if (target != "cpu")
    return fail("unsupported --target='" + target + "' (supported: cpu)");

  DialectRegistry registry;
  attnc::registerCompilerDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  auto module = attnc::loadModule(inputPath, sourceMgr, context);
  if (!module)
    return fail(module.takeError());
  if (attnc::getExportedFunctions(**module).empty())
    return fail("'" + inputPath + "' has no public function to compile");
  auto machine = attnc::createTargetMachine({targetCpu, targetFeatures});
  if (!machine)
    return fail(machine.takeError());
  attnc::CPUPipelineOptions pipelineOptions;
  pipelineOptions.reference = referenceOnly;
  pipelineOptions.vectorWidth = attnc::getVectorWidth(**machine);
  if (llvm::Error error = attnc::lowerForCPU(**module, pipelineOptions))
    return fail(std::move(error));

  if (llvm::sys::path::extension(outputPath) == ".mlir") {
    std::string message;
    auto out = openOutputFile(outputPath, &message);
    if (!out)
      return fail(message);
    (*module)->print(out->os());
    out->keep();
    return 0;
  }
  if (llvm::Error error = attnc::emitArtifact(**module, **machine, outputPath))
    return fail(std::move(error));
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  cl::ParseCommandLineOptions(argc, argv,
                              "attnc ahead-of-time compiler\n\n"
                              "  attnc compile kernel.mlir --target=cpu -o "
                              "libkernel.so\n");
  if (compileCommand)
    return compile();
  cl::PrintHelpMessage();
  return 2;
}
