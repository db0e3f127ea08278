//===- CacheGrowth.h - Populating a KV cache ahead of writes ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// A compiled model's KV cache is head-major: each (layer, key or value, KV
// head) owns a region of max-seq rows, and a sequence grows every region by
// one row a token. ModelRunner maps the whole cache at load but faults its
// pages in only as the sequence reaches them, in batches (MADV_POPULATE_WRITE:
// on the AMD EPYC VM measured, 2-3 us a 4 KiB page against ~12 us for a page
// fault taken by the kernel that writes the row).
//
// CacheGrowth decides which rows to fault in before each forward call, so
// that
//  - every row a call writes is populated before it runs;
//  - a prefill pays for its own rows plus a small lookahead, which covers the
//    decode steps after it;
//  - a decode step then populates only a share of the next chunk of rows (a
//    page of every region), a few regions a step, instead of stalling on a
//    whole doubling of the cache at positions 512, 1024, 2048... (the 134M
//    Llama's bf16 decode step at position 2048 took 20 ms in a stream of
//    6 ms steps; its first step after a 512-token prompt 12 ms).
//
// It only plans; the caller owns the memory.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_CACHEGROWTH_H
#define ATTNC_RUNTIME_CACHEGROWTH_H

#include <cstdint>
#include <vector>

namespace attnc::runtime {

class CacheGrowth {
public:
  /// Rows [begin, end) of one region to fault in.
  struct Range {
    int64_t region;
    int64_t begin;
    int64_t end;
    bool operator==(const Range &other) const {
      return region == other.region && begin == other.begin && end == other.end;
    }
  };

  /// `regions` regions of `maxRows` rows of `rowBytes` bytes each, on pages
  /// of `pageBytes`. A decode step populates rows a chunk at a time: the rows
  /// on one page of a region (at least one row).
  CacheGrowth(int64_t regions, int64_t maxRows, int64_t rowBytes,
              int64_t pageBytes);

  /// The ranges to populate before a call that writes `tokens` rows, the
  /// last of them at row `end - 1`; afterwards every row before `end` and
  /// the lookahead of every region are populated (up to maxRows).
  std::vector<Range> plan(int64_t end, int64_t tokens);

  /// Rows of every region populated so far.
  int64_t getPopulatedRows() const { return full; }
  /// Rows per chunk (a page's worth).
  int64_t getChunkRows() const { return chunk; }
  /// Rows beyond a call's last that are populated when a call has to grow
  /// the cache at once (after a prefill, or for the first call).
  int64_t getLookaheadRows() const { return kLookaheadChunks * chunk; }

private:
  static constexpr int64_t kLookaheadChunks = 2;

  int64_t regions, maxRows, chunk;
  /// Every region holds rows [0, full); regions [0, cursor) hold
  /// [0, full + chunk) as well.
  int64_t full = 0, cursor = 0;
};

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_CACHEGROWTH_H
