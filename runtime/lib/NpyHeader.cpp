//===- NpyHeader.cpp - The dict in a .npy header ----------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "NpyHeader.h"

#include <cstdio>
#include <limits>

using namespace attnc::runtime;
using namespace attnc::runtime::detail;

namespace {

/// Parses the header dict, e.g.
///   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
/// with the keys in any order, any spacing and an optional trailing comma.
class HeaderParser {
public:
  HeaderParser(std::string_view text, NpyHeaderDict &result)
      : text(text), result(result) {}

  /// Parses the whole header into `result`; returns why it is not a valid
  /// header dict.
  std::optional<std::string> parse();

private:
  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }
  bool consume(char c) {
    skipSpace();
    if (pos >= text.size() || text[pos] != c)
      return false;
    ++pos;
    return true;
  }
  bool consumeWord(std::string_view word) {
    skipSpace();
    if (text.substr(pos, word.size()) != word)
      return false;
    pos += word.size();
    return true;
  }
  std::optional<std::string> parseString(std::string &value);
  std::optional<std::string> parseShape();

  std::string_view text;
  size_t pos = 0;
  NpyHeaderDict &result;
};

} // namespace

std::optional<std::string> HeaderParser::parseString(std::string &value) {
  skipSpace();
  if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
    return std::string("expected a quoted string");
  char quote = text[pos++];
  size_t end = text.find(quote, pos);
  if (end == std::string_view::npos)
    return std::string("unterminated string");
  value = std::string(text.substr(pos, end - pos));
  if (value.find('\\') != std::string::npos)
    return std::string("unexpected escape in string");
  pos = end + 1;
  return std::nullopt;
}

std::optional<std::string> HeaderParser::parseShape() {
  if (!consume('('))
    return std::string("expected a tuple for 'shape'");
  while (!consume(')')) {
    skipSpace();
    bool negative = pos < text.size() && text[pos] == '-';
    if (negative)
      ++pos;
    if (pos >= text.size() || text[pos] < '0' || text[pos] > '9')
      return std::string("expected an integer in 'shape'");
    // Accumulate as a negative number so that INT64_MIN parses too.
    int64_t value = 0;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      int64_t digit = text[pos] - '0';
      if (value < (std::numeric_limits<int64_t>::min() + digit) / 10)
        return std::string("a dimension in 'shape' does not fit in 64 bits");
      value = value * 10 - digit;
    }
    if (!negative) {
      if (value == std::numeric_limits<int64_t>::min())
        return std::string("a dimension in 'shape' does not fit in 64 bits");
      value = -value;
    }
    if (pos < text.size() && (text[pos] == 'L' || text[pos] == 'l'))
      ++pos; // Python 2 longs, as old numpy versions wrote them.
    result.shape.push_back(value);
    if (!consume(',')) {
      if (!consume(')'))
        return std::string("expected ',' or ')' in 'shape'");
      break;
    }
  }
  return std::nullopt;
}

std::optional<std::string> HeaderParser::parse() {
  if (!consume('{'))
    return std::string("expected '{'");
  bool seenDescr = false, seenFortranOrder = false, seenShape = false;
  while (!consume('}')) {
    std::string key;
    if (std::optional<std::string> error = parseString(key))
      return "expected a key: " + *error;
    if (!consume(':'))
      return "expected ':' after '" + key + "'";
    bool *seen = key == "descr"           ? &seenDescr
                 : key == "fortran_order" ? &seenFortranOrder
                 : key == "shape"         ? &seenShape
                                          : nullptr;
    if (!seen)
      return "unexpected key '" + key + "'";
    if (*seen)
      return "duplicate key '" + key + "'";
    *seen = true;

    std::optional<std::string> error;
    if (key == "descr") {
      skipSpace();
      if (pos < text.size() && text[pos] == '[')
        return std::string("structured arrays (a list 'descr') are not "
                           "supported");
      if ((error = parseString(result.descr)))
        return "bad 'descr': " + *error;
    } else if (key == "fortran_order") {
      if (consumeWord("True"))
        result.fortranOrder = true;
      else if (consumeWord("False"))
        result.fortranOrder = false;
      else
        return std::string("expected True or False for 'fortran_order'");
    } else if ((error = parseShape())) {
      return *error;
    }
    if (!consume(',')) {
      if (!consume('}'))
        return "expected ',' or '}' after the value of '" + key + "'";
      break;
    }
  }
  skipSpace();
  if (pos != text.size())
    return std::string("unexpected text after the dict");
  if (!seenDescr)
    return std::string("missing 'descr'");
  if (!seenFortranOrder)
    return std::string("missing 'fortran_order'");
  if (!seenShape)
    return std::string("missing 'shape'");
  return std::nullopt;
}

std::optional<std::string>
attnc::runtime::detail::parseNpyHeaderDict(std::string_view text,
                                           NpyHeaderDict &result) {
  result = NpyHeaderDict();
  return HeaderParser(text, result).parse();
}

/// The shape as numpy prints it: "(2, 3)", "(5,)", "()".
std::string
attnc::runtime::detail::formatNpyShape(const std::vector<int64_t> &shape) {
  std::string result = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      result += ", ";
    result += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    result += ",";
  return result + ")";
}

/// `text` quoted for an error message: shortened, without control characters.
std::string attnc::runtime::detail::quoteNpyHeader(std::string_view text) {
  constexpr size_t kMaxQuoted = 100;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.remove_suffix(1);
  std::string result;
  for (size_t i = 0; i < text.size() && i < kMaxQuoted; ++i) {
    unsigned char c = text[i];
    if (c >= 0x20 && c < 0x7F) {
      result += char(c);
      continue;
    }
    char escaped[8];
    std::snprintf(escaped, sizeof(escaped), "\\x%02x", c);
    result += escaped;
  }
  if (text.size() > kMaxQuoted)
    result += "...";
  return result;
}
