//===- Generate.cpp - attnc-run generate and logits -------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
//   attnc-run generate model.attnc --model-dir DIR --prompt "..." -n 64
//       [--temperature T --top-k K --top-p P --seed S]
//   attnc-run generate model.attnc --tokens 1,2,3 -n 64
//     streams the continuation to stdout and prints prefill and decode
//     tokens/s to stderr (--tokens: a prompt of exactly these ids, no BOS
//     added);
//   attnc-run logits model.attnc --model-dir DIR --tokens 1,2,3
//       [--output @logits.npy]
//     writes the logits [S, vocab] of every position (one prefill), or
//     prints a summary of them.
//
// --model-dir defaults to the directory the artifact was compiled from,
// which `attnc compile` records in its manifest.json ("model_dir").
//
//===----------------------------------------------------------------------===//

#include "Generate.h"

#include "attnc/Runtime/Json.h"
#include "attnc/Runtime/ModelRunner.h"
#include "attnc/Runtime/Npy.h"
#include "attnc/Runtime/Sampler.h"
#include "attnc/Runtime/Tensor.h"
#include "attnc/Runtime/TensorLiteral.h"
#include "attnc/Runtime/Text.h"
#include "attnc/Runtime/Tokenizer.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <cstring>

using namespace attnc::runtime;
namespace cl = llvm::cl;

static cl::SubCommand
    generateCommand("generate",
                    "Generate text with a model compiled by `attnc compile "
                    "<model-dir> -o model.attnc`");
static cl::SubCommand
    logitsCommand("logits",
                  "Write the logits of every position of a token sequence");

static cl::opt<std::string> artifact(cl::Positional, cl::Required,
                                     cl::desc("<model.attnc>"),
                                     cl::sub(generateCommand),
                                     cl::sub(logitsCommand));
static cl::opt<std::string>
    modelDir("model-dir",
             cl::desc("The Hugging Face model directory (config.json, "
                      "safetensors weights, tokenizer; default: the one the "
                      "artifact was compiled from)"),
             cl::value_desc("dir"), cl::sub(generateCommand),
             cl::sub(logitsCommand));
static cl::opt<std::string> prompt("prompt", cl::desc("The text to continue"),
                                   cl::sub(generateCommand));
static cl::opt<int64_t> maxNewTokens("n", cl::init(64),
                                     cl::desc("Tokens to generate at most "
                                              "(at least 1)"),
                                     cl::sub(generateCommand));
static cl::opt<double>
    temperature("temperature", cl::init(0.0),
                cl::desc("Sampling temperature (0: greedy, the default)"),
                cl::sub(generateCommand));
static cl::opt<int64_t> topK("top-k", cl::init(0),
                             cl::desc("Sample among the k likeliest tokens (0, the "
                                      "default: all)"),
                             cl::sub(generateCommand));
static cl::opt<double>
    topP("top-p", cl::init(1.0),
         cl::desc("Sample among the likeliest tokens up to this probability, "
                  "in (0, 1] (1, the default: all)"),
         cl::sub(generateCommand));
static cl::opt<uint64_t> seed("seed", cl::init(0),
                              cl::desc("Seed of the sampler"),
                              cl::sub(generateCommand));
static cl::opt<bool> printIds("print-ids",
                              cl::desc("Also print the generated token ids"),
                              cl::sub(generateCommand));
static cl::opt<std::string>
    tokenList("tokens",
              cl::desc("Token ids separated by commas or spaces (what "
                       "`attnc-run tokenize` prints); for generate, the "
                       "prompt instead of --prompt, as is (no BOS added)"),
              cl::value_desc("ids"), cl::sub(logitsCommand),
              cl::sub(generateCommand));
static cl::opt<std::string>
    logitsOutput("output",
                 cl::desc("Where the logits go: @file.npy (default: print a "
                          "summary)"),
                 cl::value_desc("@file.npy"), cl::sub(logitsCommand));

static cl::opt<bool>
    noMmap("no-mmap",
           cl::desc("Copy the weights into memory on huge pages instead of "
                    "reading the checkpoint's mapping: slower to load, "
                    "faster decode where TLB misses are costly (VMs)"),
           cl::sub(generateCommand), cl::sub(logitsCommand));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "attnc-run") << message << "\n";
  return 1;
}

bool attnc::run::isGenerateCommand() {
  return static_cast<bool>(generateCommand);
}
bool attnc::run::isLogitsCommand() { return static_cast<bool>(logitsCommand); }

Expected<std::string>
attnc::run::getRecordedModelDirectory(const std::string &artifact) {
  std::string manifestPath = artifact + "/manifest.json";
  auto text = readFile(manifestPath);
  if (!text)
    return Error::failure(text.getError().getMessage() + " (is '" + artifact +
                          "' a model compiled by `attnc compile <model-dir> "
                          "-o model.attnc`?)");
  auto manifest = parseJson(*text);
  if (!manifest)
    return Error::failure("'" + manifestPath +
                          "': " + manifest.getError().getMessage());
  const JsonValue *recorded = manifest->find("model_dir");
  if (!recorded || !recorded->isString() || recorded->getString().empty())
    return Error::failure("'" + artifact +
                          "' does not record the model directory it was "
                          "compiled from: give --model-dir <dir>");
  std::string directory = recorded->getString();
  if (!llvm::sys::fs::is_directory(directory))
    return Error::failure("'" + artifact + "' was compiled from '" +
                          directory +
                          "', which is not a directory any more: give "
                          "--model-dir <dir>");
  return directory;
}

/// --model-dir, or the directory the artifact records.
static Expected<std::string> getModelDirectory() {
  if (!modelDir.empty())
    return std::string(modelDir);
  return attnc::run::getRecordedModelDirectory(artifact);
}

using Clock = std::chrono::steady_clock;
static double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Checks the sampling and size options before anything is loaded; warns
/// about the sampling options greedy decoding ignores.
static std::optional<std::string> checkGenerateOptions() {
  auto format = [](double value) {
    std::string text;
    llvm::raw_string_ostream(text) << llvm::format("%g", value);
    return text;
  };
  if (!std::isfinite(temperature) || temperature < 0)
    return "--temperature must be 0 (greedy) or positive, got " +
           format(temperature);
  if (!std::isfinite(topP) || !(topP > 0 && topP <= 1))
    return "--top-p must be in (0, 1], got " + format(topP);
  if (topK < 0)
    return "--top-k must be 0 (all tokens) or positive, got " +
           std::to_string(topK);
  if (maxNewTokens < 1)
    return "-n must be at least 1, got " + std::to_string(maxNewTokens);
  if (tokenList.getNumOccurrences() && prompt.getNumOccurrences())
    return "give --prompt or --tokens, not both";
  if (temperature == 0) {
    llvm::SmallVector<llvm::StringRef, 3> ignored;
    if (topK.getNumOccurrences())
      ignored.push_back("--top-k");
    if (topP.getNumOccurrences())
      ignored.push_back("--top-p");
    if (seed.getNumOccurrences())
      ignored.push_back("--seed");
    if (!ignored.empty())
      llvm::WithColor::warning(llvm::errs(), "attnc-run")
          << llvm::join(ignored, ", ")
          << " ignored: temperature 0 decodes greedily (give --temperature "
             "to sample)\n";
  }
  return std::nullopt;
}

Expected<std::vector<int32_t>> attnc::run::parseTokenIds(llvm::StringRef text) {
  // "1,2,3", "1 2 3" (tokenize's output) or "1, 2, 3".
  std::vector<int32_t> tokens;
  llvm::SmallVector<llvm::StringRef> fields;
  llvm::SplitString(text, fields, ", \t\n");
  for (llvm::StringRef field : fields) {
    int32_t id;
    if (field.getAsInteger(10, id))
      return Error::failure("--tokens: '" + field.str() +
                            "' is not a token id");
    tokens.push_back(id);
  }
  if (tokens.empty())
    return Error::failure("--tokens: no token ids");
  return tokens;
}

int attnc::run::runGenerate() {
  if (std::optional<std::string> error = checkGenerateOptions())
    return fail(*error);
  std::vector<int32_t> tokens;
  bool givenTokens = tokenList.getNumOccurrences() > 0;
  if (givenTokens) {
    auto parsed = parseTokenIds(tokenList);
    if (!parsed)
      return fail(parsed.getError().getMessage());
    tokens = parsed.take();
  }
  auto directory = getModelDirectory();
  if (!directory)
    return fail(directory.getError().getMessage());
  auto tokenizer = BpeTokenizer::fromDirectory(*directory);
  if (!tokenizer)
    return fail(tokenizer.getError().getMessage());
  ModelRunner::LoadOptions loadOptions;
  loadOptions.copyWeights = noMmap;
  auto runner = ModelRunner::load(artifact, *directory, loadOptions);
  if (!runner)
    return fail(runner.getError().getMessage());
  ModelRunner &model = **runner;
  const ModelConfig &config = model.getConfig();

  // A BOS token when the tokenizer's files ask for one (Llama 2's
  // add_bos_token, Llama 3's post-processor; Qwen's say no), else for Llama.
  int64_t bos = tokenizer->getBosTokenId() >= 0 ? tokenizer->getBosTokenId()
                                                : config.bosTokenId;
  if (!givenTokens && bos >= 0 &&
      tokenizer->getAddBosToken().value_or(config.family == ModelFamily::Llama))
    tokens.push_back(static_cast<int32_t>(bos));
  if (!givenTokens)
    for (int32_t id : tokenizer->encode(prompt))
      tokens.push_back(id);
  if (tokens.empty())
    return fail("the prompt is empty (give --prompt or --tokens)");
  if (static_cast<int64_t>(tokens.size()) >= model.getMaxSequence())
    return fail("the prompt has " + llvm::Twine(tokens.size()) +
                " tokens; the model was compiled for " +
                llvm::Twine(model.getMaxSequence()) + " positions");

  SamplingOptions options;
  options.temperature = temperature;
  options.topK = topK;
  options.topP = topP;
  options.seed = seed;
  Sampler sampler(options);
  int64_t vocab = config.vocabSize;

  auto start = Clock::now();
  auto logits = model.forward(tokens, /*lastOnly=*/true);
  if (!logits)
    return fail(logits.getError().getMessage());
  double prefillSeconds = secondsSince(start);

  // The prompt as given, or the text of the given ids.
  if (givenTokens) {
    auto text = tokenizer->decode(tokens);
    if (text)
      llvm::outs() << *text;
  } else {
    llvm::outs() << prompt;
  }
  llvm::outs().flush();
  // Decoded in the context of the prompt, so that spaces come out as in a
  // decode of the whole text; a character cut between tokens waits.
  TokenTextStream stream(*tokenizer, tokens);
  std::vector<int32_t> generated;
  int32_t next = sampler.sample(logits->data(), vocab);
  auto decodeStart = Clock::now();
  int64_t decodeSteps = 0;
  std::string stopReason = "-n reached";
  while (true) {
    if (std::find(config.eosTokenIds.begin(), config.eosTokenIds.end(), next) !=
        config.eosTokenIds.end()) {
      stopReason = "end of sequence";
      break;
    }
    generated.push_back(next);
    // An id past the tokenizer's vocabulary (padded embeddings) prints
    // nothing.
    if (auto text = stream.push(next))
      llvm::outs() << *text;
    llvm::outs().flush();
    if (static_cast<int64_t>(generated.size()) >= maxNewTokens)
      break;
    if (model.getLength() >= model.getMaxSequence()) {
      stopReason = "KV cache full";
      break;
    }
    auto step = model.forward({next}, /*lastOnly=*/true);
    if (!step)
      return fail(step.getError().getMessage());
    ++decodeSteps;
    next = sampler.sample(step->data(), vocab);
  }
  double decodeSeconds = secondsSince(decodeStart);
  llvm::outs() << stream.finish() << "\n";
  if (printIds) {
    llvm::outs() << "ids:";
    for (int32_t id : generated)
      llvm::outs() << " " << id;
    llvm::outs() << "\n";
  }
  llvm::outs().flush();
  llvm::errs() << llvm::format(
      "[%zu prompt tokens: %.1f tokens/s prefill; %lld generated, %lld "
      "decode steps: %.1f tokens/s decode; stopped: %s; KV cache %s]\n",
      tokens.size(), tokens.size() / std::max(prefillSeconds, 1e-9),
      static_cast<long long>(generated.size()),
      static_cast<long long>(decodeSteps),
      decodeSteps / std::max(decodeSeconds, 1e-9), stopReason.c_str(),
      model.getKVType().c_str());
  return 0;
}

int attnc::run::runLogits() {
  if (!tokenList.getNumOccurrences())
    return fail("logits needs --tokens <ids>");
  auto parsed = parseTokenIds(tokenList);
  if (!parsed)
    return fail(parsed.getError().getMessage());
  std::vector<int32_t> tokens = parsed.take();
  if (!logitsOutput.empty() && !llvm::StringRef(logitsOutput).starts_with("@"))
    return fail("--output " + logitsOutput +
                ": expected @file.npy (or no --output for a summary)");
  auto directory = getModelDirectory();
  if (!directory)
    return fail(directory.getError().getMessage());
  // One forward call: the warm-up steps would cost as much as it.
  ModelRunner::LoadOptions options;
  options.warmUp = false;
  options.copyWeights = noMmap;
  auto runner = ModelRunner::load(artifact, *directory, options);
  if (!runner)
    return fail(runner.getError().getMessage());
  auto logits = (*runner)->forward(tokens);
  if (!logits)
    return fail(logits.getError().getMessage());
  int64_t vocab = (*runner)->getConfig().vocabSize;
  auto tensor = Tensor::createUninitialized(
      DType::F32, {static_cast<int64_t>(tokens.size()), vocab});
  if (!tensor)
    return fail(tensor.getError().getMessage());
  std::memcpy(tensor->getData(), logits->data(), logits->size() * 4);
  if (!logitsOutput.empty()) {
    if (Error error = writeNpy(logitsOutput.substr(1), *tensor))
      return fail(error.getMessage());
    return 0;
  }
  // No --output: a summary, as `call` prints, and each position's likeliest
  // next token.
  llvm::outs() << "logits: " << formatSummary(*tensor) << "\n";
  llvm::outs() << "argmax:";
  for (size_t row = 0; row < tokens.size(); ++row) {
    const float *first = logits->data() + row * vocab;
    llvm::outs() << " " << (std::max_element(first, first + vocab) - first);
  }
  llvm::outs() << "\n";
  return 0;
}
