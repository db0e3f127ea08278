//===- ModelIR.cpp - Tensor-level IR of whole models ------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The IR is written as text from templates whose `{NAME}` holes take the
// config's sizes, and parsed by the caller: the model is easiest to read,
// and to check against the Hugging Face code, in the form the user sees
// with `attnc compile --emit-mlir`. The templates both families share are
// in ModelIRTemplates.{h,cpp}; GPT2IR.cpp and DecoderIR.cpp write the
// modules.
//
//===----------------------------------------------------------------------===//

#include "attnc/Models/ModelIR.h"

#include "ModelIRTemplates.h"

using namespace mlir;
using namespace ::attnc::runtime;
using mlir::attnc::WeightStorage;

const char *mlir::attnc::getWeightStorageName(WeightStorage storage) {
  switch (storage) {
  case WeightStorage::F32:
    return "f32";
  case WeightStorage::F16:
    return "f16";
  case WeightStorage::BF16:
    return "bf16";
  }
  return "f32";
}

int64_t mlir::attnc::getCacheLength(const ModelConfig &config,
                                    const ModelIROptions &options) {
  return options.maxSequence > 0 ? options.maxSequence : config.maxPositions;
}

Expected<std::string> mlir::attnc::buildModelIR(const ModelConfig &config,
                                                const ModelIROptions &options) {
  int64_t maxSequence = getCacheLength(config, options);
  if (maxSequence > config.maxPositions && config.family == ModelFamily::Gpt2)
    return Error::failure("a GPT-2 cache of " + std::to_string(maxSequence) +
                          " positions exceeds n_positions (" +
                          std::to_string(config.maxPositions) + ")");
  if (config.family == ModelFamily::Gpt2) {
    if (options.weightType != WeightStorage::F32)
      return Error::failure("gpt2 models are compiled for f32 weights (the "
                            "runtime widens f16/bf16 checkpoints)");
    return model_ir::gpt2Module(config, maxSequence, options.kvType);
  }
  return model_ir::decoderModule(config, maxSequence, options.weightType,
                                 options.kvType);
}
