//===- Tokenizer.h - Hugging Face BPE tokenizers ----------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Byte-pair-encoding tokenizers read the way Hugging Face tokenizers reads
// them, from two sources:
//
// - GPT-2's `vocab.json` (token -> id) and `merges.txt`: a ByteLevel
//   pre-tokenizer with GPT-2's pattern and a ByteLevel decoder;
// - a `tokenizer.json` whose model is BPE (byte-level ones like GPT-2,
//   Llama 3 and Qwen, SentencePiece-style ones like Llama 2, Mistral and
//   Gemma with Metaspace and byte_fallback). Its added tokens, normalizer,
//   pre-tokenizer and decoder are run as the file describes them (see
//   runtime/lib/Tokenizer/ for what is supported; anything else is an
//   error that names the field).
//
// Encoding splits the text around added tokens, normalizes and
// pre-tokenizes the rest, and encodes each piece with the BPE model; it adds
// no special tokens (no BOS: see getAddBosToken). Split patterns run on
// Oniguruma and Unicode normalization on utf8proc, the regex engine and
// the normal forms Hugging Face tokenizers uses.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_TOKENIZER_H
#define ATTNC_RUNTIME_TOKENIZER_H

#include "attnc/Runtime/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attnc::runtime {

class BpeTokenizer {
public:
  /// GPT-2's files: `vocab.json` (or `encoder.json`) and `merges.txt` (or
  /// `vocab.bpe`).
  static Expected<BpeTokenizer>
  fromVocabAndMerges(const std::string &vocabPath,
                     const std::string &mergesPath);
  /// A Hugging Face `tokenizer.json`.
  static Expected<BpeTokenizer> fromTokenizerJson(const std::string &path);
  /// A model directory: tokenizer.json if present (with
  /// tokenizer_config.json, if present, for getAddBosToken), else
  /// vocab.json and merges.txt.
  static Expected<BpeTokenizer> fromDirectory(const std::string &directory);

  /// The ids of `text` (bytes that are not valid UTF-8 are read as U+FFFD).
  /// Not safe to call from several threads at once (a cache is updated).
  std::vector<int32_t> encode(std::string_view text) const;
  /// The text of `ids`, as the decoder makes it (invalid UTF-8 sequences, as
  /// a token boundary inside a character can produce, come out as U+FFFD).
  /// Unknown ids are an error.
  Expected<std::string> decode(const std::vector<int32_t> &ids) const;
  /// The bytes of one token decoded on its own (possibly part of a UTF-8
  /// character), or an error for an unknown id. For streaming text, use
  /// TokenTextStream: decoders such as Metaspace treat the first token of a
  /// sequence differently.
  Expected<std::string> decodeBytes(int32_t id) const;

  /// One more than the largest token id.
  size_t getVocabSize() const;
  /// The id of a token given in its vocabulary spelling (e.g.
  /// "<|endoftext|>", "Ġworld"), or -1.
  int32_t lookup(std::string_view token) const;

  /// The pieces the BPE model sees for `text`, after added tokens are taken
  /// out, normalization and pre-tokenization (for tests and tools), as
  /// Hugging Face's pre_tokenize_str shows them (ByteLevel pieces in their
  /// byte-symbol spelling, "Ġworld").
  std::vector<std::string> preTokenize(std::string_view text) const;

  /// Whether a prompt starts with a BOS token, as the model's files say:
  /// tokenizer_config.json's add_bos_token, else whether tokenizer.json's
  /// TemplateProcessing post-processor starts with a special token; nullopt
  /// when neither says.
  std::optional<bool> getAddBosToken() const;
  /// The BOS token those files name (the post-processor's first special
  /// token, else tokenizer_config.json's bos_token), or -1.
  int32_t getBosTokenId() const;

  struct Impl;

private:
  explicit BpeTokenizer(std::shared_ptr<Impl> impl) : impl(std::move(impl)) {}
  std::shared_ptr<Impl> impl;
};

/// Turns token ids into text one id at a time, for streaming generation.
/// The pieces push and finish return add up to the decode of all pushed
/// ids, in the context of the ids given at construction (so that
/// Metaspace's first-token rule and spaces between tokens come out as in a
/// decode of the whole sequence); a character split across tokens is held
/// back until it is complete.
class TokenTextStream {
public:
  explicit TokenTextStream(const BpeTokenizer &tokenizer,
                           std::vector<int32_t> context = {});
  /// The text that `id` completes (possibly empty), or an error for an
  /// unknown id.
  Expected<std::string> push(int32_t id);
  /// What is still held back (an incomplete character comes out as U+FFFD).
  std::string finish();

private:
  /// The text of ids after `shown`, or nothing while it ends in U+FFFD
  /// (unless `atEnd`).
  Expected<std::string> take(bool atEnd);

  const BpeTokenizer &tokenizer;
  /// The ids whose text is not all out yet; the first `shownIds` of them
  /// are context whose text, `shown`, is.
  std::vector<int32_t> ids;
  size_t shownIds = 0;
  std::string shown;
};

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_TOKENIZER_H
