//===- AtomicFileTest.cpp - Files replaced in one rename --------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// AtomicFile writes beside the destination and renames: an abandoned or
// failed write leaves the earlier file as it was and no temporary file.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/AtomicFile.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

using namespace attnc::runtime;
namespace fs = std::filesystem;

namespace {

class AtomicFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    directory = fs::temp_directory_path() /
                ("attnc-atomic-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory);
    fs::create_directories(directory);
    path = (directory / "out.bin").string();
  }
  void TearDown() override { fs::remove_all(directory); }

  void writeDirectly(const std::string &text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  std::string read() const {
    std::ifstream in(path, std::ios::binary);
    std::stringstream contents;
    contents << in.rdbuf();
    return contents.str();
  }
  /// The entries of the directory besides the destination.
  size_t countOthers() const {
    size_t count = 0;
    for (const auto &entry : fs::directory_iterator(directory))
      count += entry.path().string() != path;
    return count;
  }

  fs::path directory;
  std::string path;
};

TEST_F(AtomicFileTest, CommitReplacesTheFile) {
  writeDirectly("old contents");
  Expected<AtomicFile> file = AtomicFile::create(path);
  ASSERT_TRUE(file) << file.getError().getMessage();
  std::fputs("new", file->getStream());
  // Until the commit, the destination is the earlier file.
  EXPECT_EQ(read(), "old contents");
  EXPECT_EQ(countOthers(), 1u);
  EXPECT_FALSE(file->commit());
  EXPECT_EQ(read(), "new");
  EXPECT_EQ(countOthers(), 0u);
}

TEST_F(AtomicFileTest, AbandonedWriteLeavesTheEarlierFile) {
  writeDirectly("old contents");
  {
    Expected<AtomicFile> file = AtomicFile::create(path);
    ASSERT_TRUE(file) << file.getError().getMessage();
    std::fputs("half", file->getStream());
  }
  EXPECT_EQ(read(), "old contents");
  EXPECT_EQ(countOthers(), 0u);
}

TEST_F(AtomicFileTest, AbandonedWriteLeavesNoFile) {
  {
    Expected<AtomicFile> file = AtomicFile::create(path);
    ASSERT_TRUE(file) << file.getError().getMessage();
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(countOthers(), 0u);
}

TEST_F(AtomicFileTest, MissingDirectory) {
  Expected<AtomicFile> file =
      AtomicFile::create((directory / "no-such-dir" / "out.bin").string());
  ASSERT_FALSE(file);
  EXPECT_EQ(file.getError().getMessage(),
            "cannot open file for writing: No such file or directory");
}

TEST_F(AtomicFileTest, FailedRenameKeepsTheDestination) {
  // A directory in the way: the rename fails, nothing is left behind.
  fs::create_directories(path);
  Expected<AtomicFile> file = AtomicFile::create(path);
  ASSERT_TRUE(file) << file.getError().getMessage();
  std::fputs("data", file->getStream());
  Error error = file->commit();
  ASSERT_TRUE(error);
  EXPECT_EQ(error.getMessage(), "cannot write file: Is a directory");
  EXPECT_TRUE(fs::is_directory(path));
  EXPECT_EQ(countOthers(), 0u);
}

} // namespace
