//===- Tokenizer.cpp - Byte-level BPE tokenizers ----------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Tokenizer.h"

#include "attnc/Runtime/Json.h"
#include "attnc/Runtime/Text.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <sstream>

using namespace attnc::runtime;

namespace {

struct CodePointRange {
  uint32_t first, last;
};

#include "UnicodeTables.inc"

template <size_t N>
bool inRanges(const CodePointRange (&ranges)[N], uint32_t cp) {
  const CodePointRange *it =
      std::upper_bound(std::begin(ranges), std::end(ranges), cp,
                       [](uint32_t value, const CodePointRange &range) {
                         return value < range.first;
                       });
  return it != std::begin(ranges) && cp <= (it - 1)->last;
}

bool isLetter(uint32_t cp) { return inRanges(kLetterRanges, cp); }
bool isNumber(uint32_t cp) { return inRanges(kNumberRanges, cp); }

/// \s as GPT-2's reference encoder (JavaScript) sees it: WhiteSpace and
/// LineTerminator.
bool isSpaceJs(uint32_t cp) {
  return (cp >= 0x9 && cp <= 0xD) || cp == 0x20 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/// \s of the Rust regex crate behind Hugging Face tokenizers: White_Space.
bool isSpaceUnicode(uint32_t cp) {
  return (cp >= 0x9 && cp <= 0xD) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/// The code points of a UTF-8 string and the byte offset of each (plus the
/// end). A byte that starts no valid sequence is a code point of its own
/// (U+FFFD), so that every byte belongs to some piece.
struct DecodedText {
  std::vector<uint32_t> cps;
  std::vector<size_t> offsets;
};

DecodedText decodeUtf8(std::string_view text) {
  DecodedText out;
  size_t i = 0;
  while (i < text.size()) {
    size_t length = getValidUtf8Length(text, i);
    bool valid = length != 0;
    unsigned char c = static_cast<unsigned char>(text[i]);
    auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    out.offsets.push_back(i);
    if (!valid) {
      out.cps.push_back(0xFFFD);
      ++i;
      continue;
    }
    uint32_t cp = length == 1   ? c
                  : length == 2 ? c & 0x1F
                  : length == 3 ? c & 0x0F
                                : c & 0x07;
    for (size_t k = 1; k < length; ++k)
      cp = (cp << 6) | (byte(i + k) & 0x3F);
    out.cps.push_back(cp);
    i += length;
  }
  out.offsets.push_back(text.size());
  return out;
}

/// The contraction at `i` ('s 't 're 've 'm 'll 'd), as a length in code
/// points, or 0.
size_t matchContraction(const std::vector<uint32_t> &cps, size_t i,
                        bool ignoreCase) {
  if (cps[i] != '\'')
    return 0;
  static const char *const kSuffixes[] = {"s", "t", "re", "ve", "m", "ll", "d"};
  for (const char *suffix : kSuffixes) {
    size_t length = std::strlen(suffix);
    if (i + 1 + length > cps.size())
      continue;
    bool match = true;
    for (size_t k = 0; k < length && match; ++k) {
      uint32_t cp = cps[i + 1 + k];
      if (ignoreCase && cp >= 'A' && cp <= 'Z')
        cp += 'a' - 'A';
      match = cp == static_cast<uint32_t>(suffix[k]);
    }
    if (match)
      return 1 + length;
  }
  return 0;
}

/// \s+(?!\S) then \s+, at a whitespace code point `i`: the end of the match.
template <typename SpacePred>
size_t matchWhitespace(const std::vector<uint32_t> &cps, size_t i,
                       SpacePred isSpace) {
  size_t j = i;
  while (j < cps.size() && isSpace(cps[j]))
    ++j;
  if (j == cps.size() || j - i == 1)
    return j;
  // Leave the last space to the word that follows.
  return j - 1;
}

/// GPT-2: 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|
/// \s+(?!\S)|\s+ -- the end of the piece that starts at `i`.
size_t nextGpt2Piece(const std::vector<uint32_t> &cps, size_t i) {
  if (size_t length = matchContraction(cps, i, /*ignoreCase=*/false))
    return i + length;
  size_t start = cps[i] == ' ' && i + 1 < cps.size() ? i + 1 : i;
  for (bool (*pred)(uint32_t) : {+[](uint32_t cp) { return isLetter(cp); },
                                 +[](uint32_t cp) { return isNumber(cp); },
                                 +[](uint32_t cp) {
                                   return !isSpaceJs(cp) && !isLetter(cp) &&
                                          !isNumber(cp);
                                 }}) {
    for (size_t s : {start, i}) {
      if (!pred(cps[s]))
        continue;
      size_t j = s;
      while (j < cps.size() && pred(cps[j]))
        ++j;
      return j;
    }
  }
  return matchWhitespace(cps, i, isSpaceJs);
}

/// Llama 3: (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|
/// \p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
size_t nextLlama3Piece(const std::vector<uint32_t> &cps, size_t i) {
  size_t n = cps.size();
  if (size_t length = matchContraction(cps, i, /*ignoreCase=*/true))
    return i + length;
  auto isNewline = [](uint32_t cp) { return cp == '\r' || cp == '\n'; };
  // [^\r\n\p{L}\p{N}]?\p{L}+
  size_t s = i;
  if (!isNewline(cps[i]) && !isLetter(cps[i]) && !isNumber(cps[i]) &&
      i + 1 < n && isLetter(cps[i + 1]))
    s = i + 1;
  if (isLetter(cps[s])) {
    size_t j = s;
    while (j < n && isLetter(cps[j]))
      ++j;
    return j;
  }
  // \p{N}{1,3}
  if (isNumber(cps[i])) {
    size_t j = i;
    while (j < n && j < i + 3 && isNumber(cps[j]))
      ++j;
    return j;
  }
  // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
  auto isOther = [](uint32_t cp) {
    return !isSpaceUnicode(cp) && !isLetter(cp) && !isNumber(cp);
  };
  s = cps[i] == ' ' && i + 1 < n && isOther(cps[i + 1]) ? i + 1 : i;
  if (isOther(cps[s])) {
    size_t j = s;
    while (j < n && isOther(cps[j]))
      ++j;
    while (j < n && isNewline(cps[j]))
      ++j;
    return j;
  }
  // \s*[\r\n]+: up to the last newline of the whitespace run.
  size_t end = i;
  while (end < n && isSpaceUnicode(cps[end]))
    ++end;
  for (size_t q = end; q > i; --q)
    if (isNewline(cps[q - 1]))
      return q;
  return matchWhitespace(cps, i, isSpaceUnicode);
}

/// The Split pattern of Llama 3's tokenizer.json.
constexpr std::string_view kLlama3Pattern =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
    "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

} // namespace

Error BpeTokenizer::finish() {
  // GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves,
  // the others for 256, 257, ... in byte order.
  std::unordered_map<uint32_t, uint8_t> symbolToByte;
  uint32_t next = 256;
  for (int byte = 0; byte < 256; ++byte) {
    bool printable = (byte >= '!' && byte <= '~') ||
                     (byte >= 0xA1 && byte <= 0xAC) || byte >= 0xAE;
    uint32_t cp = printable ? byte : next++;
    byteSymbols[byte].clear();
    appendUtf8(byteSymbols[byte], cp);
    symbolToByte[cp] = static_cast<uint8_t>(byte);
  }
  for (int byte = 0; byte < 256; ++byte)
    if (!vocab.count(byteSymbols[byte]))
      return Error::failure("the vocabulary lacks the token of byte " +
                            std::to_string(byte) + " ('" + byteSymbols[byte] +
                            "'), which byte-level BPE needs");

  int32_t maxId = -1;
  for (const auto &[token, id] : vocab)
    maxId = std::max(maxId, id);
  for (const auto &[token, id] : addedTokens)
    maxId = std::max(maxId, id);
  idToBytes.assign(static_cast<size_t>(maxId) + 1, std::string());
  for (const auto &[token, id] : vocab) {
    DecodedText decoded = decodeUtf8(token);
    std::string bytes;
    for (uint32_t cp : decoded.cps) {
      auto it = symbolToByte.find(cp);
      if (it != symbolToByte.end())
        bytes.push_back(static_cast<char>(it->second));
      else
        appendUtf8(bytes, cp);
    }
    idToBytes[id] = std::move(bytes);
  }
  for (const auto &[content, id] : addedTokens)
    idToBytes[id] = content;
  std::sort(addedTokens.begin(), addedTokens.end(),
            [](const auto &a, const auto &b) {
              return a.first.size() > b.first.size();
            });
  cache =
      std::make_shared<std::unordered_map<std::string, std::vector<int32_t>>>();
  return Error::success();
}

Expected<BpeTokenizer>
BpeTokenizer::fromVocabAndMerges(const std::string &vocabPath,
                                 const std::string &mergesPath) {
  BpeTokenizer tokenizer;
  auto vocabText = readFile(vocabPath);
  if (!vocabText)
    return vocabText.takeError();
  auto vocabJson = parseJson(*vocabText);
  if (!vocabJson)
    return Error::failure("'" + vocabPath +
                          "': " + vocabJson.getError().getMessage());
  if (!vocabJson->isObject())
    return Error::failure("'" + vocabPath +
                          "': expected an object of token -> id");
  for (const auto &[token, id] : vocabJson->getMembers()) {
    std::optional<int64_t> value = id.getInteger();
    if (!value || *value < 0 || *value > INT32_MAX)
      return Error::failure("'" + vocabPath + "': token '" + token +
                            "' has no valid id");
    tokenizer.vocab[token] = static_cast<int32_t>(*value);
  }

  auto mergesText = readFile(mergesPath);
  if (!mergesText)
    return mergesText.takeError();
  std::istringstream lines(*mergesText);
  std::string line;
  int32_t rank = 0;
  size_t lineNumber = 0;
  while (std::getline(lines, line)) {
    ++lineNumber;
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (line.empty() || (lineNumber == 1 && line.rfind("#version", 0) == 0))
      continue;
    size_t space = line.find(' ');
    if (space == std::string::npos || space == 0 || space + 1 == line.size() ||
        line.find(' ', space + 1) != std::string::npos)
      return Error::failure("'" + mergesPath + "' line " +
                            std::to_string(lineNumber) +
                            ": expected two tokens separated by one space");
    tokenizer.mergeRanks.emplace(line, rank++);
  }
  if (Error error = tokenizer.finish())
    return Error::failure("'" + vocabPath + "': " + error.getMessage());
  return tokenizer;
}

Expected<BpeTokenizer>
BpeTokenizer::fromTokenizerJson(const std::string &path) {
  auto fail = [&](const std::string &what) {
    return Error::failure("'" + path + "': " + what);
  };
  auto text = readFile(path);
  if (!text)
    return text.takeError();
  auto json = parseJson(*text);
  if (!json)
    return fail(json.getError().getMessage());
  const JsonValue *model = json->find("model");
  if (!model || !model->isObject())
    return fail("expected an object 'model'");
  const JsonValue *type = model->find("type");
  if (!type || !type->isString() || type->getString() != "BPE")
    return fail("unsupported tokenizer model (only BPE is supported)");

  BpeTokenizer tokenizer;
  const JsonValue *vocab = model->find("vocab");
  if (!vocab || !vocab->isObject())
    return fail("expected an object 'model.vocab'");
  for (const auto &[token, id] : vocab->getMembers()) {
    std::optional<int64_t> value = id.getInteger();
    if (!value || *value < 0 || *value > INT32_MAX)
      return fail("token '" + token + "' has no valid id");
    tokenizer.vocab[token] = static_cast<int32_t>(*value);
  }
  const JsonValue *merges = model->find("merges");
  if (!merges || !merges->isArray())
    return fail("expected an array 'model.merges'");
  int32_t rank = 0;
  for (const JsonValue &merge : merges->getElements()) {
    std::string key;
    if (merge.isString()) {
      key = merge.getString();
    } else if (merge.isArray() && merge.getElements().size() == 2 &&
               merge.getElements()[0].isString() &&
               merge.getElements()[1].isString()) {
      key = merge.getElements()[0].getString() + " " +
            merge.getElements()[1].getString();
    } else {
      return fail("merge " + std::to_string(rank) +
                  " is neither \"a b\" nor [\"a\", \"b\"]");
    }
    tokenizer.mergeRanks.emplace(std::move(key), rank++);
  }

  // GPT-2: a ByteLevel pre-tokenizer with its own regex. Llama 3: a
  // Sequence of its Split pattern and a ByteLevel without regex.
  const JsonValue *pre = json->find("pre_tokenizer");
  auto typeOf = [](const JsonValue *value) -> std::string {
    const JsonValue *t = value ? value->find("type") : nullptr;
    return t && t->isString() ? t->getString() : "";
  };
  if (typeOf(pre) == "ByteLevel") {
    tokenizer.preTokenizer = PreTokenizer::Gpt2;
  } else if (typeOf(pre) == "Sequence" && pre->find("pretokenizers") &&
             pre->find("pretokenizers")->isArray()) {
    const auto &steps = pre->find("pretokenizers")->getElements();
    const JsonValue *pattern = steps.size() == 2 && typeOf(&steps[0]) == "Split"
                                   ? steps[0].find("pattern")
                                   : nullptr;
    const JsonValue *regex = pattern ? pattern->find("Regex") : nullptr;
    if (!regex || !regex->isString() || regex->getString() != kLlama3Pattern ||
        typeOf(&steps[1]) != "ByteLevel")
      return fail("unsupported pre-tokenizer: expected GPT-2's ByteLevel or "
                  "Llama 3's Split pattern followed by ByteLevel");
    tokenizer.preTokenizer = PreTokenizer::Llama3;
  } else {
    return fail("unsupported pre-tokenizer '" + typeOf(pre) +
                "': expected GPT-2's ByteLevel or Llama 3's Split + "
                "ByteLevel");
  }

  if (const JsonValue *added = json->find("added_tokens")) {
    if (!added->isArray())
      return fail("expected an array 'added_tokens'");
    for (const JsonValue &token : added->getElements()) {
      const JsonValue *content = token.find("content");
      const JsonValue *id = token.find("id");
      if (!content || !content->isString() || content->getString().empty() ||
          !id || !id->getInteger() || *id->getInteger() < 0 ||
          *id->getInteger() > INT32_MAX)
        return fail("an added token needs a non-empty 'content' and an 'id'");
      tokenizer.addedTokens.emplace_back(
          content->getString(), static_cast<int32_t>(*id->getInteger()));
    }
  }
  if (Error error = tokenizer.finish())
    return fail(error.getMessage());
  return tokenizer;
}

Expected<BpeTokenizer>
BpeTokenizer::fromDirectory(const std::string &directory) {
  std::string json = directory + "/tokenizer.json";
  if (isRegularFile(json))
    return fromTokenizerJson(json);
  std::string vocab = directory + "/vocab.json";
  std::string merges = directory + "/merges.txt";
  if (isRegularFile(vocab) && isRegularFile(merges))
    return fromVocabAndMerges(vocab, merges);
  return Error::failure("'" + directory +
                        "' has neither tokenizer.json nor vocab.json and "
                        "merges.txt");
}

int32_t BpeTokenizer::lookup(std::string_view token) const {
  for (const auto &[content, id] : addedTokens)
    if (content == token)
      return id;
  auto it = vocab.find(std::string(token));
  return it == vocab.end() ? -1 : it->second;
}

std::vector<std::string_view>
BpeTokenizer::preTokenize(std::string_view text) const {
  DecodedText decoded = decodeUtf8(text);
  std::vector<std::string_view> pieces;
  size_t i = 0, n = decoded.cps.size();
  while (i < n) {
    size_t j = preTokenizer == PreTokenizer::Gpt2
                   ? nextGpt2Piece(decoded.cps, i)
                   : nextLlama3Piece(decoded.cps, i);
    pieces.push_back(text.substr(decoded.offsets[i],
                                 decoded.offsets[j] - decoded.offsets[i]));
    i = j;
  }
  return pieces;
}

void BpeTokenizer::encodePiece(std::string_view piece,
                               std::vector<int32_t> &ids) const {
  std::string key(piece);
  if (auto it = cache->find(key); it != cache->end()) {
    ids.insert(ids.end(), it->second.begin(), it->second.end());
    return;
  }
  std::vector<std::string> word;
  for (char byte : piece)
    word.push_back(byteSymbols[static_cast<unsigned char>(byte)]);
  // Merge the lowest-ranked adjacent pair, every occurrence left to right,
  // until no adjacent pair is in the merge list.
  while (word.size() > 1) {
    int32_t bestRank = INT32_MAX;
    size_t best = 0;
    for (size_t k = 0; k + 1 < word.size(); ++k) {
      auto it = mergeRanks.find(word[k] + " " + word[k + 1]);
      if (it != mergeRanks.end() && it->second < bestRank) {
        bestRank = it->second;
        best = k;
      }
    }
    if (bestRank == INT32_MAX)
      break;
    std::string first = word[best], second = word[best + 1];
    std::vector<std::string> merged;
    for (size_t k = 0; k < word.size();) {
      if (k + 1 < word.size() && word[k] == first && word[k + 1] == second) {
        merged.push_back(first + second);
        k += 2;
      } else {
        merged.push_back(word[k]);
        ++k;
      }
    }
    word = std::move(merged);
  }
  std::vector<int32_t> pieceIds;
  for (const std::string &symbol : word) {
    auto it = vocab.find(symbol);
    if (it != vocab.end()) {
      pieceIds.push_back(it->second);
      continue;
    }
    // A merge result missing from the vocabulary: fall back to its bytes,
    // each of which is in it (checked at load).
    for (uint32_t cp : decodeUtf8(symbol).cps) {
      std::string one;
      appendUtf8(one, cp);
      auto byteIt = vocab.find(one);
      if (byteIt != vocab.end())
        pieceIds.push_back(byteIt->second);
    }
  }
  ids.insert(ids.end(), pieceIds.begin(), pieceIds.end());
  if (cache->size() < 100000)
    cache->emplace(std::move(key), std::move(pieceIds));
}

std::vector<int32_t> BpeTokenizer::encode(std::string_view text) const {
  std::vector<int32_t> ids;
  while (!text.empty()) {
    // The earliest added token, longest first at the same position.
    size_t at = std::string_view::npos;
    const std::pair<std::string, int32_t> *found = nullptr;
    for (const auto &added : addedTokens) {
      size_t pos = text.find(added.first);
      if (pos < at) {
        at = pos;
        found = &added;
      }
    }
    std::string_view plain = text.substr(0, at);
    for (std::string_view piece : preTokenize(plain))
      encodePiece(piece, ids);
    if (!found)
      break;
    ids.push_back(found->second);
    text.remove_prefix(at + found->first.size());
  }
  return ids;
}

Expected<std::string> BpeTokenizer::decodeBytes(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= idToBytes.size())
    return Error::failure("token id " + std::to_string(id) +
                          " is outside the vocabulary (" +
                          std::to_string(idToBytes.size()) + " tokens)");
  return idToBytes[id];
}

Expected<std::string>
BpeTokenizer::decode(const std::vector<int32_t> &ids) const {
  std::string bytes;
  for (int32_t id : ids) {
    auto piece = decodeBytes(id);
    if (!piece)
      return piece;
    bytes += *piece;
  }
  // Replace what is not valid UTF-8 by U+FFFD.
  DecodedText decoded = decodeUtf8(bytes);
  std::string text;
  for (uint32_t cp : decoded.cps)
    appendUtf8(text, cp);
  return text;
}
