//===- AtomicFile.cpp - Files replaced in one rename ------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/AtomicFile.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

using namespace attnc::runtime;

Expected<AtomicFile> AtomicFile::create(const std::string &path) {
  static std::atomic<uint64_t> counter{0};
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  for (int attempt = 0; attempt < 128; ++attempt) {
    // A name no other writer picks: process, time and a counter.
    uint64_t seed =
        static_cast<uint64_t>(getpid()) * 0x9E3779B97F4A7C15ULL ^
        static_cast<uint64_t>(
            std::chrono::steady_clock::now().time_since_epoch().count()) ^
        (counter.fetch_add(1) * 0xBF58476D1CE4E5B9ULL);
    std::string temporary = path + ".tmp-";
    for (int i = 0; i < 6; ++i, seed /= 36)
      temporary += digits[seed % 36];
    int fd = ::open(temporary.c_str(),
                    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST)
      continue;
    if (fd < 0)
      return Error::failure(std::string("cannot open file for writing: ") +
                            std::strerror(errno));
    std::FILE *stream = ::fdopen(fd, "wb");
    if (!stream) {
      int savedErrno = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      return Error::failure(std::string("cannot open file for writing: ") +
                            std::strerror(savedErrno));
    }
    return AtomicFile(path, std::move(temporary), stream);
  }
  return Error::failure("cannot open file for writing: no free temporary "
                        "name beside it");
}

AtomicFile::AtomicFile(AtomicFile &&other) noexcept
    : path(std::move(other.path)),
      temporaryPath(std::move(other.temporaryPath)), stream(other.stream),
      committed(other.committed) {
  other.stream = nullptr;
  other.committed = true; // nothing left for it to remove
}

AtomicFile::~AtomicFile() {
  if (committed)
    return;
  if (stream)
    std::fclose(stream);
  ::unlink(temporaryPath.c_str());
}

Error AtomicFile::commit() {
  if (committed)
    return Error::success();
  bool failed = std::ferror(stream) != 0;
  int savedErrno = errno;
  if (std::fclose(stream) != 0 && !failed) {
    failed = true;
    savedErrno = errno;
  }
  stream = nullptr;
  if (!failed && std::rename(temporaryPath.c_str(), path.c_str()) != 0) {
    failed = true;
    savedErrno = errno;
  }
  if (failed) {
    ::unlink(temporaryPath.c_str());
    committed = true;
    return Error::failure(std::string("cannot write file: ") +
                          std::strerror(savedErrno ? savedErrno : EIO));
  }
  committed = true;
  return Error::success();
}
