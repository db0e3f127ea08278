//===- Float16.cpp - f16 and bf16 conversions -------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Float16.h"

#include <cstring>

using namespace attnc::runtime;

static uint32_t toBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

static float fromBits(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

/// Shifts `value` right by `shift` (1 to 31) bits, rounding to nearest even.
/// A carry out of the mantissa correctly bumps the exponent above it.
static uint32_t shiftRightRoundingToEven(uint32_t value, unsigned shift) {
  uint32_t result = value >> shift;
  uint32_t remainder = value & ((1u << shift) - 1);
  uint32_t half = 1u << (shift - 1);
  if (remainder > half || (remainder == half && (result & 1)))
    ++result;
  return result;
}

float attnc::runtime::f16ToF32(uint16_t bits) {
  uint32_t sign = uint32_t(bits & 0x8000) << 16;
  uint32_t exponent = (bits >> 10) & 0x1F;
  uint32_t mantissa = bits & 0x3FF;
  if (exponent == 0x1F) // Infinity, or NaN with its payload kept.
    return fromBits(sign | 0x7F800000 | (mantissa << 13));
  if (exponent != 0)
    return fromBits(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  if (mantissa == 0)
    return fromBits(sign);
  // Subnormal: normalize, since every f16 subnormal is a normal f32.
  int unbiased = -14;
  while (!(mantissa & 0x400)) {
    mantissa <<= 1;
    --unbiased;
  }
  mantissa &= 0x3FF;
  return fromBits(sign | uint32_t(unbiased + 127) << 23 | (mantissa << 13));
}

uint16_t attnc::runtime::f32ToF16(float value) {
  uint32_t bits = toBits(value);
  uint16_t sign = (bits >> 16) & 0x8000;
  uint32_t magnitude = bits & 0x7FFFFFFF;
  if (magnitude > 0x7F800000) // NaN: keep the top payload bits, force quiet.
    return sign | 0x7E00 | ((magnitude >> 13) & 0x3FF);
  if (magnitude == 0x7F800000)
    return sign | 0x7C00;

  int exponent = int(magnitude >> 23) - 127 + 15;
  uint32_t mantissa = magnitude & 0x7FFFFF;
  if (exponent >= 0x1F) // At least 2^16: beyond rounding range.
    return sign | 0x7C00;
  if (exponent >= 1) {
    // Normal. Rounding may carry into the exponent, up to infinity (0x7C00).
    uint32_t rounded = (uint32_t(exponent) << 23 | mantissa);
    return sign | uint16_t(shiftRightRoundingToEven(rounded, 13));
  }
  // Subnormal or zero: the value in units of 2^-24 is m * 2^(exponent - 14)
  // with m the 24-bit significand. Below 2^-25 (shift > 24) it rounds to zero.
  unsigned shift = unsigned(14 - exponent);
  if (shift > 24)
    return sign;
  return sign | uint16_t(shiftRightRoundingToEven(mantissa | 0x800000, shift));
}

float attnc::runtime::bf16ToF32(uint16_t bits) {
  return fromBits(uint32_t(bits) << 16);
}

uint16_t attnc::runtime::f32ToBF16(float value) {
  uint32_t bits = toBits(value);
  if ((bits & 0x7FFFFFFF) > 0x7F800000) // NaN: keep it a quiet NaN.
    return uint16_t(bits >> 16) | 0x0040;
  // Rounding may carry into the exponent, up to infinity.
  return uint16_t(shiftRightRoundingToEven(bits & 0x7FFFFFFF, 16) |
                  ((bits >> 16) & 0x8000));
}
