//===- Text.cpp - UTF-8 and whole-file helpers ------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Text.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

using namespace attnc::runtime;

size_t attnc::runtime::getUtf8SequenceLength(unsigned char lead) {
  return lead < 0x80   ? 1
         : lead < 0xC2 ? 0
         : lead < 0xE0 ? 2
         : lead < 0xF0 ? 3
         : lead < 0xF5 ? 4
                       : 0;
}

size_t attnc::runtime::getValidUtf8Length(std::string_view text, size_t pos) {
  auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[pos + i]);
  };
  size_t length = getUtf8SequenceLength(byte(0));
  if (length == 0 || pos + length > text.size())
    return 0;
  for (size_t i = 1; i < length; ++i)
    if ((byte(i) & 0xC0) != 0x80)
      return 0;
  unsigned char lead = byte(0);
  // No overlong forms, surrogates or code points past U+10FFFF.
  if (length == 3 &&
      ((lead == 0xE0 && byte(1) < 0xA0) || (lead == 0xED && byte(1) >= 0xA0)))
    return 0;
  if (length == 4 &&
      ((lead == 0xF0 && byte(1) < 0x90) || (lead == 0xF4 && byte(1) >= 0x90)))
    return 0;
  return length;
}

void attnc::runtime::appendUtf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool attnc::runtime::isRegularFile(const std::string &path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

Expected<std::string> attnc::runtime::readFile(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return Error::failure("cannot open '" + path +
                          "': " + std::strerror(errno));
  // A regular file is read in one piece into a string of its size (a
  // stream grows its buffer by doubling and copies it out: three copies of
  // a 10-17 MB tokenizer.json). Whatever follows (a file that grew, or
  // one whose size stat does not know, as under /proc) is appended.
  std::string contents;
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
      info.st_size > 0) {
    contents.resize(static_cast<size_t>(info.st_size));
    file.read(contents.data(), info.st_size);
    contents.resize(static_cast<size_t>(file.gcount()));
    if (file.bad())
      return Error::failure("cannot read '" + path + "'");
    if (file.eof() || file.peek() == std::char_traits<char>::eof())
      return contents;
    file.clear();
  }
  std::ostringstream rest;
  rest << file.rdbuf();
  if (file.bad())
    return Error::failure("cannot read '" + path + "'");
  contents += rest.str();
  return contents;
}
