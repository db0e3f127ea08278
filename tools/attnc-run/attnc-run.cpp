//===- attnc-run.cpp - run compiled functions on .npy inputs ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
//   attnc-run call kernel.mlir --function attention \
//       --input @q.npy --input @k.npy --input "1x2x4x8xf32=0.5" \
//       --output @o.npy
//
// compiles the module through the CPU pipeline (or loads a library made by
// `attnc compile`), checks the inputs against the function's signature, runs
// it and writes or summarises the results. Libraries are called through the
// runtime's Library API (attnc/Runtime/Library.h), as attnc-call does, on
// the CPU or, for libraries compiled with --target=cuda, on CUDA.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"
#include "Generate.h"
#include "Tokenize.h"

#include "attnc/Compiler/Compiler.h"
#include "attnc/Execution/FunctionCall.h"
#include "attnc/Runtime/Cuda/Device.h"
#include "attnc/Runtime/Library.h"
#include "attnc/Runtime/Npy.h"
#include "attnc/Runtime/TensorLiteral.h"
#include "attnc/Transforms/Passes.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace mlir;
namespace compiler = mlir::attnc;
namespace runtime = ::attnc::runtime;
using runtime::Tensor;
namespace cl = llvm::cl;

/// The options `attnc-run --help` lists: those of its subcommands (main puts
/// them in it), not the few hundred of the linked LLVM and MLIR libraries.
static cl::OptionCategory runCategory("attnc-run options");

static cl::SubCommand callCommand(
    "call", "Run a function of a .mlir module or an attnc-compiled library");

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<module.mlir | library.so>"),
                                      cl::sub(callCommand));
static cl::opt<std::string>
    device("device",
           cl::desc("Where to run: cpu or cuda (default: the library's "
                    "target; cpu for a .mlir module)"),
           cl::value_desc("cpu|cuda"), cl::sub(callCommand));
static cl::opt<std::string>
    functionName("function",
                 cl::desc("Function to run (default: the only public one)"),
                 cl::value_desc("name"), cl::sub(callCommand));
static cl::list<std::string>
    inputs("input",
           cl::desc("An argument, in order: @file.npy, or a literal such as "
                    "\"2x4xf32=1 2 3 4 5 6 7 8\" or \"2x4xf32=0.5\""),
           cl::value_desc("@file.npy|literal"), cl::sub(callCommand));
static cl::list<std::string>
    outputs("output",
            cl::desc("Where each result goes, in order: @file.npy, or - to "
                     "print a summary (the default for results not named)"),
            cl::value_desc("@file.npy|-"), cl::sub(callCommand));
static cl::opt<unsigned>
    repeat("repeat", cl::init(1),
           cl::desc("Time this many runs, after one warm-up run that is not "
                    "timed, and report the median (the results of the last "
                    "run are kept)"),
           cl::sub(callCommand));
/// Also an option of `generate` and `logits` (added in main).
static cl::opt<unsigned>
    threads("threads", cl::init(0),
            cl::desc("Threads for parallel kernels (0, the default: "
                     "OMP_NUM_THREADS, else every core)"),
            cl::sub(callCommand));
static cl::opt<unsigned>
    printValues("print-values", cl::init(8),
                cl::desc("Values shown per result in summaries"),
                cl::sub(callCommand));

static cl::opt<bool> referenceOnly(
    "reference",
    cl::desc("Compile attention through the unfused reference lowering only "
             "(attn-decompose), not the fused kernels"),
    cl::sub(callCommand));

static cl::opt<bool> reportFallbacks(
    "report-fallbacks",
    cl::desc("Report (as remarks) each op that takes the reference lowering "
             "instead of a fused kernel, and why"),
    cl::sub(callCommand));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "attnc-run") << message << "\n";
  return 1;
}

static int fail(llvm::Error error) {
  std::string message = llvm::toString(std::move(error));
  return fail(message);
}

/// Compiled code reports failed run-time checks (cf.assert) by printing the
/// check and calling abort(); turn that into a clean error exit.
extern "C" void handleAbort(int) {
  static const char message[] =
      "attnc-run: error: a run-time check in the compiled code failed (see "
      "the message above)\n";
  // The check's own message went to stdout (cf.assert prints with puts):
  // flush it before exiting.
  std::fflush(nullptr);
  (void)!write(STDERR_FILENO, message, sizeof(message) - 1);
  _exit(1);
}

namespace {

/// What is needed to call a JIT-compiled function, and what keeps it alive.
struct LoadedFunction {
  compiler::CompiledFunction function;
  std::unique_ptr<ExecutionEngine> engine;
};

/// Compiles the module with the CUDA pipeline for the chip of the device
/// that will run it (the same compile as `attnc compile --target=cuda`) into
/// a temporary library and returns its path, for runLibraryCall.
llvm::Expected<std::string> compileForCUDA(MLIRContext &context,
                                           llvm::SourceMgr &sourceMgr) {
  // Compile for the chip that will run it: this fails first, in one line,
  // without a driver or a device.
  auto device = runtime::cuda::getDeviceProperties();
  if (!device)
    return llvm::createStringError(device.getError().getMessage());
  int capability =
      device->computeCapabilityMajor * 10 + device->computeCapabilityMinor;
  std::string chip = "sm_" + std::to_string(capability);
  // Architecture-specific features (wgmma, setmaxnreg) need the 'a' chips.
  if (capability == 90 || capability == 100)
    chip += "a";
  auto module = compiler::loadModule(inputFile, sourceMgr, context);
  if (!module)
    return module.takeError();
  if (compiler::getExportedFunctions(**module).empty())
    return llvm::createStringError("'%s' has no public function to run",
                                   inputFile.c_str());
  compiler::GPUPipelineOptions options;
  options.chip = chip;
  if (llvm::Error error = compiler::lowerForCUDA(**module, options))
    return std::move(error);
  auto machine = compiler::createTargetMachine({});
  if (!machine)
    return machine.takeError();
  llvm::SmallString<128> path;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("attnc-run", "so", path))
    return llvm::createStringError("cannot create a temporary file: %s",
                                   ec.message().c_str());
  if (llvm::Error error = compiler::emitArtifact(**module, **machine, path)) {
    llvm::sys::fs::remove(path);
    return std::move(error);
  }
  return path.str().str();
}

llvm::Expected<LoadedFunction> compileAndLoad(MLIRContext &context,
                                              llvm::SourceMgr &sourceMgr) {
  auto module = compiler::loadModule(inputFile, sourceMgr, context);
  if (!module)
    return module.takeError();
  SmallVector<compiler::ExportedFunction> exported =
      compiler::getExportedFunctions(**module);
  std::string available =
      llvm::join(llvm::map_range(exported,
                                 [](const compiler::ExportedFunction &fn) {
                                   return "@" + fn.name;
                                 }),
                 ", ");
  if (functionName.empty()) {
    if (exported.empty())
      return llvm::createStringError("'%s' has no public function to run",
                                     inputFile.c_str());
    if (exported.size() != 1)
      return llvm::createStringError(
          "'%s' has %zu public functions (%s): choose one with --function",
          inputFile.c_str(), exported.size(), available.c_str());
    functionName = exported.front().name;
  }
  const auto *found =
      llvm::find_if(exported, [](const compiler::ExportedFunction &fn) {
        return fn.name == functionName;
      });
  if (found == exported.end())
    return llvm::createStringError("no public function @%s in '%s' "
                                   "(available: %s)",
                                   functionName.c_str(), inputFile.c_str(),
                                   available.empty() ? "none"
                                                     : available.c_str());
  FunctionType type = found->type;
  compiler::CPUPipelineOptions pipelineOptions;
  pipelineOptions.reference = referenceOnly;
  pipelineOptions.reportFallbacks = reportFallbacks;
  if (llvm::Error error = compiler::lowerForCPU(**module, pipelineOptions))
    return std::move(error);
  auto engine = compiler::createJIT(**module);
  if (!engine)
    return engine.takeError();
  // The destination-passing entry point (the C ABI's attnc_into_<f>) lets
  // --repeat compute into the previous run's results.
  auto function = compiler::lookupCompiledFunction(
      functionName, type,
      [&](llvm::StringRef symbol) { return (*engine)->lookup(symbol); });
  if (!function)
    return function.takeError();
  LoadedFunction loaded{std::move(*function), std::move(*engine)};
  return loaded;
}

/// The functions a library made by `attnc compile` exports (those with an
/// `attnc_signature_<name>` symbol), sorted; empty when it cannot be read.
std::vector<std::string> listLibraryFunctions(const std::string &path) {
  std::vector<std::string> names;
  auto file = llvm::object::ObjectFile::createObjectFile(path);
  if (!file) {
    llvm::consumeError(file.takeError());
    return names;
  }
  auto *elf = dyn_cast<llvm::object::ELFObjectFileBase>(file->getBinary());
  if (!elf)
    return names;
  for (const llvm::object::ELFSymbolRef &symbol :
       elf->getDynamicSymbolIterators()) {
    auto name = symbol.getName();
    if (!name) {
      llvm::consumeError(name.takeError());
      continue;
    }
    // attnc_into_f is f's destination-passing entry point, not a function
    // of its own.
    if (name->starts_with(compiler::kSignatureSymbolPrefix) &&
        !name->drop_front(compiler::kSignatureSymbolPrefix.size())
             .starts_with(compiler::kDestinationEntryPrefix))
      names.push_back(
          name->drop_front(compiler::kSignatureSymbolPrefix.size()).str());
  }
  llvm::sort(names);
  return names;
}

/// "@a, @b" for the error messages.
std::string joinFunctionNames(llvm::ArrayRef<std::string> names) {
  return llvm::join(
      llvm::map_range(names, [](const std::string &n) { return "@" + n; }),
      ", ");
}

/// Reads an `--input`; `expected` (from the signature) lets .npy files hold
/// bf16 as '<u2' and makes dtype mismatches name the file.
llvm::Expected<Tensor> readInput(llvm::StringRef spec,
                                 std::optional<runtime::DType> expected) {
  auto result = spec.starts_with("@")
                    ? runtime::readNpy(spec.drop_front().str(), expected)
                    : runtime::parseTensorLiteral(spec);
  // .npy errors start with the file name already.
  if (!result && spec.starts_with("@"))
    return llvm::createStringError(result.getError().getMessage());
  if (!result) {
    // A file name without its '@' is read as a literal.
    std::string hint;
    if (llvm::sys::fs::exists(spec))
      hint = " (to read the file '" + spec.str() + "', write --input @" +
             spec.str() + ")";
    return llvm::createStringError("--input %s: %s%s", spec.str().c_str(),
                                   result.getError().getMessage().c_str(),
                                   hint.c_str());
  }
  return result.take();
}

/// With --repeat, a first run is not timed: it pays for first-touch page
/// faults, libomp starting its threads and cold caches.
bool hasWarmUp() { return repeat.getNumOccurrences() > 0; }

/// Writes each result to its --output file or prints its summary, then the
/// time on stderr.
int reportResults(const std::string &name, std::vector<Tensor> &results,
                  std::vector<double> &milliseconds) {
  llvm::sort(milliseconds);
  double median = milliseconds[milliseconds.size() / 2];
  for (auto [idx, result] : llvm::enumerate(results)) {
    if (idx < outputs.size() && outputs[idx] != "-") {
      std::string path = llvm::StringRef(outputs[idx]).drop_front().str();
      // The error names the file already.
      if (auto error = runtime::writeNpy(path, result))
        return fail(error.getMessage());
      continue;
    }
    llvm::outs() << "result[" << idx
                 << "]: " << runtime::formatSummary(result, printValues)
                 << "\n";
  }
  llvm::outs().flush();
  llvm::errs() << "@" << name << " ran in " << llvm::format("%.3f", median)
               << " ms";
  if (hasWarmUp())
    llvm::errs() << " (median of " << repeat << " run"
                 << (repeat > 1 ? "s" : "") << " after a warm-up run)";
  llvm::errs() << "\n";
  return 0;
}

/// Runs a function of the library at `path` (made by `attnc compile`) on
/// `target`, or on the library's own target.
int runLibraryCall(const std::string &path,
                   std::optional<runtime::Target> target) {
  auto library = runtime::Library::open(path);
  if (!library)
    return fail(library.getError().getMessage());
  std::vector<std::string> available = listLibraryFunctions(path);
  if (functionName.empty()) {
    if (available.size() != 1)
      return fail(
          "'" + path + "' has " + llvm::Twine(available.size()) + " functions" +
          (available.empty() ? "" : " (" + joinFunctionNames(available) + ")") +
          ": choose one with --function");
    functionName = available.front();
  }
  auto function = library->lookup(functionName);
  if (!function)
    return fail(function.getError().getMessage() + " (available: " +
                (available.empty() ? "none" : joinFunctionNames(available)) +
                ")");
  if (auto error = runtime::checkDevice(
          *function, target.value_or(library->getTarget())))
    return fail(error.getMessage());

  std::vector<Tensor> arguments;
  const std::vector<runtime::TensorType> &argTypes =
      function->signature.inputs;
  for (auto [idx, spec] : llvm::enumerate(inputs)) {
    std::optional<runtime::DType> expected;
    if (idx < argTypes.size())
      expected = argTypes[idx].dtype;
    auto tensor = readInput(spec, expected);
    if (!tensor)
      return fail(tensor.takeError());
    arguments.push_back(std::move(*tensor));
  }
  if (auto error = runtime::checkInputs(*function, arguments, inputs))
    return fail(error.getMessage());
  size_t numResults = function->signature.results.size();
  if (outputs.size() > numResults)
    return fail(llvm::Twine(outputs.size()) + " --output given but @" +
                function->name + " has " + llvm::Twine(numResults) +
                " result(s)");
  if (repeat == 0)
    return fail("--repeat must be at least 1");
  std::signal(SIGABRT, handleAbort);
  std::vector<double> milliseconds;
  std::vector<Tensor> results;
  for (unsigned run = 0, end = repeat + hasWarmUp(); run < end; ++run) {
    double callMilliseconds = 0;
    // From the second run on, into the previous run's results, as a
    // caller that keeps its buffers: no fresh pages to fault in.
    auto outcome = runtime::callFunction(
        *function, arguments, &callMilliseconds, run == 0 ? nullptr : &results);
    if (!outcome)
      return fail(outcome.getError().getMessage());
    if (run > 0 || !hasWarmUp())
      milliseconds.push_back(callMilliseconds);
    results = outcome.take();
  }
  std::signal(SIGABRT, SIG_DFL);
  return reportResults(function->name, results, milliseconds);
}

/// True when `path` starts like an ELF file (a library made by `attnc
/// compile`, whatever its name: libk.so.1 too), or is named `.so`; anything
/// else is parsed as MLIR.
bool isSharedLibrary(const std::string &path) {
  if (llvm::sys::path::extension(path) == ".so")
    return true;
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    return false;
  char magic[4] = {};
  size_t read = std::fread(magic, 1, sizeof(magic), file);
  std::fclose(file);
  return read == sizeof(magic) && magic[0] == 0x7f && magic[1] == 'E' &&
         magic[2] == 'L' && magic[3] == 'F';
}

int runCall() {
  if (outputs.size() > 0)
    for (const std::string &output : outputs)
      if (output != "-" && !llvm::StringRef(output).starts_with("@"))
        return fail("--output " + output +
                    ": expected @file.npy or - (print a summary)");

  std::optional<runtime::Target> target;
  if (!device.empty()) {
    target = runtime::parseTarget(device);
    if (!target)
      return fail("--device " + device + ": expected cpu or cuda");
  }
  if (isSharedLibrary(inputFile))
    return runLibraryCall(inputFile, target);

  DialectRegistry registry;
  compiler::registerCompilerDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  if (target == runtime::Target::CUDA) {
    auto library = compileForCUDA(context, sourceMgr);
    if (!library)
      return fail(library.takeError());
    int status = runLibraryCall(*library, target);
    llvm::sys::fs::remove(*library);
    return status;
  }
  auto loaded = compileAndLoad(context, sourceMgr);
  if (!loaded)
    return fail(loaded.takeError());
  const compiler::CompiledFunction &function = loaded->function;

  std::vector<Tensor> arguments;
  ArrayRef<Type> argTypes = function.type.getInputs();
  for (auto [idx, spec] : llvm::enumerate(inputs)) {
    std::optional<runtime::DType> expected;
    if (idx < argTypes.size())
      expected =
          compiler::getDType(cast<ShapedType>(argTypes[idx]).getElementType());
    auto tensor = readInput(spec, expected);
    if (!tensor)
      return fail(tensor.takeError());
    arguments.push_back(std::move(*tensor));
  }
  if (llvm::Error error = compiler::checkInputs(function, arguments, inputs))
    return fail(std::move(error));
  size_t numResults = function.type.getNumResults();
  if (outputs.size() > numResults)
    return fail(llvm::Twine(outputs.size()) + " --output given but @" +
                function.name + " has " + llvm::Twine(numResults) +
                " result(s)");

  if (repeat == 0)
    return fail("--repeat must be at least 1");
  std::signal(SIGABRT, handleAbort);
  std::vector<double> milliseconds;
  std::optional<std::vector<Tensor>> results;
  for (unsigned run = 0, end = repeat + hasWarmUp(); run < end; ++run) {
    double callMilliseconds = 0;
    // From the second run on, into the previous run's results.
    auto outcome = compiler::callFunction(
        function, arguments, &callMilliseconds, run == 0 ? nullptr : &*results);
    if (!outcome)
      return fail(outcome.takeError());
    if (run > 0 || !hasWarmUp())
      milliseconds.push_back(callMilliseconds);
    results = std::move(*outcome);
  }
  std::signal(SIGABRT, SIG_DFL);
  return reportResults(function.name, *results, milliseconds);
}

} // namespace

/// llvm::cl expands any argument that starts with '@' as a response file,
/// which would splice the bytes of `--input @q.npy` into the command line.
/// Joining such values to their option (`--input=@q.npy`) keeps them values.
static std::vector<const char *>
joinFileValues(int argc, char **argv, std::vector<std::string> &storage) {
  storage.reserve(argc);
  std::vector<const char *> args;
  for (int i = 0; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    llvm::StringRef name = arg.ltrim('-');
    // `--function @f` too: the '@' of an MLIR symbol is allowed.
    bool takesFile =
        arg.starts_with("-") &&
        (name == "input" || name == "output" || name == "function");
    if (takesFile && i + 1 < argc && argv[i + 1][0] == '@') {
      storage.push_back((arg + "=" + argv[i + 1]).str());
      args.push_back(storage.back().c_str());
      ++i;
      continue;
    }
    args.push_back(argv[i]);
  }
  return args;
}

/// Gives `generate`, `logits` and `bench` the --threads of `call` (without
/// it, a hidden option of LLVM's took their --threads), and hides every
/// option that none of the subcommands declares from --help.
static void setUpOptions() {
  for (cl::SubCommand *sub : cl::getRegisteredSubcommands()) {
    if (sub->getName() == "generate" || sub->getName() == "logits" ||
        sub->getName() == "bench") {
      threads.removeArgument();
      threads.addSubCommand(*sub);
      threads.addArgument();
    }
  }
  for (cl::SubCommand *sub : cl::getRegisteredSubcommands()) {
    auto adopt = [&](cl::Option *option) {
      if (option->Subs.contains(sub))
        option->addCategory(runCategory);
    };
    for (auto &entry : sub->OptionsMap)
      adopt(entry.second);
    for (cl::Option *option : sub->PositionalOpts)
      adopt(option);
    cl::HideUnrelatedOptions(runCategory, *sub);
  }
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // Past a file size limit (ulimit -f), writes fail with EFBIG and give a
  // one-line error, the earlier output intact, instead of killing the
  // process (LLVM's handler would print a stack dump first).
  std::signal(SIGXFSZ, SIG_IGN);
  std::vector<std::string> storage;
  std::vector<const char *> args = joinFileValues(argc, argv, storage);
  setUpOptions();
  cl::ParseCommandLineOptions(
      static_cast<int>(args.size()), args.data(),
      "attnc runner\n\n"
      "  attnc-run call kernel.mlir --function f --input @q.npy ... "
      "--output @o.npy\n"
      "  attnc-run tokenize --tokenizer <model-dir> --text \"...\"\n"
      "  attnc-run generate model.attnc --model-dir <dir> --prompt \"...\" "
      "-n 64\n"
      "  attnc-run logits model.attnc --model-dir <dir> --tokens 1,2,3 "
      "--output @logits.npy\n"
      "  attnc-run bench model.attnc -p 512 -n 128 -d 0,4096 -r 5\n");
  // libomp reads its thread count when the first parallel region starts.
  if (threads > 0)
    setenv("OMP_NUM_THREADS", std::to_string(threads).c_str(),
           /*overwrite=*/1);
  // `--function @f` names @f.
  if (llvm::StringRef(functionName).starts_with("@"))
    functionName = functionName.substr(1);
  if (callCommand)
    return runCall();
  if (::attnc::run::isTokenizeCommand())
    return ::attnc::run::runTokenize();
  if (::attnc::run::isGenerateCommand())
    return ::attnc::run::runGenerate();
  if (::attnc::run::isLogitsCommand())
    return ::attnc::run::runLogits();
  if (::attnc::run::isBenchCommand())
    return ::attnc::run::runBench();
  cl::PrintHelpMessage();
  return 2;
}
