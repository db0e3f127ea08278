//===- TestFiles.h - Temporary files for the runtime tests ------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TEST_UNIT_RUNTIME_TESTFILES_H
#define ATTNC_TEST_UNIT_RUNTIME_TESTFILES_H

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>

namespace attnc::runtime::test {

/// A fixture with a fresh directory for the files of one test, removed after.
class TempDirTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::random_device random;
    dir = std::filesystem::path(::testing::TempDir()) /
          ("attnc-runtime-" + std::to_string(random()) + "-" +
           std::to_string(random()));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    ASSERT_FALSE(ec) << "cannot create " << dir << ": " << ec.message();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  /// The path of `name` in the test's directory.
  std::string path(std::string_view name) const {
    return (dir / std::string(name)).string();
  }

  /// Writes `bytes` to `name` in the test's directory; returns its path.
  std::string writeFile(std::string_view name, std::string_view bytes) const {
    std::string result = path(name);
    std::ofstream out(result, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    out.close();
    EXPECT_TRUE(out.good()) << "cannot write " << result;
    return result;
  }

  /// The whole contents of the file at `filePath`.
  static std::string readFile(const std::string &filePath) {
    std::ifstream in(filePath, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::filesystem::path dir;
};

/// A .npy file of the given version with `dict` as its header, unpadded.
inline std::string makeNpy(unsigned major, std::string_view dict,
                           std::string_view data) {
  std::string bytes("\x93NUMPY", 6);
  bytes += char(major);
  bytes += char(0);
  uint32_t length = uint32_t(dict.size());
  for (int i = 0, e = major == 1 ? 2 : 4; i < e; ++i)
    bytes += char((length >> (8 * i)) & 0xFF);
  bytes += dict;
  bytes += data;
  return bytes;
}

} // namespace attnc::runtime::test

#endif // ATTNC_TEST_UNIT_RUNTIME_TESTFILES_H
