//===- SafeTensors.cpp - Memory-mapped safetensors weights ------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/SafeTensors.h"
#include "attnc/Runtime/Memory.h"

#include "attnc/Runtime/Json.h"
#include "attnc/Runtime/Text.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace attnc::runtime;

namespace {

/// Headers larger than this are rejected as corrupt (the reference
/// implementation's limit).
constexpr uint64_t kMaxHeaderSize = 100u << 20;

/// Bytes per element of each safetensors dtype.
std::optional<size_t> getSafeTensorsDTypeSize(std::string_view name) {
  struct Entry {
    std::string_view name;
    size_t size;
  };
  static constexpr Entry kSizes[] = {
      {"BOOL", 1}, {"U8", 1},  {"I8", 1},  {"F8_E4M3", 1}, {"F8_E5M2", 1},
      {"I16", 2},  {"U16", 2}, {"F16", 2}, {"BF16", 2},    {"I32", 4},
      {"U32", 4},  {"F32", 4}, {"I64", 8}, {"U64", 8},     {"F64", 8}};
  for (const Entry &entry : kSizes)
    if (entry.name == name)
      return entry.size;
  return std::nullopt;
}

std::optional<DType> getRuntimeDType(std::string_view name) {
  if (name == "F32")
    return DType::F32;
  if (name == "F16")
    return DType::F16;
  if (name == "BF16")
    return DType::BF16;
  if (name == "F64")
    return DType::F64;
  if (name == "I64")
    return DType::I64;
  if (name == "I32")
    return DType::I32;
  if (name == "I8")
    return DType::I8;
  if (name == "U8")
    return DType::U8;
  if (name == "BOOL")
    return DType::I1;
  return std::nullopt;
}

std::string formatDims(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

} // namespace

int64_t TensorView::getNumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

std::string TensorView::describe() const {
  return dtypeName + formatDims(shape);
}

SafeTensorsFile::~SafeTensorsFile() {
  if (mapping)
    ::munmap(mapping, mappingSize);
}

namespace {

/// Maps `size` bytes of `fd` read-only. A file of a huge page or more is
/// mapped at a 2 MiB-aligned address with transparent huge pages advised,
/// so that the kernel maps the parts of it that the page cache holds in
/// 2 MiB folios with one entry each, and reads parts not yet cached into
/// such folios (file systems that cache in large folios: XFS, and ext4 on
/// recent kernels such as 6.18). A decode step reads every weight: on
/// 4 KiB pages that is a TLB entry per 4 KiB. With `populate` every page
/// is mapped now (as llama.cpp does) rather than faulted in during the
/// first forward pass.
void *mapFile(int fd, size_t size, bool populate) {
  if (size < kHugePage) {
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    if (populate)
      flags |= MAP_POPULATE;
#endif
    return ::mmap(nullptr, size, PROT_READ, flags, fd, 0);
  }
  void *mapping = mapOnHugePageBoundary(size, fd);
  if (mapping == MAP_FAILED)
    return MAP_FAILED;
  adviseHugePages(mapping, size);
  // Only advice, as MAP_POPULATE was: pages it could not bring in are
  // faulted in when read.
  if (populate)
    (void)populatePages(mapping, size, /*forWriting=*/false);
  return mapping;
}

} // namespace

Expected<std::unique_ptr<SafeTensorsFile>>
SafeTensorsFile::open(const std::string &path, bool populate) {
  std::unique_ptr<SafeTensorsFile> file(new SafeTensorsFile());
  file->path = path;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Error::failure("cannot open '" + path +
                          "': " + std::strerror(errno));
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return Error::failure("'" + path + "' is not a regular file");
  }
  file->mappingSize = static_cast<size_t>(info.st_size);
  if (file->mappingSize < 8) {
    ::close(fd);
    return Error::failure("'" + path + "': truncated safetensors file (" +
                          std::to_string(file->mappingSize) +
                          " bytes; the header length alone takes 8)");
  }
  void *mapping = mapFile(fd, file->mappingSize, populate);
  ::close(fd);
  if (mapping == MAP_FAILED)
    return Error::failure("cannot map '" + path + "': " + std::strerror(errno));
  file->mapping = mapping;
  if (Error error = file->parse())
    return error;
  return file;
}

size_t SafeTensorsFile::getHugePageBytes() const {
  return mapping ? getHugePageMappedBytes(mapping) : 0;
}

Error SafeTensorsFile::parse() {
  auto fail = [&](const std::string &what) {
    return Error::failure("'" + path + "': " + what);
  };
  const auto *bytes = static_cast<const uint8_t *>(mapping);
  uint64_t headerSize = 0;
  for (int i = 7; i >= 0; --i)
    headerSize = (headerSize << 8) | bytes[i];
  if (headerSize > kMaxHeaderSize)
    return fail("corrupt safetensors header: its length field says " +
                std::to_string(headerSize) + " bytes (at most " +
                std::to_string(kMaxHeaderSize) + ")");
  if (headerSize > mappingSize - 8)
    return fail("truncated safetensors file: the header needs " +
                std::to_string(headerSize) + " bytes, the file has " +
                std::to_string(mappingSize - 8) + " after the length");
  std::string_view headerText(reinterpret_cast<const char *>(bytes + 8),
                              headerSize);
  Expected<JsonValue> header = parseJson(headerText);
  if (!header)
    return fail("corrupt safetensors header: " +
                header.getError().getMessage());
  if (!header->isObject())
    return fail("corrupt safetensors header: expected an object, got " +
                std::string(JsonValue::describe(header->getKind())));

  const uint8_t *data = bytes + 8 + headerSize;
  uint64_t dataSize = mappingSize - 8 - headerSize;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (const auto &[name, entry] : header->getMembers()) {
    if (name == "__metadata__") {
      if (!entry.isObject())
        return fail("__metadata__ must be an object of strings");
      for (const auto &[key, value] : entry.getMembers()) {
        if (!value.isString())
          return fail("__metadata__ entry '" + key + "' is not a string");
        metadata[key] = value.getString();
      }
      continue;
    }
    const std::string &tensorName = name;
    auto bad = [&](const std::string &what) {
      return fail("tensor '" + tensorName + "': " + what);
    };
    if (!entry.isObject())
      return bad("expected an object with dtype, shape and data_offsets");
    if (tensors.count(name))
      return bad("listed twice");
    const JsonValue *dtypeValue = entry.find("dtype");
    const JsonValue *shapeValue = entry.find("shape");
    const JsonValue *offsetsValue = entry.find("data_offsets");
    if (!dtypeValue || !dtypeValue->isString())
      return bad("expected a string 'dtype'");
    if (!shapeValue || !shapeValue->isArray())
      return bad("expected an array 'shape'");
    if (!offsetsValue || !offsetsValue->isArray() ||
        offsetsValue->getElements().size() != 2)
      return bad("expected 'data_offsets' as [begin, end]");

    TensorView view;
    view.name = name;
    view.dtypeName = dtypeValue->getString();
    std::optional<size_t> elementSize = getSafeTensorsDTypeSize(view.dtypeName);
    if (!elementSize)
      return bad("unknown dtype '" + view.dtypeName + "'");
    view.dtype = getRuntimeDType(view.dtypeName);
    uint64_t expectedBytes = *elementSize;
    for (const JsonValue &dim : shapeValue->getElements()) {
      std::optional<int64_t> size = dim.getInteger();
      if (!size || *size < 0)
        return bad("expected non-negative integer dimensions in the shape");
      view.shape.push_back(*size);
      if (*size != 0 &&
          expectedBytes > UINT64_MAX / static_cast<uint64_t>(*size))
        return bad("the shape " + formatDims(view.shape) + "... overflows");
      expectedBytes *= static_cast<uint64_t>(*size);
    }
    std::optional<int64_t> begin = offsetsValue->getElements()[0].getInteger();
    std::optional<int64_t> end = offsetsValue->getElements()[1].getInteger();
    if (!begin || !end || *begin < 0 || *end < *begin)
      return bad("expected data_offsets 0 <= begin <= end");
    if (static_cast<uint64_t>(*end) > dataSize)
      return bad("data_offsets [" + std::to_string(*begin) + ", " +
                 std::to_string(*end) + ") reach past the " +
                 std::to_string(dataSize) + " bytes of data (truncated file?)");
    uint64_t size = static_cast<uint64_t>(*end - *begin);
    if (size != expectedBytes)
      return bad(view.describe() + " takes " + std::to_string(expectedBytes) +
                 " bytes, but data_offsets give " + std::to_string(size));
    view.data = data + *begin;
    view.byteSize = size;
    ranges.emplace_back(*begin, *end);
    tensors.emplace(name, std::move(view));
  }

  // The data is exactly the tensors, back to back: no overlap, no hole.
  std::sort(ranges.begin(), ranges.end());
  uint64_t covered = 0;
  for (const auto &[begin, end] : ranges) {
    if (begin < covered)
      return fail("corrupt safetensors header: two tensors overlap at byte " +
                  std::to_string(begin) + " of the data");
    if (begin > covered)
      return fail("corrupt safetensors header: bytes [" +
                  std::to_string(covered) + ", " + std::to_string(begin) +
                  ") of the data belong to no tensor");
    covered = end;
  }
  if (covered != dataSize)
    return fail(
        "corrupt safetensors file: " + std::to_string(dataSize - covered) +
        " bytes after the last tensor");
  return Error::success();
}

const TensorView *SafeTensorsFile::find(std::string_view name) const {
  auto it = tensors.find(std::string(name));
  return it == tensors.end() ? nullptr : &it->second;
}

Expected<WeightSet> WeightSet::open(const std::string &directory,
                                    bool populate) {
  WeightSet weights;
  std::string single = directory + "/model.safetensors";
  std::string indexPath = directory + "/model.safetensors.index.json";
  if (isRegularFile(single)) {
    auto file = SafeTensorsFile::open(single, populate);
    if (!file)
      return file.takeError();
    weights.source = single;
    weights.files.push_back(std::shared_ptr<SafeTensorsFile>(file.take()));
  } else if (isRegularFile(indexPath)) {
    weights.source = indexPath;
    auto text = readFile(indexPath);
    if (!text)
      return text.takeError();
    auto index = parseJson(*text);
    if (!index)
      return Error::failure("'" + indexPath +
                            "': " + index.getError().getMessage());
    const JsonValue *map = index->find("weight_map");
    if (!map || !map->isObject())
      return Error::failure("'" + indexPath +
                            "': expected an object 'weight_map'");
    std::map<std::string, std::shared_ptr<SafeTensorsFile>> shards;
    for (const auto &[name, shard] : map->getMembers()) {
      if (!shard.isString() || shard.getString().empty() ||
          shard.getString().find('/') != std::string::npos)
        return Error::failure("'" + indexPath + "': weight_map entry '" + name +
                              "' must name a file in the directory");
      const std::string &shardName = shard.getString();
      if (!shards.count(shardName)) {
        auto file =
            SafeTensorsFile::open(directory + "/" + shardName, populate);
        if (!file)
          return file.takeError();
        shards[shardName] = std::shared_ptr<SafeTensorsFile>(file.take());
        weights.files.push_back(shards[shardName]);
      }
      if (!shards[shardName]->find(name))
        return Error::failure("'" + indexPath + "' puts tensor '" + name +
                              "' in '" + shardName + "', which lacks it");
    }
  } else {
    return Error::failure("'" + directory +
                          "' has neither model.safetensors nor "
                          "model.safetensors.index.json");
  }
  for (const auto &file : weights.files)
    for (const auto &[name, view] : file->getTensors()) {
      if (weights.index.count(name))
        return Error::failure("tensor '" + name +
                              "' is in more than one shard (again in '" +
                              file->getPath() + "')");
      weights.index[name] = &view;
    }
  return weights;
}

const TensorView *WeightSet::find(std::string_view name) const {
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

Expected<const TensorView *> WeightSet::get(std::string_view name) const {
  if (const TensorView *view = find(name))
    return view;
  return Error::failure("missing tensor '" + std::string(name) + "' in '" +
                        source + "'");
}

Expected<const TensorView *>
WeightSet::getFloat(std::string_view name,
                    const std::vector<int64_t> &shape) const {
  auto view = get(name);
  if (!view)
    return view;
  const TensorView *tensor = *view;
  if (!tensor->dtype ||
      (*tensor->dtype != DType::F32 && *tensor->dtype != DType::F16 &&
       *tensor->dtype != DType::BF16))
    return Error::failure("tensor '" + std::string(name) + "' in '" + source +
                          "' is " + tensor->dtypeName +
                          "; expected F32, F16 or BF16");
  if (tensor->shape != shape)
    return Error::failure("tensor '" + std::string(name) + "' in '" + source +
                          "' has shape " + formatDims(tensor->shape) +
                          "; the config implies " + formatDims(shape));
  return tensor;
}

size_t WeightSet::getMappedBytes() const {
  size_t bytes = 0;
  for (const auto &file : files)
    bytes += file->getMappedBytes();
  return bytes;
}

size_t WeightSet::getHugePageBytes() const {
  size_t bytes = 0;
  for (const auto &file : files)
    bytes += file->getHugePageBytes();
  return bytes;
}
