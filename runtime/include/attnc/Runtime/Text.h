//===- Text.h - UTF-8 and whole-file helpers --------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// What the JSON reader, the tokenizers and the text streaming of generation
// share: strict UTF-8 (no overlong forms, no surrogates, nothing past
// U+10FFFF), finding files, and reading a whole file with an error that
// names it.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_TEXT_H
#define ATTNC_RUNTIME_TEXT_H

#include "attnc/Runtime/Error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace attnc::runtime {

/// The length of the UTF-8 sequence that `lead` starts (1-4), or 0 for a
/// byte that starts none (a continuation byte, 0xC0, 0xC1, 0xF5-0xFF).
size_t getUtf8SequenceLength(unsigned char lead);

/// The length of the valid UTF-8 sequence at `text[pos]`, or 0 when the
/// bytes there are not one (invalid, or cut by the end of `text`).
size_t getValidUtf8Length(std::string_view text, size_t pos);

/// Appends the UTF-8 encoding of code point `cp`.
void appendUtf8(std::string &out, uint32_t cp);

/// True when `path` names a regular file (or a link to one).
bool isRegularFile(const std::string &path);

/// The contents of the file at `path`, or an error naming it.
Expected<std::string> readFile(const std::string &path);

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_TEXT_H
