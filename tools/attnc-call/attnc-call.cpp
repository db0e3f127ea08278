//===- attnc-call.cpp - run compiled libraries without LLVM -----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
//   attnc-call attn.so --function attention [--device cpu|cuda] \
//       --input @q.npy --input @k.npy --input "1x2x4x8xf32=0.5" \
//       --output @o.npy [--repeat N] [--warmup N] [--print-values N]
//
// runs a function of a library made by `attnc compile` (for the CPU or for
// CUDA) on .npy files or tensor literals, with the checks, messages and
// summaries of `attnc-run call`, but on the runtime alone: it links no LLVM
// or MLIR library, so that it can run where only the compiled libraries
// are installed.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Library.h"
#include "attnc/Runtime/Npy.h"
#include "attnc/Runtime/TensorLiteral.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

using namespace attnc::runtime;

namespace {

constexpr const char kUsage[] =
    "usage: attnc-call <library.so> --function <name> [options]\n"
    "\n"
    "Runs a function of a library made by `attnc compile` on .npy files or\n"
    "tensor literals, on the CPU or with CUDA.\n"
    "\n"
    "  --function <name>        the function to run (required)\n"
    "  --device cpu|cuda        where to run (default: the library's target)\n"
    "  --input @file.npy|<lit>  an argument, in order; a literal is\n"
    "                           \"2x4xf32=1 2 3 4 5 6 7 8\" or "
    "\"2x4xf32=0.5\"\n"
    "  --output @file.npy|-     where each result goes, in order (default:\n"
    "                           print a summary)\n"
    "  --repeat <n>             run n times, report the median time (the\n"
    "                           results of the last run are kept)\n"
    "  --warmup <n>             run n times first, untimed\n"
    "  --threads <n>            threads for parallel CPU kernels (default:\n"
    "                           OMP_NUM_THREADS or every core)\n"
    "  --print-values <n>       values shown per result in summaries "
    "(default 8)\n";

int fail(const std::string &message) {
  std::fprintf(stderr, "attnc-call: error: %s\n", message.c_str());
  return 1;
}

/// Compiled code reports failed run-time checks (cf.assert) by printing the
/// check and calling abort(); turn that into a clean error exit.
extern "C" void handleAbort(int) {
  static const char message[] =
      "attnc-call: error: a run-time check in the compiled code failed (see "
      "the message above)\n";
  std::fflush(nullptr);
  (void)!write(STDERR_FILENO, message, sizeof(message) - 1);
  _exit(1);
}

struct Options {
  std::string library;
  std::string function;
  std::optional<Target> device;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  unsigned repeat = 1;
  unsigned warmup = 0;
  unsigned threads = 0;
  unsigned printValues = 8;
};

/// Parses a count option's value.
bool parseCount(const std::string &name, const std::string &text,
                unsigned &value, std::string &error) {
  bool digits = !text.empty() && text.size() <= 9 &&
                std::all_of(text.begin(), text.end(),
                            [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) {
    error = "--" + name + ": expected a non-negative integer, got '" + text +
            "'";
    return false;
  }
  value = static_cast<unsigned>(std::strtoul(text.c_str(), nullptr, 10));
  return true;
}

/// Parses argv; returns an error message, empty on success. Sets `help`
/// for --help.
std::string parseArguments(int argc, char **argv, Options &options,
                           bool &help) {
  bool sawLibrary = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-help" || arg == "-h") {
      help = true;
      return "";
    }
    if (arg.size() < 2 || arg[0] != '-') {
      if (sawLibrary)
        return "unexpected argument '" + arg + "' (the library is '" +
               options.library + "')";
      options.library = arg;
      sawLibrary = true;
      continue;
    }
    // --name value, --name=value, -name value.
    std::string name = arg.substr(arg.find_first_not_of('-'));
    std::optional<std::string> value;
    if (size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
    }
    static const char *const known[] = {"function", "device",  "input",
                                        "output",   "repeat",  "warmup",
                                        "threads",  "print-values"};
    if (std::find_if(std::begin(known), std::end(known), [&](const char *k) {
          return name == k;
        }) == std::end(known))
      return "unknown option '" + arg + "' (see --help)";
    if (!value) {
      if (i + 1 >= argc)
        return "--" + name + " needs a value";
      value = argv[++i];
    }
    std::string error;
    if (name == "function") {
      options.function = *value;
    } else if (name == "device") {
      options.device = parseTarget(*value);
      if (!options.device)
        return "--device " + *value + ": expected cpu or cuda";
    } else if (name == "input") {
      options.inputs.push_back(*value);
    } else if (name == "output") {
      options.outputs.push_back(*value);
    } else if (name == "repeat") {
      if (!parseCount(name, *value, options.repeat, error))
        return error;
    } else if (name == "warmup") {
      if (!parseCount(name, *value, options.warmup, error))
        return error;
    } else if (name == "threads") {
      if (!parseCount(name, *value, options.threads, error))
        return error;
    } else if (name == "print-values") {
      if (!parseCount(name, *value, options.printValues, error))
        return error;
    }
  }
  if (!sawLibrary)
    return "no library given (usage: attnc-call <library.so> --function "
           "<name> ...; see --help)";
  return "";
}

/// Reads an `--input`; `expected` (from the signature) lets .npy files hold
/// bf16 as '<u2' and makes dtype mismatches name the file.
Expected<Tensor> readInput(const std::string &spec,
                           std::optional<DType> expected) {
  bool isFile = !spec.empty() && spec[0] == '@';
  Expected<Tensor> result = isFile ? readNpy(spec.substr(1), expected)
                                   : parseTensorLiteral(spec);
  // .npy errors start with the file name already.
  if (!result && !isFile)
    return Error::failure("--input " + spec + ": " +
                          result.getError().getMessage());
  return result;
}

int run(const Options &options) {
  // libomp reads its thread count when the first parallel region starts.
  if (options.threads > 0)
    setenv("OMP_NUM_THREADS", std::to_string(options.threads).c_str(),
           /*overwrite=*/1);
  for (const std::string &output : options.outputs)
    if (output != "-" && (output.empty() || output[0] != '@'))
      return fail("--output " + output +
                  ": expected @file.npy or - (print a summary)");

  Expected<Library> library = Library::open(options.library);
  if (!library)
    return fail(library.getError().getMessage());
  if (options.function.empty())
    return fail("--function is required with a library ('" +
                options.library + "')");
  Expected<LibraryFunction> function = library->lookup(options.function);
  if (!function)
    return fail(function.getError().getMessage());
  Target device = options.device.value_or(library->getTarget());
  if (Error error = checkDevice(*function, device))
    return fail(error.getMessage());

  std::vector<Tensor> arguments;
  const std::vector<TensorType> &argTypes = function->signature.inputs;
  for (size_t idx = 0; idx < options.inputs.size(); ++idx) {
    std::optional<DType> expected;
    if (idx < argTypes.size())
      expected = argTypes[idx].dtype;
    Expected<Tensor> tensor = readInput(options.inputs[idx], expected);
    if (!tensor)
      return fail(tensor.getError().getMessage());
    arguments.push_back(tensor.take());
  }
  if (Error error = checkInputs(*function, arguments, options.inputs))
    return fail(error.getMessage());
  size_t numResults = function->signature.results.size();
  if (options.outputs.size() > numResults)
    return fail(std::to_string(options.outputs.size()) +
                " --output given but @" + function->name + " has " +
                std::to_string(numResults) + " result(s)");
  if (options.repeat == 0)
    return fail("--repeat must be at least 1");

  std::signal(SIGABRT, handleAbort);
  std::vector<double> milliseconds;
  std::optional<std::vector<Tensor>> results;
  for (unsigned run = 0; run < options.warmup + options.repeat; ++run) {
    double callMilliseconds = 0;
    // Each run computes into the previous run's results, as a C caller
    // that keeps its output buffers would.
    Expected<std::vector<Tensor>> outcome = callFunction(
        *function, arguments, &callMilliseconds, results ? &*results : nullptr);
    if (!outcome)
      return fail(outcome.getError().getMessage());
    if (run >= options.warmup)
      milliseconds.push_back(callMilliseconds);
    results = outcome.take();
  }
  std::signal(SIGABRT, SIG_DFL);
  std::sort(milliseconds.begin(), milliseconds.end());
  double median = milliseconds[milliseconds.size() / 2];

  for (size_t idx = 0; idx < results->size(); ++idx) {
    const Tensor &result = (*results)[idx];
    if (idx < options.outputs.size() && options.outputs[idx] != "-") {
      // The error names the file already.
      if (Error error = writeNpy(options.outputs[idx].substr(1), result))
        return fail(error.getMessage());
      continue;
    }
    std::printf("result[%zu]: %s\n", idx,
                formatSummary(result, options.printValues).c_str());
  }
  std::fflush(stdout);
  std::fprintf(stderr, "@%s ran in %.3f ms", function->name.c_str(), median);
  if (options.repeat > 1)
    std::fprintf(stderr, " (median of %u runs)", options.repeat);
  std::fprintf(stderr, "\n");
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  bool help = false;
  std::string error = parseArguments(argc, argv, options, help);
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!error.empty())
    return fail(error);
  return run(options);
}
