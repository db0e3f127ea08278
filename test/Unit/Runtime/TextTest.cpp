//===- TextTest.cpp - Reading whole files -----------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "TestFiles.h"

#include "attnc/Runtime/Text.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

using namespace attnc::runtime;
using attnc::runtime::test::TempDirTest;

namespace {

using ReadFileTest = TempDirTest;

// (TempDirTest has a readFile of its own: the runtime's is named in full.)

// Regular files are read at their size in one piece; files whose size stat
// does not give (/proc) are read to their end all the same.
TEST_F(ReadFileTest, ReadsWholeFiles) {
  std::mt19937 rng(7);
  std::string bytes(3 << 20, '\0');
  for (char &byte : bytes)
    byte = static_cast<char>(rng());
  Expected<std::string> big = attnc::runtime::readFile(writeFile("big.bin", bytes));
  ASSERT_TRUE(big) << big.getError().getMessage();
  EXPECT_EQ(*big, bytes);

  Expected<std::string> empty = attnc::runtime::readFile(writeFile("empty", ""));
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, "");

  Expected<std::string> status = attnc::runtime::readFile("/proc/self/status");
  ASSERT_TRUE(status) << status.getError().getMessage();
  EXPECT_EQ(status->rfind("Name:", 0), 0u);
  EXPECT_NE(status->find("\nPid:"), std::string::npos);

  Expected<std::string> missing = attnc::runtime::readFile(path("missing.json"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.getError().getMessage(),
            "cannot open '" + path("missing.json") +
                "': No such file or directory");
}

} // namespace
