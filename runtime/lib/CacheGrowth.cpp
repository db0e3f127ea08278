//===- CacheGrowth.cpp - Faulting in a KV cache ahead of its writes -------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/CacheGrowth.h"

#include <algorithm>

using namespace attnc::runtime;

CacheGrowth::CacheGrowth(int64_t regions, int64_t maxRows, int64_t rowBytes,
                         int64_t pageBytes)
    : regions(std::max<int64_t>(regions, 0)),
      maxRows(std::max<int64_t>(maxRows, 0)),
      chunk(std::max<int64_t>(pageBytes / std::max<int64_t>(rowBytes, 1), 1)) {}

std::vector<CacheGrowth::Range> CacheGrowth::plan(int64_t end, int64_t tokens) {
  std::vector<Range> ranges;
  if (regions == 0 || full >= maxRows)
    return ranges;
  end = std::min(std::max<int64_t>(end, 0), maxRows);
  tokens = std::min(std::max<int64_t>(tokens, 1), maxRows);
  int64_t lookahead = getLookaheadRows();

  // The call would write rows that are not populated everywhere, or come
  // within a chunk of them: everything up to its end and the lookahead now,
  // in whole chunks.
  if (end + chunk > full) {
    int64_t target =
        std::min(maxRows, (end + lookahead + chunk - 1) / chunk * chunk);
    for (int64_t region = 0; region < regions; ++region) {
      int64_t begin = region < cursor ? std::min(full + chunk, maxRows) : full;
      if (begin < target)
        ranges.push_back({region, begin, target});
    }
    full = target;
    cursor = 0;
    return ranges;
  }

  // Otherwise keep the populated rows between `lookahead` and `lookahead +
  // chunk` ahead of the sequence: this call populates the next chunk of
  // tokens * regions / chunk regions (rounded up), so that the populated
  // rows advance a row a token, a page at a time.
  if (full >= end + lookahead + chunk)
    return ranges;
  int64_t share =
      std::min(regions - cursor, (tokens * regions + chunk - 1) / chunk);
  int64_t next = std::min(full + chunk, maxRows);
  for (int64_t region = cursor; region < cursor + share; ++region)
    ranges.push_back({region, full, next});
  cursor += share;
  if (cursor == regions) {
    full = next;
    cursor = 0;
  }
  return ranges;
}
