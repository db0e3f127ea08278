//===- PreTokenizers.cpp - tokenizer.json pre-tokenizers --------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Split (a String or an Oniguruma Regex pattern, every `behavior`,
// `invert`), ByteLevel, Metaspace, Digits, Punctuation, Whitespace,
// WhitespaceSplit, CharDelimiterSplit, BertPreTokenizer and Sequence, with
// the semantics of Hugging Face tokenizers: a pre-tokenizer cuts every
// current piece at the matches of its pattern and keeps, drops or merges
// the matches according to the behavior.
//
//===----------------------------------------------------------------------===//

#include "TokenizerImpl.h"

#include "attnc/Runtime/Text.h"

#include <algorithm>
#include <cassert>
#include <functional>

using namespace attnc::runtime;
using namespace attnc::runtime::tokenizer;

namespace {

/// What happens to the matches of a split pattern.
enum class Behavior {
  Removed,
  Isolated,
  MergedWithPrevious,
  MergedWithNext,
  Contiguous
};

using Ranges = std::vector<std::pair<size_t, size_t>>;

/// Cuts `piece` at `matches` (sorted, disjoint) and appends the non-empty
/// results to `out`.
void splitAt(const Piece &piece, const Ranges &matches, Behavior behavior,
             bool invert, std::vector<Piece> &out) {
  struct Span {
    size_t begin, end;
    bool isMatch;
  };
  std::vector<Span> spans;
  size_t last = 0;
  for (auto [begin, end] : matches) {
    if (begin > last)
      spans.push_back({last, begin, invert});
    spans.push_back({begin, end, !invert});
    last = end;
  }
  if (last < piece.text.size() || spans.empty())
    spans.push_back({last, piece.text.size(), invert});

  std::vector<std::pair<size_t, size_t>> kept;
  switch (behavior) {
  case Behavior::Removed:
    for (const Span &span : spans)
      if (!span.isMatch)
        kept.emplace_back(span.begin, span.end);
    break;
  case Behavior::Isolated:
    for (const Span &span : spans)
      kept.emplace_back(span.begin, span.end);
    break;
  case Behavior::MergedWithPrevious: {
    // A match joins the piece before it (unless that is a match too).
    bool previousMatch = false;
    for (const Span &span : spans) {
      if (span.isMatch && !previousMatch && !kept.empty())
        kept.back().second = span.end;
      else
        kept.emplace_back(span.begin, span.end);
      previousMatch = span.isMatch;
    }
    break;
  }
  case Behavior::MergedWithNext: {
    // The mirror image: a match joins the piece after it.
    bool nextMatch = false;
    for (size_t i = spans.size(); i-- > 0;) {
      const Span &span = spans[i];
      if (span.isMatch && !nextMatch && !kept.empty())
        kept.back().first = span.begin;
      else
        kept.emplace_back(span.begin, span.end);
      nextMatch = span.isMatch;
    }
    std::reverse(kept.begin(), kept.end());
    break;
  }
  case Behavior::Contiguous: {
    // Consecutive matches form one piece.
    bool previousMatch = false;
    for (const Span &span : spans) {
      if (span.isMatch && previousMatch && !kept.empty())
        kept.back().second = span.end;
      else
        kept.emplace_back(span.begin, span.end);
      previousMatch = span.isMatch;
    }
    break;
  }
  }
  for (auto [begin, end] : kept)
    if (end > begin)
      out.push_back(
          {piece.text.substr(begin, end - begin), piece.atStart && begin == 0});
}

/// The single code points of `text` for which `predicate` holds.
Ranges findChars(std::string_view text,
                 const std::function<bool(uint32_t)> &predicate) {
  Ranges matches;
  for (size_t i = 0; i < text.size();) {
    auto [cp, length] = decodeAt(text, i);
    if (predicate(cp))
      matches.emplace_back(i, i + length);
    i += length;
  }
  return matches;
}

/// Splits every piece with `find` and `behavior`.
void splitAll(std::vector<Piece> &pieces,
              const std::function<Ranges(std::string_view)> &find,
              Behavior behavior, bool invert = false) {
  std::vector<Piece> out;
  for (const Piece &piece : pieces)
    splitAt(piece, find(piece.text), behavior, invert, out);
  pieces = std::move(out);
}

class SplitPreTokenizer : public PreTokenizer {
public:
  SplitPreTokenizer(Pattern pattern, Behavior behavior, bool invert)
      : pattern(std::move(pattern)), behavior(behavior), invert(invert) {}
  void split(std::vector<Piece> &pieces) const override {
    splitAll(
        pieces, [&](std::string_view text) { return pattern.findAll(text); },
        behavior, invert);
  }

private:
  Pattern pattern;
  Behavior behavior;
  bool invert;
};

class CharSplitPreTokenizer : public PreTokenizer {
public:
  CharSplitPreTokenizer(std::function<bool(uint32_t)> predicate,
                        Behavior behavior)
      : predicate(std::move(predicate)), behavior(behavior) {}
  void split(std::vector<Piece> &pieces) const override {
    splitAll(
        pieces,
        [&](std::string_view text) { return findChars(text, predicate); },
        behavior);
  }

private:
  std::function<bool(uint32_t)> predicate;
  Behavior behavior;
};

/// GPT-2's pattern, which ByteLevel splits with when use_regex is set.
constexpr std::string_view kGpt2Pattern =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|"
    "\\s+(?!\\S)|\\s+";

std::shared_ptr<const Regex> compileBuiltin(std::string_view pattern) {
  auto regex = Regex::compile(pattern);
  assert(regex && "a built-in pattern does not compile");
  return regex.take();
}

class ByteLevelPreTokenizer : public PreTokenizer {
public:
  ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex)
      : addPrefixSpace(addPrefixSpace), useRegex(useRegex) {
    if (useRegex)
      regex = compileBuiltin(kGpt2Pattern);
  }
  void split(std::vector<Piece> &pieces) const override {
    if (addPrefixSpace)
      for (Piece &piece : pieces)
        if (piece.text.empty() || piece.text[0] != ' ')
          piece.text.insert(0, " ");
    if (useRegex)
      splitAll(
          pieces, [&](std::string_view text) { return regex->findAll(text); },
          Behavior::Isolated);
    for (Piece &piece : pieces) {
      std::string mapped;
      for (char byte : piece.text)
        mapped += getByteSymbol(static_cast<uint8_t>(byte));
      piece.text = std::move(mapped);
    }
  }

private:
  bool addPrefixSpace, useRegex;
  std::shared_ptr<const Regex> regex;
};

class MetaspacePreTokenizer : public PreTokenizer {
public:
  MetaspacePreTokenizer(std::string replacement, PrependScheme prepend,
                        bool split)
      : replacement(std::move(replacement)), prepend(prepend),
        splitPieces(split) {}
  void split(std::vector<Piece> &pieces) const override {
    for (Piece &piece : pieces) {
      std::string text;
      for (char c : piece.text) {
        if (c == ' ')
          text += replacement;
        else
          text += c;
      }
      bool startsWithReplacement = text.rfind(replacement, 0) == 0;
      if (!startsWithReplacement &&
          (prepend == PrependScheme::Always ||
           (prepend == PrependScheme::First && piece.atStart)))
        text.insert(0, replacement);
      piece.text = std::move(text);
    }
    if (splitPieces)
      splitAll(
          pieces,
          [&](std::string_view text) {
            Ranges matches;
            for (size_t at = text.find(replacement);
                 at != std::string_view::npos;
                 at = text.find(replacement, at + replacement.size()))
              matches.emplace_back(at, at + replacement.size());
            return matches;
          },
          Behavior::MergedWithNext);
  }

private:
  std::string replacement;
  PrependScheme prepend;
  bool splitPieces;
};

class SequencePreTokenizer : public PreTokenizer {
public:
  explicit SequencePreTokenizer(
      std::vector<std::unique_ptr<PreTokenizer>> steps)
      : steps(std::move(steps)) {}
  void split(std::vector<Piece> &pieces) const override {
    for (const auto &step : steps)
      step->split(pieces);
  }

private:
  std::vector<std::unique_ptr<PreTokenizer>> steps;
};

Expected<Behavior> getBehavior(const JsonValue &value, Behavior otherwise,
                               const std::string &field) {
  const JsonValue *member = value.find("behavior");
  if (!member || member->isNull())
    return otherwise;
  static const std::pair<const char *, Behavior> kNames[] = {
      {"Removed", Behavior::Removed},
      {"Isolated", Behavior::Isolated},
      {"MergedWithPrevious", Behavior::MergedWithPrevious},
      {"MergedWithNext", Behavior::MergedWithNext},
      {"Contiguous", Behavior::Contiguous}};
  if (member->isString())
    for (auto [name, behavior] : kNames)
      if (member->getString() == name)
        return behavior;
  return Error::failure(field +
                        ".behavior: expected Removed, Isolated, "
                        "MergedWithPrevious, MergedWithNext or Contiguous");
}

} // namespace

const std::string &tokenizer::getByteSymbol(uint8_t byte) {
  static const auto symbols = [] {
    std::vector<std::string> table(256);
    uint32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      bool printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      appendUtf8(table[b], printable ? static_cast<uint32_t>(b) : next++);
    }
    return table;
  }();
  return symbols[byte];
}

std::unique_ptr<PreTokenizer> tokenizer::createByteLevelPreTokenizer() {
  return std::make_unique<ByteLevelPreTokenizer>(/*addPrefixSpace=*/false,
                                                 /*useRegex=*/true);
}

Expected<std::unique_ptr<PreTokenizer>>
tokenizer::parsePreTokenizer(const JsonValue &value, const std::string &field) {
  using Result = std::unique_ptr<PreTokenizer>;
  if (value.isNull())
    return Result();
  auto type = getStageType(value, field);
  if (!type)
    return type.takeError();
  const std::string &name = *type;
#define GET_BOOL(var, key, otherwise)                                          \
  auto var = getBoolField(value, key, otherwise, field);                       \
  if (!var)                                                                    \
    return var.takeError();

  if (name == "Split") {
    auto pattern = getPatternField(value, field);
    if (!pattern)
      return pattern.takeError();
    auto behavior = getBehavior(value, Behavior::Isolated, field);
    if (!behavior)
      return behavior.takeError();
    GET_BOOL(invert, "invert", false);
    return Result(new SplitPreTokenizer(pattern.take(), *behavior, *invert));
  }
  if (name == "ByteLevel") {
    GET_BOOL(addPrefixSpace, "add_prefix_space", true);
    GET_BOOL(useRegex, "use_regex", true);
    return Result(new ByteLevelPreTokenizer(*addPrefixSpace, *useRegex));
  }
  if (name == "Metaspace") {
    auto replacement =
        getCharField(value, "replacement", "\xE2\x96\x81", field); // U+2581
    if (!replacement)
      return replacement.takeError();
    auto prepend = getPrependScheme(value, field);
    if (!prepend)
      return prepend.takeError();
    GET_BOOL(split, "split", true);
    return Result(
        new MetaspacePreTokenizer(replacement.take(), *prepend, *split));
  }
  if (name == "Digits") {
    GET_BOOL(individual, "individual_digits", false);
    return Result(new CharSplitPreTokenizer(
        isNumeric, *individual ? Behavior::Isolated : Behavior::Contiguous));
  }
  if (name == "Punctuation") {
    auto behavior = getBehavior(value, Behavior::Isolated, field);
    if (!behavior)
      return behavior.takeError();
    return Result(new CharSplitPreTokenizer(isPunctuation, *behavior));
  }
  if (name == "WhitespaceSplit")
    return Result(new CharSplitPreTokenizer(isWhitespace, Behavior::Removed));
  if (name == "Whitespace") {
    // \w+|[^\w\s]+, keeping the matches and dropping what lies between.
    JsonValue regex = JsonValue::makeObject(
        {{"Regex", JsonValue::makeString("\\w+|[^\\w\\s]+")}});
    auto words = Pattern::parse(&regex);
    assert(words && "a built-in pattern does not compile");
    return Result(new SplitPreTokenizer(words.take(), Behavior::Removed, true));
  }
  if (name == "CharDelimiterSplit") {
    auto delimiter = getCharField(value, "delimiter", "", field);
    if (!delimiter)
      return delimiter.takeError();
    if (delimiter->empty())
      return Error::failure(field + ".delimiter: expected one character");
    uint32_t cp = decodeAt(*delimiter, 0).first;
    return Result(new CharSplitPreTokenizer(
        [cp](uint32_t c) { return c == cp; }, Behavior::Removed));
  }
  if (name == "BertPreTokenizer") {
    std::vector<Result> steps;
    steps.emplace_back(
        new CharSplitPreTokenizer(isWhitespace, Behavior::Removed));
    steps.emplace_back(
        new CharSplitPreTokenizer(isPunctuation, Behavior::Isolated));
    return Result(new SequencePreTokenizer(std::move(steps)));
  }
  if (name == "Sequence") {
    auto steps = parseStageList<PreTokenizer>(value, "pretokenizers", field,
                                              parsePreTokenizer);
    if (!steps)
      return steps.takeError();
    return Result(new SequencePreTokenizer(steps.take()));
  }
#undef GET_BOOL
  return Error::failure(field + ": unsupported pre-tokenizer type '" + name +
                        "'");
}
