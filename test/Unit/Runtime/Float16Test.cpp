//===- Float16Test.cpp - f16 and bf16 conversions ---------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Checks the conversions against known bit patterns: exact values, the ends
// of the ranges, subnormals, ties that round to even, infinities and NaNs;
// and that every non-NaN 16-bit pattern survives a round trip through f32.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Float16.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

using namespace attnc::runtime;

namespace {

uint32_t bitsOf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

float floatOf(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

bool isF16NaN(uint16_t bits) {
  return (bits & 0x7C00) == 0x7C00 && (bits & 0x3FF) != 0;
}

bool isBF16NaN(uint16_t bits) {
  return (bits & 0x7F80) == 0x7F80 && (bits & 0x7F) != 0;
}

TEST(Float16Test, F16ExactValues) {
  EXPECT_EQ(f32ToF16(1.0f), 0x3C00);
  EXPECT_EQ(f32ToF16(-2.0f), 0xC000);
  EXPECT_EQ(f32ToF16(0.5f), 0x3800);
  EXPECT_EQ(f32ToF16(0.0f), 0x0000);
  EXPECT_EQ(f32ToF16(-0.0f), 0x8000);
  EXPECT_EQ(f32ToF16(65504.0f), 0x7BFF);
  EXPECT_EQ(f16ToF32(0x3C00), 1.0f);
  EXPECT_EQ(f16ToF32(0xC000), -2.0f);
  EXPECT_EQ(f16ToF32(0x7BFF), 65504.0f);
  EXPECT_EQ(f16ToF32(0x3555), 0.333251953125f);
  EXPECT_EQ(bitsOf(f16ToF32(0x8000)), 0x80000000u);
}

TEST(Float16Test, F16Subnormals) {
  const float smallest = std::ldexp(1.0f, -24);
  EXPECT_EQ(f32ToF16(smallest), 0x0001);
  EXPECT_EQ(f16ToF32(0x0001), smallest);
  EXPECT_EQ(f16ToF32(0x03FF), 1023 * smallest);       // Largest subnormal.
  EXPECT_EQ(f16ToF32(0x0400), std::ldexp(1.0f, -14)); // Smallest normal.
  EXPECT_EQ(f32ToF16(std::ldexp(1.0f, -14)), 0x0400);
  EXPECT_EQ(f32ToF16(-smallest), 0x8001);
  // Half the smallest subnormal is a tie: rounds to even, zero. Anything
  // above it rounds up to the smallest subnormal.
  EXPECT_EQ(f32ToF16(smallest / 2), 0x0000);
  EXPECT_EQ(f32ToF16(std::nextafter(smallest / 2, 1.0f)), 0x0001);
  EXPECT_EQ(f32ToF16(-smallest / 2), 0x8000);
  // 1.5 and 2.5 smallest subnormals are ties: both round to 2.
  EXPECT_EQ(f32ToF16(1.5f * smallest), 0x0002);
  EXPECT_EQ(f32ToF16(2.5f * smallest), 0x0002);
  // Rounding up out of the subnormals gives the smallest normal.
  EXPECT_EQ(f32ToF16(1023.5f * smallest), 0x0400);
  // f32 subnormals are far below the f16 range.
  EXPECT_EQ(f32ToF16(std::numeric_limits<float>::denorm_min()), 0x0000);
}

TEST(Float16Test, F16RoundsToNearestEven) {
  // Between 1.0 (0x3C00) and 1 + 2^-10 (0x3C01) the tie goes to the even
  // 0x3C00; between 0x3C01 and 0x3C02 it goes to 0x3C02.
  EXPECT_EQ(f32ToF16(1.0f + std::ldexp(1.0f, -11)), 0x3C00);
  EXPECT_EQ(f32ToF16(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);
  EXPECT_EQ(f32ToF16(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)),
            0x3C01);
  EXPECT_EQ(f32ToF16(1.0f + std::ldexp(1.0f, -11) - std::ldexp(1.0f, -20)),
            0x3C00);
  // The mantissa carry moves into the exponent: just below 2 rounds to 2.
  EXPECT_EQ(f32ToF16(std::nextafter(2.0f, 0.0f)), 0x4000);
  EXPECT_EQ(f32ToF16(0.1f), 0x2E66);
}

TEST(Float16Test, F16OverflowAndSpecials) {
  const float inf = std::numeric_limits<float>::infinity();
  // 65520 is the tie between 65504 and the next step (2^16): rounds to inf.
  EXPECT_EQ(f32ToF16(65519.0f), 0x7BFF);
  EXPECT_EQ(f32ToF16(65520.0f), 0x7C00);
  EXPECT_EQ(f32ToF16(1e6f), 0x7C00);
  EXPECT_EQ(f32ToF16(-1e6f), 0xFC00);
  EXPECT_EQ(f32ToF16(inf), 0x7C00);
  EXPECT_EQ(f32ToF16(-inf), 0xFC00);
  EXPECT_EQ(f16ToF32(0x7C00), inf);
  EXPECT_EQ(f16ToF32(0xFC00), -inf);

  EXPECT_TRUE(isF16NaN(f32ToF16(std::numeric_limits<float>::quiet_NaN())));
  // A NaN whose payload lies only in the low bits must not become infinity.
  EXPECT_TRUE(isF16NaN(f32ToF16(floatOf(0x7F800001))));
  EXPECT_EQ(f32ToF16(floatOf(0xFFC00000)) & 0x8000, 0x8000);
  EXPECT_TRUE(std::isnan(f16ToF32(0x7E00)));
  EXPECT_TRUE(std::isnan(f16ToF32(0x7C01)));
}

TEST(Float16Test, F16RoundTripsEveryPattern) {
  for (uint32_t bits = 0; bits <= 0xFFFF; ++bits) {
    if (isF16NaN(uint16_t(bits))) {
      EXPECT_TRUE(isF16NaN(f32ToF16(f16ToF32(uint16_t(bits)))));
      continue;
    }
    ASSERT_EQ(f32ToF16(f16ToF32(uint16_t(bits))), bits) << std::hex << bits;
  }
}

TEST(Float16Test, BF16ExactValues) {
  EXPECT_EQ(f32ToBF16(1.0f), 0x3F80);
  EXPECT_EQ(f32ToBF16(-2.0f), 0xC000);
  EXPECT_EQ(f32ToBF16(0.0f), 0x0000);
  EXPECT_EQ(f32ToBF16(-0.0f), 0x8000);
  EXPECT_EQ(bf16ToF32(0x3F80), 1.0f);
  EXPECT_EQ(bf16ToF32(0x4049), 3.140625f);
  EXPECT_EQ(f32ToBF16(3.14159265f), 0x4049);
  EXPECT_EQ(bitsOf(bf16ToF32(0x0001)), 0x00010000u); // A subnormal.
}

TEST(Float16Test, BF16RoundsToNearestEven) {
  // Ties between 0x3F80/0x3F81 and 0x3F81/0x3F82 go to the even one.
  EXPECT_EQ(f32ToBF16(floatOf(0x3F808000)), 0x3F80);
  EXPECT_EQ(f32ToBF16(floatOf(0x3F818000)), 0x3F82);
  EXPECT_EQ(f32ToBF16(floatOf(0x3F808001)), 0x3F81);
  EXPECT_EQ(f32ToBF16(floatOf(0x3F807FFF)), 0x3F80);
  // Subnormals round the same way.
  EXPECT_EQ(f32ToBF16(floatOf(0x00008000)), 0x0000);
  EXPECT_EQ(f32ToBF16(floatOf(0x00018000)), 0x0002);
  EXPECT_EQ(f32ToBF16(floatOf(0x80008001)), 0x8001);
  // The largest floats round up to infinity, the largest bf16 stays.
  EXPECT_EQ(f32ToBF16(std::numeric_limits<float>::max()), 0x7F80);
  EXPECT_EQ(f32ToBF16(floatOf(0x7F7F7FFF)), 0x7F7F);
}

TEST(Float16Test, BF16Specials) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(f32ToBF16(inf), 0x7F80);
  EXPECT_EQ(f32ToBF16(-inf), 0xFF80);
  EXPECT_EQ(bf16ToF32(0xFF80), -inf);
  EXPECT_TRUE(isBF16NaN(f32ToBF16(std::numeric_limits<float>::quiet_NaN())));
  // Truncating 0x7F800001 would give infinity; it must stay a NaN.
  EXPECT_TRUE(isBF16NaN(f32ToBF16(floatOf(0x7F800001))));
  EXPECT_TRUE(isBF16NaN(f32ToBF16(floatOf(0xFF800001))));
  EXPECT_EQ(f32ToBF16(floatOf(0xFF800001)) & 0x8000, 0x8000);
  EXPECT_TRUE(std::isnan(bf16ToF32(0x7FC0)));
}

TEST(Float16Test, BF16RoundTripsEveryPattern) {
  for (uint32_t bits = 0; bits <= 0xFFFF; ++bits) {
    if (isBF16NaN(uint16_t(bits))) {
      EXPECT_TRUE(isBF16NaN(f32ToBF16(bf16ToF32(uint16_t(bits)))));
      continue;
    }
    ASSERT_EQ(f32ToBF16(bf16ToF32(uint16_t(bits))), bits) << std::hex << bits;
  }
}

} // namespace
