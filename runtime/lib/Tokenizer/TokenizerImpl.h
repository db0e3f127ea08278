//===- TokenizerImpl.h - The stages of a tokenizer.json ---------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// What Tokenizer.cpp assembles from a tokenizer.json, one concern per file:
// Unicode.cpp (code points, character classes through utf8proc, the
// Oniguruma wrapper), Normalizers.cpp, PreTokenizers.cpp, Bpe.cpp (the
// model) and Decoders.cpp. The stages follow Hugging Face tokenizers: the
// text is split around added tokens, normalized, pre-tokenized into pieces,
// and each piece is encoded by the model; decoding maps ids to token
// strings and runs the decoders over them.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_LIB_TOKENIZER_TOKENIZERIMPL_H
#define ATTNC_RUNTIME_LIB_TOKENIZER_TOKENIZERIMPL_H

#include "attnc/Runtime/Error.h"
#include "attnc/Runtime/Json.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace attnc::runtime::tokenizer {

//===----------------------------------------------------------------------===//
// Unicode
//===----------------------------------------------------------------------===//

/// The code point at `text[pos]` and its length in bytes. `text` must be
/// valid UTF-8 (see makeValidUtf8).
std::pair<uint32_t, size_t> decodeAt(std::string_view text, size_t pos);
/// `text` with every byte that starts no valid UTF-8 sequence replaced by
/// U+FFFD.
std::string makeValidUtf8(std::string_view text);

/// Unicode White_Space (Rust's char::is_whitespace).
bool isWhitespace(uint32_t cp);
/// General category L* or N* (Rust's char::is_alphanumeric).
bool isAlphanumeric(uint32_t cp);
/// General category N* (Rust's char::is_numeric).
bool isNumeric(uint32_t cp);
/// ASCII punctuation or general category P*.
bool isPunctuation(uint32_t cp);
/// General category Mn.
bool isNonspacingMark(uint32_t cp);
/// \w of the Rust regex crate: L*, M*, Nd, Pc.
bool isWordChar(uint32_t cp);

/// A compiled Oniguruma regular expression (UTF-8, Oniguruma's default
/// syntax, the engine and settings Hugging Face tokenizers uses).
class Regex {
public:
  static Expected<std::shared_ptr<const Regex>>
  compile(std::string_view pattern);
  ~Regex();
  Regex(const Regex &) = delete;
  Regex &operator=(const Regex &) = delete;

  /// The non-overlapping, non-empty matches in `text`, as [begin, end) byte
  /// ranges, left to right.
  std::vector<std::pair<size_t, size_t>> findAll(std::string_view text) const;

private:
  Regex() = default;
  void *regex = nullptr;
};

/// A `pattern` field: {"String": s} (literal) or {"Regex": r}.
class Pattern {
public:
  static Expected<Pattern> parse(const JsonValue *value);
  std::vector<std::pair<size_t, size_t>> findAll(std::string_view text) const;
  /// True for a String pattern (which also matches in text that is not
  /// valid UTF-8).
  bool isLiteral() const { return !regex; }

private:
  std::string literal;
  std::shared_ptr<const Regex> regex;
};

//===----------------------------------------------------------------------===//
// Stages
//===----------------------------------------------------------------------===//

/// A span of the input on its way to the model.
struct Piece {
  std::string text;
  /// Whether the piece starts at the beginning of the input text (what
  /// Metaspace's prepend_scheme "first" looks at).
  bool atStart = false;
};

class Normalizer {
public:
  virtual ~Normalizer() = default;
  virtual void normalize(Piece &piece) const = 0;
};

class PreTokenizer {
public:
  virtual ~PreTokenizer() = default;
  /// Replaces `pieces` by their splits (dropping empty ones).
  virtual void split(std::vector<Piece> &pieces) const = 0;
};

class Decoder {
public:
  virtual ~Decoder() = default;
  /// Rewrites the token strings (which may hold any bytes).
  virtual void decode(std::vector<std::string> &tokens) const = 0;
};

//===----------------------------------------------------------------------===//
// Fields of a stage object (StageFields.cpp). Errors name `field.key`.
//===----------------------------------------------------------------------===//

/// The stage's "type" string.
Expected<std::string> getStageType(const JsonValue &value,
                                   const std::string &field);
/// The boolean `key` (absent or null: `otherwise`).
Expected<bool> getBoolField(const JsonValue &value, const char *key,
                            bool otherwise, const std::string &field);
/// The string `key`, which must be present.
Expected<std::string> getStringField(const JsonValue &value, const char *key,
                                     const std::string &field);
/// The one-character string `key` (absent: `otherwise`).
Expected<std::string> getCharField(const JsonValue &value, const char *key,
                                   const std::string &otherwise,
                                   const std::string &field);
/// The "pattern" of a Split or Replace stage.
Expected<Pattern> getPatternField(const JsonValue &value,
                                  const std::string &field);

/// Metaspace's prepend_scheme, or its older spelling add_prefix_space
/// (true: Always, false: Never); absent: Always.
enum class PrependScheme { Always, First, Never };
Expected<PrependScheme> getPrependScheme(const JsonValue &value,
                                         const std::string &field);

/// The stages of a Sequence: the array `key`, each element read by `parse`
/// with the field `field.key[i]`; null stages are dropped.
template <typename Stage, typename ParseFn>
Expected<std::vector<std::unique_ptr<Stage>>>
parseStageList(const JsonValue &value, const char *key,
               const std::string &field, ParseFn parse) {
  const JsonValue *list = value.find(key);
  if (!list || !list->isArray())
    return Error::failure(field + "." + key + ": expected an array");
  std::vector<std::unique_ptr<Stage>> steps;
  for (size_t i = 0; i < list->getElements().size(); ++i) {
    auto step = parse(list->getElements()[i],
                      field + "." + key + "[" + std::to_string(i) + "]");
    if (!step)
      return step.takeError();
    if (*step)
      steps.push_back(step.take());
  }
  // Moved explicitly: C++17 does not move into Expected's by-value
  // constructor on its own.
  return std::move(steps);
}

/// Reads the "normalizer", "pre_tokenizer" and "decoder" objects. A null
/// value gives a null stage; unknown types and fields name the field.
Expected<std::unique_ptr<Normalizer>> parseNormalizer(const JsonValue &value,
                                                      const std::string &field);
Expected<std::unique_ptr<PreTokenizer>>
parsePreTokenizer(const JsonValue &value, const std::string &field);
Expected<std::unique_ptr<Decoder>> parseDecoder(const JsonValue &value,
                                                const std::string &field);

/// The ByteLevel pre-tokenizer on its own (GPT-2's vocab.json + merges.txt)
/// and its decoder.
std::unique_ptr<PreTokenizer> createByteLevelPreTokenizer();
std::unique_ptr<Decoder> createByteLevelDecoder();

/// GPT-2's bytes_to_unicode: the printable code point that stands for
/// `byte`, UTF-8 encoded.
const std::string &getByteSymbol(uint8_t byte);

/// A byte-pair-encoding model.
class BpeModel {
public:
  struct Options {
    std::string unkToken;
    std::string continuingSubwordPrefix;
    std::string endOfWordSuffix;
    bool fuseUnk = false;
    bool byteFallback = false;
    bool ignoreMerges = false;
  };

  /// `merges` are pairs of token spellings, in rank order. A merge whose
  /// parts or result are not in `vocab` is an error.
  static Expected<BpeModel>
  create(std::unordered_map<std::string, int32_t> vocab,
         const std::vector<std::pair<std::string, std::string>> &merges,
         Options options);

  /// Appends the ids of one pre-tokenized piece.
  void tokenize(std::string_view piece, std::vector<int32_t> &ids) const;

  const std::unordered_map<std::string, int32_t> &getVocab() const {
    return vocab;
  }
  const Options &getOptions() const { return options; }

private:
  void merge(std::vector<int32_t> &symbols) const;

  std::unordered_map<std::string, int32_t> vocab;
  /// (left id << 32 | right id) -> (rank, merged id).
  std::unordered_map<uint64_t, std::pair<int32_t, int32_t>> merges;
  Options options;
  int32_t unkId = -1;
  /// Results per piece (text repeats pieces a lot). Not thread-safe, like
  /// the rest of encode's state.
  mutable std::shared_ptr<std::unordered_map<std::string, std::vector<int32_t>>>
      cache;
};

} // namespace attnc::runtime::tokenizer

#endif // ATTNC_RUNTIME_LIB_TOKENIZER_TOKENIZERIMPL_H
