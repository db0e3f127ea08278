//===- JsonFuzzer.cpp - fuzz the JSON reader --------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The input is a JSON document. Whatever parses has only valid UTF-8
// strings (the reader promises UTF-8 out) and integers that equal their
// double.
//
//===----------------------------------------------------------------------===//

#include "Fuzz.h"

#include "attnc/Runtime/Json.h"
#include "attnc/Runtime/Text.h"

using namespace attnc::runtime;

static void checkUtf8(const std::string &text) {
  for (size_t i = 0; i < text.size();) {
    size_t length = getValidUtf8Length(text, i);
    FUZZ_CHECK(length != 0, "invalid UTF-8 in a parsed string");
    i += length;
  }
}

static void walk(const JsonValue &value) {
  switch (value.getKind()) {
  case JsonValue::Kind::Number:
    if (std::optional<int64_t> integer = value.getInteger())
      FUZZ_CHECK(static_cast<double>(*integer) == value.getNumber(),
                 "integer and number disagree");
    break;
  case JsonValue::Kind::String:
    checkUtf8(value.getString());
    break;
  case JsonValue::Kind::Array:
    for (const JsonValue &element : value.getElements())
      walk(element);
    break;
  case JsonValue::Kind::Object:
    for (const auto &[key, member] : value.getMembers()) {
      checkUtf8(key);
      walk(member);
      FUZZ_CHECK(value.find(key) != nullptr, "a member cannot be found");
    }
    break;
  default:
    break;
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  Expected<JsonValue> value = parseJson(text);
  if (!value) {
    FUZZ_CHECK(value.getError().getMessage().rfind("line ", 0) == 0,
               value.getError().getMessage());
    return 0;
  }
  walk(*value);
  return 0;
}
