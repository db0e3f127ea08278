//===- TensorLiteral.h - Tensors to and from text ----------------*- C++
//-*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The text forms of tensors that attnc-run reads on its command line and
// prints, in the syntax iree-run-module uses:
//
//   2x4xf32=1 2 3 4 5 6 7 8    all values, in C order
//   2x3xf32=0.5                one value splats to every element
//   f32=3                      a scalar
//   4xi1=true false 0 1        i1 takes true/false/True/False/0/1
//   2x2xf16                    no '=': zero-filled
//
// Values are separated by whitespace or commas; '[' and ']' may group them
// and are ignored. Float values parse as double and are rounded to the
// element type (through f32 for f16 and bf16); "nan", "inf" and "-inf" are
// accepted. Integer values must be integers within the element type's range.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_TENSORLITERAL_H
#define ATTNC_RUNTIME_TENSORLITERAL_H

#include "attnc/Runtime/Error.h"
#include "attnc/Runtime/Tensor.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace attnc::runtime {

/// Parses a tensor literal such as "2x4xf32=1 2 3 4 5 6 7 8". Errors name the
/// literal and the reason: a bad dimension or element type, a value that is
/// not a number of the element type, or a value count that is neither 1 nor
/// the element count.
Expected<Tensor> parseTensorLiteral(std::string_view literal);

/// A one-line summary: the type and the first `maxValues` elements, e.g.
/// "tensor<2x4xf32> [1, 2, 3, 4, 5, ...]". Floats print with 6 significant
/// digits (f16 and bf16 widened to f32 first), i1 as 0 or 1.
std::string formatSummary(const Tensor &tensor, int64_t maxValues = 8);

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_TENSORLITERAL_H
