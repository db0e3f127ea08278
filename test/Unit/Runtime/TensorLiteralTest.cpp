//===- TensorLiteralTest.cpp - Tensors, dtypes and literals -----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The Tensor class and dtype names, IREE-style tensor literals and their
// errors, and the one-line summaries attnc-run prints.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/TensorLiteral.h"
#include "attnc/Runtime/Float16.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ATTNC_HAS_ADDRESS_SANITIZER 1
#endif
#endif
#ifndef ATTNC_HAS_ADDRESS_SANITIZER
#define ATTNC_HAS_ADDRESS_SANITIZER 0
#endif

using namespace attnc::runtime;

namespace {

TEST(DTypeTest, NamesRoundTrip) {
  for (DType dtype : kAllDTypes) {
    SCOPED_TRACE(stringifyDType(dtype));
    EXPECT_EQ(parseDType(stringifyDType(dtype)), dtype);
  }
  EXPECT_EQ(stringifyDType(DType::BF16), "bf16");
  EXPECT_EQ(stringifyDType(DType::U8), "ui8");
  EXPECT_EQ(parseDType("bool"), DType::I1);
  EXPECT_EQ(parseDType("u8"), DType::U8);
  EXPECT_EQ(parseDType("f33"), std::nullopt);
  EXPECT_EQ(parseDType(""), std::nullopt);
  EXPECT_EQ(parseDType("F32"), std::nullopt);
}

TEST(DTypeTest, Sizes) {
  EXPECT_EQ(getDTypeSize(DType::F32), 4u);
  EXPECT_EQ(getDTypeSize(DType::F16), 2u);
  EXPECT_EQ(getDTypeSize(DType::BF16), 2u);
  EXPECT_EQ(getDTypeSize(DType::F64), 8u);
  EXPECT_EQ(getDTypeSize(DType::I1), 1u);
  EXPECT_EQ(getDTypeSize(DType::I8), 1u);
  EXPECT_EQ(getDTypeSize(DType::I32), 4u);
  EXPECT_EQ(getDTypeSize(DType::I64), 8u);
  EXPECT_EQ(getDTypeSize(DType::U8), 1u);
}

TEST(TensorTest, CreateIsZeroFilledAndAligned) {
  Expected<Tensor> tensor = Tensor::create(DType::F64, {3, 5});
  ASSERT_TRUE(tensor) << tensor.getError().getMessage();
  EXPECT_EQ(tensor->getRank(), 2u);
  EXPECT_EQ(tensor->getNumElements(), 15);
  EXPECT_EQ(tensor->getByteSize(), 120u);
  EXPECT_EQ(tensor->getTypeString(), "3x5xf64");
  EXPECT_EQ(reinterpret_cast<uintptr_t>(tensor->getData()) % 64, 0u);
  for (int64_t i = 0; i < 15; ++i)
    EXPECT_EQ(tensor->getDataAs<double>()[i], 0.0);

  Expected<Tensor> scalar = Tensor::create(DType::BF16, {});
  ASSERT_TRUE(scalar);
  EXPECT_EQ(scalar->getNumElements(), 1);
  EXPECT_EQ(scalar->getByteSize(), 2u);
  EXPECT_EQ(scalar->getTypeString(), "bf16");

  Expected<Tensor> empty = Tensor::create(DType::I32, {4, 0});
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->getNumElements(), 0);
  EXPECT_EQ(empty->getByteSize(), 0u);
  EXPECT_NE(empty->getData(), nullptr);

  // Moving keeps the storage.
  const uint8_t *data = tensor->getData();
  Tensor moved = tensor.take();
  EXPECT_EQ(moved.getData(), data);
  EXPECT_EQ(moved.getShape(), (std::vector<int64_t>{3, 5}));
}

TEST(TensorTest, CreateRejectsBadShapes) {
  Expected<Tensor> negative = Tensor::create(DType::F32, {2, -1});
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.getError().getMessage(),
            "invalid shape 2x-1: dimension -1 is negative");
  Expected<Tensor> overflow = Tensor::create(DType::F32, {int64_t(1) << 62, 4});
  ASSERT_FALSE(overflow);
  EXPECT_NE(overflow.getError().getMessage().find(
                "the element count overflows a 64-bit integer"),
            std::string::npos);
}

TEST(TensorTest, CreateFailsWhenOutOfMemory) {
#if defined(__SANITIZE_ADDRESS__) || ATTNC_HAS_ADDRESS_SANITIZER
  GTEST_SKIP() << "AddressSanitizer aborts on absurd allocations unless "
               << "ASAN_OPTIONS=allocator_may_return_null=1";
#endif
  // Fits in int64_t but no host has that much memory.
  Expected<Tensor> huge = Tensor::create(DType::I8, {int64_t(1) << 60});
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.getError().getMessage(),
            "cannot allocate 1152921504606846976 bytes for a "
            "tensor<1152921504606846976xi8>");
}

TEST(TensorLiteralTest, AllValues) {
  Expected<Tensor> tensor = parseTensorLiteral("2x4xf32=1 2 3 4 5 6 7 8");
  ASSERT_TRUE(tensor) << tensor.getError().getMessage();
  EXPECT_EQ(tensor->getDType(), DType::F32);
  EXPECT_EQ(tensor->getShape(), (std::vector<int64_t>{2, 4}));
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(tensor->getDataAs<float>()[i], float(i + 1));

  Expected<Tensor> grouped = parseTensorLiteral("2x2xi32=[1, -2], [3, 4]");
  ASSERT_TRUE(grouped) << grouped.getError().getMessage();
  EXPECT_EQ(grouped->getDataAs<int32_t>()[1], -2);
  EXPECT_EQ(grouped->getDataAs<int32_t>()[3], 4);
}

TEST(TensorLiteralTest, SplatsAndScalars) {
  Expected<Tensor> splat = parseTensorLiteral("2x3xf32=0.5");
  ASSERT_TRUE(splat) << splat.getError().getMessage();
  EXPECT_EQ(splat->getNumElements(), 6);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(splat->getDataAs<float>()[i], 0.5f);

  Expected<Tensor> scalar = parseTensorLiteral("f32=3");
  ASSERT_TRUE(scalar) << scalar.getError().getMessage();
  EXPECT_EQ(scalar->getRank(), 0u);
  EXPECT_EQ(scalar->getDataAs<float>()[0], 3.0f);

  Expected<Tensor> wide = parseTensorLiteral("3xi64=-9223372036854775808");
  ASSERT_TRUE(wide) << wide.getError().getMessage();
  EXPECT_EQ(wide->getDataAs<int64_t>()[2], std::numeric_limits<int64_t>::min());

  Expected<Tensor> zeros = parseTensorLiteral("2x2xf16");
  ASSERT_TRUE(zeros) << zeros.getError().getMessage();
  EXPECT_EQ(zeros->getShape(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(zeros->getDataAs<uint16_t>()[3], 0);

  Expected<Tensor> empty = parseTensorLiteral("0x3xf32=");
  ASSERT_TRUE(empty) << empty.getError().getMessage();
  EXPECT_EQ(empty->getNumElements(), 0);
}

TEST(TensorLiteralTest, ElementTypes) {
  Expected<Tensor> bools = parseTensorLiteral("6xi1=true false 0 1 True False");
  ASSERT_TRUE(bools) << bools.getError().getMessage();
  const uint8_t expected[] = {1, 0, 0, 1, 1, 0};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(bools->getData()[i], expected[i]) << i;

  Expected<Tensor> halves = parseTensorLiteral("3xf16=1 65504 -0.5");
  ASSERT_TRUE(halves) << halves.getError().getMessage();
  EXPECT_EQ(halves->getDataAs<uint16_t>()[0], 0x3C00);
  EXPECT_EQ(halves->getDataAs<uint16_t>()[1], 0x7BFF);
  EXPECT_EQ(halves->getDataAs<uint16_t>()[2], 0xB800);

  Expected<Tensor> bf16 = parseTensorLiteral("bf16=1");
  ASSERT_TRUE(bf16) << bf16.getError().getMessage();
  EXPECT_EQ(bf16->getDataAs<uint16_t>()[0], 0x3F80);

  Expected<Tensor> f64 = parseTensorLiteral("f64=0.1");
  ASSERT_TRUE(f64) << f64.getError().getMessage();
  EXPECT_EQ(f64->getDataAs<double>()[0], 0.1);

  Expected<Tensor> ints = parseTensorLiteral("2xi8=-128 127");
  ASSERT_TRUE(ints) << ints.getError().getMessage();
  EXPECT_EQ(ints->getDataAs<int8_t>()[0], -128);
  Expected<Tensor> bytes = parseTensorLiteral("2xu8=0 255");
  ASSERT_TRUE(bytes) << bytes.getError().getMessage();
  EXPECT_EQ(bytes->getDType(), DType::U8);
  EXPECT_EQ(bytes->getData()[1], 255);

  Expected<Tensor> specials = parseTensorLiteral("3xf32=nan inf -inf");
  ASSERT_TRUE(specials) << specials.getError().getMessage();
  EXPECT_TRUE(std::isnan(specials->getDataAs<float>()[0]));
  EXPECT_EQ(specials->getDataAs<float>()[1],
            std::numeric_limits<float>::infinity());
  EXPECT_EQ(specials->getDataAs<float>()[2],
            -std::numeric_limits<float>::infinity());
}

TEST(TensorLiteralTest, Errors) {
  const std::pair<const char *, const char *> cases[] = {
      {"2x4xf32=1 2 3",
       "invalid tensor literal '2x4xf32=1 2 3': expected 8 values (or 1 to "
       "splat), got 3"},
      {"0x2xf64=1", "expected 0 values (or 1 to splat), got 1"},
      {"2xf32=", "invalid tensor literal '2xf32=': expected 2 values (or 1 to "
                 "splat), got 0"},
      {"2xf32=1 abc", "'abc' is not a valid f32 value"},
      {"2xf16=1 1.2.3", "'1.2.3' is not a valid f16 value"},
      {"2xi32=1 2.5", "'2.5' is not a valid i32 value"},
      {"i64=99999999999999999999", "is not a valid i64 value"},
      {"i8=300", "300 is out of range for i8"},
      {"ui8=-1", "-1 is out of range for ui8"},
      {"i32=2147483648", "2147483648 is out of range for i32"},
      {"2xi1=true 2", "'2' is not an i1 value (expected true, false, 0 or 1)"},
      {"2x4xf33=1", "unknown element type 'f33'"},
      {"2x4=1", "unknown element type '4'"},
      {"=1", "unknown element type ''"},
      {"2xax4xf32", "expected a dimension, found 'a'"},
      {"2xxf32", "expected a dimension, found ''"},
      {"-1xf32", "expected a dimension, found '-1'"},
      {"99999999999999999999xf32", "dimension 99999999999999999999 is too "
                                   "large"},
      {"4611686018427387904x4xf32=0",
       "invalid shape 4611686018427387904x4: the element count overflows"},
  };
  for (auto [literal, reason] : cases) {
    SCOPED_TRACE(literal);
    Expected<Tensor> result = parseTensorLiteral(literal);
    ASSERT_FALSE(result);
    const std::string &message = result.getError().getMessage();
    EXPECT_NE(message.find(reason), std::string::npos) << message;
    EXPECT_NE(message.find(std::string("'") + literal + "'"), std::string::npos)
        << message;
  }
}

std::string summarize(const char *literal, int64_t maxValues = 8) {
  Expected<Tensor> tensor = parseTensorLiteral(literal);
  EXPECT_TRUE(tensor) << tensor.getError().getMessage();
  return tensor ? formatSummary(*tensor, maxValues) : "";
}

TEST(TensorLiteralTest, FormatSummary) {
  EXPECT_EQ(summarize("2x4xf32=1 2 3 4 5 6 7 8", 5),
            "tensor<2x4xf32> [1, 2, 3, 4, 5, ...]");
  EXPECT_EQ(summarize("2x4xf32=1 2 3 4 5 6 7 8.25"),
            "tensor<2x4xf32> [1, 2, 3, 4, 5, 6, 7, 8.25]");
  EXPECT_EQ(summarize("f32=3"), "tensor<f32> [3]");
  EXPECT_EQ(summarize("2xf16=0.5 -2"), "tensor<2xf16> [0.5, -2]");
  EXPECT_EQ(summarize("2xbf16=1.5 3.14159"), "tensor<2xbf16> [1.5, 3.14062]");
  EXPECT_EQ(summarize("3xi1=true false 1"), "tensor<3xi1> [1, 0, 1]");
  EXPECT_EQ(summarize("2xi64=-9223372036854775808 9223372036854775807"),
            "tensor<2xi64> [-9223372036854775808, 9223372036854775807]");
  EXPECT_EQ(summarize("2xi8=-5 7"), "tensor<2xi8> [-5, 7]");
  EXPECT_EQ(summarize("2xf64=nan -inf"), "tensor<2xf64> [nan, -inf]");
  EXPECT_EQ(summarize("0x3xf32"), "tensor<0x3xf32> []");
  EXPECT_EQ(summarize("4xf32=1", 0), "tensor<4xf32> [...]");
}

} // namespace
