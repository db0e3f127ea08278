//===- Npy.cpp - NumPy .npy files -------------------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// A .npy file is a preamble (the magic "\x93NUMPY", a major and minor version
// byte, and the header length: 2 bytes little-endian in version 1.0, 4 bytes
// in 2.0 and 3.0), a header that is a Python dict literal padded with spaces
// and ended by '\n', and the raw array data.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Npy.h"

#include "attnc/Runtime/AtomicFile.h"
#include "NpyHeader.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the .npy reader and writer assume a little-endian host"
#endif

using namespace attnc::runtime;
using namespace attnc::runtime::detail;

namespace {

constexpr std::string_view kMagic("\x93NUMPY", 6);
/// Magic, version and the longest (4-byte) header length field.
constexpr size_t kMaxPreambleSize = 12;
/// Headers are a few hundred bytes; refuse to read megabytes of one.
constexpr uint64_t kMaxHeaderSize = 1 << 20;
/// numpy pads the header so that the dimension along which an array may grow
/// can take this many digits without moving the data.
constexpr size_t kGrowthAxisMaxDigits = 21;

/// Where the header dict and the data start.
struct Preamble {
  size_t dictOffset;
  uint64_t dataOffset;
};

/// The dtype and shape of a valid header, and the data size they imply.
struct HeaderInfo {
  DType dtype;
  std::vector<int64_t> shape;
  int64_t byteSize;
};

struct FileCloser {
  void operator()(std::FILE *file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

} // namespace

/// Prefixes `reason` with the file name.
static Error fileError(std::string_view name, const std::string &reason) {
  return Error::failure(std::string(name) + ": " + reason);
}

/// Reads the fixed-size start of a file of `fileSize` bytes, whose first
/// min(fileSize, kMaxPreambleSize) bytes are `prefix`.
static Expected<Preamble> parsePreamble(std::string_view prefix,
                                        uint64_t fileSize,
                                        std::string_view name) {
  auto tooShort = [&] {
    return fileError(name, "file is too short to be a .npy file (" +
                               std::to_string(fileSize) + " bytes)");
  };
  if (prefix.size() < kMagic.size())
    return tooShort();
  if (prefix.substr(0, kMagic.size()) != kMagic)
    return fileError(name, "not a .npy file (bad magic string)");
  if (prefix.size() < 8)
    return tooShort();
  unsigned major = uint8_t(prefix[6]), minor = uint8_t(prefix[7]);
  if (major < 1 || major > 3 || minor != 0)
    return fileError(
        name, "unsupported .npy format version " + std::to_string(major) + "." +
                  std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)");
  size_t lengthSize = major == 1 ? 2 : 4;
  size_t dictOffset = 8 + lengthSize;
  if (prefix.size() < dictOffset)
    return tooShort();
  uint64_t headerSize = 0;
  for (size_t i = 0; i < lengthSize; ++i)
    headerSize |= uint64_t(uint8_t(prefix[8 + i])) << (8 * i);
  if (dictOffset + headerSize > fileSize)
    return fileError(name, "header length " + std::to_string(headerSize) +
                               " extends past the end of the file (" +
                               std::to_string(fileSize) + " bytes)");
  if (headerSize > kMaxHeaderSize)
    return fileError(name, "header length " + std::to_string(headerSize) +
                               " exceeds the limit of " +
                               std::to_string(kMaxHeaderSize) + " bytes");
  return Preamble{dictOffset, dictOffset + headerSize};
}

/// Maps a descr string to a DType, or says why it is not supported.
static Expected<DType> parseDescr(const std::string &descr,
                                  std::optional<DType> expectedDType,
                                  std::string_view name) {
  static constexpr std::pair<std::string_view, DType> kCodes[] = {
      {"f4", DType::F32}, {"f2", DType::F16}, {"f8", DType::F64},
      {"b1", DType::I1},  {"i1", DType::I8},  {"u1", DType::U8},
      {"i4", DType::I32}, {"i8", DType::I64}, {"u2", DType::BF16}};
  auto unsupported = [&] {
    return fileError(name, "unsupported dtype '" + descr +
                               "' (supported: <f4, <f2, <f8, |b1, |i1, |u1, "
                               "<i4, <i8, and <u2 read as bf16)");
  };
  if (descr.size() < 2 ||
      std::string_view("<>|=").find(descr[0]) == std::string_view::npos)
    return unsupported();
  std::string_view code = std::string_view(descr).substr(1);
  std::optional<DType> dtype;
  for (auto [candidate, candidateDType] : kCodes)
    if (code == candidate)
      dtype = candidateDType;
  if (!dtype)
    return unsupported();
  char order = descr[0];
  if (getDTypeSize(*dtype) > 1 && order == '>')
    return fileError(name, "big-endian dtype '" + descr +
                               "' is not supported; save with "
                               "arr.astype('<" +
                               std::string(code) + "')");
  if (getDTypeSize(*dtype) > 1 && order == '|')
    return unsupported();
  if (*dtype == DType::BF16 && expectedDType != DType::BF16)
    return fileError(name, "dtype '" + descr +
                               "' (uint16) is only read as bf16, when bf16 is "
                               "the expected dtype");
  if (expectedDType && *dtype != *expectedDType)
    return fileError(
        name, "expected dtype " + std::string(stringifyDType(*expectedDType)) +
                  ", but the file holds " +
                  std::string(stringifyDType(*dtype)) + " ('" + descr + "')");
  return *dtype;
}

/// Parses the header dict and checks it against the `dataSize` bytes that
/// follow it in the file.
static Expected<HeaderInfo> parseHeader(std::string_view dict,
                                        uint64_t dataSize,
                                        std::string_view name,
                                        std::optional<DType> expectedDType) {
  NpyHeaderDict parsed;
  if (std::optional<std::string> reason = parseNpyHeaderDict(dict, parsed))
    return fileError(name, "malformed .npy header (" + *reason +
                               "): " + quoteNpyHeader(dict));
  Expected<DType> dtype = parseDescr(parsed.descr, expectedDType, name);
  if (!dtype)
    return dtype.takeError();
  if (parsed.fortranOrder)
    return fileError(name, "Fortran-order arrays are not supported; save with "
                           "np.ascontiguousarray");
  Expected<int64_t> byteSize = computeByteSize(*dtype, parsed.shape);
  if (!byteSize)
    return fileError(name, "invalid shape " + formatNpyShape(parsed.shape) +
                               ": " + byteSize.getError().getMessage());
  std::string what = "shape " + formatNpyShape(parsed.shape) + " of " +
                     std::string(stringifyDType(*dtype)) + " needs " +
                     std::to_string(*byteSize) + " bytes of data";
  if (dataSize < uint64_t(*byteSize))
    return fileError(name, "file is truncated: " + what + ", found " +
                               std::to_string(dataSize));
  if (dataSize > uint64_t(*byteSize))
    return fileError(name, "unexpected trailing bytes: " + what + ", found " +
                               std::to_string(dataSize));
  return HeaderInfo{*dtype, std::move(parsed.shape), *byteSize};
}

/// numpy's bool is 0 or 1 in a byte; make sure that is all an i1 holds.
static void normalizeBools(Tensor &tensor) {
  if (tensor.getDType() != DType::I1)
    return;
  uint8_t *data = tensor.getData();
  for (size_t i = 0, e = tensor.getByteSize(); i < e; ++i)
    data[i] = data[i] != 0;
}

/// Reads exactly `size` bytes; false on a short read.
static bool readBytes(std::FILE *file, void *buffer, size_t size) {
  return std::fread(buffer, 1, size, file) == size;
}

std::string_view attnc::runtime::getNpyDescr(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "<f4";
  case DType::F16:
    return "<f2";
  case DType::BF16:
    return "<u2";
  case DType::F64:
    return "<f8";
  case DType::I1:
    return "|b1";
  case DType::I8:
    return "|i1";
  case DType::I32:
    return "<i4";
  case DType::I64:
    return "<i8";
  case DType::U8:
    return "|u1";
  }
  return "";
}

Expected<Tensor> attnc::runtime::parseNpy(std::string_view bytes,
                                          std::string_view name,
                                          std::optional<DType> expectedDType) {
  Expected<Preamble> preamble =
      parsePreamble(bytes.substr(0, kMaxPreambleSize), bytes.size(), name);
  if (!preamble)
    return preamble.takeError();
  size_t dataOffset = size_t(preamble->dataOffset);
  Expected<HeaderInfo> info = parseHeader(
      bytes.substr(preamble->dictOffset, dataOffset - preamble->dictOffset),
      bytes.size() - dataOffset, name, expectedDType);
  if (!info)
    return info.takeError();
  Expected<Tensor> tensor =
      Tensor::createUninitialized(info->dtype, std::move(info->shape));
  if (!tensor)
    return fileError(name, tensor.getError().getMessage());
  if (info->byteSize)
    std::memcpy(tensor->getData(), bytes.data() + dataOffset,
                size_t(info->byteSize));
  normalizeBools(*tensor);
  return tensor;
}

Expected<Tensor> attnc::runtime::readNpy(const std::string &path,
                                         std::optional<DType> expectedDType) {
  std::error_code ec;
  std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found)
    return fileError(path, "cannot open file: No such file or directory");
  if (ec)
    return fileError(path, "cannot open file: " + ec.message());
  if (!std::filesystem::is_regular_file(status))
    return fileError(path, "cannot read file: not a regular file");
  uint64_t fileSize = std::filesystem::file_size(path, ec);
  if (ec)
    return fileError(path, "cannot read file: " + ec.message());
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file)
    return fileError(path,
                     std::string("cannot open file: ") + std::strerror(errno));
  auto readError = [&] {
    return fileError(path, "cannot read file: " +
                               std::string(std::ferror(file.get())
                                               ? std::strerror(errno)
                                               : "it changed while reading"));
  };

  std::string header(size_t(std::min<uint64_t>(fileSize, kMaxPreambleSize)),
                     '\0');
  if (!readBytes(file.get(), header.data(), header.size()))
    return readError();
  Expected<Preamble> preamble = parsePreamble(header, fileSize, path);
  if (!preamble)
    return preamble.takeError();
  // parsePreamble bounded the header by the file size and kMaxHeaderSize.
  size_t dataOffset = size_t(preamble->dataOffset);
  size_t start = header.size();
  header.resize(std::max(start, dataOffset));
  if (!readBytes(file.get(), header.data() + start, header.size() - start))
    return readError();
  std::string_view dict = std::string_view(header).substr(
      preamble->dictOffset, dataOffset - preamble->dictOffset);
  Expected<HeaderInfo> info =
      parseHeader(dict, fileSize - dataOffset, path, expectedDType);
  if (!info)
    return info.takeError();

  // The data size now matches the file size, so the allocation is sane.
  Expected<Tensor> tensor =
      Tensor::createUninitialized(info->dtype, std::move(info->shape));
  if (!tensor)
    return fileError(path, tensor.getError().getMessage());
  if (std::fseek(file.get(), long(dataOffset), SEEK_SET) != 0 ||
      !readBytes(file.get(), tensor->getData(), tensor->getByteSize()))
    return readError();
  normalizeBools(*tensor);
  return tensor;
}

/// The preamble and header numpy.save writes for `tensor`.
static std::string serializeHeader(const Tensor &tensor) {
  const std::vector<int64_t> &shape = tensor.getShape();
  std::string dict =
      "{'descr': '" + std::string(getNpyDescr(tensor.getDType())) +
      "', 'fortran_order': False, 'shape': " + formatNpyShape(shape) + ", }";
  if (!shape.empty())
    dict.append(kGrowthAxisMaxDigits - std::to_string(shape[0]).size(), ' ');
  // Version 1.0 unless the header length does not fit in 16 bits.
  size_t withNewline = dict.size() + 1;
  size_t lengthSize = 2;
  size_t padding = 64 - (8 + lengthSize + withNewline) % 64;
  if (withNewline + padding > 0xFFFF) {
    lengthSize = 4;
    padding = 64 - (8 + lengthSize + withNewline) % 64;
  }
  uint64_t headerSize = withNewline + padding;
  std::string result(kMagic);
  result += char(lengthSize == 2 ? 1 : 2);
  result += char(0);
  for (size_t i = 0; i < lengthSize; ++i)
    result += char((headerSize >> (8 * i)) & 0xFF);
  result += dict;
  result.append(padding, ' ');
  result += '\n';
  return result;
}

std::string attnc::runtime::serializeNpy(const Tensor &tensor) {
  std::string result = serializeHeader(tensor);
  result.append(reinterpret_cast<const char *>(tensor.getData()),
                tensor.getByteSize());
  return result;
}

Error attnc::runtime::writeNpy(const std::string &path, const Tensor &tensor) {
  std::string header = serializeHeader(tensor);
  // Written beside `path` and renamed over it: a failed or interrupted
  // write leaves an earlier file whole.
  Expected<AtomicFile> file = AtomicFile::create(path);
  if (!file)
    return fileError(path, file.getError().getMessage());
  std::FILE *stream = file->getStream();
  bool written =
      std::fwrite(header.data(), 1, header.size(), stream) == header.size() &&
      std::fwrite(tensor.getData(), 1, tensor.getByteSize(), stream) ==
          tensor.getByteSize();
  if (!written)
    return fileError(path, std::string("cannot write file: ") +
                               std::strerror(errno));
  if (Error error = file->commit())
    return fileError(path, error.getMessage());
  return Error::success();
}
