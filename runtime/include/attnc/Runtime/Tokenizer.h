//===- Tokenizer.h - Byte-level BPE tokenizers ------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The byte-level BPE of GPT-2 and of Llama 3: text is split into pieces by a
// pre-tokenizer pattern, each piece's UTF-8 bytes are mapped to printable
// code points (GPT-2's bytes_to_unicode), and adjacent symbols are merged in
// the order of the merge list until no listed pair is left. Two sources:
//
// - GPT-2's `vocab.json` (token -> id) and `merges.txt`, with the GPT-2
//   pattern;
// - a Hugging Face `tokenizer.json` whose model is BPE and whose
//   pre-tokenizer is GPT-2's ByteLevel or Llama 3's Split + ByteLevel;
//   added (special) tokens are matched verbatim before splitting.
//
// The pre-tokenizer patterns are implemented as scanners over code points,
// with the Unicode letter and number classes from generated tables, rather
// than with a regex engine.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_TOKENIZER_H
#define ATTNC_RUNTIME_TOKENIZER_H

#include "attnc/Runtime/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace attnc::runtime {

/// How text is split before BPE.
enum class PreTokenizer : uint8_t {
  /// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
  Gpt2,
  /// (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
  /// ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
  Llama3,
};

class BpeTokenizer {
public:
  /// GPT-2's files: `vocab.json` (or `encoder.json`) and `merges.txt` (or
  /// `vocab.bpe`).
  static Expected<BpeTokenizer>
  fromVocabAndMerges(const std::string &vocabPath,
                     const std::string &mergesPath);
  /// A Hugging Face `tokenizer.json`.
  static Expected<BpeTokenizer> fromTokenizerJson(const std::string &path);
  /// A model directory: tokenizer.json if present, else vocab.json and
  /// merges.txt.
  static Expected<BpeTokenizer> fromDirectory(const std::string &directory);

  std::vector<int32_t> encode(std::string_view text) const;
  /// The text of `ids` (invalid UTF-8 sequences, as a token boundary inside
  /// a character can produce, come out as U+FFFD). Unknown ids are an
  /// error.
  Expected<std::string> decode(const std::vector<int32_t> &ids) const;
  /// The raw bytes of one token (possibly part of a UTF-8 character), or an
  /// error for an unknown id.
  Expected<std::string> decodeBytes(int32_t id) const;

  size_t getVocabSize() const { return idToBytes.size(); }
  PreTokenizer getPreTokenizer() const { return preTokenizer; }
  /// The id of a token given in its vocabulary spelling (e.g.
  /// "<|endoftext|>"), or -1.
  int32_t lookup(std::string_view token) const;

  /// The pieces `text` is split into before BPE (for tests and tools).
  std::vector<std::string_view> preTokenize(std::string_view text) const;

private:
  BpeTokenizer() = default;
  Error finish();
  void encodePiece(std::string_view piece, std::vector<int32_t> &ids) const;

  PreTokenizer preTokenizer = PreTokenizer::Gpt2;
  /// Token spelling (byte-mapped code points, UTF-8) -> id.
  std::unordered_map<std::string, int32_t> vocab;
  /// "left right" -> merge rank.
  std::unordered_map<std::string, int32_t> mergeRanks;
  /// id -> raw bytes.
  std::vector<std::string> idToBytes;
  /// Added tokens matched verbatim in the input (longest first).
  std::vector<std::pair<std::string, int32_t>> addedTokens;
  /// Byte -> its printable code point, UTF-8 encoded.
  std::string byteSymbols[256];
  /// Results of BPE per piece (GPT-2 text repeats pieces a lot).
  mutable std::shared_ptr<std::unordered_map<std::string, std::vector<int32_t>>>
      cache;
};

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_TOKENIZER_H
