//===- SafeTensorsTest.cpp - Tests of the safetensors loader --------------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "TestFiles.h"

#include "attnc/Runtime/Float16.h"
#include "attnc/Runtime/Memory.h"
#include "attnc/Runtime/SafeTensors.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

using namespace attnc::runtime;
using attnc::runtime::test::TempDirTest;

namespace {

/// A safetensors file: the 8-byte little-endian header length, the header,
/// the data.
std::string makeSafeTensors(std::string_view header, std::string_view data) {
  std::string bytes;
  uint64_t length = header.size();
  for (int i = 0; i < 8; ++i)
    bytes += char((length >> (8 * i)) & 0xFF);
  bytes += header;
  bytes += data;
  return bytes;
}

template <typename T> std::string asBytes(std::initializer_list<T> values) {
  std::string bytes(values.size() * sizeof(T), '\0');
  std::memcpy(bytes.data(), values.begin(), bytes.size());
  return bytes;
}

/// Two tensors: "w" F32 [2, 3] = 0.5, 1.5, ..., then "b" BF16 [3].
std::string validFile() {
  std::string data = asBytes<float>({0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f});
  data += asBytes<uint16_t>({0x3F80, 0xC000, 0x4040}); // 1, -2, 3 in bf16
  return makeSafeTensors(
      R"({"__metadata__": {"format": "pt"},
          "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
          "b": {"dtype": "BF16", "shape": [3], "data_offsets": [24, 30]}})",
      data);
}

class SafeTensorsTest : public TempDirTest {
protected:
  /// The error opening a file with these bytes.
  std::string openError(std::string_view bytes) {
    std::string file = writeFile("bad.safetensors", bytes);
    auto opened = SafeTensorsFile::open(file);
    EXPECT_FALSE(opened) << "accepted a bad file";
    if (opened)
      return "";
    std::string message = opened.getError().getMessage();
    EXPECT_EQ(message.rfind("'" + file + "': ", 0), 0u)
        << "the error should start with the file: " << message;
    return message.substr(file.size() + 4);
  }
};

TEST_F(SafeTensorsTest, ReadsTensorsAndMetadata) {
  auto file = SafeTensorsFile::open(writeFile("m.safetensors", validFile()));
  ASSERT_TRUE(file) << file.getError().getMessage();
  const TensorView *w = (*file)->find("w");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->dtype, DType::F32);
  EXPECT_EQ(w->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(w->getNumElements(), 6);
  EXPECT_EQ(w->describe(), "F32[2, 3]");
  // The data of a file whose header length is not a multiple of 8 is not
  // aligned: read it with memcpy.
  float values[6];
  std::memcpy(values, w->data, sizeof(values));
  EXPECT_EQ(values[0], 0.5f);
  EXPECT_EQ(values[5], 5.5f);
  const TensorView *b = (*file)->find("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->dtype, DType::BF16);
  uint16_t halves[3];
  std::memcpy(halves, b->data, sizeof(halves));
  EXPECT_EQ(bf16ToF32(halves[1]), -2.0f);
  EXPECT_EQ((*file)->getMetadata().at("format"), "pt");
  EXPECT_EQ((*file)->find("missing"), nullptr);
}

TEST_F(SafeTensorsTest, EmptyAndScalarTensors) {
  std::string bytes = makeSafeTensors(
      R"({"s": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]},
          "e": {"dtype": "F16", "shape": [0, 7], "data_offsets": [4, 4]}})",
      asBytes<float>({3.0f}));
  auto file = SafeTensorsFile::open(writeFile("s.safetensors", bytes));
  ASSERT_TRUE(file) << file.getError().getMessage();
  EXPECT_EQ((*file)->find("s")->getNumElements(), 1);
  EXPECT_EQ((*file)->find("e")->byteSize, 0u);
}

TEST_F(SafeTensorsTest, TruncatedFiles) {
  std::string valid = validFile();
  EXPECT_EQ(openError(valid.substr(0, 5)),
            "truncated safetensors file (5 bytes; the header length alone "
            "takes 8)");
  // Cut inside the header, then inside the data: every prefix is rejected.
  EXPECT_NE(openError(valid.substr(0, 40))
                .find("truncated safetensors file: the header needs"),
            std::string::npos);
  EXPECT_NE(openError(valid.substr(0, valid.size() - 1))
                .find("tensor 'b': data_offsets [24, 30) reach past the 29 "
                      "bytes of data (truncated file?)"),
            std::string::npos);
  for (size_t size = 0; size < valid.size(); ++size) {
    auto file = SafeTensorsFile::open(
        writeFile("prefix.safetensors", valid.substr(0, size)));
    EXPECT_FALSE(file) << "accepted a prefix of " << size << " bytes";
  }
}

TEST_F(SafeTensorsTest, CorruptHeaders) {
  EXPECT_EQ(openError(std::string("\xff\xff\xff\xff\xff\xff\xff\xff", 8)),
            "corrupt safetensors header: its length field says "
            "18446744073709551615 bytes (at most 104857600)");
  EXPECT_EQ(openError(makeSafeTensors("{\"w\": ", "")),
            "corrupt safetensors header: line 1, column 7: expected a "
            "value, got the end of the input");
  EXPECT_EQ(openError(makeSafeTensors("[]", "")),
            "corrupt safetensors header: expected an object, got an array");
  auto one = [](std::string_view entry, std::string_view data = "") {
    return makeSafeTensors("{\"w\": " + std::string(entry) + "}", data);
  };
  EXPECT_EQ(openError(one("3")),
            "tensor 'w': expected an object with dtype, shape and "
            "data_offsets");
  EXPECT_EQ(openError(one(R"({"shape": [1], "data_offsets": [0, 4]})")),
            "tensor 'w': expected a string 'dtype'");
  EXPECT_EQ(openError(one(R"({"dtype": "F32", "data_offsets": [0, 4]})")),
            "tensor 'w': expected an array 'shape'");
  EXPECT_EQ(openError(one(R"({"dtype": "F32", "shape": [1]})")),
            "tensor 'w': expected 'data_offsets' as [begin, end]");
  EXPECT_EQ(openError(one(
                R"({"dtype": "Q4", "shape": [1], "data_offsets": [0, 4]})")),
            "tensor 'w': unknown dtype 'Q4'");
  EXPECT_EQ(openError(one(
                R"({"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]})")),
            "tensor 'w': expected non-negative integer dimensions in the "
            "shape");
  EXPECT_EQ(openError(one(R"({"dtype": "F32", "shape": [1.5],
                              "data_offsets": [0, 4]})")),
            "tensor 'w': expected non-negative integer dimensions in the "
            "shape");
  EXPECT_EQ(openError(one(R"({"dtype": "F32", "shape": [4294967296,
                              4294967296], "data_offsets": [0, 4]})")),
            "tensor 'w': the shape [4294967296, 4294967296]... overflows");
  EXPECT_EQ(
      openError(one(R"({"dtype": "F32", "shape": [1], "data_offsets": [4, 0]})",
                    "abcd")),
      "tensor 'w': expected data_offsets 0 <= begin <= end");
  EXPECT_EQ(
      openError(one(R"({"dtype": "F32", "shape": [2], "data_offsets": [0, 4]})",
                    "abcd")),
      "tensor 'w': F32[2] takes 8 bytes, but data_offsets give 4");
  EXPECT_EQ(openError(makeSafeTensors(R"({"__metadata__": {"n": 1}})", "")),
            "__metadata__ entry 'n' is not a string");
}

TEST_F(SafeTensorsTest, OverlapsHolesAndTrailingBytes) {
  std::string data(16, 'x');
  EXPECT_EQ(openError(makeSafeTensors(
                R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                    "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]},
                    "c": {"dtype": "F32", "shape": [1], "data_offsets": [12, 16]}})",
                data)),
            "corrupt safetensors header: two tensors overlap at byte 4 of "
            "the data");
  EXPECT_EQ(openError(makeSafeTensors(
                R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                    "b": {"dtype": "F32", "shape": [1], "data_offsets": [12, 16]}})",
                data)),
            "corrupt safetensors header: bytes [8, 12) of the data belong to "
            "no tensor");
  EXPECT_EQ(
      openError(makeSafeTensors(
          R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})",
          data)),
      "corrupt safetensors file: 8 bytes after the last tensor");
  EXPECT_EQ(openError(makeSafeTensors(
                R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                    "a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})",
                data.substr(0, 8))),
            "tensor 'a': listed twice");
}

// A file of a huge page or more: mapped at a 2 MiB boundary with huge pages
// advised (populated or not), its data read back intact.
TEST_F(SafeTensorsTest, LargeFilesMapOnHugePageBoundaries) {
  size_t count = (size_t(5) << 20) / sizeof(float) + 3;
  std::vector<float> values(count);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> pick(-1.0f, 1.0f);
  for (float &value : values)
    value = pick(rng);
  std::string data(reinterpret_cast<const char *>(values.data()),
                   count * sizeof(float));
  std::string header = R"({"w": {"dtype": "F32", "shape": [)" +
                       std::to_string(count) + R"(], "data_offsets": [0, )" +
                       std::to_string(data.size()) + "]}}";
  std::string bytes = makeSafeTensors(header, data);
  std::string path = writeFile("large.safetensors", bytes);
  for (bool populate : {false, true}) {
    auto file = SafeTensorsFile::open(path, populate);
    ASSERT_TRUE(file) << file.getError().getMessage();
    const TensorView *w = (*file)->find("w");
    ASSERT_NE(w, nullptr);
    // The header is the 8-byte length and the JSON before the data.
    auto start = reinterpret_cast<uintptr_t>(w->data) - 8 - header.size();
    EXPECT_EQ(start % kHugePage, 0u) << "populate " << populate;
    EXPECT_EQ(std::memcmp(w->data, data.data(), data.size()), 0);
    EXPECT_EQ((*file)->getMappedBytes(), bytes.size());
    EXPECT_LE((*file)->getHugePageBytes(), bytes.size());
    std::string mapping = describeMapping(w->data);
    if (mapping.empty())
      continue; // No /proc.
    EXPECT_NE(mapping.find("large.safetensors"), std::string::npos) << mapping;
    size_t flags = mapping.find("VmFlags:");
    ASSERT_NE(flags, std::string::npos) << mapping;
    EXPECT_NE(mapping.find(" hg", flags), std::string::npos) << mapping;
  }
}

TEST_F(SafeTensorsTest, MissingFile) {
  auto file = SafeTensorsFile::open(path("absent.safetensors"));
  ASSERT_FALSE(file);
  EXPECT_EQ(file.getError().getMessage(), "cannot open '" +
                                              path("absent.safetensors") +
                                              "': No such file or directory");
}

// Random byte flips and truncations of a valid file either open (and then
// every view lies inside the file) or fail with a message; never a crash
// or a read out of bounds (ASan/UBSan runs see those).
TEST_F(SafeTensorsTest, MutatedFilesNeverCrash) {
  const std::string valid = validFile();
  std::mt19937 random(11);
  int accepted = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string bytes = valid;
    if (trial % 4 == 0)
      bytes.resize(random() % bytes.size());
    int flips = 1 + random() % 4;
    for (int i = 0; i < flips && !bytes.empty(); ++i)
      bytes[random() % bytes.size()] = static_cast<char>(random());
    std::string file = writeFile("fuzz.safetensors", bytes);
    auto opened = SafeTensorsFile::open(file);
    if (!opened) {
      EXPECT_FALSE(opened.getError().getMessage().empty());
      continue;
    }
    ++accepted;
    for (const auto &[name, view] : (*opened)->getTensors()) {
      uint64_t sum = 0;
      for (size_t i = 0; i < view.byteSize; ++i)
        sum += view.data[i];
      (void)sum;
    }
  }
  // Flips inside the data keep the file valid: some mutations must pass.
  EXPECT_GT(accepted, 0);
}

class WeightSetTest : public SafeTensorsTest {};

TEST_F(WeightSetTest, SingleFile) {
  writeFile("model.safetensors", validFile());
  auto weights = WeightSet::open(dir.string());
  ASSERT_TRUE(weights) << weights.getError().getMessage();
  EXPECT_EQ(weights->size(), 2u);
  auto w = weights->getFloat("w", {2, 3});
  ASSERT_TRUE(w) << w.getError().getMessage();
  EXPECT_EQ((*w)->name, "w");
  std::string source = path("model.safetensors");
  EXPECT_EQ(weights->getFloat("w", {3, 2}).getError().getMessage(),
            "tensor 'w' in '" + source +
                "' has shape [2, 3]; the config implies [3, 2]");
  EXPECT_EQ(weights->get("lm_head.weight").getError().getMessage(),
            "missing tensor 'lm_head.weight' in '" + source + "'");
}

TEST_F(WeightSetTest, ShardedIndex) {
  writeFile("model-00001-of-00002.safetensors",
            makeSafeTensors(R"({"a": {"dtype": "F16", "shape": [2],
                                      "data_offsets": [0, 4]}})",
                            asBytes<uint16_t>({0x3C00, 0x4000})));
  writeFile("model-00002-of-00002.safetensors",
            makeSafeTensors(R"({"b": {"dtype": "I64", "shape": [1],
                                      "data_offsets": [0, 8]}})",
                            asBytes<int64_t>({42})));
  writeFile("model.safetensors.index.json",
            R"({"metadata": {"total_size": 12}, "weight_map": {
                  "a": "model-00001-of-00002.safetensors",
                  "b": "model-00002-of-00002.safetensors"}})");
  auto weights = WeightSet::open(dir.string());
  ASSERT_TRUE(weights) << weights.getError().getMessage();
  EXPECT_EQ(weights->size(), 2u);
  EXPECT_TRUE(weights->getFloat("a", {2}));
  EXPECT_EQ(weights->getFloat("b", {1}).getError().getMessage(),
            "tensor 'b' in '" + path("model.safetensors.index.json") +
                "' is I64; expected F32, F16 or BF16");
}

TEST_F(WeightSetTest, BrokenIndexes) {
  EXPECT_EQ(WeightSet::open(dir.string()).getError().getMessage(),
            "'" + dir.string() +
                "' has neither model.safetensors nor "
                "model.safetensors.index.json");
  std::string index =
      writeFile("model.safetensors.index.json",
                R"({"weight_map": {"a": "shard.safetensors"}})");
  EXPECT_EQ(WeightSet::open(dir.string()).getError().getMessage(),
            "cannot open '" + path("shard.safetensors") +
                "': No such file or directory");
  writeFile("shard.safetensors", validFile());
  EXPECT_EQ(WeightSet::open(dir.string()).getError().getMessage(),
            "'" + index +
                "' puts tensor 'a' in 'shard.safetensors', which "
                "lacks it");
  writeFile("model.safetensors.index.json",
            R"({"weight_map": {"w": "../elsewhere.safetensors"}})");
  EXPECT_EQ(WeightSet::open(dir.string()).getError().getMessage(),
            "'" + index +
                "': weight_map entry 'w' must name a file in the directory");
  writeFile("model.safetensors.index.json", R"({"weight_map": [1]})");
  EXPECT_EQ(WeightSet::open(dir.string()).getError().getMessage(),
            "'" + index + "': expected an object 'weight_map'");
}

} // namespace
