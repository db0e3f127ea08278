//===- Json.h - A small JSON reader for model files -------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// What the runtime reads from Hugging Face model directories is JSON:
// config.json, the safetensors headers, model.safetensors.index.json and the
// tokenizer files. This is a strict RFC 8259 reader for them: UTF-8 in, UTF-8
// strings out (\u escapes and surrogate pairs decoded), numbers kept as
// doubles with the exact integer when there is one, objects in file order.
// Errors say what was expected at which line and column; nesting is bounded,
// so no input can exhaust the stack.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_JSON_H
#define ATTNC_RUNTIME_JSON_H

#include "attnc/Runtime/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace attnc::runtime {

class JsonValue {
public:
  enum class Kind : uint8_t { Null, Bool, Number, String, Array, Object };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;
  static JsonValue makeBool(bool value);
  static JsonValue makeNumber(double value, std::optional<int64_t> integer);
  static JsonValue makeString(std::string value);
  static JsonValue makeArray(std::vector<JsonValue> elements);
  static JsonValue makeObject(std::vector<Member> members);

  Kind getKind() const { return static_cast<Kind>(data.index()); }
  bool isNull() const { return getKind() == Kind::Null; }
  bool isBool() const { return getKind() == Kind::Bool; }
  bool isNumber() const { return getKind() == Kind::Number; }
  bool isString() const { return getKind() == Kind::String; }
  bool isArray() const { return getKind() == Kind::Array; }
  bool isObject() const { return getKind() == Kind::Object; }

  /// The value, or false / 0 / "" / no elements or members for a value of
  /// another kind.
  bool getBool() const;
  double getNumber() const;
  /// The number as an int64 when it is an integer that int64 holds exactly
  /// (written without fraction or exponent, or with a zero fraction).
  std::optional<int64_t> getInteger() const;
  const std::string &getString() const;
  const std::vector<JsonValue> &getElements() const;
  const std::vector<Member> &getMembers() const;

  /// The member called `key` of an object (the last one if repeated), or
  /// null when there is none or this is not an object.
  const JsonValue *find(std::string_view key) const;

  /// "null", "a boolean", "a number", "a string", "an array", "an object".
  static std::string_view describe(Kind kind);

private:
  struct Number {
    double value;
    std::optional<int64_t> integer;
  };
  /// One alternative per Kind, in its order (a 10 MB tokenizer.json parses
  /// to ~1.5 million values: 40 bytes each, rather than a field of every
  /// kind in each, 112).
  std::variant<std::monostate, bool, Number, std::string,
               std::vector<JsonValue>, std::vector<Member>>
      data;
};

/// Parses one JSON document (surrounding whitespace allowed). Errors read
/// "line L, column C: expected ..." (columns count bytes from 1).
Expected<JsonValue> parseJson(std::string_view text);

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_JSON_H
