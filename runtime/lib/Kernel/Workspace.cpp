//===- Workspace.cpp - per-thread pool of compiled code's temporaries -----===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Temporaries of compiled CPU functions (packed key tiles, intermediate
// activations: buffers a function allocates and frees before it returns)
// come from here instead of malloc/free (the attnc-pool-temporaries pass).
// Freed blocks stay in a cache of the thread that freed them, so a function
// called again with the same shapes reuses them: after the first call, no
// allocation, no mmap and no page fault. Results stay on malloc, because
// the caller frees them with free().
//
// Each thread has its own cache (no locks); a block may be freed on another
// thread than the one that allocated it. A thread's cache holds at most
// kMaxCachedBlocks blocks and kMaxCachedBytes, and is released when the
// thread exits or calls attnc_workspace_release(). The code needs libc and
// pthreads only (no libstdc++): libraries link it with the C driver.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Workspace.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <pthread.h>

namespace {

/// Blocks are 64-byte aligned (a cache line, an AVX-512 vector) and carry
/// their capacity in a header of the same size in front of them.
constexpr size_t kAlignment = 64;
/// Capacities are rounded up to this, so that sizes that differ slightly
/// (a sequence one token longer) share blocks.
constexpr size_t kGranule = 4096;
/// A thread keeps at most this many free blocks, and this many bytes.
constexpr int kMaxCachedBlocks = 32;
constexpr size_t kMaxCachedBytes = size_t(1) << 30;

struct alignas(kAlignment) Header {
  size_t capacity;
};
static_assert(sizeof(Header) == kAlignment, "the header keeps alignment");

Header *getHeader(void *block) { return static_cast<Header *>(block) - 1; }

void releaseBlock(void *block) { std::free(getHeader(block)); }

/// The free blocks of one thread. A plain struct: libraries link this file
/// with the C driver, without libstdc++, so thread exit is handled with a
/// pthread key rather than a C++ thread_local destructor.
struct Cache {
  void *blocks[kMaxCachedBlocks];
  int count;
  size_t cachedBytes;

  /// A cached block of at least `bytes` that wastes at most as much as it
  /// holds (a small request does not take a large block), or null.
  void *take(size_t bytes) {
    int best = -1;
    for (int i = 0; i < count; ++i) {
      size_t capacity = getHeader(blocks[i])->capacity;
      if (capacity < bytes || capacity / 2 > bytes)
        continue;
      if (best < 0 || capacity < getHeader(blocks[best])->capacity)
        best = i;
    }
    if (best < 0)
      return nullptr;
    void *block = blocks[best];
    blocks[best] = blocks[--count];
    cachedBytes -= getHeader(block)->capacity;
    return block;
  }

  /// Keeps `block` for later, or frees it when the cache is full.
  void put(void *block) {
    size_t capacity = getHeader(block)->capacity;
    if (count == kMaxCachedBlocks || cachedBytes + capacity > kMaxCachedBytes) {
      releaseBlock(block);
      return;
    }
    blocks[count++] = block;
    cachedBytes += capacity;
  }

  void release() {
    for (int i = 0; i < count; ++i)
      releaseBlock(blocks[i]);
    count = 0;
    cachedBytes = 0;
  }
};

pthread_key_t cacheKey;
pthread_once_t cacheKeyOnce = PTHREAD_ONCE_INIT;
thread_local Cache *threadCache = nullptr;

/// Runs when a thread that used the pool exits.
void destroyCache(void *cache) {
  static_cast<Cache *>(cache)->release();
  std::free(cache);
  threadCache = nullptr;
}

void createCacheKey() {
  if (pthread_key_create(&cacheKey, destroyCache) != 0) {
    std::fprintf(stderr, "attnc: cannot create the workspace's thread key\n");
    std::abort();
  }
}

/// The calling thread's cache, created on first use; null when even that
/// cannot be allocated (blocks are then freed at once).
Cache *getCache() {
  if (threadCache)
    return threadCache;
  pthread_once(&cacheKeyOnce, createCacheKey);
  auto *cache = static_cast<Cache *>(std::calloc(1, sizeof(Cache)));
  if (!cache)
    return nullptr;
  pthread_setspecific(cacheKey, cache);
  threadCache = cache;
  return cache;
}

} // namespace

#define ATTNC_EXPORT extern "C" __attribute__((visibility("default")))

/// A 64-byte aligned block of at least `bytes` bytes. Compiled code calls
/// this for each temporary; it never returns null (it aborts, with a
/// message, when memory is exhausted, as an unchecked malloc would crash).
ATTNC_EXPORT void *attnc_workspace_alloc(int64_t bytes) {
  size_t size = bytes > 0 ? static_cast<size_t>(bytes) : 1;
  Cache *cache = getCache();
  if (void *block = cache ? cache->take(size) : nullptr)
    return block;
  size_t capacity = (size + kGranule - 1) / kGranule * kGranule;
  void *raw = nullptr;
  if (capacity < size ||
      posix_memalign(&raw, kAlignment, sizeof(Header) + capacity) != 0) {
    std::fprintf(stderr,
                 "attnc: out of memory allocating a %lld-byte temporary\n",
                 static_cast<long long>(bytes));
    std::abort();
  }
  auto *header = static_cast<Header *>(raw);
  header->capacity = capacity;
  return header + 1;
}

/// Returns a block of attnc_workspace_alloc to the calling thread's cache.
ATTNC_EXPORT void attnc_workspace_free(void *block) {
  if (!block)
    return;
  if (Cache *cache = getCache())
    cache->put(block);
  else
    releaseBlock(block);
}

/// Frees the blocks the calling thread keeps for later calls.
ATTNC_EXPORT void attnc_workspace_release(void) {
  if (threadCache)
    threadCache->release();
}

/// The bytes the calling thread keeps for later calls.
ATTNC_EXPORT int64_t attnc_workspace_cached_bytes(void) {
  return threadCache ? static_cast<int64_t>(threadCache->cachedBytes) : 0;
}
