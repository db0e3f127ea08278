//===- AtomicFile.h - Files replaced in one rename --------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Output files that are never seen half-written: the contents go to a
// temporary file in the destination's directory (`<path>.tmp-XXXXXX`), which
// is renamed over the destination once complete and closed. A failed write
// leaves the previous file as it was (or no file) and removes the temporary
// one; a process killed meanwhile leaves the previous file too, and at worst
// the temporary one beside it. POSIX only, no LLVM: the runtime's writers
// (writeNpy) use it, and so can programs linking the runtime alone.
//
//   Expected<AtomicFile> file = AtomicFile::create("out.npy");
//   std::fwrite(data, 1, size, file->getStream());
//   if (Error error = file->commit()) ...
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_ATOMICFILE_H
#define ATTNC_RUNTIME_ATOMICFILE_H

#include "attnc/Runtime/Error.h"

#include <cstdio>
#include <string>

namespace attnc::runtime {

class AtomicFile {
public:
  /// Creates the temporary file for `path` (mode 0666 less the umask, as
  /// fopen would). The error reads "cannot open file for writing: <reason>".
  static Expected<AtomicFile> create(const std::string &path);

  AtomicFile(AtomicFile &&other) noexcept;
  AtomicFile &operator=(AtomicFile &&other) = delete;
  AtomicFile(const AtomicFile &) = delete;
  /// Removes the temporary file unless commit() succeeded.
  ~AtomicFile();

  /// Where to write the contents.
  std::FILE *getStream() const { return stream; }
  const std::string &getTemporaryPath() const { return temporaryPath; }

  /// Flushes and closes the file and renames it over the destination. On
  /// failure (a write error seen by the stream, a full disk at close, the
  /// rename) the temporary file is removed and the destination left alone;
  /// the error reads "cannot write file: <reason>".
  Error commit();

private:
  AtomicFile(std::string path, std::string temporaryPath, std::FILE *stream)
      : path(std::move(path)), temporaryPath(std::move(temporaryPath)),
        stream(stream) {}

  std::string path;
  std::string temporaryPath;
  std::FILE *stream = nullptr;
  bool committed = false;
};

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_ATOMICFILE_H
