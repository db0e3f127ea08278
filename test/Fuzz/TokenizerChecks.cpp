//===- TokenizerChecks.cpp - properties every tokenizer keeps ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "TokenizerChecks.h"
#include "Fuzz.h"

#include "attnc/Runtime/Text.h"

using namespace attnc::runtime;

static bool isValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t length = getValidUtf8Length(text, i);
    if (length == 0)
      return false;
    i += length;
  }
  return true;
}

void attnc::fuzz::checkEncodeDecode(const BpeTokenizer &tokenizer,
                                    std::string_view text, bool exact) {
  std::vector<int32_t> ids = tokenizer.encode(text);
  FUZZ_CHECK(tokenizer.encode(text) == ids, "encoding twice differs");
  for (int32_t id : ids) {
    Expected<std::string> bytes = tokenizer.decodeBytes(id);
    FUZZ_CHECK(bytes, "encode made an id decodeBytes rejects: " +
                          bytes.getError().getMessage());
  }
  Expected<std::string> decoded = tokenizer.decode(ids);
  FUZZ_CHECK(decoded, "encode made ids decode rejects: " +
                          decoded.getError().getMessage());
  FUZZ_CHECK(isValidUtf8(*decoded), "decode made invalid UTF-8");
  if (exact && isValidUtf8(text))
    FUZZ_CHECK(*decoded == text, "decode(encode(text)) != text: '" +
                                     std::string(text) + "' came back as '" +
                                     *decoded + "'");
}
