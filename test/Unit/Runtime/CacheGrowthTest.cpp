//===- CacheGrowthTest.cpp - Which KV cache rows to populate ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/CacheGrowth.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

using namespace attnc::runtime;

namespace {

/// Plays calls against a CacheGrowth and keeps, per region, which rows have
/// been populated, as a model's caches would be.
class Cache {
public:
  Cache(int64_t regions, int64_t maxRows, int64_t rowBytes, int64_t pageBytes)
      : growth(regions, maxRows, rowBytes, pageBytes),
        rows(regions, std::vector<int>(maxRows, 0)), prefix(regions, 0),
        counts(regions, 0), maxRows(maxRows) {}

  /// A call of `tokens` rows after `length`: returns the rows it populated
  /// and checks what every call must leave behind.
  int64_t call(int64_t length, int64_t tokens) {
    int64_t end = length + tokens;
    furthest = std::max(furthest, end);
    int64_t populated = 0;
    for (const CacheGrowth::Range &range : growth.plan(end, tokens)) {
      EXPECT_LE(0, range.begin);
      EXPECT_LT(range.begin, range.end);
      EXPECT_LE(range.end, maxRows);
      for (int64_t row = range.begin; row < range.end; ++row) {
        // Each row is populated once.
        EXPECT_EQ(rows[range.region][row], 0)
            << "region " << range.region << " row " << row;
        rows[range.region][row] = 1;
        ++counts[range.region];
        ++populated;
      }
    }
    // Every row the call writes is there before it runs.
    for (size_t region = 0; region < rows.size(); ++region) {
      while (prefix[region] < maxRows && rows[region][prefix[region]])
        ++prefix[region];
      EXPECT_GE(prefix[region], std::min(end, maxRows))
          << "region " << region << " in a call to " << end;
    }
    return populated;
  }

  /// Rows populated in the region that holds the most.
  int64_t getMostRows() const {
    return *std::max_element(counts.begin(), counts.end());
  }

  /// The furthest row end any call has written.
  int64_t getFurthest() const { return furthest; }

  CacheGrowth growth;

private:
  int64_t furthest = 0;
  std::vector<std::vector<int>> rows;
  /// Per region: the populated rows from row 0 on, and all populated rows.
  std::vector<int64_t> prefix, counts;
  int64_t maxRows;
};

// The 134M Llama with an f16 cache: 12 layers x keys and values x 12 KV
// heads, 64-dim rows of 128 bytes, 32 to a 4 KiB page.
constexpr int64_t kRegions = 288, kRowBytes = 128, kPage = 4096;

TEST(CacheGrowthTest, PrefillPaysForItsRowsAndTheLookahead) {
  Cache cache(kRegions, 4096, kRowBytes, kPage);
  EXPECT_EQ(cache.growth.getChunkRows(), 32);
  EXPECT_EQ(cache.growth.getLookaheadRows(), 64);
  // 512 rows and the lookahead, in whole chunks, in every region.
  EXPECT_EQ(cache.call(0, 512), kRegions * 576);
  EXPECT_EQ(cache.growth.getPopulatedRows(), 576);
}

TEST(CacheGrowthTest, DecodeStepsPopulateAFewPagesEach) {
  Cache cache(kRegions, 4096, kRowBytes, kPage);
  cache.call(0, 512);
  // 1000 decode steps after the prefill: none grows the cache at once; each
  // populates at most ceil(288 / 32) = 9 regions' next chunk.
  for (int64_t length = 512; length < 1512; ++length) {
    int64_t populated = cache.call(length, 1);
    EXPECT_LE(populated, 9 * 32) << "step at " << length;
    // The populated rows stay within two chunks and the lookahead.
    EXPECT_LE(cache.getMostRows(), length + 1 + 64 + 2 * 32);
  }
  // What a page-granular growth needs: the rows written and the lookahead.
  EXPECT_GE(cache.growth.getPopulatedRows(), 1512 + 32);
}

TEST(CacheGrowthTest, StopsAtTheCacheEnd) {
  Cache cache(6, 100, kRowBytes, kPage);
  cache.call(0, 60);
  EXPECT_EQ(cache.growth.getPopulatedRows(), 100);
  for (int64_t length = 60; length < 100; ++length)
    EXPECT_EQ(cache.call(length, 1), 0);
}

TEST(CacheGrowthTest, FewRegionsDoNotRunAhead) {
  // One region: each step could populate a whole chunk; the lead stays
  // bounded instead.
  Cache cache(1, 4096, kRowBytes, kPage);
  for (int64_t length = 0; length < 1000; ++length) {
    cache.call(length, 1);
    EXPECT_LE(cache.getMostRows(), length + 1 + 64 + 2 * 32);
  }
}

TEST(CacheGrowthTest, RowsLargerThanAPage) {
  // f32 rows of 2048 dims: 8 KiB, a chunk of one row.
  Cache cache(4, 64, 8192, kPage);
  EXPECT_EQ(cache.growth.getChunkRows(), 1);
  for (int64_t length = 0; length < 64; ++length)
    cache.call(length, 1);
  EXPECT_EQ(cache.growth.getPopulatedRows(), 64);
}

TEST(CacheGrowthTest, PrefillsAfterDecodeStepsAndResets) {
  Cache cache(kRegions, 2048, kRowBytes, kPage);
  cache.call(0, 1);
  cache.call(1, 1);
  // A reset: the sequence starts again over rows already populated.
  cache.call(0, 37);
  for (int64_t length = 37; length < 90; ++length)
    cache.call(length, 1);
  // A prefill in the middle of a chunk that decode steps have begun.
  cache.call(90, 300);
  cache.call(390, 5);
  EXPECT_LE(cache.getMostRows(), 395 + 64 + 2 * 32);
}

// Random caches and random sequences of calls as a runner makes them
// (prefills, decode steps, resets and truncations), checked by Cache::call:
// every written row populated before its call, each row once, never past
// the cache; and the lead over the sequence bounded.
TEST(CacheGrowthTest, RandomSequences) {
  std::mt19937 rng(13);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  for (int config = 0; config < 60; ++config) {
    int64_t regions = pick(1, 64), maxRows = pick(1, 700);
    int64_t rowBytes = pick(1, 3) == 1 ? pick(4096, 20000) : pick(2, 1024);
    int64_t page = pick(0, 1) ? 4096 : 65536;
    Cache cache(regions, maxRows, rowBytes, page);
    int64_t chunk = cache.growth.getChunkRows();
    int64_t length = 0;
    for (int call = 0; call < 300 && !HasFailure(); ++call) {
      int64_t kind = pick(0, 9);
      if (kind == 0) {
        length = 0; // reset
        continue;
      }
      if (kind == 1) {
        length = pick(0, length); // truncate
        continue;
      }
      int64_t room = maxRows - length;
      if (room == 0) {
        length = 0;
        continue;
      }
      int64_t tokens = kind == 2 ? pick(1, room) : 1;
      cache.call(length, tokens);
      length += tokens;
      // The lead: at most the lookahead and two chunks past the furthest
      // row written so far.
      EXPECT_LE(cache.getMostRows(),
                std::min(maxRows, std::max(cache.getFurthest(), length) +
                                      cache.growth.getLookaheadRows() +
                                      2 * chunk))
          << "regions " << regions << " rows " << maxRows << " row bytes "
          << rowBytes << " page " << page;
    }
  }
}

// Calls whose sizes a runner never passes still plan within the cache.
TEST(CacheGrowthTest, OutOfRangeCalls) {
  CacheGrowth growth(4, 100, 128, 4096);
  for (const CacheGrowth::Range &range : growth.plan(1000, int64_t(1) << 62)) {
    EXPECT_LE(0, range.begin);
    EXPECT_LE(range.end, 100);
  }
  EXPECT_EQ(growth.getPopulatedRows(), 100);
  CacheGrowth none(0, 100, 128, 4096);
  EXPECT_TRUE(none.plan(10, 10).empty());
  CacheGrowth empty(4, 0, 128, 4096);
  EXPECT_TRUE(empty.plan(10, 10).empty());
  CacheGrowth negative(4, 100, 128, 4096);
  for (const CacheGrowth::Range &range : negative.plan(-5, -5)) {
    EXPECT_LE(0, range.begin);
    EXPECT_LE(range.end, 100);
  }
}

} // namespace
