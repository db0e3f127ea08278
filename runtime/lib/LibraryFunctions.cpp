//===- LibraryFunctions.cpp - The functions a library exports ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// listLibraryFunctions (Library.h): the names of a library's
// `attnc_signature_<name>` symbols, read from its ELF dynamic symbol table
// with every offset checked against the file (fuzzed by
// test/Fuzz/LibraryFunctionsFuzzer.cpp), so that attnc-run needs no LLVM
// Object library to list them.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Library.h"
#include "attnc/Runtime/Symbols.h"
#include "attnc/Runtime/Text.h"

#include <algorithm>
#include <cstring>
#include <elf.h>

using namespace attnc::runtime;

namespace {

/// Copies `count` records of `T` at `offset` in `file` (wherever they are
/// aligned) into `records`; false when any byte of them lies outside it.
template <typename T>
bool readRecords(std::string_view file, uint64_t offset, uint64_t count,
                 std::vector<T> &records) {
  if (offset > file.size() || count > (file.size() - offset) / sizeof(T))
    return false;
  records.resize(count);
  if (count != 0)
    std::memcpy(records.data(), file.data() + offset, count * sizeof(T));
  return true;
}

} // namespace

Expected<std::vector<std::string>>
attnc::runtime::listLibraryFunctions(const std::string &path) {
  // Libraries are small (a CUDA one holds its cubin): read it whole, with
  // every offset checked against its size below.
  Expected<std::string> file = readFile(path);
  if (!file)
    return file.takeError();
  auto malformed = [&](const std::string &what) {
    return Error::failure("'" + path + "': " + what);
  };
  std::vector<Elf64_Ehdr> header;
  if (!readRecords(*file, 0, 1, header) ||
      std::memcmp(header[0].e_ident, ELFMAG, SELFMAG) != 0 ||
      header[0].e_ident[EI_CLASS] != ELFCLASS64 ||
      header[0].e_ident[EI_DATA] != ELFDATA2LSB)
    return malformed("not a 64-bit little-endian ELF file");
  if (header[0].e_shnum != 0 && header[0].e_shentsize != sizeof(Elf64_Shdr))
    return malformed("unexpected ELF section header size");
  std::vector<Elf64_Shdr> sections;
  if (!readRecords(*file, header[0].e_shoff, header[0].e_shnum, sections))
    return malformed("section headers outside the file");
  std::string_view prefix = attnc_symbols::kSignaturePrefix;
  std::string_view into = attnc_symbols::kDestinationEntryPrefix;
  std::vector<std::string> names;
  for (const Elf64_Shdr &table : sections) {
    if (table.sh_type != SHT_DYNSYM)
      continue;
    if (table.sh_entsize != sizeof(Elf64_Sym) ||
        table.sh_link >= sections.size())
      return malformed("malformed dynamic symbol table");
    std::vector<Elf64_Sym> symbols;
    std::vector<char> strings;
    const Elf64_Shdr &stringTable = sections[table.sh_link];
    if (!readRecords(*file, table.sh_offset,
                     table.sh_size / sizeof(Elf64_Sym), symbols) ||
        !readRecords(*file, stringTable.sh_offset, stringTable.sh_size,
                     strings))
      return malformed("dynamic symbol table outside the file");
    for (const Elf64_Sym &symbol : symbols) {
      if (symbol.st_shndx == SHN_UNDEF || symbol.st_name >= strings.size())
        continue;
      // A name ends at a NUL inside the string table (or at its end).
      const char *begin = strings.data() + symbol.st_name;
      std::string_view name(begin,
                            strnlen(begin, strings.size() - symbol.st_name));
      if (name.substr(0, prefix.size()) != prefix)
        continue;
      name.remove_prefix(prefix.size());
      // attnc_into_f is f's destination-passing entry point, not a
      // function of its own.
      if (!name.empty() && name.substr(0, into.size()) != into)
        names.emplace_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}
