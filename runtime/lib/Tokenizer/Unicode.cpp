//===- Unicode.cpp - Code points, character classes, regexes ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Character classes come from utf8proc's Unicode tables and regular
// expressions run on Oniguruma, the engine Hugging Face tokenizers runs
// tokenizer.json patterns with (UTF-8, Oniguruma's default syntax, no
// options), so that \s, \p{L} and friends mean what they mean there.
//
//===----------------------------------------------------------------------===//

#include "TokenizerImpl.h"

#include "attnc/Runtime/Text.h"

#include <oniguruma.h>
#include <utf8proc.h>

#include <mutex>

using namespace attnc::runtime;
using namespace attnc::runtime::tokenizer;

std::pair<uint32_t, size_t> tokenizer::decodeAt(std::string_view text,
                                                size_t pos) {
  utf8proc_int32_t cp = 0;
  utf8proc_ssize_t length = utf8proc_iterate(
      reinterpret_cast<const utf8proc_uint8_t *>(text.data() + pos),
      static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
  if (length <= 0)
    return {0xFFFD, 1};
  return {static_cast<uint32_t>(cp), static_cast<size_t>(length)};
}

std::string tokenizer::makeValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  for (size_t i = 0; i < text.size();) {
    if (size_t length = getValidUtf8Length(text, i)) {
      out.append(text, i, length);
      i += length;
      continue;
    }
    // One U+FFFD for the longest start of a valid sequence (the "maximal
    // subpart" of Unicode, as Rust's from_utf8_lossy and Python do).
    size_t expected = getUtf8SequenceLength(byte(i));
    size_t have = 1;
    while (have < expected && i + have < text.size()) {
      unsigned char c = byte(i + have);
      unsigned char low = 0x80, high = 0xBF;
      if (have == 1) {
        unsigned char lead = byte(i);
        low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
      }
      if (c < low || c > high)
        break;
      ++have;
    }
    out += "\xEF\xBF\xBD";
    i += have;
  }
  return out;
}

bool tokenizer::isWhitespace(uint32_t cp) {
  return (cp >= 0x9 && cp <= 0xD) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static utf8proc_category_t categoryOf(uint32_t cp) {
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}

bool tokenizer::isAlphanumeric(uint32_t cp) {
  utf8proc_category_t c = categoryOf(cp);
  return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
         (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

bool tokenizer::isNumeric(uint32_t cp) {
  utf8proc_category_t c = categoryOf(cp);
  return c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO;
}

bool tokenizer::isPunctuation(uint32_t cp) {
  if (cp < 0x80)
    return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) ||
           (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0x7E);
  utf8proc_category_t c = categoryOf(cp);
  return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

bool tokenizer::isNonspacingMark(uint32_t cp) {
  return categoryOf(cp) == UTF8PROC_CATEGORY_MN;
}

bool tokenizer::isWordChar(uint32_t cp) {
  utf8proc_category_t c = categoryOf(cp);
  return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
         c == UTF8PROC_CATEGORY_ND || c == UTF8PROC_CATEGORY_PC;
}

//===----------------------------------------------------------------------===//
// Regex
//===----------------------------------------------------------------------===//

Expected<std::shared_ptr<const Regex>>
Regex::compile(std::string_view pattern) {
  static std::once_flag initialized;
  std::call_once(initialized, [] {
    OnigEncoding encodings[] = {ONIG_ENCODING_UTF8};
    onig_initialize(encodings, 1);
  });
  std::string valid = makeValidUtf8(pattern);
  auto *bytes = reinterpret_cast<const OnigUChar *>(valid.data());
  OnigRegex compiled = nullptr;
  OnigErrorInfo info;
  int status =
      onig_new(&compiled, bytes, bytes + valid.size(), ONIG_OPTION_NONE,
               ONIG_ENCODING_UTF8, ONIG_SYNTAX_DEFAULT, &info);
  if (status != ONIG_NORMAL) {
    OnigUChar message[ONIG_MAX_ERROR_MESSAGE_LEN];
    onig_error_code_to_str(message, status, &info);
    return Error::failure("invalid regular expression '" + valid +
                          "': " + reinterpret_cast<char *>(message));
  }
  std::shared_ptr<Regex> regex(new Regex());
  regex->regex = compiled;
  return std::shared_ptr<const Regex>(std::move(regex));
}

Regex::~Regex() {
  if (regex)
    onig_free(static_cast<OnigRegex>(regex));
}

std::vector<std::pair<size_t, size_t>>
Regex::findAll(std::string_view text) const {
  std::vector<std::pair<size_t, size_t>> matches;
  auto *compiled = static_cast<OnigRegex>(regex);
  OnigRegion *region = onig_region_new();
  auto *begin = reinterpret_cast<const OnigUChar *>(text.data());
  const OnigUChar *end = begin + text.size();
  size_t pos = 0;
  while (pos <= text.size()) {
    onig_region_clear(region);
    int at = onig_search(compiled, begin, end, begin + pos, end, region,
                         ONIG_OPTION_NONE);
    if (at < 0)
      break;
    size_t from = static_cast<size_t>(region->beg[0]);
    size_t to = static_cast<size_t>(region->end[0]);
    if (to > from) {
      matches.emplace_back(from, to);
      pos = to;
      continue;
    }
    // An empty match splits nothing: search again one character further.
    if (from >= text.size())
      break;
    pos = from + decodeAt(text, from).second;
  }
  onig_region_free(region, 1);
  return matches;
}

Expected<Pattern> Pattern::parse(const JsonValue *value) {
  Pattern pattern;
  const JsonValue *literal = value ? value->find("String") : nullptr;
  const JsonValue *regex = value ? value->find("Regex") : nullptr;
  if (literal && literal->isString()) {
    if (literal->getString().empty())
      return Error::failure("an empty String pattern");
    pattern.literal = literal->getString();
    return pattern;
  }
  if (regex && regex->isString()) {
    auto compiled = Regex::compile(regex->getString());
    if (!compiled)
      return compiled.takeError();
    pattern.regex = compiled.take();
    return pattern;
  }
  return Error::failure("expected {\"String\": ...} or {\"Regex\": ...}");
}

std::vector<std::pair<size_t, size_t>>
Pattern::findAll(std::string_view text) const {
  if (regex)
    return regex->findAll(text);
  std::vector<std::pair<size_t, size_t>> matches;
  for (size_t at = text.find(literal); at != std::string_view::npos;
       at = text.find(literal, at + literal.size()))
    matches.emplace_back(at, at + literal.size());
  return matches;
}
