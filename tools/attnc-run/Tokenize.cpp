//===- Tokenize.cpp - attnc-run tokenize ------------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Encodes text into token ids (or decodes ids) with a model's byte-level BPE
// tokenizer, one line of space-separated ids per text:
//
//   attnc-run tokenize --tokenizer <model-dir | tokenizer.json> --text "..."
//   attnc-run tokenize --vocab vocab.json --merges merges.txt
//       --texts-json texts.json     (a JSON array of strings)
//   attnc-run tokenize --tokenizer <dir> --decode "15496 11 995"
//   attnc-run tokenize --tokenizer <dir> --texts-json t.json --round-trip
//       (decode(encode(text)), one JSON string a line)
//
// The ids print as `attnc-run logits --tokens` reads them; --tokenizer may
// name a compiled model.attnc too (the model directory it records).
//
//===----------------------------------------------------------------------===//

#include "Tokenize.h"
#include "Generate.h"

#include "attnc/Runtime/Json.h"
#include "attnc/Runtime/Tokenizer.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace attnc::runtime;
namespace cl = llvm::cl;

static cl::SubCommand
    tokenizeCommand("tokenize",
                    "Encode text to token ids (or decode ids) with a model's "
                    "byte-level BPE tokenizer");

static cl::opt<std::string> tokenizerPath(
    "tokenizer",
    cl::desc("A model directory (tokenizer.json, else vocab.json + "
             "merges.txt), a tokenizer.json file, or a compiled model.attnc "
             "(the model directory it was compiled from)"),
    cl::value_desc("path"), cl::sub(tokenizeCommand));
static cl::opt<std::string>
    vocabPath("vocab", cl::desc("GPT-2 vocab.json / encoder.json"),
              cl::value_desc("file"), cl::sub(tokenizeCommand));
static cl::opt<std::string> mergesPath("merges",
                                       cl::desc("GPT-2 merges.txt / vocab.bpe"),
                                       cl::value_desc("file"),
                                       cl::sub(tokenizeCommand));
static cl::list<std::string> texts("text", cl::desc("A text to encode"),
                                   cl::value_desc("text"),
                                   cl::sub(tokenizeCommand));
static cl::opt<std::string>
    textsJson("texts-json",
              cl::desc("A file holding a JSON array of texts to encode"),
              cl::value_desc("file"), cl::sub(tokenizeCommand));
static cl::opt<std::string>
    decodeIds("decode", cl::desc("Space- or comma-separated ids to decode"),
              cl::value_desc("ids"), cl::sub(tokenizeCommand));
static cl::opt<bool> roundTrip(
    "round-trip",
    cl::desc("Print decode(encode(text)) as a JSON string instead of ids"),
    cl::sub(tokenizeCommand));
static cl::opt<bool>
    showPieces("pieces",
               cl::desc("Print the pre-tokenizer pieces instead of ids"),
               cl::sub(tokenizeCommand));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "attnc-run") << message << "\n";
  return 1;
}

bool attnc::run::isTokenizeCommand() {
  return static_cast<bool>(tokenizeCommand);
}

static Expected<BpeTokenizer> loadTokenizer() {
  if (!tokenizerPath.empty()) {
    // A compiled model: the directory it was compiled from.
    if (llvm::sys::fs::exists(tokenizerPath + "/manifest.json")) {
      auto directory = attnc::run::getRecordedModelDirectory(tokenizerPath);
      if (!directory)
        return directory.takeError();
      return BpeTokenizer::fromDirectory(*directory);
    }
    if (llvm::sys::fs::is_directory(tokenizerPath))
      return BpeTokenizer::fromDirectory(tokenizerPath);
    return BpeTokenizer::fromTokenizerJson(tokenizerPath);
  }
  if (!vocabPath.empty() && !mergesPath.empty())
    return BpeTokenizer::fromVocabAndMerges(vocabPath, mergesPath);
  return Error::failure(
      "give --tokenizer <dir|tokenizer.json>, or --vocab and --merges");
}

int attnc::run::runTokenize() {
  auto tokenizer = loadTokenizer();
  if (!tokenizer)
    return fail(tokenizer.getError().getMessage());

  if (!decodeIds.empty()) {
    std::vector<int32_t> ids;
    llvm::SmallVector<llvm::StringRef> fields;
    llvm::StringRef(decodeIds).split(fields, ' ', -1, false);
    for (llvm::StringRef field : fields) {
      llvm::SmallVector<llvm::StringRef> parts;
      field.split(parts, ',', -1, false);
      for (llvm::StringRef part : parts) {
        int32_t id;
        if (part.trim().getAsInteger(10, id))
          return fail("--decode: '" + part + "' is not a token id");
        ids.push_back(id);
      }
    }
    auto text = tokenizer->decode(ids);
    if (!text)
      return fail("--decode: " + text.getError().getMessage());
    llvm::outs() << *text << "\n";
    return 0;
  }

  std::vector<std::string> all(texts.begin(), texts.end());
  if (!textsJson.empty()) {
    auto buffer = llvm::MemoryBuffer::getFile(textsJson);
    if (!buffer)
      return fail("cannot read '" + textsJson +
                  "': " + buffer.getError().message());
    auto json = parseJson((*buffer)->getBuffer());
    if (!json)
      return fail("'" + textsJson + "': " + json.getError().getMessage());
    if (!json->isArray())
      return fail("'" + textsJson + "': expected an array of strings");
    for (const JsonValue &text : json->getElements()) {
      if (!text.isString())
        return fail("'" + textsJson + "': expected an array of strings");
      all.push_back(text.getString());
    }
  }
  if (all.empty())
    return fail("nothing to do: give --text, --texts-json or --decode");
  for (const std::string &text : all) {
    if (showPieces) {
      for (std::string_view piece : tokenizer->preTokenize(text))
        llvm::outs() << "[" << piece << "]";
      llvm::outs() << "\n";
      continue;
    }
    if (roundTrip) {
      auto decoded = tokenizer->decode(tokenizer->encode(text));
      if (!decoded)
        return fail(decoded.getError().getMessage());
      llvm::outs() << llvm::json::Value(*decoded) << "\n";
      continue;
    }
    bool first = true;
    for (int32_t id : tokenizer->encode(text)) {
      llvm::outs() << (first ? "" : " ") << id;
      first = false;
    }
    llvm::outs() << "\n";
  }
  return 0;
}
