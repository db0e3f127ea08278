//===- NpyTest.cpp - Reading and writing .npy files -------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Round trips of every dtype through files, the exact bytes the writer
// produces (those of numpy.save), headers of versions 2.0 and 3.0 and in
// every spelling numpy's reader accepts, and, where /usr/bin/python3 has
// numpy, files exchanged with numpy itself. The errors are in
// NpyErrorTest.cpp.
//
//===----------------------------------------------------------------------===//

#include "TestFiles.h"

#include "attnc/Runtime/Float16.h"
#include "attnc/Runtime/Npy.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <ostream>
#include <random>
#include <tuple>

using namespace attnc::runtime;
using namespace attnc::runtime::test;

namespace attnc::runtime {
/// Names dtypes in gtest's messages.
void PrintTo(DType dtype, std::ostream *os) { *os << stringifyDType(dtype); }
} // namespace attnc::runtime

namespace {

/// Fills `tensor` with random values of its dtype; never all zeros.
void fillRandom(Tensor &tensor, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> real(-1000.0, 1000.0);
  std::uniform_int_distribution<int64_t> integer(
      std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
  uint8_t *data = tensor.getData();
  for (int64_t i = 0; i < tensor.getNumElements(); ++i) {
    double value = real(random);
    int64_t bits = integer(random);
    switch (tensor.getDType()) {
    case DType::F32:
      tensor.getDataAs<float>()[i] = float(value);
      break;
    case DType::F16:
      tensor.getDataAs<uint16_t>()[i] = f32ToF16(float(value));
      break;
    case DType::BF16:
      tensor.getDataAs<uint16_t>()[i] = f32ToBF16(float(value));
      break;
    case DType::F64:
      tensor.getDataAs<double>()[i] = value;
      break;
    case DType::I1:
      data[i] = bits & 1;
      break;
    default: // Integers: random bytes.
      std::memcpy(data + i * getDTypeSize(tensor.getDType()), &bits,
                  getDTypeSize(tensor.getDType()));
      break;
    }
  }
  // Make sure the first element is non-zero, so the data is never all zeros.
  if (tensor.getNumElements() > 0 && data[0] == 0)
    data[0] = 1;
}

bool isAllZeros(const Tensor &tensor) {
  for (size_t i = 0; i < tensor.getByteSize(); ++i)
    if (tensor.getData()[i])
      return false;
  return true;
}

using RoundTripParam = std::tuple<DType, std::vector<int64_t>>;

class NpyRoundTripTest : public TempDirTest,
                         public ::testing::WithParamInterface<RoundTripParam> {
};

TEST_P(NpyRoundTripTest, WriteThenRead) {
  auto [dtype, shape] = GetParam();
  Expected<Tensor> original = Tensor::create(dtype, shape);
  ASSERT_TRUE(original) << original.getError().getMessage();
  fillRandom(*original, 1234 + unsigned(dtype));
  ASSERT_FALSE(isAllZeros(*original));

  std::string file = path("round-trip.npy");
  Error error = writeNpy(file, *original);
  ASSERT_FALSE(error) << error.getMessage();

  // The file is what serializeNpy makes, and its data starts at a multiple
  // of 64 bytes right after a '\n'.
  std::string bytes = readFile(file);
  EXPECT_EQ(bytes, serializeNpy(*original));
  size_t dataOffset = bytes.size() - original->getByteSize();
  EXPECT_EQ(dataOffset % 64, 0u);
  EXPECT_EQ(bytes[dataOffset - 1], '\n');
  EXPECT_EQ(bytes.substr(6, 2), std::string("\x01\x00", 2));

  // bf16 is stored as '<u2' and read back as bf16 only when asked for.
  std::optional<DType> expected;
  if (dtype == DType::BF16)
    expected = DType::BF16;
  Expected<Tensor> read = readNpy(file, expected);
  ASSERT_TRUE(read) << read.getError().getMessage();
  EXPECT_EQ(read->getDType(), dtype);
  EXPECT_EQ(read->getShape(), shape);
  ASSERT_EQ(read->getByteSize(), original->getByteSize());
  EXPECT_EQ(std::memcmp(read->getData(), original->getData(),
                        original->getByteSize()),
            0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(read->getData()) % 64, 0u);

  // The same from memory.
  Expected<Tensor> parsed = parseNpy(bytes, "memory", expected);
  ASSERT_TRUE(parsed) << parsed.getError().getMessage();
  EXPECT_EQ(parsed->getShape(), shape);
  EXPECT_EQ(std::memcmp(parsed->getData(), original->getData(),
                        original->getByteSize()),
            0);
}

std::string
roundTripName(const ::testing::TestParamInfo<RoundTripParam> &info) {
  auto [dtype, shape] = info.param;
  std::string name(stringifyDType(dtype));
  name += "_" + (shape.empty() ? std::string("scalar") : formatShape(shape));
  return name;
}

INSTANTIATE_TEST_SUITE_P(
    AllDTypes, NpyRoundTripTest,
    ::testing::Combine(::testing::ValuesIn(kAllDTypes),
                       ::testing::Values(std::vector<int64_t>{},
                                         std::vector<int64_t>{1},
                                         std::vector<int64_t>{7, 129},
                                         std::vector<int64_t>{2, 3, 5, 7})),
    roundTripName);

class NpyTest : public TempDirTest {};

TEST_F(NpyTest, WritesWhatNumpySaves) {
  // The bytes numpy.save writes for np.zeros((2, 3), np.float32): the dict,
  // spaces (20 for the growth axis, 37 of padding) and '\n', 128 bytes in all.
  Expected<Tensor> tensor = Tensor::create(DType::F32, {2, 3});
  ASSERT_TRUE(tensor);
  std::string bytes = serializeNpy(*tensor);
  std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  std::string header = std::string("\x93NUMPY\x01\x00v\x00", 10) + dict +
                       std::string(127 - 10 - dict.size(), ' ') + "\n";
  ASSERT_EQ(bytes.size(), 128u + 24u);
  EXPECT_EQ(bytes.substr(0, 128), header);

  Expected<Tensor> scalar = Tensor::create(DType::I1, {});
  ASSERT_TRUE(scalar);
  EXPECT_NE(serializeNpy(*scalar).find(
                "{'descr': '|b1', 'fortran_order': False, 'shape': (), }"),
            std::string::npos);
  Expected<Tensor> vector = Tensor::create(DType::I8, {5});
  ASSERT_TRUE(vector);
  EXPECT_NE(serializeNpy(*vector).find(
                "{'descr': '|i1', 'fortran_order': False, 'shape': (5,), }"),
            std::string::npos);
}

TEST_F(NpyTest, ReadsEmptyArrays) {
  Expected<Tensor> empty = Tensor::create(DType::F32, {0, 3});
  ASSERT_TRUE(empty);
  std::string file = path("empty.npy");
  ASSERT_FALSE(writeNpy(file, *empty));
  Expected<Tensor> read = readNpy(file);
  ASSERT_TRUE(read) << read.getError().getMessage();
  EXPECT_EQ(read->getShape(), (std::vector<int64_t>{0, 3}));
  EXPECT_EQ(read->getNumElements(), 0);
  EXPECT_NE(read->getData(), nullptr);
}

/// Six f32 values 1..6, the data of a (2, 3) array.
std::string sixFloats() {
  std::string data(24, '\0');
  for (int i = 0; i < 6; ++i) {
    float value = float(i + 1);
    std::memcpy(&data[4 * i], &value, 4);
  }
  return data;
}

void expectSixFloats(const Expected<Tensor> &tensor) {
  ASSERT_TRUE(tensor) << tensor.getError().getMessage();
  EXPECT_EQ(tensor->getDType(), DType::F32);
  EXPECT_EQ(tensor->getShape(), (std::vector<int64_t>{2, 3}));
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(tensor->getDataAs<float>()[i], float(i + 1));
}

TEST_F(NpyTest, ReadsVersion2And3Headers) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, "
                     "'shape': (2, 3), }      \n";
  for (unsigned major : {1u, 2u, 3u}) {
    SCOPED_TRACE("version " + std::to_string(major) + ".0");
    std::string bytes = makeNpy(major, dict, sixFloats());
    expectSixFloats(parseNpy(bytes, "v.npy"));
    expectSixFloats(readNpy(writeFile("v.npy", bytes)));
  }
  // A version 2.0 header longer than version 1.0 can describe.
  std::string longDict = "{'descr': '<f4', 'fortran_order': False, "
                         "'shape': (2, 3), }" +
                         std::string(70000, ' ') + "\n";
  expectSixFloats(parseNpy(makeNpy(2, longDict, sixFloats()), "long.npy"));
}

TEST_F(NpyTest, AcceptsAnyKeyOrderAndSpacing) {
  const char *dicts[] = {
      "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}",
      "{'fortran_order': False, 'shape': (2, 3), 'descr': '<f4', }\n",
      "{ 'fortran_order' : False , 'descr' : '<f4' , 'shape' : ( 2 , 3 ) , }",
      "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,3)}",
      "{'descr':'<f4','fortran_order':False,'shape':(2,3,),}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }\n",
      "{'descr': '=f4', 'fortran_order': False, 'shape': (2, 3)}\n",
      "{\n 'descr': '<f4',\n 'fortran_order': False,\n 'shape': (2, 3)\n}  \n",
      "{'descr':\t'<f4', 'fortran_order': False, 'shape': (2, 3), }\r\n",
  };
  for (const char *dict : dicts) {
    SCOPED_TRACE(dict);
    expectSixFloats(parseNpy(makeNpy(1, dict, sixFloats()), "order.npy"));
  }
}

TEST_F(NpyTest, ReadsScalarsAndVectors) {
  float value = 2.5f;
  std::string data(reinterpret_cast<const char *>(&value), 4);
  Expected<Tensor> scalar = parseNpy(
      makeNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': ()}\n",
              data),
      "scalar.npy");
  ASSERT_TRUE(scalar) << scalar.getError().getMessage();
  EXPECT_EQ(scalar->getRank(), 0u);
  EXPECT_EQ(scalar->getNumElements(), 1);
  EXPECT_EQ(scalar->getDataAs<float>()[0], 2.5f);

  std::string bools("\x01\x00\x01\x01\x00", 5);
  Expected<Tensor> vector = parseNpy(
      makeNpy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (5,)}\n",
              bools),
      "vector.npy");
  ASSERT_TRUE(vector) << vector.getError().getMessage();
  EXPECT_EQ(vector->getShape(), std::vector<int64_t>{5});
  EXPECT_EQ(vector->getDType(), DType::I1);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(vector->getData()), 5),
            bools);

  // Any non-zero byte of a bool array reads as 1.
  Expected<Tensor> nonCanonical = parseNpy(
      makeNpy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,)}",
              std::string("\x07\x00", 2)),
      "bools.npy");
  ASSERT_TRUE(nonCanonical) << nonCanonical.getError().getMessage();
  EXPECT_EQ(nonCanonical->getData()[0], 1);
  EXPECT_EQ(nonCanonical->getData()[1], 0);
}

TEST_F(NpyTest, ExpectedDTypeIsChecked) {
  std::string bytes =
      makeNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}",
              sixFloats());
  expectSixFloats(parseNpy(bytes, "f32.npy", DType::F32));
  Expected<Tensor> wrong = parseNpy(bytes, "f32.npy", DType::F16);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.getError().getMessage(),
            "f32.npy: expected dtype f16, but the file holds f32 ('<f4')");
}

TEST_F(NpyTest, GetNpyDescr) {
  EXPECT_EQ(getNpyDescr(DType::F32), "<f4");
  EXPECT_EQ(getNpyDescr(DType::F16), "<f2");
  EXPECT_EQ(getNpyDescr(DType::BF16), "<u2");
  EXPECT_EQ(getNpyDescr(DType::F64), "<f8");
  EXPECT_EQ(getNpyDescr(DType::I1), "|b1");
  EXPECT_EQ(getNpyDescr(DType::I8), "|i1");
  EXPECT_EQ(getNpyDescr(DType::I32), "<i4");
  EXPECT_EQ(getNpyDescr(DType::I64), "<i8");
  EXPECT_EQ(getNpyDescr(DType::U8), "|u1");
}

/// The Python with numpy: $ATTNC_TEST_PYTHON, else /usr/bin/python3.
std::string findPython() {
  const char *python = std::getenv("ATTNC_TEST_PYTHON");
  return python && *python ? python : "/usr/bin/python3";
}

TEST_F(NpyTest, ExchangesFilesWithNumpy) {
  std::string python = findPython();
  if (std::system(
          ("'" + python + "' -c 'import numpy' >/dev/null 2>&1").c_str()) != 0)
    GTEST_SKIP() << python << " has no numpy (set ATTNC_TEST_PYTHON to one "
                 << "that has)";

  // Files attnc writes, which numpy loads and saves again under out_*.
  for (DType dtype : kAllDTypes) {
    Expected<Tensor> tensor = Tensor::create(dtype, {3, 5});
    ASSERT_TRUE(tensor);
    fillRandom(*tensor, 99);
    ASSERT_FALSE(writeNpy(
        path("in_" + std::string(stringifyDType(dtype)) + ".npy"), *tensor));
  }
  std::string script = R"(
import glob, os, sys
import numpy as np
from numpy.lib import format as fmt
d = sys.argv[1]
for name in glob.glob(os.path.join(d, 'in_*.npy')):
    a = np.load(name)
    assert a.shape == (3, 5) and a.flags.c_contiguous, name
    np.save(name.replace('in_', 'out_'), a)
x = np.arange(24).reshape(2, 3, 4)
np.save(os.path.join(d, 'np_f32.npy'), (x * 0.5 - 3).astype(np.float32))
np.save(os.path.join(d, 'np_f16.npy'), (x * 0.25).astype(np.float16))
np.save(os.path.join(d, 'np_i64.npy'), x.astype(np.int64) * 2**40 - 7)
np.save(os.path.join(d, 'np_bool.npy'), x % 3 == 0)
np.save(os.path.join(d, 'np_scalar.npy'), np.float64(-1.5))
for v in [(2, 0), (3, 0)]:
    with open(os.path.join(d, 'np_v%d.npy' % v[0]), 'wb') as f:
        fmt.write_array(f, (x - 12).astype(np.int8), version=v)
)";
  std::string scriptPath = writeFile("exchange.py", script);
  ASSERT_EQ(std::system(
                ("'" + python + "' '" + scriptPath + "' '" + dir.string() + "'")
                    .c_str()),
            0);

  // numpy's own save of a file attnc wrote is byte for byte the same file.
  for (DType dtype : kAllDTypes) {
    std::string name(stringifyDType(dtype));
    SCOPED_TRACE(name);
    EXPECT_EQ(readFile(path("out_" + name + ".npy")),
              readFile(path("in_" + name + ".npy")));
  }

  auto check = [&](const char *name, DType dtype, std::vector<int64_t> shape,
                   auto valueAt) {
    SCOPED_TRACE(name);
    Expected<Tensor> tensor = readNpy(path(name));
    ASSERT_TRUE(tensor) << tensor.getError().getMessage();
    EXPECT_EQ(tensor->getDType(), dtype);
    EXPECT_EQ(tensor->getShape(), shape);
    for (int64_t i = 0; i < tensor->getNumElements(); ++i)
      ASSERT_EQ(tensor->getElementAsDouble(i), valueAt(i)) << "at " << i;
  };
  std::vector<int64_t> shape = {2, 3, 4};
  check("np_f32.npy", DType::F32, shape, [](int64_t i) { return i * 0.5 - 3; });
  check("np_f16.npy", DType::F16, shape, [](int64_t i) { return i * 0.25; });
  check("np_i64.npy", DType::I64, shape,
        [](int64_t i) { return double((i << 40) - 7); });
  check("np_bool.npy", DType::I1, shape,
        [](int64_t i) { return i % 3 == 0 ? 1.0 : 0.0; });
  check("np_scalar.npy", DType::F64, {}, [](int64_t) { return -1.5; });
  check("np_v2.npy", DType::I8, shape, [](int64_t i) { return i - 12.0; });
  check("np_v3.npy", DType::I8, shape, [](int64_t i) { return i - 12.0; });
}

} // namespace
