//===- Float16.h - f16 and bf16 conversions ----------------------*- C++
//-*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Conversions between f32 and the two 16-bit float formats, on their bit
// patterns. Narrowing rounds to nearest, ties to even, as IEEE 754 and the
// hardware do; overflow gives infinity, values below half the smallest
// subnormal give (signed) zero, NaN stays a quiet NaN of the same sign.
// Widening is exact.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_FLOAT16_H
#define ATTNC_RUNTIME_FLOAT16_H

#include <cstdint>

namespace attnc::runtime {

/// IEEE binary16 bits (1 sign, 5 exponent, 10 mantissa bits) to f32.
float f16ToF32(uint16_t bits);
/// f32 to IEEE binary16 bits, rounding to nearest even.
uint16_t f32ToF16(float value);

/// bfloat16 bits (the top half of an f32) to f32.
float bf16ToF32(uint16_t bits);
/// f32 to bfloat16 bits, rounding to nearest even.
uint16_t f32ToBF16(float value);

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_FLOAT16_H
