//===- Memory.cpp - The process's heap for large working sets ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Memory.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

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

std::string attnc::runtime::describeMapping(const void *address) {
  auto at = reinterpret_cast<uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line, entry;
  bool inside = false;
  while (std::getline(smaps, line)) {
    // Entries start with "begin-end"; field lines with a name.
    uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> begin >> dash >> end && dash == '-') {
      if (inside)
        break;
      inside = begin <= at && at < end;
      if (inside)
        entry = line + "\n";
      continue;
    }
    if (inside)
      entry += line + "\n";
  }
  return entry;
}

size_t attnc::runtime::getHugePageMappedBytes(const void *address) {
  std::istringstream entry(describeMapping(address));
  std::string line;
  size_t kilobytes = 0;
  while (std::getline(entry, line))
    for (const char *field :
         {"AnonHugePages:", "FilePmdMapped:", "ShmemPmdMapped:"})
      if (line.rfind(field, 0) == 0)
        kilobytes +=
            std::strtoull(line.c_str() + std::strlen(field), nullptr, 10);
  return kilobytes << 10;
}
