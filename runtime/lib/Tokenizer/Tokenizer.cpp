//===- Tokenizer.cpp - Loading, added tokens, encode and decode -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Reads vocab.json + merges.txt or a tokenizer.json into the stages of
// TokenizerImpl.h and runs them. Added tokens are found as Hugging Face
// tokenizers finds them: leftmost-longest, first those with
// "normalized": false in the raw text, then those with "normalized": true
// in the normalized text, honouring single_word, lstrip and rstrip.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Tokenizer.h"

#include "TokenizerImpl.h"

#include "attnc/Runtime/Json.h"
#include "attnc/Runtime/Text.h"

#include <algorithm>
#include <climits>
#include <map>
#include <sstream>

using namespace attnc::runtime;
using namespace attnc::runtime::tokenizer;

namespace {

struct AddedToken {
  std::string content;
  int32_t id = -1;
  bool singleWord = false, lstrip = false, rstrip = false;
  bool normalized = false;
};

/// Finds added tokens in text: leftmost match, longest at that position.
class AddedTokenMatcher {
public:
  void add(const std::string &pattern, size_t token) {
    if (pattern.empty())
      return;
    size_t node = 0;
    for (char c : pattern) {
      auto [it, inserted] = nodes[node].children.emplace(
          static_cast<unsigned char>(c), nodes.size());
      if (inserted)
        nodes.emplace_back();
      node = it->second;
    }
    nodes[node].token = static_cast<int64_t>(token);
  }
  bool empty() const { return nodes.size() == 1; }

  /// The first match at or after `from`: (begin, end, token), or begin ==
  /// npos.
  std::tuple<size_t, size_t, size_t> find(std::string_view text,
                                          size_t from) const {
    for (size_t begin = from; begin < text.size(); ++begin) {
      size_t node = 0, end = 0;
      int64_t token = -1;
      for (size_t i = begin; i < text.size(); ++i) {
        auto it =
            nodes[node].children.find(static_cast<unsigned char>(text[i]));
        if (it == nodes[node].children.end())
          break;
        node = it->second;
        if (nodes[node].token >= 0) {
          token = nodes[node].token;
          end = i + 1;
        }
      }
      if (token >= 0)
        return {begin, end, static_cast<size_t>(token)};
    }
    return {std::string_view::npos, 0, 0};
  }

private:
  struct Node {
    std::map<unsigned char, size_t> children;
    int64_t token = -1;
  };
  std::vector<Node> nodes = std::vector<Node>(1);
};

/// A span of text on its way through encode: text, or an added token.
struct Segment {
  Piece piece;
  int32_t addedId = -1;
};

/// Where the code point that ends `text[0, pos)` starts.
size_t previousCharStart(std::string_view text, size_t pos) {
  size_t start = pos - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
    --start;
  return start;
}

/// The code point that ends `text[0, pos)`.
uint32_t codePointBefore(std::string_view text, size_t pos) {
  return decodeAt(text, previousCharStart(text, pos)).first;
}

} // namespace

struct BpeTokenizer::Impl {
  std::unique_ptr<Normalizer> normalizer;
  std::unique_ptr<PreTokenizer> preTokenizer;
  std::unique_ptr<Decoder> decoder;
  std::optional<BpeModel> model;
  std::vector<AddedToken> addedTokens;
  /// Added tokens matched in the raw text and in the normalized text.
  AddedTokenMatcher rawMatcher, normalizedMatcher;
  /// id -> token spelling (added tokens included); `hasToken` marks the
  /// ids in use.
  std::vector<std::string> idToToken;
  std::vector<bool> hasToken;
  std::optional<bool> addBos;
  int32_t bosId = -1;

  Error finish();
  /// Cuts text segments around the added tokens of `matcher`.
  void splitAdded(std::vector<Segment> &segments,
                  const AddedTokenMatcher &matcher) const;
  std::vector<Segment> segment(std::string_view text) const;
  Expected<std::string> decodeRaw(const std::vector<int32_t> &ids) const;
};

Error BpeTokenizer::Impl::finish() {
  int32_t maxId = -1;
  for (const auto &[token, id] : model->getVocab())
    maxId = std::max(maxId, id);
  for (const AddedToken &token : addedTokens)
    maxId = std::max(maxId, token.id);
  // The tables below have maxId + 1 entries: a corrupt id must not make
  // them huge. No real vocabulary is near 2^24 tokens (nor does
  // ModelConfig accept a larger vocab_size).
  constexpr int32_t kMaxId = (1 << 24) - 1;
  if (maxId > kMaxId)
    return Error::failure("token id " + std::to_string(maxId) +
                          " is larger than the " + std::to_string(kMaxId) +
                          " attnc accepts");
  idToToken.assign(static_cast<size_t>(maxId + 1), std::string());
  hasToken.assign(static_cast<size_t>(maxId + 1), false);
  for (const auto &[token, id] : model->getVocab()) {
    idToToken[id] = token;
    hasToken[id] = true;
  }
  for (size_t i = 0; i < addedTokens.size(); ++i) {
    const AddedToken &token = addedTokens[i];
    idToToken[token.id] = token.content;
    hasToken[token.id] = true;
    if (!token.normalized) {
      rawMatcher.add(token.content, i);
      continue;
    }
    // Normalized tokens are looked for in normalized text, so in their
    // normalized spelling.
    Piece piece{token.content, false};
    if (normalizer)
      normalizer->normalize(piece);
    normalizedMatcher.add(piece.text, i);
  }
  return Error::success();
}

void BpeTokenizer::Impl::splitAdded(std::vector<Segment> &segments,
                                    const AddedTokenMatcher &matcher) const {
  if (matcher.empty())
    return;
  std::vector<Segment> out;
  for (Segment &segment : segments) {
    if (segment.addedId >= 0) {
      out.push_back(std::move(segment));
      continue;
    }
    std::string_view text = segment.piece.text;
    size_t done = 0; // The end of the last match taken.
    for (size_t from = 0; from < text.size();) {
      auto [begin, end, index] = matcher.find(text, from);
      if (begin == std::string_view::npos)
        break;
      from = end;
      const AddedToken &token = addedTokens[index];
      if (token.singleWord &&
          ((begin > 0 && isWordChar(codePointBefore(text, begin))) ||
           (end < text.size() && isWordChar(decodeAt(text, end).first))))
        continue;
      if (token.lstrip)
        while (begin > done && isWhitespace(codePointBefore(text, begin)))
          begin = previousCharStart(text, begin);
      if (token.rstrip)
        while (end < text.size() && isWhitespace(decodeAt(text, end).first))
          end += decodeAt(text, end).second;
      from = end;
      if (begin > done)
        out.push_back({{std::string(text.substr(done, begin - done)),
                        segment.piece.atStart && done == 0},
                       -1});
      out.push_back(
          {{std::string(text.substr(begin, end - begin)), false}, token.id});
      done = end;
    }
    if (done < text.size())
      out.push_back(
          {{std::string(text.substr(done)), segment.piece.atStart && done == 0},
           -1});
  }
  segments = std::move(out);
}

std::vector<Segment> BpeTokenizer::Impl::segment(std::string_view text) const {
  std::vector<Segment> segments;
  segments.push_back({{makeValidUtf8(text), true}, -1});
  splitAdded(segments, rawMatcher);
  if (normalizer)
    for (Segment &segment : segments)
      if (segment.addedId < 0)
        normalizer->normalize(segment.piece);
  splitAdded(segments, normalizedMatcher);
  // As in Hugging Face tokenizers, empty pieces do not exist (a ByteLevel
  // or Metaspace prefix is not added to nothing).
  segments.erase(std::remove_if(segments.begin(), segments.end(),
                                [](const Segment &segment) {
                                  return segment.addedId < 0 &&
                                         segment.piece.text.empty();
                                }),
                 segments.end());
  return segments;
}

Expected<std::string>
BpeTokenizer::Impl::decodeRaw(const std::vector<int32_t> &ids) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (int32_t id : ids) {
    if (id < 0 || static_cast<size_t>(id) >= idToToken.size())
      return Error::failure("token id " + std::to_string(id) +
                            " is outside the vocabulary (" +
                            std::to_string(idToToken.size()) + " tokens)");
    if (!hasToken[id])
      return Error::failure("token id " + std::to_string(id) +
                            " is not in the vocabulary");
    tokens.push_back(idToToken[id]);
  }
  if (!decoder) {
    // Hugging Face tokenizers joins the tokens with spaces then.
    std::string text;
    for (size_t i = 0; i < tokens.size(); ++i)
      text += (i ? " " : "") + tokens[i];
    return text;
  }
  decoder->decode(tokens);
  std::string text;
  for (const std::string &token : tokens)
    text += token;
  return text;
}

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

/// Reads a JSON object of token -> id.
static Expected<std::unordered_map<std::string, int32_t>>
readVocab(const JsonValue &json, const std::string &field) {
  if (!json.isObject())
    return Error::failure(field + ": expected an object of token -> id");
  std::unordered_map<std::string, int32_t> vocab;
  vocab.reserve(json.getMembers().size());
  for (const auto &[token, id] : json.getMembers()) {
    std::optional<int64_t> value = id.getInteger();
    if (!value || *value < 0 || *value > INT32_MAX)
      return Error::failure("token '" + token + "' has no valid id");
    vocab[token] = static_cast<int32_t>(*value);
  }
  return vocab;
}

Expected<BpeTokenizer>
BpeTokenizer::fromVocabAndMerges(const std::string &vocabPath,
                                 const std::string &mergesPath) {
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
  auto vocab = readVocab(*vocabJson, "vocab");
  if (!vocab)
    return Error::failure("'" + vocabPath +
                          "': " + vocab.getError().getMessage());

  auto mergesText = readFile(mergesPath);
  if (!mergesText)
    return mergesText.takeError();
  std::istringstream lines(*mergesText);
  std::string line;
  size_t lineNumber = 0;
  std::vector<std::pair<std::string, std::string>> merges;
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
    merges.emplace_back(line.substr(0, space), line.substr(space + 1));
  }
  for (int byte = 0; byte < 256; ++byte)
    if (!vocab->count(getByteSymbol(byte)))
      return Error::failure("'" + vocabPath +
                            "': the vocabulary lacks the token of byte " +
                            std::to_string(byte) + " ('" + getByteSymbol(byte) +
                            "'), which byte-level BPE needs");
  auto model = BpeModel::create(vocab.take(), merges, BpeModel::Options());
  if (!model)
    return Error::failure("'" + mergesPath +
                          "': " + model.getError().getMessage());
  auto impl = std::make_shared<Impl>();
  impl->model = model.take();
  impl->preTokenizer = createByteLevelPreTokenizer();
  impl->decoder = createByteLevelDecoder();
  if (Error error = impl->finish())
    return Error::failure("'" + vocabPath + "': " + error.getMessage());
  return BpeTokenizer(std::move(impl));
}

/// The optional string member `key` of `model` ("" when absent or null).
static Expected<std::string> getOptionalString(const JsonValue &object,
                                               const char *key,
                                               const std::string &field) {
  const JsonValue *member = object.find(key);
  if (!member || member->isNull())
    return std::string();
  if (!member->isString())
    return Error::failure(field + "." + key + ": expected a string or null");
  return member->getString();
}

static Expected<bool> getOptionalBool(const JsonValue &object, const char *key,
                                      const std::string &field) {
  const JsonValue *member = object.find(key);
  if (!member || member->isNull())
    return false;
  if (!member->isBool())
    return Error::failure(field + "." + key + ": expected a boolean");
  return member->getBool();
}

static Expected<BpeModel> readModel(const JsonValue &model) {
  // Hugging Face reads a model without "type" by its fields.
  const JsonValue *type = model.find("type");
  if (type && !(type->isString() && type->getString() == "BPE"))
    return Error::failure(
        "model.type: unsupported tokenizer model" +
        (type->isString() ? " '" + type->getString() + "'" : std::string()) +
        " (only BPE is supported)");
  if (!type && !model.find("merges"))
    return Error::failure("model: unsupported tokenizer model without "
                          "'merges' (only BPE is supported)");
  const JsonValue *vocabJson = model.find("vocab");
  if (!vocabJson || !vocabJson->isObject())
    return Error::failure("expected an object 'model.vocab'");
  auto vocab = readVocab(*vocabJson, "model.vocab");
  if (!vocab)
    return vocab.takeError();
  if (const JsonValue *dropout = model.find("dropout"))
    if (!dropout->isNull() &&
        !(dropout->isNumber() && dropout->getNumber() == 0))
      return Error::failure("model.dropout: BPE dropout is not supported");

  const JsonValue *mergesJson = model.find("merges");
  if (!mergesJson || !mergesJson->isArray())
    return Error::failure("expected an array 'model.merges'");
  std::vector<std::pair<std::string, std::string>> merges;
  merges.reserve(mergesJson->getElements().size());
  for (const JsonValue &merge : mergesJson->getElements()) {
    size_t space =
        merge.isString() ? merge.getString().find(' ') : std::string::npos;
    if (space != std::string::npos &&
        merge.getString().find(' ', space + 1) == std::string::npos) {
      merges.emplace_back(merge.getString().substr(0, space),
                          merge.getString().substr(space + 1));
    } else if (merge.isArray() && merge.getElements().size() == 2 &&
               merge.getElements()[0].isString() &&
               merge.getElements()[1].isString()) {
      merges.emplace_back(merge.getElements()[0].getString(),
                          merge.getElements()[1].getString());
    } else {
      return Error::failure("model.merges[" + std::to_string(merges.size()) +
                            "]: expected \"a b\" or [\"a\", \"b\"]");
    }
  }

  BpeModel::Options options;
  auto unk = getOptionalString(model, "unk_token", "model");
  auto prefix = getOptionalString(model, "continuing_subword_prefix", "model");
  auto suffix = getOptionalString(model, "end_of_word_suffix", "model");
  auto fuseUnk = getOptionalBool(model, "fuse_unk", "model");
  auto byteFallback = getOptionalBool(model, "byte_fallback", "model");
  auto ignoreMerges = getOptionalBool(model, "ignore_merges", "model");
  for (const Error *error :
       {&unk.getError(), &prefix.getError(), &suffix.getError(),
        &fuseUnk.getError(), &byteFallback.getError(),
        &ignoreMerges.getError()})
    if (*error)
      return Error::failure(error->getMessage());
  options.unkToken = *unk;
  options.continuingSubwordPrefix = *prefix;
  options.endOfWordSuffix = *suffix;
  options.fuseUnk = *fuseUnk;
  options.byteFallback = *byteFallback;
  options.ignoreMerges = *ignoreMerges;
  return BpeModel::create(vocab.take(), merges, std::move(options));
}

/// The first special token of a TemplateProcessing post-processor's
/// `single` template, looked for in Sequence processors too: (whether the
/// template starts with one, its id).
static std::optional<std::pair<bool, int32_t>>
findTemplateBos(const JsonValue &processor) {
  const JsonValue *type = processor.find("type");
  if (!type || !type->isString())
    return std::nullopt;
  if (type->getString() == "Sequence") {
    const JsonValue *list = processor.find("processors");
    if (list && list->isArray())
      for (const JsonValue &step : list->getElements())
        if (auto found = findTemplateBos(step))
          return found;
    return std::nullopt;
  }
  if (type->getString() != "TemplateProcessing")
    return std::nullopt;
  const JsonValue *single = processor.find("single");
  if (!single || !single->isArray())
    return std::nullopt;
  const JsonValue *first = single->getElements().empty()
                               ? nullptr
                               : single->getElements()[0].find("SpecialToken");
  if (!first)
    return std::make_pair(false, int32_t(-1));
  const JsonValue *name = first->find("id");
  const JsonValue *specials = processor.find("special_tokens");
  const JsonValue *entry = name && name->isString() && specials
                               ? specials->find(name->getString())
                               : nullptr;
  const JsonValue *ids = entry ? entry->find("ids") : nullptr;
  if (!ids || !ids->isArray() || ids->getElements().size() != 1 ||
      !ids->getElements()[0].getInteger())
    return std::nullopt;
  return std::make_pair(
      true, static_cast<int32_t>(*ids->getElements()[0].getInteger()));
}

/// Whether `value` or an object inside it has "type": `type`.
static bool hasType(const JsonValue &value, std::string_view type) {
  const JsonValue *own = value.find("type");
  if (own && own->isString() && own->getString() == type)
    return true;
  for (const auto &[key, member] : value.getMembers())
    if (hasType(member, type))
      return true;
  for (const JsonValue &element : value.getElements())
    if (hasType(element, type))
      return true;
  return false;
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
  if (!json->isObject())
    return fail("expected a JSON object");
  const JsonValue *modelJson = json->find("model");
  if (!modelJson || !modelJson->isObject())
    return fail("expected an object 'model'");
  auto model = readModel(*modelJson);
  if (!model)
    return fail(model.getError().getMessage());

  auto impl = std::make_shared<Impl>();
  impl->model = model.take();
  JsonValue null;
  auto stage = [&](const char *key) -> const JsonValue & {
    const JsonValue *value = json->find(key);
    return value ? *value : null;
  };
  auto normalizer = parseNormalizer(stage("normalizer"), "normalizer");
  if (!normalizer)
    return fail(normalizer.getError().getMessage());
  impl->normalizer = normalizer.take();
  auto preTokenizer =
      parsePreTokenizer(stage("pre_tokenizer"), "pre_tokenizer");
  if (!preTokenizer)
    return fail(preTokenizer.getError().getMessage());
  impl->preTokenizer = preTokenizer.take();
  auto decoder = parseDecoder(stage("decoder"), "decoder");
  if (!decoder)
    return fail(decoder.getError().getMessage());
  impl->decoder = decoder.take();
  // Without a decoder Hugging Face joins the token strings with spaces; a
  // byte-level file that leaves it out (hand-made ones do) decodes with
  // ByteLevel instead, so that its text is readable.
  if (!impl->decoder && hasType(stage("pre_tokenizer"), "ByteLevel"))
    impl->decoder = createByteLevelDecoder();

  if (const JsonValue *added = json->find("added_tokens")) {
    if (!added->isArray())
      return fail("expected an array 'added_tokens'");
    for (size_t i = 0; i < added->getElements().size(); ++i) {
      const JsonValue &entry = added->getElements()[i];
      std::string field = "added_tokens[" + std::to_string(i) + "]";
      const JsonValue *content = entry.find("content");
      const JsonValue *id = entry.find("id");
      if (!content || !content->isString() || content->getString().empty() ||
          !id || !id->getInteger() || *id->getInteger() < 0 ||
          *id->getInteger() > INT32_MAX)
        return fail(field + ": expected a non-empty 'content' and an 'id'");
      AddedToken token;
      token.content = content->getString();
      token.id = static_cast<int32_t>(*id->getInteger());
      bool special = false;
      struct {
        const char *key;
        bool *flag;
      } flags[] = {{"single_word", &token.singleWord},
                   {"lstrip", &token.lstrip},
                   {"rstrip", &token.rstrip},
                   {"normalized", &token.normalized},
                   {"special", &special}};
      // Absent flags take Hugging Face's defaults (normalized: not
      // special).
      token.normalized = true;
      for (auto [key, flag] : flags) {
        const JsonValue *value = entry.find(key);
        if (!value || value->isNull())
          continue;
        if (!value->isBool())
          return fail(field + "." + key + ": expected a boolean");
        *flag = value->getBool();
      }
      if (!entry.find("normalized"))
        token.normalized = !special;
      impl->addedTokens.push_back(std::move(token));
    }
  }
  if (const JsonValue *processor = json->find("post_processor"))
    if (auto bos = findTemplateBos(*processor)) {
      impl->addBos = bos->first;
      impl->bosId = bos->second;
    }
  if (Error error = impl->finish())
    return fail(error.getMessage());
  return BpeTokenizer(std::move(impl));
}

Expected<BpeTokenizer>
BpeTokenizer::fromDirectory(const std::string &directory) {
  std::string json = directory + "/tokenizer.json";
  if (isRegularFile(json)) {
    auto tokenizer = fromTokenizerJson(json);
    std::string configPath = directory + "/tokenizer_config.json";
    if (!tokenizer || !isRegularFile(configPath))
      return tokenizer;
    auto text = readFile(configPath);
    if (!text)
      return text.takeError();
    auto config = parseJson(*text);
    if (!config)
      return Error::failure("'" + configPath +
                            "': " + config.getError().getMessage());
    Impl &impl = *tokenizer->impl;
    if (const JsonValue *add = config->find("add_bos_token")) {
      if (!add->isBool())
        return Error::failure("'" + configPath +
                              "': add_bos_token: expected a boolean");
      impl.addBos = add->getBool();
    }
    const JsonValue *bos = config->find("bos_token");
    if (bos && bos->isObject())
      bos = bos->find("content");
    if (impl.bosId < 0 && bos && bos->isString())
      impl.bosId = tokenizer->lookup(bos->getString());
    return tokenizer;
  }
  std::string vocab = directory + "/vocab.json";
  std::string merges = directory + "/merges.txt";
  if (isRegularFile(vocab) && isRegularFile(merges))
    return fromVocabAndMerges(vocab, merges);
  return Error::failure("'" + directory +
                        "' has neither tokenizer.json nor vocab.json and "
                        "merges.txt");
}

//===----------------------------------------------------------------------===//
// Encode and decode
//===----------------------------------------------------------------------===//

std::vector<int32_t> BpeTokenizer::encode(std::string_view text) const {
  std::vector<int32_t> ids;
  for (Segment &segment : impl->segment(text)) {
    if (segment.addedId >= 0) {
      ids.push_back(segment.addedId);
      continue;
    }
    std::vector<Piece> pieces;
    pieces.push_back(std::move(segment.piece));
    if (impl->preTokenizer)
      impl->preTokenizer->split(pieces);
    for (const Piece &piece : pieces)
      impl->model->tokenize(piece.text, ids);
  }
  return ids;
}

std::vector<std::string>
BpeTokenizer::preTokenize(std::string_view text) const {
  std::vector<std::string> out;
  for (Segment &segment : impl->segment(text)) {
    if (segment.addedId >= 0)
      continue;
    std::vector<Piece> pieces;
    pieces.push_back(std::move(segment.piece));
    if (impl->preTokenizer)
      impl->preTokenizer->split(pieces);
    for (Piece &piece : pieces)
      if (!piece.text.empty())
        out.push_back(std::move(piece.text));
  }
  return out;
}

Expected<std::string>
BpeTokenizer::decode(const std::vector<int32_t> &ids) const {
  auto text = impl->decodeRaw(ids);
  if (!text)
    return text;
  return makeValidUtf8(*text);
}

Expected<std::string> BpeTokenizer::decodeBytes(int32_t id) const {
  return impl->decodeRaw({id});
}

size_t BpeTokenizer::getVocabSize() const { return impl->idToToken.size(); }

int32_t BpeTokenizer::lookup(std::string_view token) const {
  for (const AddedToken &added : impl->addedTokens)
    if (added.content == token)
      return added.id;
  const auto &vocab = impl->model->getVocab();
  auto it = vocab.find(std::string(token));
  return it == vocab.end() ? -1 : it->second;
}

std::optional<bool> BpeTokenizer::getAddBosToken() const {
  return impl->addBos;
}

int32_t BpeTokenizer::getBosTokenId() const { return impl->bosId; }

//===----------------------------------------------------------------------===//
// TokenTextStream
//===----------------------------------------------------------------------===//

TokenTextStream::TokenTextStream(const BpeTokenizer &tokenizer,
                                 std::vector<int32_t> context)
    : tokenizer(tokenizer), ids(std::move(context)) {
  auto text = tokenizer.decode(ids);
  if (!text) {
    ids.clear(); // An unknown context id: start without context.
    return;
  }
  shownIds = ids.size();
  shown = text.take();
}

Expected<std::string> TokenTextStream::take(bool atEnd) {
  auto text = tokenizer.decode(ids);
  if (!text)
    return text;
  std::string added;
  if (text->compare(0, shown.size(), shown) == 0) {
    added = text->substr(shown.size());
  } else {
    // The new ids changed the text of the context (ByteFallback reads a
    // run of byte tokens as a whole): decode them on their own.
    auto alone = tokenizer.decode(
        std::vector<int32_t>(ids.begin() + shownIds, ids.end()));
    if (!alone)
      return alone;
    added = alone.take();
  }
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  bool incomplete = added.size() >= kReplacement.size() &&
                    added.compare(added.size() - kReplacement.size(),
                                  kReplacement.size(), kReplacement) == 0;
  if (added.empty() || (incomplete && !atEnd))
    return std::string();
  // What was just shown becomes the context of the next ids.
  ids.erase(ids.begin(), ids.begin() + shownIds);
  shownIds = ids.size();
  auto context = tokenizer.decode(ids);
  shown = context ? context.take() : std::string();
  return added;
}

Expected<std::string> TokenTextStream::push(int32_t id) {
  ids.push_back(id);
  auto out = take(/*atEnd=*/false);
  if (!out)
    ids.pop_back();
  return out;
}

std::string TokenTextStream::finish() {
  auto out = take(/*atEnd=*/true);
  return out ? out.take() : std::string();
}
