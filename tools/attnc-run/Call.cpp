//===- Call.cpp - attnc-run call --------------------------------*- C++ -*-===//
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
// the CPU or, for libraries compiled with --target=cuda, on CUDA; a module
// is compiled by the plugin of ModuleCompiler.h, and its JIT-compiled
// function called the same way.
//
//===----------------------------------------------------------------------===//

#include "Call.h"
#include "ModuleCompiler.h"

#include "attnc/Runtime/Cuda/Device.h"
#include "attnc/Runtime/Library.h"
#include "attnc/Runtime/Npy.h"
#include "attnc/Runtime/TensorLiteral.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <cstdio>
#include <dlfcn.h>
#include <optional>
#include <unistd.h>

namespace runtime = ::attnc::runtime;
using runtime::Tensor;
namespace cl = llvm::cl;
using ::attnc::run::CompiledModule;
using ::attnc::run::ModuleRequest;

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

/// Runs `function` on the --input tensors, --repeat times after a warm-up
/// run when --repeat is given, and reports.
int runFunction(const runtime::LibraryFunction &function) {
  std::vector<Tensor> arguments;
  const std::vector<runtime::TensorType> &argTypes = function.signature.inputs;
  for (auto [idx, spec] : llvm::enumerate(inputs)) {
    std::optional<runtime::DType> expected;
    if (idx < argTypes.size())
      expected = argTypes[idx].dtype;
    auto tensor = readInput(spec, expected);
    if (!tensor)
      return fail(tensor.takeError());
    arguments.push_back(std::move(*tensor));
  }
  if (auto error = runtime::checkInputs(function, arguments, inputs))
    return fail(error.getMessage());
  size_t numResults = function.signature.results.size();
  if (outputs.size() > numResults)
    return fail(llvm::Twine(outputs.size()) + " --output given but @" +
                function.name + " has " + llvm::Twine(numResults) +
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
    auto outcome = runtime::callFunction(function, arguments, &callMilliseconds,
                                         run == 0 ? nullptr : &results);
    if (!outcome)
      return fail(outcome.getError().getMessage());
    if (run > 0 || !hasWarmUp())
      milliseconds.push_back(callMilliseconds);
    results = outcome.take();
  }
  std::signal(SIGABRT, SIG_DFL);
  return reportResults(function.name, results, milliseconds);
}

/// Runs a function of the library at `path` (made by `attnc compile`) on
/// `target`, or on the library's own target.
int runLibraryCall(const std::string &path,
                   std::optional<runtime::Target> target) {
  auto library = runtime::Library::open(path);
  if (!library)
    return fail(library.getError().getMessage());
  // The names are for messages: a library whose symbol table cannot be
  // read still runs the --function it has.
  std::vector<std::string> available;
  if (auto names = runtime::listLibraryFunctions(path))
    available = names.take();
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
  if (auto error = runtime::checkDevice(*function,
                                        target.value_or(library->getTarget())))
    return fail(error.getMessage());
  return runFunction(*function);
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

/// The compiler plugin's entry point, from AttncRunCompiler.so in the lib/
/// directory beside the one attnc-run runs from.
llvm::Expected<::attnc::run::CompileModuleFn>
loadModuleCompiler(const char *argv0) {
  static int anchor;
  std::string executable = llvm::sys::fs::getMainExecutable(argv0, &anchor);
  llvm::SmallString<256> path(
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(executable)));
  llvm::sys::path::append(path, "lib", ::attnc::run::kCompilerPluginName);
  // RTLD_LOCAL: LLVM and MLIR stay the plugin's, never this program's.
  void *plugin = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!plugin) {
    const char *reason = dlerror();
    return llvm::createStringError(
        "compiling '%s' needs the compiler plugin: cannot load %s",
        inputFile.c_str(), reason ? reason : path.c_str());
  }
  auto *compile = reinterpret_cast<::attnc::run::CompileModuleFn>(
      dlsym(plugin, ::attnc::run::kCompileModuleSymbol));
  if (!compile)
    return llvm::createStringError("'%s' has no %s", path.c_str(),
                                   ::attnc::run::kCompileModuleSymbol);
  return compile;
}

/// The chip of the CUDA device that will run a module: this fails first,
/// in one line, without a driver or a device.
llvm::Expected<std::string> getCudaChip() {
  auto device = runtime::cuda::getDeviceProperties();
  if (!device)
    return llvm::createStringError(device.getError().getMessage());
  int capability =
      device->computeCapabilityMajor * 10 + device->computeCapabilityMinor;
  std::string chip = "sm_" + std::to_string(capability);
  // Architecture-specific features (wgmma, setmaxnreg) need the 'a' chips.
  if (capability == 90 || capability == 100)
    chip += "a";
  return chip;
}

} // namespace

bool attnc::run::isCallCommand() { return static_cast<bool>(callCommand); }

int attnc::run::runCall(const char *argv0) {
  // `--function @f` names @f.
  if (llvm::StringRef(functionName).starts_with("@"))
    functionName = functionName.substr(1);
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

  ModuleRequest request;
  request.path = inputFile;
  request.function = functionName;
  request.reference = referenceOnly;
  request.reportFallbacks = reportFallbacks;
  if (target == runtime::Target::CUDA) {
    auto chip = getCudaChip();
    if (!chip)
      return fail(chip.takeError());
    request.cudaChip = *chip;
  }
  auto compile = loadModuleCompiler(argv0);
  if (!compile)
    return fail(compile.takeError());
  CompiledModule compiled;
  std::string error;
  if (!(*compile)(request, compiled, error))
    return fail(error);
  if (!compiled.libraryPath.empty()) {
    int status = runLibraryCall(compiled.libraryPath, target);
    llvm::sys::fs::remove(compiled.libraryPath);
    return status;
  }
  return runFunction(compiled.function);
}
