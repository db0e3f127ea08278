//===- ModelIR.h - Tensor-level IR of whole models --------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Builds the tensor-level MLIR of a Hugging Face model from its config:
// attn ops for attention (qkv_proj, kv_append, decode_attention, out_proj)
// and linalg for the rest. A model is three public functions that a runtime
// chains, so that one compiled block serves every layer (weights are
// arguments, never baked in):
//
//   @embed(tokens [B,S] i64, positions [B,S] i64, <embedding weights>)
//       -> x [B,S,E]
//   @block(x, start [B] i32, seq_lens [B] i32, <one layer's weights>,
//          k_cache [B,Hkv,Smax,D], v_cache) -> (x, k_cache, v_cache)
//       (the caches in ModelIROptions::kvType)
//   @head(x, <final norm weights>, lm_head [V,E]) -> logits [B,S,V]
//
// @block appends the S new keys and values of each sequence at `start[b]`
// (in place) and attends to the whole cache up to `seq_lens[b]` (= start[b]
// + S) with the causal rule aligned bottom-right: the same function runs a
// prefill chunk and a decode step. Models with sliding-window layers
// (Mistral, Gemma 2) have @block_sliding, the same function with the window
// in its attention, for those layers; @block serves the others (and is
// absent when every layer slides). The Llama-style families' @block takes
// the positions too (for RoPE); the layer weights are the layer's tensors
// in getLayerWeightSpecs order.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_MODELS_MODELIR_H
#define ATTNC_MODELS_MODELIR_H

#include "attnc/Runtime/ModelConfig.h"

#include <cstdint>
#include <string>

namespace mlir::attnc {

/// The element type the compiled model reads its weight matrices in. Norm
/// gains and biases are always f32 (the runtime widens those small
/// vectors).
enum class WeightStorage { F32, F16, BF16 };

/// "f32", "f16" or "bf16" (the MLIR element type, and the manifest's
/// "weight_type").
const char *getWeightStorageName(WeightStorage storage);

struct ModelIROptions {
  /// Positions each sequence's KV cache holds (Smax); 0 means the model's
  /// maximum context.
  int64_t maxSequence = 0;
  /// Llama-style families: the matrices are read in this type, in place
  /// from the checkpoint (f16/bf16 halve the bytes a decode step reads).
  /// GPT-2: f32.
  WeightStorage weightType = WeightStorage::F32;
  /// The KV caches' element type (every family): f16/bf16 caches hold the
  /// new keys and values rounded to nearest even, and halve the bytes a
  /// decode step reads at long context. Queries, scores and accumulation
  /// stay f32.
  WeightStorage kvType = WeightStorage::F32;
};

/// The positions each sequence's KV cache holds: `options.maxSequence`, or
/// the model's maximum context when that is 0.
int64_t getCacheLength(const ::attnc::runtime::ModelConfig &config,
                       const ModelIROptions &options);

/// The module's text, or an error for a config it cannot express.
::attnc::runtime::Expected<std::string>
buildModelIR(const ::attnc::runtime::ModelConfig &config,
             const ModelIROptions &options = {});

} // namespace mlir::attnc

#endif // ATTNC_MODELS_MODELIR_H
