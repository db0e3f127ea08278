//===- Decoders.cpp - tokenizer.json decoders -------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// ByteLevel, ByteFallback, Metaspace, Replace, Fuse, Strip, BPEDecoder and
// Sequence, with the semantics of Hugging Face tokenizers: each rewrites the
// list of token strings; decode concatenates what the last one leaves.
// Token strings may hold any bytes here (ByteLevel gives back the raw bytes
// of the text); decode makes the result valid UTF-8 at the end.
//
//===----------------------------------------------------------------------===//

#include "TokenizerImpl.h"

#include "attnc/Runtime/Text.h"

#include <unordered_map>

using namespace attnc::runtime;
using namespace attnc::runtime::tokenizer;

namespace {

class ByteLevelDecoder : public Decoder {
public:
  void decode(std::vector<std::string> &tokens) const override {
    static const auto symbolToByte = [] {
      std::unordered_map<uint32_t, uint8_t> table;
      for (int byte = 0; byte < 256; ++byte)
        table[decodeAt(getByteSymbol(byte), 0).first] =
            static_cast<uint8_t>(byte);
      return table;
    }();
    std::string bytes;
    for (const std::string &token : tokens) {
      // A token with a character that stands for no byte (an added token
      // such as "<|im_start|>" only has ASCII ones) is taken as it is.
      std::string mapped;
      bool all = true;
      for (size_t i = 0; i < token.size() && all;) {
        if (!getValidUtf8Length(token, i)) {
          all = false;
          break;
        }
        auto [cp, length] = decodeAt(token, i);
        auto it = symbolToByte.find(cp);
        all = it != symbolToByte.end();
        if (all)
          mapped.push_back(static_cast<char>(it->second));
        i += length;
      }
      bytes += all ? mapped : token;
    }
    tokens.assign(1, std::move(bytes));
  }
};

class ByteFallbackDecoder : public Decoder {
public:
  void decode(std::vector<std::string> &tokens) const override {
    std::vector<std::string> out;
    std::string bytes;
    size_t byteTokens = 0;
    auto flush = [&] {
      if (!byteTokens)
        return;
      if (getValidUtf8Prefix(bytes) == bytes.size())
        out.push_back(bytes);
      else
        for (size_t i = 0; i < byteTokens; ++i)
          out.emplace_back("\xEF\xBF\xBD");
      bytes.clear();
      byteTokens = 0;
    };
    for (std::string &token : tokens) {
      int value = parseByteToken(token);
      if (value >= 0) {
        bytes.push_back(static_cast<char>(value));
        ++byteTokens;
        continue;
      }
      flush();
      out.push_back(std::move(token));
    }
    flush();
    tokens = std::move(out);
  }

private:
  /// The byte of a "<0xNN>" token, or -1.
  static int parseByteToken(const std::string &token) {
    if (token.size() != 6 || token.compare(0, 3, "<0x") != 0 || token[5] != '>')
      return -1;
    int value = 0;
    for (char c : token.substr(3, 2)) {
      int digit = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                         : -1;
      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
    return value;
  }
  static size_t getValidUtf8Prefix(const std::string &bytes) {
    size_t i = 0;
    while (i < bytes.size()) {
      size_t length = getValidUtf8Length(bytes, i);
      if (!length)
        break;
      i += length;
    }
    return i;
  }
};

class MetaspaceDecoder : public Decoder {
public:
  MetaspaceDecoder(std::string replacement, bool stripFirst)
      : replacement(std::move(replacement)), stripFirst(stripFirst) {}
  void decode(std::vector<std::string> &tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string out;
      const std::string &token = tokens[i];
      for (size_t at = 0; at < token.size();) {
        if (token.compare(at, replacement.size(), replacement) == 0) {
          // The first token loses its replacement characters (the space
          // the pre-tokenizer prepended).
          if (!(i == 0 && stripFirst))
            out += ' ';
          at += replacement.size();
        } else {
          out += token[at++];
        }
      }
      tokens[i] = std::move(out);
    }
  }

private:
  std::string replacement;
  bool stripFirst;
};

class ReplaceDecoder : public Decoder {
public:
  ReplaceDecoder(Pattern pattern, std::string content)
      : pattern(std::move(pattern)), content(std::move(content)) {}
  void decode(std::vector<std::string> &tokens) const override {
    for (std::string &token : tokens) {
      // A regex runs on text only (ByteLevel may have left raw bytes).
      if (!pattern.isLiteral() && makeValidUtf8(token) != token)
        continue;
      std::string out;
      size_t last = 0;
      for (auto [begin, end] : pattern.findAll(token)) {
        out.append(token, last, begin - last);
        out += content;
        last = end;
      }
      out.append(token, last, std::string::npos);
      token = std::move(out);
    }
  }

private:
  Pattern pattern;
  std::string content;
};

class FuseDecoder : public Decoder {
public:
  void decode(std::vector<std::string> &tokens) const override {
    std::string all;
    for (const std::string &token : tokens)
      all += token;
    tokens.assign(1, std::move(all));
  }
};

class StripDecoder : public Decoder {
public:
  StripDecoder(std::string content, size_t start, size_t stop)
      : content(std::move(content)), start(start), stop(stop) {}
  void decode(std::vector<std::string> &tokens) const override {
    for (std::string &token : tokens) {
      size_t begin = 0;
      for (size_t k = 0;
           k < start && token.compare(begin, content.size(), content) == 0; ++k)
        begin += content.size();
      size_t end = token.size();
      for (size_t k = 0;
           k < stop && end >= begin + content.size() &&
           token.compare(end - content.size(), content.size(), content) == 0;
           ++k)
        end -= content.size();
      token = token.substr(begin, end - begin);
    }
  }

private:
  std::string content;
  size_t start, stop;
};

class BpeSuffixDecoder : public Decoder {
public:
  explicit BpeSuffixDecoder(std::string suffix) : suffix(std::move(suffix)) {}
  void decode(std::vector<std::string> &tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string out;
      const std::string &token = tokens[i];
      size_t last = 0;
      for (size_t at = token.find(suffix); at != std::string::npos;
           at = token.find(suffix, at + suffix.size())) {
        out.append(token, last, at - last);
        out += i + 1 == tokens.size() ? "" : " ";
        last = at + suffix.size();
      }
      out.append(token, last, std::string::npos);
      tokens[i] = std::move(out);
    }
  }

private:
  std::string suffix;
};

class SequenceDecoder : public Decoder {
public:
  explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> steps)
      : steps(std::move(steps)) {}
  void decode(std::vector<std::string> &tokens) const override {
    for (const auto &step : steps)
      step->decode(tokens);
  }

private:
  std::vector<std::unique_ptr<Decoder>> steps;
};

} // namespace

std::unique_ptr<Decoder> tokenizer::createByteLevelDecoder() {
  return std::make_unique<ByteLevelDecoder>();
}

Expected<std::unique_ptr<Decoder>>
tokenizer::parseDecoder(const JsonValue &value, const std::string &field) {
  using Result = std::unique_ptr<Decoder>;
  if (value.isNull())
    return Result();
  auto type = getStageType(value, field);
  if (!type)
    return type.takeError();
  const std::string &name = *type;
  if (name == "ByteLevel")
    return Result(new ByteLevelDecoder());
  if (name == "ByteFallback")
    return Result(new ByteFallbackDecoder());
  if (name == "Fuse")
    return Result(new FuseDecoder());
  if (name == "Metaspace") {
    auto replacement =
        getCharField(value, "replacement", "\xE2\x96\x81", field);
    if (!replacement)
      return replacement.takeError();
    auto prepend = getPrependScheme(value, field);
    if (!prepend)
      return prepend.takeError();
    return Result(new MetaspaceDecoder(replacement.take(),
                                       *prepend != PrependScheme::Never));
  }
  if (name == "Replace") {
    auto pattern = getPatternField(value, field);
    if (!pattern)
      return pattern.takeError();
    auto content = getStringField(value, "content", field);
    if (!content)
      return content.takeError();
    return Result(new ReplaceDecoder(pattern.take(), content.take()));
  }
  if (name == "Strip") {
    auto content = getCharField(value, "content", " ", field);
    if (!content)
      return content.takeError();
    size_t counts[2];
    const char *keys[2] = {"start", "stop"};
    for (int k = 0; k < 2; ++k) {
      const JsonValue *count = value.find(keys[k]);
      if (!count || !count->getInteger() || *count->getInteger() < 0)
        return Error::failure(field + "." + keys[k] +
                              ": expected a count of characters");
      counts[k] = static_cast<size_t>(*count->getInteger());
    }
    return Result(new StripDecoder(content.take(), counts[0], counts[1]));
  }
  if (name == "BPEDecoder") {
    const JsonValue *suffix = value.find("suffix");
    if (suffix && !suffix->isString())
      return Error::failure(field + ".suffix: expected a string");
    std::string text = suffix ? suffix->getString() : "</w>";
    if (text.empty())
      return Error::failure(field + ".suffix: expected a non-empty string");
    return Result(new BpeSuffixDecoder(text));
  }
  if (name == "Sequence") {
    auto steps =
        parseStageList<Decoder>(value, "decoders", field, parseDecoder);
    if (!steps)
      return steps.takeError();
    return Result(new SequenceDecoder(steps.take()));
  }
  return Error::failure(field + ": unsupported decoder type '" + name + "'");
}
