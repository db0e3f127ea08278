//===- LibraryFunctionsFuzzer.cpp - fuzz the library lister -----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The input is a whole file, read as `attnc-run call lib.so` reads a library
// for the names of its functions (listLibraryFunctions: the ELF dynamic
// symbol table, every offset checked against the file). What it lists must
// be sorted, without empty names or destination-passing entry points.
//
//===----------------------------------------------------------------------===//

#include "Fuzz.h"

#include "attnc/Runtime/Library.h"
#include "attnc/Runtime/Symbols.h"

#include <algorithm>

using namespace attnc::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static attnc::fuzz::MemoryFile file("fuzz.so");
  file.write(std::string_view(reinterpret_cast<const char *>(data), size));
  Expected<std::vector<std::string>> names =
      listLibraryFunctions(file.getPath());
  if (!names) {
    FUZZ_CHECK(!names.getError().getMessage().empty(), "empty error");
    return 0;
  }
  FUZZ_CHECK(std::is_sorted(names->begin(), names->end()), "not sorted");
  std::string_view into = attnc_symbols::kDestinationEntryPrefix;
  for (const std::string &name : *names) {
    FUZZ_CHECK(!name.empty(), "an empty function name");
    FUZZ_CHECK(name.compare(0, into.size(), into) != 0,
               "a destination-passing entry point listed: " + name);
  }
  return 0;
}
