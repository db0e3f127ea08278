//===- TokenizerFuzzer.cpp - fuzz tokenizer files ---------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The input is a tokenizer and a text, separated by lines "=====":
//
//   <tokenizer.json>\n=====\n<text>
//   <vocab.json>\n=====\n<merges.txt>\n=====\n<text>
//
// What loads must encode the text, deterministically, to ids it decodes to
// valid UTF-8; GPT-2's files (always byte-level, no normalizer) must also
// decode a valid UTF-8 text back to itself.
//
//===----------------------------------------------------------------------===//

#include "Fuzz.h"
#include "TokenizerChecks.h"

#include "attnc/Runtime/Tokenizer.h"

using namespace attnc::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static attnc::fuzz::MemoryFile first("tokenizer.json");
  static attnc::fuzz::MemoryFile second("merges.txt");
  std::string_view input(reinterpret_cast<const char *>(data), size);
  constexpr std::string_view kSeparator = "\n=====\n";
  std::string_view parts[3];
  int count = 0;
  while (count < 3) {
    parts[count++] = attnc::fuzz::takeUntil(input, kSeparator);
    if (input.empty())
      break;
  }
  Expected<BpeTokenizer> tokenizer = Error::failure("no tokenizer");
  std::string_view text;
  bool exact = count == 3;
  if (count == 2) {
    first.write(parts[0]);
    tokenizer = BpeTokenizer::fromTokenizerJson(first.getPath());
    text = parts[1];
  } else if (count == 3) {
    first.write(parts[0]);
    second.write(parts[1]);
    tokenizer =
        BpeTokenizer::fromVocabAndMerges(first.getPath(), second.getPath());
    text = parts[2];
  } else {
    return 0;
  }
  if (!tokenizer) {
    FUZZ_CHECK(!tokenizer.getError().getMessage().empty(), "empty error");
    return 0;
  }
  attnc::fuzz::checkEncodeDecode(*tokenizer, text, exact);
  return 0;
}
