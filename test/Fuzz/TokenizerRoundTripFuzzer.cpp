//===- TokenizerRoundTripFuzzer.cpp - encode/decode any bytes ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The input is a text, encoded and decoded by two fixed byte-level BPE
// tokenizers, one with GPT-2's pre-tokenizer and one with Llama 3's: each
// has the 256 byte tokens, a few merges, an added token, no normalizer and
// a ByteLevel decoder. decode(encode(text)) must give a valid UTF-8 text
// back, and any other text must decode to valid UTF-8.
//
//===----------------------------------------------------------------------===//

#include "Fuzz.h"
#include "TokenizerChecks.h"

#include "attnc/Runtime/Text.h"
#include "attnc/Runtime/Tokenizer.h"

#include <memory>

using namespace attnc::runtime;

/// A JSON string literal of `text`, which holds no control characters.
static std::string quote(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

/// A tokenizer.json with the given pre_tokenizer object.
static std::string makeTokenizerJson(const std::string &preTokenizer) {
  // GPT-2's bytes_to_unicode: printable Latin-1 stands for itself, every
  // other byte for 256, 257, ... in byte order.
  std::string symbols[256];
  uint32_t next = 256;
  for (int byte = 0; byte < 256; ++byte) {
    bool printable = (byte >= '!' && byte <= '~') ||
                     (byte >= 0xA1 && byte <= 0xAC) || byte >= 0xAE;
    appendUtf8(symbols[byte], printable ? byte : next++);
  }
  std::string space = symbols[' '];
  std::vector<std::pair<std::string, std::string>> merges = {
      {"t", "h"}, {"th", "e"}, {space, "th"}, {space + "th", "e"},
      {"i", "n"}, {"in", "g"}, {space, "a"},  {"e", "r"},
      {"\xC3\x83", "\xC2\xA9"}, // The two bytes of "é" (C3 A9).
  };
  std::string vocab;
  int id = 0;
  for (const std::string &symbol : symbols) {
    vocab += (id ? "," : "") + quote(symbol) + ":" + std::to_string(id);
    ++id;
  }
  std::string mergeList;
  for (const auto &[left, right] : merges) {
    vocab += "," + quote(left + right) + ":" + std::to_string(id);
    ++id;
    mergeList += (mergeList.empty() ? "" : ",") + quote(left + " " + right);
  }
  vocab += "," + quote("<|endoftext|>") + ":" + std::to_string(id);
  return "{\"added_tokens\":[{\"id\":" + std::to_string(id) +
         ",\"content\":\"<|endoftext|>\"}],\"normalizer\":null,"
         "\"decoder\":{\"type\":\"ByteLevel\"},\"pre_tokenizer\":" +
         preTokenizer +
         ",\"model\":{\"type\":\"BPE\",\"vocab\":{" + vocab +
         "},\"merges\":[" + mergeList + "]}}";
}

static std::unique_ptr<BpeTokenizer> load(const std::string &preTokenizer) {
  attnc::fuzz::MemoryFile file("tokenizer.json");
  file.write(makeTokenizerJson(preTokenizer));
  Expected<BpeTokenizer> tokenizer =
      BpeTokenizer::fromTokenizerJson(file.getPath());
  FUZZ_CHECK(tokenizer, tokenizer.getError().getMessage());
  return std::make_unique<BpeTokenizer>(tokenizer.take());
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::unique_ptr<BpeTokenizer> gpt2 =
      load(R"({"type":"ByteLevel","add_prefix_space":false,)"
           R"("trim_offsets":true,"use_regex":true})");
  static const std::unique_ptr<BpeTokenizer> llama3 = load(
      R"({"type":"Sequence","pretokenizers":[{"type":"Split","pattern":)"
      R"({"Regex":"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?)"
      R"(\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|)"
      R"(\\s+(?!\\S)|\\s+"},"behavior":"Isolated","invert":false},)"
      R"({"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,)"
      R"("use_regex":false}]})");
  std::string_view text(reinterpret_cast<const char *>(data), size);
  attnc::fuzz::checkEncodeDecode(*gpt2, text, /*exact=*/true);
  attnc::fuzz::checkEncodeDecode(*llama3, text, /*exact=*/true);
  return 0;
}
