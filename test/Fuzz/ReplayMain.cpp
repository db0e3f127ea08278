//===- ReplayMain.cpp - replay a fuzz corpus without libFuzzer --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The main() of attnc-fuzz-replay-<target>: feeds every file named on the
// command line, and every file under every directory named, to the target's
// LLVMFuzzerTestOneInput once, in sorted order, each in a buffer of exactly
// its size (so that a sanitizer sees a read past the end). It needs no
// libFuzzer, so any build replays the corpora as a regression test. Exits 1
// when it found no input at all, so that a moved corpus cannot pass silently.
//
//===----------------------------------------------------------------------===//

#include "Fuzz.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

namespace fs = std::filesystem;

extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc,
                                                          char ***argv);

int main(int argc, char **argv) {
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(&argc, &argv);
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    std::error_code error;
    fs::path arg(argv[i]);
    if (!fs::is_directory(arg, error)) {
      inputs.push_back(arg);
      continue;
    }
    for (fs::recursive_directory_iterator it(arg, error), end;
         !error && it != end; it.increment(error))
      if (it->is_regular_file(error))
        inputs.push_back(it->path());
    if (error) {
      std::fprintf(stderr, "error: cannot list '%s': %s\n", argv[i],
                   error.message().c_str());
      return 1;
    }
  }
  std::sort(inputs.begin(), inputs.end());
  for (const fs::path &path : inputs) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "error: cannot read '%s'\n", path.c_str());
      return 1;
    }
    std::vector<char> bytes((std::istreambuf_iterator<char>(file)),
                            std::istreambuf_iterator<char>());
    // A heap copy of exactly the input's size.
    std::unique_ptr<uint8_t[]> data(new uint8_t[bytes.size()]);
    std::copy(bytes.begin(), bytes.end(), data.get());
    std::fprintf(stderr, "replaying %s\n", path.c_str());
    LLVMFuzzerTestOneInput(data.get(), bytes.size());
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "error: no inputs to replay\n");
    return 1;
  }
  std::fprintf(stderr, "replayed %zu inputs\n", inputs.size());
  return 0;
}
