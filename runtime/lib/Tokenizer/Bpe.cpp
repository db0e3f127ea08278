//===- Bpe.cpp - The byte-pair-encoding model -------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Hugging Face tokenizers' BPE model: a piece starts as its characters
// (with continuing_subword_prefix on all but the first and
// end_of_word_suffix on the last); a character missing from the vocabulary
// becomes its <0xNN> byte tokens (byte_fallback) or the unknown token
// (consecutive ones fused with fuse_unk) or is dropped; then the adjacent
// pair of lowest merge rank is merged, leftmost first, until no pair
// merges. ignore_merges takes a piece that is itself in the vocabulary
// whole.
//
//===----------------------------------------------------------------------===//

#include "TokenizerImpl.h"

#include <cstdio>
#include <functional>
#include <queue>
#include <string_view>
#include <tuple>

using namespace attnc::runtime;
using namespace attnc::runtime::tokenizer;

static uint64_t pairKey(int32_t left, int32_t right) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) |
         static_cast<uint32_t>(right);
}

namespace {

/// The vocabulary as BpeModel::create looks it up, three times a merge
/// (840k lookups for Llama 3's 280k merges): open addressing over the
/// map's keys, each slot holding the key's hash, its id and a pointer to
/// it, so that a lookup is one probe run in one array where
/// std::unordered_map follows a bucket and a node.
class TokenIndex {
public:
  explicit TokenIndex(const std::unordered_map<std::string, int32_t> &vocab) {
    size_t capacity = 16;
    while (capacity < 2 * vocab.size())
      capacity *= 2;
    slots.resize(capacity);
    mask = capacity - 1;
    for (const auto &[token, id] : vocab) {
      uint64_t hash = hashOf(token);
      size_t i = hash & mask;
      while (slots[i].token)
        i = (i + 1) & mask;
      slots[i] = {static_cast<uint32_t>(hash >> 32), id, &token};
    }
  }

  /// The id of `token`, or -1.
  int32_t find(std::string_view token) const {
    uint64_t hash = hashOf(token);
    auto tag = static_cast<uint32_t>(hash >> 32);
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot &slot = slots[i];
      if (!slot.token)
        return -1;
      if (slot.tag == tag && *slot.token == token)
        return slot.id;
    }
  }

private:
  static uint64_t hashOf(std::string_view token) {
    return std::hash<std::string_view>()(token);
  }

  struct Slot {
    /// The hash's high half (the low one chose the slot).
    uint32_t tag = 0;
    int32_t id = -1;
    const std::string *token = nullptr;
  };
  std::vector<Slot> slots;
  size_t mask = 0;
};

} // namespace

Expected<BpeModel>
BpeModel::create(std::unordered_map<std::string, int32_t> vocab,
                 const std::vector<std::pair<std::string, std::string>> &merges,
                 Options options) {
  BpeModel model;
  model.vocab = std::move(vocab);
  model.options = std::move(options);
  const std::string &prefix = model.options.continuingSubwordPrefix;
  TokenIndex index(model.vocab);
  auto idOf = [&](const std::string &token) { return index.find(token); };
  // Sized once: a Llama 3 tokenizer has 280k merges, and rehashing the
  // table as it grows was a tenth of its load.
  model.merges.reserve(merges.size());
  std::string merged;
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const auto &[left, right] = merges[rank];
    merged.assign(left);
    if (!prefix.empty() && right.rfind(prefix, 0) == 0)
      merged.append(right, prefix.size());
    else
      merged.append(right);
    const std::string *tokens[3] = {&left, &right, &merged};
    int32_t ids[3];
    for (int i = 0; i < 3; ++i)
      if ((ids[i] = idOf(*tokens[i])) < 0)
        return Error::failure("merge " + std::to_string(rank) + " ('" + left +
                              " " + right + "'): '" + *tokens[i] +
                              "' is not in the vocabulary");
    // As in Hugging Face tokenizers, a repeated merge keeps its last rank.
    model.merges[pairKey(ids[0], ids[1])] = {static_cast<int32_t>(rank),
                                             ids[2]};
  }
  if (!model.options.unkToken.empty()) {
    model.unkId = idOf(model.options.unkToken);
    if (model.unkId < 0)
      return Error::failure("the unknown token '" + model.options.unkToken +
                            "' is not in the vocabulary");
  }
  model.cache =
      std::make_shared<std::unordered_map<std::string, std::vector<int32_t>>>();
  return model;
}

void BpeModel::merge(std::vector<int32_t> &symbols) const {
  size_t n = symbols.size();
  if (n < 2)
    return;
  // A doubly linked list over the symbols; merged-away ones are dead.
  std::vector<int64_t> prev(n), next(n);
  std::vector<bool> alive(n, true);
  for (size_t i = 0; i < n; ++i) {
    prev[i] = static_cast<int64_t>(i) - 1;
    next[i] = i + 1 < n ? static_cast<int64_t>(i + 1) : -1;
  }
  // (rank, position of the left symbol, merged id), lowest rank first, then
  // leftmost.
  using Candidate = std::tuple<int32_t, int64_t, int32_t>;
  std::priority_queue<Candidate, std::vector<Candidate>,
                      std::greater<Candidate>>
      queue;
  auto push = [&](int64_t left) {
    if (left < 0 || next[left] < 0)
      return;
    auto it = merges.find(pairKey(symbols[left], symbols[next[left]]));
    if (it != merges.end())
      queue.emplace(it->second.first, left, it->second.second);
  };
  for (size_t i = 0; i + 1 < n; ++i)
    push(static_cast<int64_t>(i));
  while (!queue.empty()) {
    auto [rank, left, mergedId] = queue.top();
    queue.pop();
    if (!alive[left] || next[left] < 0)
      continue;
    int64_t right = next[left];
    // Skip candidates that earlier merges made stale.
    auto it = merges.find(pairKey(symbols[left], symbols[right]));
    if (it == merges.end() || it->second.second != mergedId)
      continue;
    symbols[left] = mergedId;
    alive[right] = false;
    next[left] = next[right];
    if (next[right] >= 0)
      prev[next[right]] = left;
    push(prev[left]);
    push(left);
  }
  std::vector<int32_t> out;
  for (int64_t i = 0; i >= 0; i = next[i])
    out.push_back(symbols[i]);
  symbols = std::move(out);
}

void BpeModel::tokenize(std::string_view piece,
                        std::vector<int32_t> &ids) const {
  if (piece.empty())
    return;
  if (options.ignoreMerges) {
    auto it = vocab.find(std::string(piece));
    if (it != vocab.end()) {
      ids.push_back(it->second);
      return;
    }
  }
  std::string key(piece);
  if (auto it = cache->find(key); it != cache->end()) {
    ids.insert(ids.end(), it->second.begin(), it->second.end());
    return;
  }

  std::vector<int32_t> symbols;
  // The pending unknown token (fused with the next ones under fuse_unk).
  bool pendingUnk = false;
  for (size_t i = 0; i < piece.size();) {
    size_t length = decodeAt(piece, i).second;
    std::string symbol;
    if (i > 0)
      symbol = options.continuingSubwordPrefix;
    symbol.append(piece, i, length);
    i += length;
    if (i == piece.size())
      symbol += options.endOfWordSuffix;

    auto it = vocab.find(symbol);
    if (it != vocab.end()) {
      if (pendingUnk)
        symbols.push_back(unkId);
      pendingUnk = false;
      symbols.push_back(it->second);
      continue;
    }
    if (options.byteFallback) {
      std::vector<int32_t> bytes;
      for (char byte : symbol) {
        char name[8];
        std::snprintf(name, sizeof(name), "<0x%02X>",
                      static_cast<unsigned char>(byte));
        auto byteIt = vocab.find(name);
        if (byteIt == vocab.end())
          break;
        bytes.push_back(byteIt->second);
      }
      if (bytes.size() == symbol.size()) {
        if (pendingUnk)
          symbols.push_back(unkId);
        pendingUnk = false;
        symbols.insert(symbols.end(), bytes.begin(), bytes.end());
        continue;
      }
    }
    if (unkId < 0)
      continue; // No unknown token: the character is dropped.
    if (pendingUnk && !options.fuseUnk)
      symbols.push_back(unkId);
    pendingUnk = true;
  }
  if (pendingUnk)
    symbols.push_back(unkId);

  merge(symbols);
  ids.insert(ids.end(), symbols.begin(), symbols.end());
  if (cache->size() < 100000)
    cache->emplace(std::move(key), std::move(symbols));
}
