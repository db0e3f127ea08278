//===- ModelRunner.cpp - Run a compiled model -------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/ModelRunner.h"
#include "attnc/Runtime/CacheGrowth.h"
#include "attnc/Runtime/Memory.h"
#include "attnc/Runtime/Symbols.h"

#include "attnc/Runtime/Float16.h"
#include "attnc/Runtime/Json.h"
#include "attnc/Runtime/Text.h"

#include "ForeignCall.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <utility>

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace attnc::runtime;

namespace {

/// A memref descriptor (StridedMemRefType<T, N>) as int64 words: allocated,
/// aligned, offset, sizes, strides.
struct Descriptor {
  std::vector<int64_t> words;

  Descriptor(const void *data, const std::vector<int64_t> &shape) {
    auto rank = static_cast<int64_t>(shape.size());
    words.assign(3 + 2 * rank, 0);
    words[0] = words[1] = reinterpret_cast<int64_t>(data);
    int64_t stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      words[3 + d] = shape[d];
      words[3 + rank + d] = stride;
      stride *= shape[d];
    }
  }
  /// Storage for a result of rank `rank`, filled by the callee.
  explicit Descriptor(int64_t rank) : words(3 + 2 * rank, 0) {}

  void *allocated() const { return reinterpret_cast<void *>(words[0]); }
  const float *data() const {
    return reinterpret_cast<const float *>(words[1]) + words[2];
  }
  int64_t size(int64_t dim) const { return words[3 + dim]; }
};

/// `fn` is an entry point of the model's library: see ForeignCall.h.
template <size_t... I>
ATTNC_NO_SANITIZE_FUNCTION void callWithPointers(void *fn, void *const *args,
                                                 std::index_sequence<I...>) {
  using Signature =
      void (*)(decltype((void)I, static_cast<void *>(nullptr))...);
  reinterpret_cast<Signature>(fn)(args[I]...);
}

constexpr size_t kMaxArgs = 24;

template <size_t... N> constexpr auto makeCallTable(std::index_sequence<N...>) {
  return std::array<void (*)(void *, void *const *), sizeof...(N)>{
      [](void *fn, void *const *args) {
        callWithPointers(fn, args, std::make_index_sequence<N>());
      }...};
}

constexpr auto kCallTable = makeCallTable(std::make_index_sequence<kMaxArgs>());

/// Calls an entry point: `result` first (the C interface returns through
/// it), then every argument descriptor.
void call(void *fn, Descriptor &result, std::vector<Descriptor> &args) {
  std::vector<void *> pointers = {result.words.data()};
  for (Descriptor &arg : args)
    pointers.push_back(arg.words.data());
  kCallTable[pointers.size()](fn, pointers.data());
}

/// Frees a buffer of allocateBuffer: `mappedBytes` of its own mapping, or
/// (0) from the heap.
struct BufferFree {
  size_t mappedBytes = 0;
  void operator()(float *p) const {
    if (mappedBytes)
      ::munmap(p, mappedBytes);
    else
      std::free(p);
  }
};
using Buffer = std::unique_ptr<float[], BufferFree>;

/// A zeroed buffer of `count` floats, 64-byte aligned. Large ones (KV
/// caches, widened weights) get a mapping of their own on whole huge pages:
/// out of the heap, whose free space the activations reuse, and, with
/// `hugePages`, advised to take 2 MiB per fault. With `populate`, its pages
/// are faulted in now rather than in a forward call; without, a large one's
/// pages are left to populatePages (a small one comes from the heap,
/// populated).
Buffer allocateBuffer(size_t count, bool populate = true,
                      bool hugePages = true) {
  size_t bytes = (count * sizeof(float) + 63) / 64 * 64;
  if (bytes < kHugePage) {
    auto *data = static_cast<float *>(std::aligned_alloc(64, bytes));
    if (data)
      std::memset(data, 0, bytes);
    return Buffer(data);
  }
  bytes = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void *mapping = mapOnHugePageBoundary(bytes);
  if (mapping == MAP_FAILED)
    return Buffer(nullptr);
  auto *data = static_cast<float *>(mapping);
  if (hugePages)
    adviseHugePages(data, bytes);
  if (populate)
    std::memset(data, 0, bytes);
  return Buffer(data, BufferFree{bytes});
}

/// The sizes the manifest records, in order.
std::vector<std::pair<std::string, int64_t>>
getManifestSizes(const ModelConfig &config, int64_t maxSequence) {
  std::vector<std::pair<std::string, int64_t>> sizes = {
      {"vocab_size", config.vocabSize},
      {"hidden_size", config.hiddenSize},
      {"num_layers", config.numLayers},
      {"num_heads", config.numHeads},
      {"num_kv_heads", config.numKVHeads},
      {"head_dim", config.headDim},
      {"intermediate_size", config.intermediateSize},
      {"max_seq", maxSequence}};
  // The window is compiled in.
  if (config.slidingWindow > 0)
    sizes.emplace_back("sliding_window", config.slidingWindow);
  return sizes;
}

} // namespace

Error attnc::runtime::writeManifest(const std::string &artifact,
                                    const ModelConfig &config,
                                    int64_t maxSequence,
                                    const std::string &weightType,
                                    const std::string &kvType,
                                    const std::string &modelDirectory) {
  std::ofstream out(artifact + "/manifest.json");
  out << "{\n  \"format\": \"attnc-model\",\n  \"version\": 1,\n"
      << "  \"library\": \"model.so\",\n  \"model_type\": \""
      << config.getModelType() << "\",\n  \"weight_type\": \"" << weightType
      << "\",\n  \"kv_type\": \"" << kvType << "\"";
  if (!modelDirectory.empty()) {
    // A JSON string: quotes, backslashes and control characters escaped.
    out << ",\n  \"model_dir\": \"";
    for (char c : modelDirectory) {
      if (c == '"' || c == '\\') {
        out << '\\' << c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        const char *hex = "0123456789abcdef";
        out << "\\u00" << hex[(c >> 4) & 0xF] << hex[c & 0xF];
      } else {
        out << c;
      }
    }
    out << "\"";
  }
  for (const auto &[key, value] : getManifestSizes(config, maxSequence))
    out << ",\n  \"" << key << "\": " << value;
  out << "\n}\n";
  out.close();
  if (!out)
    return Error::failure("cannot write '" + artifact + "/manifest.json'");
  return Error::success();
}

std::string attnc::runtime::getNativeWeightType(const ModelConfig &config,
                                                const WeightSet &weights) {
  if (config.family == ModelFamily::Gpt2)
    return "f32";
  // The token embedding stands for the matrices (checkpoints store them
  // all alike).
  const TensorView *view = weights.find("model.embed_tokens.weight");
  if (view && view->dtype == DType::BF16)
    return "bf16";
  if (view && view->dtype == DType::F16)
    return "f16";
  return "f32";
}

std::string attnc::runtime::getCheckpointType(const ModelConfig &config,
                                              const WeightSet &weights) {
  const TensorView *view =
      weights.find(config.family == ModelFamily::Gpt2
                       ? "wte.weight"
                       : "model.embed_tokens.weight");
  // GPT-2 checkpoints may prefix their names with "transformer.".
  if (!view && config.family == ModelFamily::Gpt2)
    view = weights.find("transformer.wte.weight");
  if (view && view->dtype == DType::BF16)
    return "bf16";
  if (view && view->dtype == DType::F16)
    return "f16";
  return "f32";
}

struct ModelRunner::Impl {
  void *library = nullptr;
  void *embed = nullptr, *head = nullptr;
  /// @block (global attention) and @block_sliding (the sliding window):
  /// a model has those its layers use.
  void *block = nullptr, *blockSliding = nullptr;
  WeightSet weights;
  std::string prefix;
  /// F32 copies of weights stored as F16/BF16 or misaligned, and the
  /// matrices' copies of LoadOptions::copyWeights.
  std::vector<Buffer> converted;
  std::vector<Descriptor> embedWeights, headWeights;
  std::vector<std::vector<Descriptor>> blockWeights;
  std::vector<Buffer> keyCaches, valueCaches;
  /// [1, KV heads, max-seq, head dim].
  std::vector<int64_t> cacheShape;
  /// Bytes of one cached key (or value) element.
  int64_t cacheElementBytes = sizeof(float);
  /// Which cache pages to fault in before each call. The caches are mapped
  /// for the whole --max-seq but populated as the sequence grows, so that a
  /// model compiled for a long context neither zeroes nor holds all of it
  /// from the start (1.2 GB and ~1 s at load for the 134M Llama's 32768
  /// positions); absent when the caches came from the heap, populated.
  std::optional<CacheGrowth> cacheGrowth;
  /// What getParameterCount and getWeightBytesPerStep report.
  std::set<std::string> counted;
  int64_t parameters = 0, weightBytesPerStep = 0;

  ~Impl() {
    if (library)
      dlclose(library);
  }

  /// Faults in what cacheGrowth plans before a call that writes `tokens`
  /// positions, the last at `end - 1`. Region r is layer r / (2 H), keys or
  /// values (r / H) % 2, KV head r % H.
  Error populateCaches(int64_t end, int64_t tokens) {
    if (!cacheGrowth)
      return Error::success();
    int64_t heads = cacheShape[1];
    int64_t rowBytes = cacheShape[3] * cacheElementBytes;
    int64_t headBytes = cacheShape[2] * rowBytes;
    for (const CacheGrowth::Range &range : cacheGrowth->plan(end, tokens)) {
      int64_t layer = range.region / (2 * heads);
      bool values = (range.region / heads) % 2;
      int64_t head = range.region % heads;
      char *cache = reinterpret_cast<char *>(
          (values ? valueCaches : keyCaches)[layer].get());
      if (!populatePages(cache + head * headBytes + range.begin * rowBytes,
                         (range.end - range.begin) * rowBytes,
                         /*forWriting=*/true))
        return Error::failure("cannot grow the KV cache to " +
                              std::to_string(range.end) +
                              " positions: out of memory");
    }
    return Error::success();
  }

  /// The element type the compiled model reads matrices in (F32 unless the
  /// manifest says f16/bf16).
  DType matrixType = DType::F32;
  /// LoadOptions::copyWeights.
  bool copyWeights = false;

  /// `bytes` of `data` copied into a buffer of allocateBuffer's (kept in
  /// `converted`), or null when there is no memory for it.
  const void *copyWeight(const void *data, size_t bytes) {
    Buffer copy = allocateBuffer((bytes + 3) / 4, /*populate=*/false);
    if (!copy)
      return nullptr;
    std::memcpy(copy.get(), data, bytes);
    converted.push_back(std::move(copy));
    return converted.back().get();
  }

  /// A descriptor of weight `name` (shape checked by checkWeights): a
  /// matrix stored in the compiled matrix type is passed in place, anything
  /// else as f32 (widened, or copied when misaligned); with copyWeights,
  /// what would be passed in place is passed as a copy.
  /// `oneRow`: a decode step reads one row of it (the embeddings of
  /// @embed), not all of it.
  Expected<Descriptor> weight(const std::string &name, bool oneRow) {
    std::string full = name == "lm_head.weight" ? name : prefix + name;
    const TensorView *view = weights.find(full);
    const void *data = view->data;
    int64_t count = view->getNumElements();
    if (counted.insert(full).second)
      parameters += count;
    bool inPlace = view->shape.size() == 2 && matrixType != DType::F32;
    int64_t elementBytes = inPlace ? 2 : sizeof(float);
    weightBytesPerStep += elementBytes * (oneRow ? view->shape.back() : count);
    if (inPlace) {
      if (*view->dtype != matrixType)
        return Error::failure(
            "tensor '" + full + "' is " + view->describe() +
            ", but the model was compiled to read its matrices in " +
            (matrixType == DType::BF16 ? "bf16" : "f16") +
            " (recompile with `attnc compile --weight-type=auto`)");
      if (reinterpret_cast<uintptr_t>(data) % 2 != 0)
        return Error::failure("tensor '" + full +
                              "' is not 2-byte aligned in its file");
    } else if (*view->dtype != DType::F32 ||
               reinterpret_cast<uintptr_t>(data) % alignof(float) != 0) {
      Buffer copy = allocateBuffer(static_cast<size_t>(count));
      for (int64_t i = 0; i < count; ++i) {
        if (*view->dtype == DType::F32) {
          std::memcpy(&copy[i], view->data + 4 * i, 4);
          continue;
        }
        uint16_t bits;
        std::memcpy(&bits, view->data + 2 * i, 2);
        copy[i] = *view->dtype == DType::F16 ? f16ToF32(bits) : bf16ToF32(bits);
      }
      converted.push_back(std::move(copy));
      return Descriptor(converted.back().get(), view->shape);
    }
    if (copyWeights && !oneRow) {
      data = copyWeight(data, static_cast<size_t>(elementBytes * count));
      if (!data)
        return Error::failure("cannot allocate memory for a copy of '" + full +
                              "' (drop --no-mmap)");
    }
    return Descriptor(data, view->shape);
  }
};

ModelRunner::~ModelRunner() = default;

Expected<std::unique_ptr<ModelRunner>>
ModelRunner::load(const std::string &artifact,
                  const std::string &modelDirectory,
                  const LoadOptions &options) {
  // The compiled blocks allocate their activations (megabytes each in a
  // prefill) on every call: in the heap, kept mapped once freed.
  prepareHeap(0);
  auto config = ModelConfig::fromDirectory(modelDirectory);
  if (!config)
    return config.takeError();
  std::string manifestPath = artifact + "/manifest.json";
  auto manifestText = readFile(manifestPath);
  if (!manifestText)
    return Error::failure(manifestText.getError().getMessage() + " (is '" +
                          artifact +
                          "' a model compiled by `attnc compile <model-dir> "
                          "-o model.attnc`?)");
  auto manifest = parseJson(*manifestText);
  if (!manifest)
    return Error::failure("'" + manifestPath +
                          "': " + manifest.getError().getMessage());
  const JsonValue *format = manifest->find("format");
  const JsonValue *type = manifest->find("model_type");
  const JsonValue *maxSeq = manifest->find("max_seq");
  if (!format || !format->isString() || format->getString() != "attnc-model" ||
      !type || !type->isString() || !maxSeq || !maxSeq->getInteger())
    return Error::failure("'" + manifestPath +
                          "' is not an attnc model manifest");
  if (type->getString() != config->getModelType())
    return Error::failure("'" + artifact + "' was compiled for a " +
                          type->getString() + " model, '" + modelDirectory +
                          "' holds a " + std::string(config->getModelType()));
  int64_t maxSequence = *maxSeq->getInteger();
  for (const auto &[key, value] : getManifestSizes(*config, maxSequence)) {
    const JsonValue *recorded = manifest->find(key);
    if (!recorded || recorded->getInteger() != value)
      return Error::failure(
          "'" + artifact + "' was compiled for " + key + " = " +
          (recorded && recorded->getInteger()
               ? std::to_string(*recorded->getInteger())
               : std::string("?")) +
          ", but '" + modelDirectory + "' has " + std::to_string(value));
  }

  std::unique_ptr<ModelRunner> runner(new ModelRunner());
  runner->config = *config;
  runner->maxSequence = maxSequence;
  runner->impl = std::make_unique<Impl>();
  Impl &impl = *runner->impl;
  impl.copyWeights = options.copyWeights;
  // Artifacts from before weight_type read f32 matrices.
  if (const JsonValue *weightType = manifest->find("weight_type")) {
    std::string name = weightType->isString() ? weightType->getString() : "";
    if (name == "bf16")
      impl.matrixType = DType::BF16;
    else if (name == "f16")
      impl.matrixType = DType::F16;
    else if (name != "f32")
      return Error::failure("'" + manifestPath + "': unknown weight_type '" +
                            name + "'");
  }
  // Artifacts from before kv_type have f32 caches.
  if (const JsonValue *kvType = manifest->find("kv_type")) {
    std::string name = kvType->isString() ? kvType->getString() : "";
    if (name != "f32" && name != "f16" && name != "bf16")
      return Error::failure("'" + manifestPath + "': unknown kv_type '" +
                            name + "'");
    runner->kvType = name;
  }

  std::string libraryPath = artifact + "/model.so";
  impl.library = dlopen(libraryPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!impl.library)
    return Error::failure("cannot load '" + libraryPath + "': " + dlerror());
  std::string cInterface = attnc_symbols::kCInterfacePrefix;
  impl.embed = dlsym(impl.library, (cInterface + "embed").c_str());
  impl.head = dlsym(impl.library, (cInterface + "head").c_str());
  if (!impl.embed || !impl.head)
    return Error::failure("'" + libraryPath +
                          "' lacks the @embed or @head entry point");
  bool decoder = config->family != ModelFamily::Gpt2;
  // Its arguments: x, [positions,] start, lens, the layer's weights, then
  // the two caches.
  size_t perLayer = getLayerWeightSpecs(*config, 0).size();
  size_t firstCache = (decoder ? 4 : 3) + perLayer;
  std::string expected = "1:" + std::to_string(firstCache) +
                         ",2:" + std::to_string(firstCache + 1);
  for (int64_t layer = 0; layer < config->numLayers; ++layer) {
    bool sliding = config->isSlidingLayer(layer);
    void *&block = sliding ? impl.blockSliding : impl.block;
    if (block)
      continue;
    std::string name = sliding ? "block_sliding" : "block";
    block = dlsym(impl.library, (cInterface + name).c_str());
    if (!block)
      return Error::failure("'" + libraryPath + "' lacks the @" + name +
                            " entry point of layer " + std::to_string(layer));
    // @block returns x and updates the two caches (its last arguments) in
    // place.
    const char *inPlace = static_cast<const char *>(
        dlsym(impl.library, (attnc_symbols::kInPlacePrefix + name).c_str()));
    if (!inPlace || expected != inPlace)
      return Error::failure("'" + libraryPath + "': @" + name +
                            " does not update the KV caches in "
                            "place as this runtime expects");
  }

  auto weights = WeightSet::open(modelDirectory, /*populate=*/true);
  if (!weights)
    return weights.takeError();
  impl.weights = std::move(*weights);
  auto prefix = checkWeights(*config, impl.weights);
  if (!prefix)
    return prefix.takeError();
  impl.prefix = *prefix;

  std::string lmHead =
      config->tiedEmbeddings
          ? (decoder ? "model.embed_tokens.weight" : "wte.weight")
          : "lm_head.weight";
  auto add = [&](std::vector<Descriptor> &to, const std::string &name) {
    auto descriptor = impl.weight(name, &to == &impl.embedWeights);
    if (!descriptor)
      return descriptor.takeError();
    to.push_back(*descriptor);
    return Error::success();
  };
  std::vector<std::pair<std::vector<Descriptor> *, std::string>> fixed;
  if (decoder) {
    fixed = {{&impl.embedWeights, "model.embed_tokens.weight"},
             {&impl.headWeights, "model.norm.weight"}};
  } else {
    fixed = {{&impl.embedWeights, "wte.weight"},
             {&impl.embedWeights, "wpe.weight"},
             {&impl.headWeights, "ln_f.weight"},
             {&impl.headWeights, "ln_f.bias"}};
  }
  fixed.emplace_back(&impl.headWeights, lmHead);
  for (auto &[to, name] : fixed)
    if (Error error = add(*to, name))
      return error;
  // The per-layer tensors, in getWeightSpecs order, are the @block weight
  // arguments in order.
  for (int64_t layer = 0; layer < config->numLayers; ++layer) {
    std::vector<Descriptor> layerWeights;
    for (const WeightSpec &spec : getLayerWeightSpecs(*config, layer))
      if (Error error = add(layerWeights, spec.name))
        return error;
    impl.blockWeights.push_back(std::move(layerWeights));
  }

  impl.cacheShape = {1, config->numKVHeads, maxSequence, config->headDim};
  // The caches in the compiled type (f16/bf16: 2 bytes an element).
  impl.cacheElementBytes = runner->kvType == "f32" ? 4 : 2;
  size_t cacheBytes =
      static_cast<size_t>(config->numKVHeads * maxSequence * config->headDim) *
      impl.cacheElementBytes;
  // On 4 KiB pages: every head's positions grow at once in its own region
  // of the cache, so huge pages would fault 2 MiB per head and layer from
  // the first token on (576 MB and 1.1 s of a 0.1 s load for the 134M
  // Llama at 32768 positions, on the AMD EPYC Zen 5 VM), and decode at
  // depth 4096 read 4 KiB pages no slower (tg32 within the rounds' noise).
  for (int64_t layer = 0; layer < config->numLayers; ++layer) {
    impl.keyCaches.push_back(allocateBuffer(
        (cacheBytes + 3) / 4, /*populate=*/false, /*hugePages=*/false));
    impl.valueCaches.push_back(allocateBuffer(
        (cacheBytes + 3) / 4, /*populate=*/false, /*hugePages=*/false));
    if (!impl.keyCaches.back() || !impl.valueCaches.back())
      return Error::failure(
          "cannot allocate the KV cache (" +
          std::to_string(2 * cacheBytes * config->numLayers >> 20) + " MiB)");
  }
  // Small caches come from the heap, populated.
  if (!impl.keyCaches.empty() &&
      impl.keyCaches.front().get_deleter().mappedBytes)
    impl.cacheGrowth.emplace(2 * config->numLayers * config->numKVHeads,
                             maxSequence,
                             config->headDim * impl.cacheElementBytes,
                             static_cast<int64_t>(::sysconf(_SC_PAGESIZE)));
  if (!options.warmUp)
    return runner;
  // The heap the activations and temporaries come from (malloc and the
  // workspace pool) grows on the first forward call of each size: at 4 KiB
  // a page, a 512-token prefill of a 134M-parameter model faulted ~11000
  // pages in its first call (~40% of its time). On huge pages instead.
  prepareHeap(kModelHeapBytes);
  // Two decode steps, discarded: they start libomp's threads, page in the
  // code, fill the workspace pool and make the first reads of every weight
  // page (on the AMD EPYC VM measured, the first passes over freshly mapped
  // or long-unread memory cost up to ~1 us a page: ~0.1 s for 536 MB), so
  // that the caller's first forward call runs at the speed of later ones
  // (issue 14, item 6).
  for (int64_t step = 0; step < std::min<int64_t>(2, maxSequence); ++step) {
    auto warmUp = runner->forward({0}, /*lastOnly=*/true);
    if (!warmUp)
      return warmUp.getError();
  }
  runner->reset();
  return runner;
}

int64_t ModelRunner::getParameterCount() const { return impl->parameters; }

int64_t ModelRunner::getWeightBytesPerStep() const {
  return impl->weightBytesPerStep;
}

size_t ModelRunner::getCheckpointBytes() const {
  return impl->weights.getMappedBytes();
}

size_t ModelRunner::getCheckpointHugePageBytes() const {
  return impl->weights.getHugePageBytes();
}

int64_t ModelRunner::getCacheBytesPerStep(int64_t position) const {
  int64_t bytes = 0;
  for (int64_t layer = 0; layer < config.numLayers; ++layer) {
    int64_t attended = position + 1;
    if (config.isSlidingLayer(layer))
      attended = std::min(attended, config.slidingWindow);
    bytes += 2 * attended * config.numKVHeads * config.headDim *
             impl->cacheElementBytes;
  }
  return bytes;
}

Expected<std::vector<float>>
ModelRunner::forward(const std::vector<int32_t> &tokens, bool lastOnly) {
  auto s = static_cast<int64_t>(tokens.size());
  if (s == 0)
    return std::vector<float>();
  if (length + s > maxSequence)
    return Error::failure(
        "the sequence would reach " + std::to_string(length + s) +
        " positions; the KV cache holds " + std::to_string(maxSequence) +
        " (compile with a larger --max-seq)");
  for (int32_t token : tokens)
    if (token < 0 || token >= config.vocabSize)
      return Error::failure(
          "token id " + std::to_string(token) + " is outside the " +
          std::to_string(config.vocabSize) + "-token vocabulary");
  Impl &m = *impl;
  if (Error error = m.populateCaches(length + s, s))
    return error;
  std::vector<int64_t> ids(tokens.begin(), tokens.end()), positions(s);
  for (int64_t i = 0; i < s; ++i)
    positions[i] = length + i;
  int32_t start = static_cast<int32_t>(length);
  int32_t lens = static_cast<int32_t>(length + s);
  bool decoder = config.family != ModelFamily::Gpt2;

  Descriptor x(3);
  {
    std::vector<Descriptor> args = {Descriptor(ids.data(), {1, s})};
    if (!decoder)
      args.emplace_back(positions.data(), std::vector<int64_t>{1, s});
    args.insert(args.end(), m.embedWeights.begin(), m.embedWeights.end());
    call(m.embed, x, args);
  }
  for (int64_t layer = 0; layer < config.numLayers; ++layer) {
    std::vector<Descriptor> args = {
        Descriptor(x.data(), {x.size(0), x.size(1), x.size(2)})};
    if (decoder)
      args.emplace_back(positions.data(), std::vector<int64_t>{1, s});
    args.emplace_back(&start, std::vector<int64_t>{1});
    args.emplace_back(&lens, std::vector<int64_t>{1});
    args.insert(args.end(), m.blockWeights[layer].begin(),
                m.blockWeights[layer].end());
    args.emplace_back(m.keyCaches[layer].get(), m.cacheShape);
    args.emplace_back(m.valueCaches[layer].get(), m.cacheShape);
    Descriptor next(3);
    call(config.isSlidingLayer(layer) ? m.blockSliding : m.block, next, args);
    std::free(x.allocated());
    x = std::move(next);
  }
  // x is [1, S, E], row-major: its last row is a [1, 1, E] view.
  int64_t rows = lastOnly ? 1 : s;
  const float *firstRow = x.data() + (s - rows) * x.size(2);
  Descriptor logits(3);
  {
    std::vector<Descriptor> args = {
        Descriptor(firstRow, {x.size(0), rows, x.size(2)})};
    args.insert(args.end(), m.headWeights.begin(), m.headWeights.end());
    call(m.head, logits, args);
  }
  std::free(x.allocated());
  std::vector<float> result(logits.data(),
                            logits.data() + rows * config.vocabSize);
  std::free(logits.allocated());
  length += s;
  return result;
}
