//===- MemoryTest.cpp - The heap prepareHeap readies ------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Memory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <sys/mman.h>

using namespace attnc::runtime;

namespace {

bool transparentHugePagesOnAdvice() {
  std::ifstream file("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string setting;
  std::getline(file, setting);
  return setting.find("[never]") == std::string::npos && !setting.empty();
}

// Blocks of megabytes come from the heap, advised to use huge pages, not
// from mappings of their own.
#if defined(__SANITIZE_ADDRESS__)
#define ATTNC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ATTNC_ASAN 1
#endif
#endif

TEST(MemoryTest, LargeBlocksComeFromTheAdvisedHeap) {
#if !defined(__GLIBC__)
  GTEST_SKIP() << "prepareHeap does nothing without glibc";
#elif defined(ATTNC_ASAN)
  GTEST_SKIP() << "AddressSanitizer's allocator replaces glibc's heap";
#else
  prepareHeap(size_t(64) << 20);
  size_t bytes = size_t(8) << 20;
  auto *block = static_cast<char *>(std::malloc(bytes));
  ASSERT_NE(block, nullptr);
  std::memset(block, 1, bytes);
  std::string mapping = describeMapping(block + bytes / 2);
  std::free(block);
  ASSERT_FALSE(mapping.empty());
  EXPECT_NE(mapping.find("[heap]"), std::string::npos) << mapping;
  if (!transparentHugePagesOnAdvice())
    GTEST_SKIP() << "transparent huge pages are off on this machine";
  size_t field = mapping.find("THPeligible:");
  ASSERT_NE(field, std::string::npos) << mapping;
  EXPECT_EQ(std::atoi(mapping.c_str() + field + 12), 1) << mapping;
#endif
}

// Anonymous memory on a 2 MiB boundary, zeroed and writable; populating
// it for writing keeps what it holds.
TEST(MemoryTest, AnonymousMappingsOnHugePageBoundaries) {
  size_t bytes = (size_t(3) << 20) + 5;
  void *mapping = mapOnHugePageBoundary(bytes);
  ASSERT_NE(mapping, MAP_FAILED);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(mapping) % kHugePage, 0u);
  auto *data = static_cast<unsigned char *>(mapping);
  EXPECT_EQ(data[0], 0);
  EXPECT_EQ(data[bytes - 1], 0);
  data[4096 + 7] = 42;
  EXPECT_TRUE(populatePages(data + 100, bytes - 200, /*forWriting=*/true));
  EXPECT_EQ(data[4096 + 7], 42);
  EXPECT_TRUE(populatePages(data, bytes, /*forWriting=*/false));
  EXPECT_EQ(data[bytes - 1], 0);
  EXPECT_EQ(::munmap(mapping, bytes), 0);
}

} // namespace
