//===- NpyHeader.h - The dict in a .npy header ------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Internal to the runtime library: the Python dict literal of a .npy header,
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// parsed without trusting it, and the spellings numpy uses.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_LIB_NPYHEADER_H
#define ATTNC_RUNTIME_LIB_NPYHEADER_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attnc::runtime::detail {

/// The three keys of a header dict, as written.
struct NpyHeaderDict {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

/// Parses a header dict with its keys in any order, any spacing and an
/// optional trailing comma, followed by nothing but whitespace. Returns why
/// `text` is malformed, or nothing after filling `result`.
std::optional<std::string> parseNpyHeaderDict(std::string_view text,
                                              NpyHeaderDict &result);

/// The shape as numpy prints it: "(2, 3)", "(5,)", "()".
std::string formatNpyShape(const std::vector<int64_t> &shape);

/// `text` quoted for a one-line error message: without the trailing padding,
/// shortened, with control characters escaped as \xNN.
std::string quoteNpyHeader(std::string_view text);

} // namespace attnc::runtime::detail

#endif // ATTNC_RUNTIME_LIB_NPYHEADER_H
