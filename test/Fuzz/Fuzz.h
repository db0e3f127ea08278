//===- Fuzz.h - helpers shared by the fuzz targets --------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Every fuzz target defines LLVMFuzzerTestOneInput and is linked twice: with
// libFuzzer (ATTNC_FUZZ=ON) to search for crashing inputs, and with
// ReplayMain.cpp in every build to replay its checked-in corpus under ctest.
// A target fails by crashing: a sanitizer report, or FUZZ_CHECK on a property
// that must hold for every input (checks stay on in Release builds).
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TEST_FUZZ_FUZZ_H
#define ATTNC_TEST_FUZZ_FUZZ_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/// Aborts with `message` unless `condition` holds.
#define FUZZ_CHECK(condition, message)                                         \
  do {                                                                         \
    if (!(condition)) {                                                        \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", __FILE__,     \
                   __LINE__, #condition, std::string(message).c_str());        \
      std::abort();                                                            \
    }                                                                          \
  } while (false)

namespace attnc::fuzz {

/// A file that lives in memory (memfd), for the APIs that read paths.
/// Rewritten for every input; its path stays the same.
class MemoryFile {
public:
  explicit MemoryFile(const char *name);
  ~MemoryFile();
  MemoryFile(const MemoryFile &) = delete;
  MemoryFile &operator=(const MemoryFile &) = delete;

  /// Replaces the contents with `bytes`.
  void write(std::string_view bytes);
  /// "/proc/self/fd/N".
  const std::string &getPath() const { return path; }

private:
  int fd;
  std::string path;
};

/// Splits `input` at the first occurrence of `separator`: the part before it
/// is returned and removed from `input` with the separator. Without one, all
/// of `input` is returned and `input` becomes empty.
std::string_view takeUntil(std::string_view &input,
                           std::string_view separator);

} // namespace attnc::fuzz

#endif // ATTNC_TEST_FUZZ_FUZZ_H
