//===- ModelRunner.h - Run a compiled model ---------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// A compiled model is a directory `model.attnc/` holding `model.so` (the
// @embed, @block and @head entry points of `attnc compile <model-dir>`, with
// the C ABI of docs/abi.md) and `manifest.json` (the model's sizes, checked
// against the config it is run with). ModelRunner loads it with the model
// directory's config.json and safetensors weights (memory-mapped; F16/BF16
// tensors are widened to F32 once), owns the KV cache of one sequence, and
// computes the logits of the next tokens: a prefill chunk or a decode step
// are the same call.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_MODELRUNNER_H
#define ATTNC_RUNTIME_MODELRUNNER_H

#include "attnc/Runtime/Error.h"
#include "attnc/Runtime/ModelConfig.h"
#include "attnc/Runtime/SafeTensors.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace attnc::runtime {

class ModelRunner {
public:
  struct LoadOptions {
    /// Makes the first forward call as fast as later ones: reserves the
    /// activations' heap on huge pages and runs two discarded decode steps
    /// (libomp's threads, the code and every weight page brought in). Worth
    /// it for generation and benchmarks; a one-shot call (logits) saves the
    /// two steps by turning it off.
    bool warmUp = true;
    /// Copies the weight matrices into the process's own memory, on 2 MiB
    /// huge pages where the kernel gives them (as llama.cpp's --no-mmap
    /// reads them), instead of reading the checkpoint's mapping in place.
    /// Loading takes longer (the pages are faulted in and written: 0.1-0.3
    /// s more for 219 MB of f16/bf16 weights, ~1.1 s for 438 MB of f32 on
    /// the AMD EPYC Zen 4 VM). Decode, which reads every weight each step,
    /// can run faster where TLB misses cost most (virtual machines walk
    /// nested page tables): on that VM the 134M Llama's tg64 ran 1.08-1.20x
    /// with bf16 weights and 1.14-1.42x with f16 in 3 of 3 alternating
    /// rounds, but f32 1.30x, 0.78x and 0.79x. Off by default.
    bool copyWeights = false;
  };

  /// Loads `artifact` (a model.attnc directory) for the model in
  /// `modelDirectory`.
  static Expected<std::unique_ptr<ModelRunner>>
  load(const std::string &artifact, const std::string &modelDirectory,
       const LoadOptions &options);
  static Expected<std::unique_ptr<ModelRunner>>
  load(const std::string &artifact, const std::string &modelDirectory) {
    return load(artifact, modelDirectory, LoadOptions());
  }

  ~ModelRunner();
  ModelRunner(const ModelRunner &) = delete;
  ModelRunner &operator=(const ModelRunner &) = delete;

  const ModelConfig &getConfig() const { return config; }
  /// Positions the KV cache holds.
  int64_t getMaxSequence() const { return maxSequence; }
  /// The KV cache's element type ("f32", "f16" or "bf16"), as compiled.
  const std::string &getKVType() const { return kvType; }
  /// Positions already in the cache.
  int64_t getLength() const { return length; }
  /// Forgets the sequence (the cache is overwritten from position 0).
  void reset() { length = 0; }
  /// Forgets the positions from `positions` on (at most getLength()): the
  /// next forward continues the first `positions` tokens.
  void truncate(int64_t positions) {
    if (positions >= 0 && positions < length)
      length = positions;
  }

  /// Parameters of the model (every tensor once; a tied head is the
  /// embedding).
  int64_t getParameterCount() const;
  /// Bytes of weights one decode step reads: every matrix and vector of the
  /// layers and the head, in the type the compiled model reads them (f32
  /// copies of widened tensors), but only one row of the embedding.
  int64_t getWeightBytesPerStep() const;
  /// Bytes of the checkpoint's mappings, and of them on 2 MiB pages now
  /// (the weight matrices are read there in place, unless copyWeights).
  size_t getCheckpointBytes() const;
  size_t getCheckpointHugePageBytes() const;
  /// Bytes of the KV cache a decode step at position `position` (0-based)
  /// reads: keys and values of the positions each layer attends to (its
  /// sliding window at most).
  int64_t getCacheBytesPerStep(int64_t position) const;

  /// Appends `tokens` to the sequence and returns the logits of each of
  /// them, row-major [tokens.size(), vocab], or with `lastOnly` those of the
  /// last one [vocab] (all that generation needs: the vocabulary projection
  /// of a long prefill is otherwise a large part of its work). Running past
  /// the cache, or a token outside the vocabulary, is an error (the cache is
  /// unchanged).
  Expected<std::vector<float>> forward(const std::vector<int32_t> &tokens,
                                       bool lastOnly = false);

private:
  ModelRunner() = default;
  struct Impl;
  std::unique_ptr<Impl> impl;
  ModelConfig config;
  int64_t maxSequence = 0;
  int64_t length = 0;
  std::string kvType = "f32";
};

/// Writes `artifact`/manifest.json for a model compiled from `config` with a
/// cache of `maxSequence` positions in `kvType`, reading its weight matrices
/// as `weightType` (each "f32", "f16" or "bf16"). A non-empty
/// `modelDirectory` is recorded as "model_dir" (the directory it was
/// compiled from).
Error writeManifest(const std::string &artifact, const ModelConfig &config,
                    int64_t maxSequence, const std::string &weightType,
                    const std::string &kvType,
                    const std::string &modelDirectory = "");

/// The element type ("f32", "f16", "bf16") a model compiled from `weights`
/// best reads its matrices in: the checkpoint's own for a Llama stored in
/// f16/bf16 (read in place, half the bytes), else f32.
std::string getNativeWeightType(const ModelConfig &config,
                                const WeightSet &weights);

/// The checkpoint's floating-point type ("f32", "f16", "bf16"): that of
/// its token embedding, for every family (the default KV cache type).
std::string getCheckpointType(const ModelConfig &config,
                              const WeightSet &weights);

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_MODELRUNNER_H
