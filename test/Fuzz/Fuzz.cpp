//===- Fuzz.cpp - helpers shared by the fuzz targets ------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "Fuzz.h"

#include <sys/mman.h>
#include <unistd.h>

using namespace attnc::fuzz;

MemoryFile::MemoryFile(const char *name) : fd(::memfd_create(name, 0)) {
  FUZZ_CHECK(fd >= 0, "memfd_create failed");
  path = "/proc/self/fd/" + std::to_string(fd);
}

MemoryFile::~MemoryFile() { ::close(fd); }

void MemoryFile::write(std::string_view bytes) {
  FUZZ_CHECK(::ftruncate(fd, 0) == 0, "ftruncate failed");
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n =
        ::pwrite(fd, bytes.data() + done, bytes.size() - done, done);
    FUZZ_CHECK(n > 0, "pwrite failed");
    done += static_cast<size_t>(n);
  }
}

std::string_view attnc::fuzz::takeUntil(std::string_view &input,
                                        std::string_view separator) {
  size_t at = input.find(separator);
  std::string_view head = input.substr(0, at);
  input = at == std::string_view::npos
              ? std::string_view()
              : input.substr(at + separator.size());
  return head;
}
