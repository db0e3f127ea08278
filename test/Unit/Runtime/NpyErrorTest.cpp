//===- NpyErrorTest.cpp - What the .npy reader rejects ----------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Every way a .npy file can be wrong gives a one-line error that names the
// file and the reason; none crashes or allocates what the header claims
// before checking it against the file size.
//
//===----------------------------------------------------------------------===//

#include "TestFiles.h"

#include "attnc/Runtime/Npy.h"

#include <gtest/gtest.h>

#include <random>

using namespace attnc::runtime;
using namespace attnc::runtime::test;
using namespace std::string_view_literals;

namespace {

class NpyErrorTest : public TempDirTest {
protected:
  /// A valid file: a (2, 3) f32 array, as writeNpy writes it.
  std::string validBytes() {
    Expected<Tensor> tensor = Tensor::create(DType::F32, {2, 3});
    EXPECT_TRUE(tensor);
    for (int i = 0; i < 6; ++i)
      tensor->getDataAs<float>()[i] = float(i) + 0.5f;
    return serializeNpy(*tensor);
  }

  /// Writes `bytes` to `name`, reads it back and checks that this fails
  /// with a one-line message that names the file and contains `reason`.
  void expectError(std::string_view name, std::string_view bytes,
                   std::string_view reason,
                   std::optional<DType> expectedDType = std::nullopt) {
    std::string file = writeFile(name, bytes);
    expectFailure(readNpy(file, expectedDType), file, reason);
    // The in-memory reader says the same.
    expectFailure(parseNpy(bytes, file, expectedDType), file, reason);
  }

  /// A header dict with the data of a (2, 3) f32 array.
  void expectHeaderError(std::string_view dict, std::string_view reason,
                         std::optional<DType> expectedDType = std::nullopt) {
    expectError("header.npy", makeNpy(1, dict, std::string(24, '\x01')), reason,
                expectedDType);
  }

  static void expectFailure(const Expected<Tensor> &result,
                            const std::string &file, std::string_view reason) {
    ASSERT_FALSE(result) << "expected an error containing '" << reason << "'";
    const std::string &message = result.getError().getMessage();
    EXPECT_EQ(message.rfind(file + ": ", 0), 0u) << message;
    EXPECT_NE(message.find(reason), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
};

TEST_F(NpyErrorTest, MissingFile) {
  std::string file = path("does-not-exist.npy");
  Expected<Tensor> result = readNpy(file);
  expectFailure(result, file, "cannot open file");
  expectFailure(result, file, "No such file");
}

TEST_F(NpyErrorTest, Directory) {
  expectFailure(readNpy(dir.string()), dir.string(), "not a regular file");
}

TEST_F(NpyErrorTest, TooShort) {
  expectError("empty.npy", "", "file is too short to be a .npy file (0 bytes)");
  expectError("short.npy", "\x93NUM", "too short");
  expectError("preamble.npy", std::string("\x93NUMPY\x01\x00\x10", 9),
              "file is too short to be a .npy file (9 bytes)");
  expectError("preamble2.npy", std::string("\x93NUMPY\x02\x00\x10\x00", 10),
              "too short");
}

TEST_F(NpyErrorTest, BadMagic) {
  std::string bytes = validBytes();
  bytes[1] = 'M';
  expectError("magic.npy", bytes, "not a .npy file (bad magic string)");
  expectError("text.npy", "hello, world\n", "bad magic string");
}

TEST_F(NpyErrorTest, UnsupportedVersion) {
  std::string bytes = validBytes();
  bytes[6] = 4;
  expectError("v4.npy", bytes,
              "unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)");
  bytes[6] = 1;
  bytes[7] = 1;
  expectError("v11.npy", bytes, "unsupported .npy format version 1.1");
  bytes[6] = 0;
  bytes[7] = 0;
  expectError("v0.npy", bytes, "unsupported .npy format version 0.0");
}

TEST_F(NpyErrorTest, HeaderLengthPastEndOfFile) {
  std::string bytes = validBytes();
  bytes[8] = '\xff';
  bytes[9] = '\xff';
  expectError("length.npy", bytes,
              "header length 65535 extends past the end of the file (152 "
              "bytes)");
  std::string v2 =
      std::string("\x93NUMPY\x02\x00\xff\xff\xff\xff", 12) + "{'descr': '<f4'}";
  expectError("length2.npy", v2,
              "header length 4294967295 extends past the end of the file");
  // A header that fits in the file but is absurdly long.
  std::string huge = makeNpy(2, std::string(2 << 20, ' '), "");
  expectFailure(parseNpy(huge, "huge.npy"), "huge.npy",
                "header length 2097152 exceeds the limit of 1048576 bytes");
}

TEST_F(NpyErrorTest, TruncatedAndTrailingData) {
  std::string bytes = validBytes();
  expectError("truncated.npy", bytes.substr(0, bytes.size() - 1),
              "file is truncated: shape (2, 3) of f32 needs 24 bytes of data, "
              "found 23");
  expectError("no-data.npy", bytes.substr(0, 128),
              "file is truncated: shape (2, 3) of f32 needs 24 bytes of data, "
              "found 0");
  expectError("cut-header.npy", bytes.substr(0, 100),
              "header length 118 extends past the end of the file (100 bytes)");
  expectError("trailing.npy", bytes + "xyz",
              "unexpected trailing bytes: shape (2, 3) of f32 needs 24 bytes "
              "of data, found 27");
}

TEST_F(NpyErrorTest, EveryTruncationFails) {
  std::string bytes = validBytes();
  for (size_t size = 0; size < bytes.size(); ++size) {
    Expected<Tensor> result = parseNpy(bytes.substr(0, size), "cut.npy");
    ASSERT_FALSE(result) << "a file cut to " << size << " bytes was accepted";
    EXPECT_EQ(result.getError().getMessage().rfind("cut.npy: ", 0), 0u);
  }
  EXPECT_TRUE(parseNpy(bytes, "whole.npy"));
}

TEST_F(NpyErrorTest, CorruptHeadersNeverCrash) {
  // Random bytes in the header either parse or give an error; run under
  // a sanitizer build, this also checks that nothing is read out of bounds.
  std::string valid = validBytes();
  std::mt19937 random(7);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes = valid;
    for (int j = 0; j < 3; ++j)
      bytes[random() % 128] = char(random());
    Expected<Tensor> result = parseNpy(bytes, "corrupt.npy");
    if (!result)
      EXPECT_EQ(result.getError().getMessage().rfind("corrupt.npy: ", 0), 0u);
    else
      EXPECT_LE(result->getByteSize(), bytes.size() - 10);
  }
}

TEST_F(NpyErrorTest, MalformedHeader) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", "expected '{'"},
      {"'descr': '<f4'", "expected '{'"},
      {"{'descr' '<f4', 'fortran_order': False, 'shape': (2, 3)}",
       "expected ':' after 'descr'"},
      {"{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3)}",
       "expected ',' or '}' after the value of 'descr'"},
      {"{'fortran_order': False, 'shape': (2, 3)}", "missing 'descr'"},
      {"{'descr': '<f4', 'shape': (2, 3)}", "missing 'fortran_order'"},
      {"{'descr': '<f4', 'fortran_order': False}", "missing 'shape'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}",
       "unexpected key 'x'"},
      {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, "
       "'shape': (2, 3)}",
       "duplicate key 'descr'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3]}",
       "expected a tuple for 'shape'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, x)}",
       "expected an integer in 'shape'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2 3)}",
       "expected ',' or ')' in 'shape'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3",
       "expected ',' or ')' in 'shape'"},
      {"{'descr': '<f4, 'fortran_order': False, 'shape': (2, 3)}",
       "expected ',' or '}' after the value of 'descr'"},
      {"{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3)}",
       "expected True or False for 'fortran_order'"},
      {"{'descr': <f4, 'fortran_order': False, 'shape': (2, 3)}",
       "bad 'descr': expected a quoted string"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} x",
       "unexpected text after the dict"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}\0"sv,
       "unexpected text after the dict"},
      {"{'descr", "expected a key: unterminated string"},
  };
  for (auto [dict, reason] : cases) {
    SCOPED_TRACE(dict);
    expectHeaderError(dict, "malformed .npy header (");
    expectHeaderError(dict, reason);
  }
  // The header is quoted, without its control characters.
  expectHeaderError("{'descr': '<f4',\x01 'fortran_order': False}\n",
                    "): {'descr': '<f4',\\x01 'fortran_order': False}");
}

TEST_F(NpyErrorTest, BigEndian) {
  expectHeaderError(
      "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3)}",
      "big-endian dtype '>f4' is not supported; save with arr.astype('<f4')");
  expectHeaderError("{'descr': '>i8', 'fortran_order': False, 'shape': (3,)}",
                    "big-endian dtype '>i8' is not supported");
}

TEST_F(NpyErrorTest, FortranOrder) {
  expectHeaderError("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3)}",
                    "Fortran-order arrays are not supported; save with "
                    "np.ascontiguousarray");
}

TEST_F(NpyErrorTest, UnsupportedDType) {
  for (const char *descr :
       {"<c8", "<U6", "|O", "|V24", "<u4", "f4", "|f4", "", "<f16"}) {
    SCOPED_TRACE(descr);
    expectHeaderError("{'descr': '" + std::string(descr) +
                          "', 'fortran_order': False, 'shape': (6,)}",
                      "unsupported dtype '" + std::string(descr) +
                          "' (supported: <f4, <f2, <f8, |b1, |i1, |u1, <i4, "
                          "<i8, and <u2 read as bf16)");
  }
  expectHeaderError(
      "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,)}",
      "structured arrays (a list 'descr') are not supported");
}

TEST_F(NpyErrorTest, UInt16OnlyAsBF16) {
  std::string dict = "{'descr': '<u2', 'fortran_order': False, 'shape': (12,)}";
  expectHeaderError(dict, "dtype '<u2' (uint16) is only read as bf16, when "
                          "bf16 is the expected dtype");
  expectHeaderError(dict, "is only read as bf16", DType::F16);
  Expected<Tensor> bf16 = parseNpy(makeNpy(1, dict, std::string(24, '\x01')),
                                   "bf16.npy", DType::BF16);
  ASSERT_TRUE(bf16) << bf16.getError().getMessage();
  EXPECT_EQ(bf16->getDType(), DType::BF16);
  EXPECT_EQ(bf16->getDataAs<uint16_t>()[11], 0x0101);
}

TEST_F(NpyErrorTest, ExpectedDTypeMismatch) {
  expectHeaderError("{'descr': '<f4', 'fortran_order': False, 'shape': (6,)}",
                    "expected dtype bf16, but the file holds f32 ('<f4')",
                    DType::BF16);
}

TEST_F(NpyErrorTest, BadShapes) {
  auto header = [](const std::string &shape) {
    return "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + "}";
  };
  expectHeaderError(header("(-1, 3)"),
                    "invalid shape (-1, 3): dimension -1 is negative");
  expectHeaderError(header("(4611686018427387904, 4)"),
                    "invalid shape (4611686018427387904, 4): the element "
                    "count overflows a 64-bit integer");
  expectHeaderError(header("(3, 4611686018427387904, 0)"),
                    "the element count overflows a 64-bit integer");
  expectHeaderError(header("(2305843009213693952,)"),
                    "invalid shape (2305843009213693952,): the size in bytes "
                    "overflows a 64-bit integer");
  expectHeaderError(header("(99999999999999999999,)"),
                    "a dimension in 'shape' does not fit in 64 bits");
  // Valid but absurd: rejected by the file size, before any allocation.
  expectHeaderError(header("(1000000000000, 1000000)"),
                    "file is truncated: shape (1000000000000, 1000000) of f32 "
                    "needs 4000000000000000000 bytes of data, found 24");
}

} // namespace
