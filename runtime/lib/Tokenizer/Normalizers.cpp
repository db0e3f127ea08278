//===- Normalizers.cpp - tokenizer.json normalizers -------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// NFC, NFD, NFKC and NFKD (utf8proc), Lowercase, StripAccents, Strip,
// Prepend, Replace and Sequence, with the semantics of Hugging Face
// tokenizers. They rewrite one piece of text (the text between added
// tokens) at a time.
//
//===----------------------------------------------------------------------===//

#include "TokenizerImpl.h"

#include "attnc/Runtime/Text.h"

#include <utf8proc.h>

#include <cstdlib>

using namespace attnc::runtime;
using namespace attnc::runtime::tokenizer;

namespace {

class UnicodeNormalizer : public Normalizer {
public:
  explicit UnicodeNormalizer(int options) : options(options) {}
  void normalize(Piece &piece) const override {
    utf8proc_uint8_t *out = nullptr;
    utf8proc_ssize_t length = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t *>(piece.text.data()),
        static_cast<utf8proc_ssize_t>(piece.text.size()), &out,
        static_cast<utf8proc_option_t>(options));
    // The text is valid UTF-8 (encode makes it so), so this only fails for
    // want of memory; leave the text alone then.
    if (length >= 0)
      piece.text.assign(reinterpret_cast<char *>(out),
                        static_cast<size_t>(length));
    std::free(out);
  }

private:
  int options;
};

class LowercaseNormalizer : public Normalizer {
public:
  void normalize(Piece &piece) const override {
    std::string out;
    const std::string &text = piece.text;
    uint32_t previous = 0;
    for (size_t i = 0; i < text.size();) {
      auto [cp, length] = decodeAt(text, i);
      i += length;
      if (cp == 0x130) { // İ lowercases to i + combining dot above.
        appendUtf8(out, 'i');
        appendUtf8(out, 0x307);
      } else if (cp == 0x3A3) { // Σ: final sigma at the end of a word.
        bool wordBefore = previous && isAlphanumeric(previous);
        bool wordAfter =
            i < text.size() && isAlphanumeric(decodeAt(text, i).first);
        appendUtf8(out, wordBefore && !wordAfter ? 0x3C2 : 0x3C3);
      } else {
        appendUtf8(out, static_cast<uint32_t>(utf8proc_tolower(
                            static_cast<utf8proc_int32_t>(cp))));
      }
      previous = cp;
    }
    piece.text = std::move(out);
  }
};

class StripAccentsNormalizer : public Normalizer {
public:
  void normalize(Piece &piece) const override {
    std::string out;
    for (size_t i = 0; i < piece.text.size();) {
      auto [cp, length] = decodeAt(piece.text, i);
      if (!isNonspacingMark(cp))
        out.append(piece.text, i, length);
      i += length;
    }
    piece.text = std::move(out);
  }
};

class StripNormalizer : public Normalizer {
public:
  StripNormalizer(bool left, bool right) : left(left), right(right) {}
  void normalize(Piece &piece) const override {
    std::string &text = piece.text;
    if (right) {
      size_t end = text.size();
      while (end > 0) {
        size_t start = end - 1;
        while (start > 0 &&
               (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
          --start;
        if (!isWhitespace(decodeAt(text, start).first))
          break;
        end = start;
      }
      text.resize(end);
    }
    if (left) {
      size_t begin = 0;
      while (begin < text.size()) {
        auto [cp, length] = decodeAt(text, begin);
        if (!isWhitespace(cp))
          break;
        begin += length;
      }
      if (begin > 0) {
        text.erase(0, begin);
        piece.atStart = false;
      }
    }
  }

private:
  bool left, right;
};

class PrependNormalizer : public Normalizer {
public:
  explicit PrependNormalizer(std::string prefix) : prefix(std::move(prefix)) {}
  void normalize(Piece &piece) const override {
    if (!piece.text.empty())
      piece.text.insert(0, prefix);
  }

private:
  std::string prefix;
};

class ReplaceNormalizer : public Normalizer {
public:
  ReplaceNormalizer(Pattern pattern, std::string content)
      : pattern(std::move(pattern)), content(std::move(content)) {}
  void normalize(Piece &piece) const override {
    std::string out;
    size_t last = 0;
    for (auto [begin, end] : pattern.findAll(piece.text)) {
      out.append(piece.text, last, begin - last);
      out += content;
      last = end;
    }
    out.append(piece.text, last, std::string::npos);
    piece.text = std::move(out);
  }

private:
  Pattern pattern;
  std::string content;
};

class SequenceNormalizer : public Normalizer {
public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> steps)
      : steps(std::move(steps)) {}
  void normalize(Piece &piece) const override {
    for (const auto &step : steps)
      step->normalize(piece);
  }

private:
  std::vector<std::unique_ptr<Normalizer>> steps;
};

} // namespace

Expected<std::unique_ptr<Normalizer>>
tokenizer::parseNormalizer(const JsonValue &value, const std::string &field) {
  using Result = std::unique_ptr<Normalizer>;
  if (value.isNull())
    return Result();
  auto type = getStageType(value, field);
  if (!type)
    return type.takeError();
  const std::string &name = *type;
  int stable = UTF8PROC_STABLE;
  if (name == "NFC")
    return Result(new UnicodeNormalizer(stable | UTF8PROC_COMPOSE));
  if (name == "NFD")
    return Result(new UnicodeNormalizer(stable | UTF8PROC_DECOMPOSE));
  if (name == "NFKC")
    return Result(
        new UnicodeNormalizer(stable | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
  if (name == "NFKD")
    return Result(
        new UnicodeNormalizer(stable | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT));
  if (name == "Lowercase")
    return Result(new LowercaseNormalizer());
  if (name == "StripAccents")
    return Result(new StripAccentsNormalizer());
  if (name == "Strip") {
    auto left = getBoolField(value, "strip_left", true, field);
    auto right = getBoolField(value, "strip_right", true, field);
    if (!left)
      return left.takeError();
    if (!right)
      return right.takeError();
    return Result(new StripNormalizer(*left, *right));
  }
  if (name == "Prepend") {
    auto prefix = getStringField(value, "prepend", field);
    if (!prefix)
      return prefix.takeError();
    return Result(new PrependNormalizer(prefix.take()));
  }
  if (name == "Replace") {
    auto pattern = getPatternField(value, field);
    if (!pattern)
      return pattern.takeError();
    auto content = getStringField(value, "content", field);
    if (!content)
      return content.takeError();
    return Result(new ReplaceNormalizer(pattern.take(), content.take()));
  }
  if (name == "Sequence") {
    auto steps = parseStageList<Normalizer>(value, "normalizers", field,
                                            parseNormalizer);
    if (!steps)
      return steps.takeError();
    return Result(new SequenceNormalizer(steps.take()));
  }
  return Error::failure(field + ": unsupported normalizer type '" + name + "'");
}
