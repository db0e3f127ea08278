//===- attnc-run.cpp - run compiled functions and models --------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
//   attnc-run call kernel.mlir --function attention --input @q.npy ...
//   attnc-run tokenize --tokenizer <model-dir> --text "..."
//   attnc-run generate model.attnc --prompt "..." -n 64
//   attnc-run logits model.attnc --tokens 1,2,3 --output @logits.npy
//   attnc-run bench model.attnc -p 512 -n 128 -d 0,4096 -r 5
//
// runs what `attnc compile` makes, one subcommand a file (Call.cpp,
// Tokenize.cpp, Generate.cpp, Bench.cpp). attnc-run links LLVM's Support
// library statically and no LLVM or MLIR shared library, so that it starts
// at once and ships with the models it runs; only `call module.mlir` loads
// the compiler, from a plugin (ModuleCompiler.h).
//
//===----------------------------------------------------------------------===//

#include "Bench.h"
#include "Call.h"
#include "Generate.h"
#include "Tokenize.h"

#include "attnc/Runtime/Memory.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"

#include <csignal>
#include <cstdlib>
#include <string>
#include <vector>

namespace cl = llvm::cl;

/// The options `attnc-run --help` lists: those of its subcommands (main puts
/// them in it), not the few of LLVM's Support library.
static cl::OptionCategory runCategory("attnc-run options");

/// An option of `call`, `generate`, `logits` and `bench` (setUpOptions puts
/// it in them).
static cl::opt<unsigned>
    threads("threads", cl::init(0),
            cl::desc("Threads for parallel kernels (0, the default: "
                     "OMP_NUM_THREADS, else every core)"));

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

/// Gives `call`, `generate`, `logits` and `bench` --threads, and hides
/// every option that none of the subcommands declares from --help.
static void setUpOptions() {
  threads.removeArgument();
  threads.Subs.clear();
  for (cl::SubCommand *sub : cl::getRegisteredSubcommands())
    if (sub->getName() == "call" || sub->getName() == "generate" ||
        sub->getName() == "logits" || sub->getName() == "bench")
      threads.addSubCommand(*sub);
  threads.addArgument();
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
  if (::attnc::run::isCallCommand())
    return ::attnc::run::runCall(argv[0]);
  // The other commands load a tokenizer (tens of MB of tables built from
  // a tokenizer.json) and then a model: both on a heap of huge pages, where
  // a first touch faults 2 MiB at a time (Llama 3's tokenizer loaded in
  // half the time on the AMD EPYC VM).
  ::attnc::runtime::prepareHeap(::attnc::runtime::kModelHeapBytes);
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
