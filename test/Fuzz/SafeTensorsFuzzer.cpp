//===- SafeTensorsFuzzer.cpp - fuzz safetensors files -----------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The input is a whole safetensors file, opened from memory (a memfd) as
// the runtime opens weights. What opens must describe exactly the data after
// the header: every byte of it in one tensor, none outside. Every byte of
// every view is read, so that a view past the mapping faults.
//
//===----------------------------------------------------------------------===//

#include "Fuzz.h"

#include "attnc/Runtime/SafeTensors.h"

#include <algorithm>
#include <vector>

using namespace attnc::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static attnc::fuzz::MemoryFile file("fuzz.safetensors");
  file.write(std::string_view(reinterpret_cast<const char *>(data), size));
  auto opened = SafeTensorsFile::open(file.getPath());
  if (!opened) {
    FUZZ_CHECK(!opened.getError().getMessage().empty(), "empty error");
    return 0;
  }
  const SafeTensorsFile &weights = **opened;

  FUZZ_CHECK(size >= 8, "opened a file shorter than its length field");
  uint64_t headerSize = 0;
  for (int i = 7; i >= 0; --i)
    headerSize = (headerSize << 8) | data[i];
  FUZZ_CHECK(headerSize <= size - 8, "the header is longer than the file");
  uint64_t dataSize = size - 8 - headerSize;

  std::vector<const TensorView *> views;
  uint64_t total = 0;
  unsigned checksum = 0;
  for (const auto &[name, view] : weights.getTensors()) {
    FUZZ_CHECK(name == view.name, "a tensor is filed under another name");
    FUZZ_CHECK(weights.find(name) == &view, "find() misses a tensor");
    int64_t elements = view.getNumElements();
    FUZZ_CHECK(elements >= 0, "negative element count");
    (void)view.describe();
    for (size_t i = 0; i < view.byteSize; ++i)
      checksum += view.data[i];
    total += view.byteSize;
    views.push_back(&view);
  }
  FUZZ_CHECK(total == dataSize, "the tensors do not cover the data exactly");
  // Back to back: sorted by address, each starts where the last ended.
  std::sort(views.begin(), views.end(),
            [](const TensorView *a, const TensorView *b) {
              return a->data < b->data ||
                     (a->data == b->data && a->byteSize < b->byteSize);
            });
  for (size_t i = 1; i < views.size(); ++i)
    FUZZ_CHECK(views[i - 1]->data + views[i - 1]->byteSize == views[i]->data,
               "tensors overlap or leave a hole");
  return static_cast<int>(checksum & 0);
}
