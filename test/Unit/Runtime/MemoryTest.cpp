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
#include <sstream>
#include <string>

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

} // namespace
