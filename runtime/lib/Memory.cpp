//===- Memory.cpp - The process's heap for large working sets ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Memory.h"

#include <cstdint>
#include <cstdlib>

#include <sys/mman.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

void attnc::runtime::adviseHugePages(void *data, size_t bytes) {
#ifdef MADV_HUGEPAGE
  auto begin = reinterpret_cast<uintptr_t>(data);
  uintptr_t first = (begin + kHugePage - 1) / kHugePage * kHugePage;
  uintptr_t last = (begin + bytes) / kHugePage * kHugePage;
  if (last > first)
    (void)madvise(reinterpret_cast<void *>(first), last - first, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

void attnc::runtime::prepareHeap(size_t reserveBytes) {
#ifdef __GLIBC__
  // By default glibc serves blocks of megabytes with fresh mmaps, and trims
  // the heap after they are freed, so that every forward call of a model
  // paid page faults on zeroed pages (~10% of a 512-token GPT-2-small
  // prefill).
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  if (reserveBytes == 0)
    return;
  // Under the mmap threshold the block grows the heap; freed, it stays
  // there (the trim threshold) for later allocations to fault in.
  void *block = std::malloc(reserveBytes);
  if (!block)
    return;
  adviseHugePages(block, reserveBytes);
  std::free(block);
#else
  (void)reserveBytes;
#endif
}
