//===- Npy.h - NumPy .npy files ----------------------------------*- C++
//-*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Reads and writes tensors as NumPy .npy files (format versions 1.0, 2.0 and
// 3.0; https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
//
// Element types and their descr strings:
//
//   f32 '<f4'   f16 '<f2'   f64 '<f8'   i1 '|b1'   i8 '|i1'   ui8 '|u1'
//   i32 '<i4'   i64 '<i8'   bf16 '<u2' (by convention, see below)
//
// bf16 has no numpy dtype (ml_dtypes' bfloat16 saves as the ambiguous '<V2').
// attnc's convention is to store bf16 bit patterns as uint16 ('<u2'; in
// Python: `a.view(np.uint16)` to save, `np.load(f).view(ml_dtypes.bfloat16)`
// to load). The reader treats '<u2' as bf16 only when the caller asks for
// bf16; otherwise '<u2' is an error, since attnc has no u16 type.
//
// Only little-endian, C-order arrays are accepted. The reader never trusts
// the header: the data size is checked against the file size before anything
// is allocated, so a corrupt file gives an error, never a crash or a huge
// allocation. Errors are one line and start with the file name.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_NPY_H
#define ATTNC_RUNTIME_NPY_H

#include "attnc/Runtime/Error.h"
#include "attnc/Runtime/Tensor.h"

#include <optional>
#include <string>
#include <string_view>

namespace attnc::runtime {

/// The npy descr string of `dtype`: "<f4" for f32, "<u2" for bf16.
std::string_view getNpyDescr(DType dtype);

/// Reads the .npy file at `path`. With `expectedDType` set, fails unless the
/// file holds that dtype, and accepts '<u2' files as bf16 when it is bf16.
Expected<Tensor> readNpy(const std::string &path,
                         std::optional<DType> expectedDType = std::nullopt);

/// As readNpy, from the whole contents of a .npy file in memory; `name`
/// stands for the file in error messages.
Expected<Tensor> parseNpy(std::string_view bytes, std::string_view name,
                          std::optional<DType> expectedDType = std::nullopt);

/// Writes `tensor` to `path` as a version 1.0 .npy file, byte for byte as
/// numpy.save does: the header is padded with spaces and ends with '\n' so
/// that the data starts at a multiple of 64 bytes.
Error writeNpy(const std::string &path, const Tensor &tensor);

/// The bytes writeNpy writes, in memory.
std::string serializeNpy(const Tensor &tensor);

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_NPY_H
