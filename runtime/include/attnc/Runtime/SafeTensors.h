//===- SafeTensors.h - Memory-mapped safetensors weights --------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Hugging Face weights are safetensors files: an 8-byte little-endian header
// length N, N bytes of JSON mapping each tensor name to its dtype, shape and
// [begin, end) byte range in the data that follows, then the data. Large
// models split them over shards listed in model.safetensors.index.json.
//
// Files are memory-mapped read-only and never copied; a tensor is a view into
// the mapping. Everything in the header is checked before any tensor is
// handed out, so a truncated or corrupt file is an error naming the file and
// the problem, never a crash or an out-of-bounds read: the header length
// against the file size, the JSON, every dtype, shape and byte range (in
// bounds, the size the dtype and shape imply, no overlaps, no holes).
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_SAFETENSORS_H
#define ATTNC_RUNTIME_SAFETENSORS_H

#include "attnc/Runtime/Error.h"
#include "attnc/Runtime/Tensor.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attnc::runtime {

/// One tensor of a safetensors file: a view into the mapped file.
struct TensorView {
  std::string name;
  /// The safetensors dtype name: "F32", "F16", "BF16", "I64", ...
  std::string dtypeName;
  /// The runtime dtype, when the runtime has one for dtypeName.
  std::optional<DType> dtype;
  std::vector<int64_t> shape;
  /// The first byte in the mapping. Writers pad the header so that it is
  /// 8-byte aligned, but the format does not promise it: read through
  /// memcpy, or check the alignment first.
  const uint8_t *data = nullptr;
  size_t byteSize = 0;

  int64_t getNumElements() const;
  /// "F32[768, 2304]".
  std::string describe() const;
};

/// A memory-mapped safetensors file.
class SafeTensorsFile {
public:
  /// Maps and validates `path`. With `populate`, every page is read in
  /// now (for weights a forward pass reads anyway), not on first touch.
  static Expected<std::unique_ptr<SafeTensorsFile>>
  open(const std::string &path, bool populate = false);

  SafeTensorsFile(const SafeTensorsFile &) = delete;
  SafeTensorsFile &operator=(const SafeTensorsFile &) = delete;
  ~SafeTensorsFile();

  const std::string &getPath() const { return path; }
  /// Tensors by name (sorted).
  const std::map<std::string, TensorView> &getTensors() const {
    return tensors;
  }
  const TensorView *find(std::string_view name) const;
  /// The string pairs of the optional "__metadata__" entry.
  const std::map<std::string, std::string> &getMetadata() const {
    return metadata;
  }
  /// Bytes of the file's mapping.
  size_t getMappedBytes() const { return mappingSize; }
  /// Bytes of it mapped on 2 MiB pages now (see getHugePageMappedBytes): a
  /// file of 2 MiB or more is mapped at a 2 MiB boundary with transparent
  /// huge pages advised, so that what the page cache holds in 2 MiB folios
  /// takes one TLB entry per 2 MiB.
  size_t getHugePageBytes() const;

private:
  SafeTensorsFile() = default;
  Error parse();

  std::string path;
  void *mapping = nullptr;
  size_t mappingSize = 0;
  std::map<std::string, TensorView> tensors;
  std::map<std::string, std::string> metadata;
};

/// The weights of a model directory: model.safetensors, or the shards that
/// model.safetensors.index.json lists (every shard opened and validated).
class WeightSet {
public:
  /// Opens and validates every file; `populate` as SafeTensorsFile::open.
  static Expected<WeightSet> open(const std::string &directory,
                                  bool populate = false);

  /// The tensor `name`, or an error naming it and the file(s) searched.
  Expected<const TensorView *> get(std::string_view name) const;
  /// The tensor `name` with exactly `shape` and a float dtype the runtime
  /// reads (F32, F16, BF16), or an error that names the tensor and says
  /// what was expected.
  Expected<const TensorView *>
  getFloat(std::string_view name, const std::vector<int64_t> &shape) const;
  const TensorView *find(std::string_view name) const;
  size_t size() const { return index.size(); }
  /// Where the weights come from: the file, or the index and its shards.
  const std::string &getSource() const { return source; }
  /// Bytes of the files' mappings, and of those on 2 MiB pages now.
  size_t getMappedBytes() const;
  size_t getHugePageBytes() const;

private:
  std::string source;
  std::vector<std::shared_ptr<SafeTensorsFile>> files;
  std::map<std::string, const TensorView *, std::less<>> index;
};

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_SAFETENSORS_H
