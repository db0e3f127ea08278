//===- Json.cpp - A small JSON reader for model files -----------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Json.h"

#include "attnc/Runtime/Text.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

using namespace attnc::runtime;

JsonValue JsonValue::makeBool(bool value) {
  JsonValue result;
  result.data = value;
  return result;
}

JsonValue JsonValue::makeNumber(double value, std::optional<int64_t> integer) {
  JsonValue result;
  result.data = Number{value, integer};
  return result;
}

JsonValue JsonValue::makeString(std::string value) {
  JsonValue result;
  result.data = std::move(value);
  return result;
}

JsonValue JsonValue::makeArray(std::vector<JsonValue> elements) {
  JsonValue result;
  result.data = std::move(elements);
  return result;
}

JsonValue JsonValue::makeObject(std::vector<Member> members) {
  JsonValue result;
  result.data = std::move(members);
  return result;
}

bool JsonValue::getBool() const {
  const bool *value = std::get_if<bool>(&data);
  return value && *value;
}

double JsonValue::getNumber() const {
  const Number *value = std::get_if<Number>(&data);
  return value ? value->value : 0;
}

std::optional<int64_t> JsonValue::getInteger() const {
  const Number *value = std::get_if<Number>(&data);
  return value ? value->integer : std::nullopt;
}

const std::string &JsonValue::getString() const {
  static const std::string empty;
  const auto *value = std::get_if<std::string>(&data);
  return value ? *value : empty;
}

const std::vector<JsonValue> &JsonValue::getElements() const {
  static const std::vector<JsonValue> empty;
  const auto *value = std::get_if<std::vector<JsonValue>>(&data);
  return value ? *value : empty;
}

const std::vector<JsonValue::Member> &JsonValue::getMembers() const {
  static const std::vector<Member> empty;
  const auto *value = std::get_if<std::vector<Member>>(&data);
  return value ? *value : empty;
}

const JsonValue *JsonValue::find(std::string_view key) const {
  const std::vector<Member> &members = getMembers();
  for (auto it = members.rbegin(); it != members.rend(); ++it)
    if (it->first == key)
      return &it->second;
  return nullptr;
}

std::string_view JsonValue::describe(Kind kind) {
  switch (kind) {
  case Kind::Null:
    return "null";
  case Kind::Bool:
    return "a boolean";
  case Kind::Number:
    return "a number";
  case Kind::String:
    return "a string";
  case Kind::Array:
    return "an array";
  case Kind::Object:
    return "an object";
  }
  return "a value";
}

namespace {

/// Deeper documents are rejected rather than recursed into.
constexpr int kMaxDepth = 256;

class Parser {
public:
  explicit Parser(std::string_view text) : text(text) {}

  Expected<JsonValue> parseDocument() {
    skipWhitespace();
    Expected<JsonValue> value = parseValue(0);
    if (!value)
      return value;
    skipWhitespace();
    if (pos != text.size())
      return fail("expected the end of the document");
    return value;
  }

private:
  Error fail(std::string_view what) const {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < pos && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string message = "line " + std::to_string(line) + ", column " +
                          std::to_string(column) + ": " + std::string(what);
    if (pos < text.size()) {
      unsigned char c = static_cast<unsigned char>(text[pos]);
      if (c >= 0x20 && c < 0x7f)
        message += std::string(", got '") + static_cast<char>(c) + "'";
      else
        message += ", got byte " + std::to_string(c);
    } else {
      message += ", got the end of the input";
    }
    return Error::failure(message);
  }

  void skipWhitespace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }

  bool consume(std::string_view literal) {
    if (text.substr(pos, literal.size()) != literal)
      return false;
    pos += literal.size();
    return true;
  }

  Expected<JsonValue> parseValue(int depth) {
    if (depth > kMaxDepth)
      return fail("nesting deeper than " + std::to_string(kMaxDepth) +
                  " levels");
    if (pos >= text.size())
      return fail("expected a value");
    char c = text[pos];
    if (c == '{')
      return parseObject(depth);
    if (c == '[')
      return parseArray(depth);
    if (c == '"') {
      Expected<std::string> string = parseString();
      if (!string)
        return string.getError();
      return JsonValue::makeString(std::move(*string));
    }
    if (c == '-' || (c >= '0' && c <= '9'))
      return parseNumber();
    if (consume("true"))
      return JsonValue::makeBool(true);
    if (consume("false"))
      return JsonValue::makeBool(false);
    if (consume("null"))
      return JsonValue();
    return fail("expected a value");
  }

  Expected<JsonValue> parseObject(int depth) {
    ++pos; // '{'
    std::vector<JsonValue::Member> members;
    skipWhitespace();
    if (pos < text.size() && text[pos] == '}') {
      ++pos;
      return JsonValue::makeObject(std::move(members));
    }
    while (true) {
      skipWhitespace();
      if (pos >= text.size() || text[pos] != '"')
        return fail("expected a string key");
      Expected<std::string> key = parseString();
      if (!key)
        return key.getError();
      skipWhitespace();
      if (pos >= text.size() || text[pos] != ':')
        return fail("expected ':'");
      ++pos;
      skipWhitespace();
      Expected<JsonValue> value = parseValue(depth + 1);
      if (!value)
        return value;
      members.emplace_back(std::move(*key), std::move(*value));
      skipWhitespace();
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < text.size() && text[pos] == '}') {
        ++pos;
        return JsonValue::makeObject(std::move(members));
      }
      return fail("expected ',' or '}'");
    }
  }

  Expected<JsonValue> parseArray(int depth) {
    ++pos; // '['
    std::vector<JsonValue> elements;
    skipWhitespace();
    if (pos < text.size() && text[pos] == ']') {
      ++pos;
      return JsonValue::makeArray(std::move(elements));
    }
    while (true) {
      skipWhitespace();
      Expected<JsonValue> value = parseValue(depth + 1);
      if (!value)
        return value;
      elements.push_back(std::move(*value));
      skipWhitespace();
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < text.size() && text[pos] == ']') {
        ++pos;
        return JsonValue::makeArray(std::move(elements));
      }
      return fail("expected ',' or ']'");
    }
  }

  Expected<JsonValue> parseNumber() {
    size_t start = pos;
    bool integral = true;
    if (text[pos] == '-')
      ++pos;
    if (pos < text.size() && text[pos] == '0') {
      ++pos;
    } else if (pos < text.size() && text[pos] >= '1' && text[pos] <= '9') {
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
        ++pos;
    } else {
      return fail("expected a digit");
    }
    if (pos < text.size() && text[pos] == '.') {
      integral = false;
      ++pos;
      if (pos >= text.size() || text[pos] < '0' || text[pos] > '9')
        return fail("expected a digit after '.'");
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
        ++pos;
    }
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
      integral = false;
      ++pos;
      if (pos < text.size() && (text[pos] == '+' || text[pos] == '-'))
        ++pos;
      if (pos >= text.size() || text[pos] < '0' || text[pos] > '9')
        return fail("expected a digit in the exponent");
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
        ++pos;
    }
    std::string_view literal = text.substr(start, pos - start);
    // Integers (a vocabulary's ids: most numbers of a tokenizer.json) are
    // read as integers; their double is exact below 2^53.
    if (integral) {
      int64_t parsed = 0;
      auto [end, error] = std::from_chars(
          literal.data(), literal.data() + literal.size(), parsed);
      // (-0 keeps its sign as a double: strtod below.)
      if (error == std::errc() && end == literal.data() + literal.size() &&
          parsed > -(int64_t(1) << 53) && parsed < (int64_t(1) << 53) &&
          (parsed != 0 || literal[0] != '-'))
        return JsonValue::makeNumber(static_cast<double>(parsed), parsed);
    }
    std::string copy(literal);
    double value = std::strtod(copy.c_str(), nullptr);
    std::optional<int64_t> integer;
    if (integral) {
      errno = 0;
      long long parsed = std::strtoll(copy.c_str(), nullptr, 10);
      if (errno == 0)
        integer = static_cast<int64_t>(parsed);
    } else if (std::isfinite(value) && value == std::trunc(value) &&
               std::fabs(value) < 9.0e15) {
      integer = static_cast<int64_t>(value);
    }
    return JsonValue::makeNumber(value, integer);
  }

  /// Four hex digits at `pos`.
  Expected<uint32_t> parseHex4() {
    if (pos + 4 > text.size())
      return fail("expected 4 hex digits");
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text[pos];
      value <<= 4;
      if (c >= '0' && c <= '9')
        value |= c - '0';
      else if (c >= 'a' && c <= 'f')
        value |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        value |= c - 'A' + 10;
      else
        return fail("expected a hex digit");
      ++pos;
    }
    return value;
  }

  Expected<std::string> parseString() {
    ++pos; // '"'
    std::string out;
    while (true) {
      if (pos >= text.size())
        return fail("expected '\"' to close the string");
      unsigned char c = static_cast<unsigned char>(text[pos]);
      if (c == '"') {
        ++pos;
        return out;
      }
      if (c < 0x20)
        return fail("expected an escaped control character in a string");
      if (c != '\\') {
        size_t length = getValidUtf8Length(text, pos);
        if (length == 0)
          return fail("expected valid UTF-8 in a string");
        out.append(text.substr(pos, length));
        pos += length;
        continue;
      }
      ++pos;
      if (pos >= text.size())
        return fail("expected an escape character");
      char escape = text[pos++];
      switch (escape) {
      case '"':
      case '\\':
      case '/':
        out.push_back(escape);
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        Expected<uint32_t> unit = parseHex4();
        if (!unit)
          return unit.getError();
        uint32_t cp = *unit;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
          return fail("expected a high surrogate before a low one");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (!consume("\\u"))
            return fail("expected a low surrogate after a high one");
          Expected<uint32_t> low = parseHex4();
          if (!low)
            return low.getError();
          if (*low < 0xDC00 || *low > 0xDFFF)
            return fail("expected a low surrogate after a high one");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
        }
        appendUtf8(out, cp);
        break;
      }
      default:
        --pos;
        return fail("expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u");
      }
    }
  }

  std::string_view text;
  size_t pos = 0;
};

} // namespace

Expected<JsonValue> attnc::runtime::parseJson(std::string_view text) {
  return Parser(text).parseDocument();
}
