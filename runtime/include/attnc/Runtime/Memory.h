//===- Memory.h - The process's heap for large working sets -----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_MEMORY_H
#define ATTNC_RUNTIME_MEMORY_H

#include <cstddef>
#include <string>

namespace attnc::runtime {

/// Transparent huge pages: 2 MiB.
inline constexpr size_t kHugePage = size_t(2) << 20;

/// Asks for transparent huge pages on the whole 2 MiB pages of [data,
/// data + bytes). Where a 4 KiB page fault is expensive (~13 us on the
/// virtual machines this was measured on), faulting memory in 2 MiB at a
/// time costs a small fraction of it. Only advice: nothing changes where
/// THP is off.
void adviseHugePages(void *data, size_t bytes);

/// Maps `bytes` at a 2 MiB-aligned address: the file `fd` from its start,
/// read-only and private, or (fd < 0) zeroed anonymous memory, readable and
/// writable. Huge pages take an aligned address to map a file's large
/// page-cache folios, or to back anonymous memory, with one entry each.
/// MAP_FAILED (errno set) when the kernel refuses; munmap(p, bytes) frees.
void *mapOnHugePageBoundary(size_t bytes, int fd = -1);

/// Faults in the pages of [data, data + bytes) now, in one call where the
/// kernel can (MADV_POPULATE_WRITE or _READ, Linux 5.14), else by touching
/// a byte of each page; `forWriting` maps them writable without changing
/// what they hold. False when the kernel could not (out of memory; a page
/// past a file's end).
bool populatePages(void *data, size_t bytes, bool forWriting);

/// Readies this process's malloc heap for large working sets, as a model's
/// activations and a tokenizer's tables are: blocks up to 256 MiB stay in
/// the heap (rather than in mappings of their own, zeroed anew each time),
/// freed heap memory stays mapped, and the heap grows by `reserveBytes`
/// now, untouched, with transparent huge pages advised on it, so that its
/// first touches fault 2 MiB at a time (a 4 KiB fault cost ~12 us on the
/// AMD EPYC VM measured). Calling it again advises the heap it grows to.
/// With glibc only; elsewhere it does nothing.
void prepareHeap(size_t reserveBytes);

/// The mapping (a /proc/self/smaps entry) that holds `address`: its first
/// line (range, permissions, name) and its fields, or "" where there is
/// none or no /proc.
std::string describeMapping(const void *address);

/// Bytes of the mapping that holds `address` that the kernel maps with one
/// entry per 2 MiB (anonymous transparent huge pages, or large page-cache
/// folios of a file: smaps' AnonHugePages, FilePmdMapped and
/// ShmemPmdMapped); 0 where unknown.
size_t getHugePageMappedBytes(const void *address);

/// What ModelRunner::load reserves for a model's activations, and what a
/// tool that loads a tokenizer first reserves before it, for both.
inline constexpr size_t kModelHeapBytes = size_t(240) << 20;

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_MEMORY_H
