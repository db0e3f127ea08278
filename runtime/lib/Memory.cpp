//===- Memory.cpp - The process's heap for large working sets ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Memory.h"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <sys/mman.h>
#include <unistd.h>
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

namespace {
uintptr_t getPageSize() {
  static const auto pageSize = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  return pageSize;
}
} // namespace

void *attnc::runtime::mapOnHugePageBoundary(size_t bytes, int fd) {
  // Reserve a huge page more than needed, map over the aligned part and
  // give back the rest.
  void *reserved = ::mmap(nullptr, bytes + kHugePage, PROT_NONE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (reserved == MAP_FAILED)
    return MAP_FAILED;
  auto begin = reinterpret_cast<uintptr_t>(reserved);
  uintptr_t aligned = (begin + kHugePage - 1) / kHugePage * kHugePage;
  void *mapping = fd < 0
                      ? ::mmap(reinterpret_cast<void *>(aligned), bytes,
                               PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
                      : ::mmap(reinterpret_cast<void *>(aligned), bytes,
                               PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
  if (mapping == MAP_FAILED) {
    int error = errno;
    ::munmap(reserved, bytes + kHugePage);
    errno = error;
    return MAP_FAILED;
  }
  uintptr_t pageSize = getPageSize();
  uintptr_t mappedEnd = aligned + (bytes + pageSize - 1) / pageSize * pageSize;
  uintptr_t reservedEnd = begin + bytes + kHugePage;
  if (aligned > begin)
    ::munmap(reserved, aligned - begin);
  if (reservedEnd > mappedEnd)
    ::munmap(reinterpret_cast<void *>(mappedEnd), reservedEnd - mappedEnd);
  return mapping;
}

bool attnc::runtime::populatePages(void *data, size_t bytes, bool forWriting) {
  if (bytes == 0)
    return true;
  uintptr_t pageSize = getPageSize();
  auto begin = reinterpret_cast<uintptr_t>(data);
  uintptr_t first = begin / pageSize * pageSize;
  uintptr_t last = (begin + bytes + pageSize - 1) / pageSize * pageSize;
#if defined(MADV_POPULATE_WRITE) && defined(MADV_POPULATE_READ)
  if (::madvise(reinterpret_cast<void *>(first), last - first,
                forWriting ? MADV_POPULATE_WRITE : MADV_POPULATE_READ) == 0)
    return true;
  if (errno != EINVAL)
    return false;
#endif
  // Kernels before Linux 5.14: touch a byte of each page.
  for (uintptr_t page = first; page < last; page += pageSize) {
    auto *byte = reinterpret_cast<volatile char *>(page);
    if (forWriting)
      *byte = *byte;
    else
      (void)*byte;
  }
  return true;
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
