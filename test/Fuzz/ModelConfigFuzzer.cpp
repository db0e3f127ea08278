//===- ModelConfigFuzzer.cpp - fuzz config.json -> ModelConfig --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The input is a config.json. What validates must describe a model whose
// sizes are positive and consistent, and list its weights.
//
//===----------------------------------------------------------------------===//

#include "Fuzz.h"

#include "attnc/Runtime/ModelConfig.h"

using namespace attnc::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  Expected<ModelConfig> config = ModelConfig::fromJson(text, "config.json");
  if (!config) {
    FUZZ_CHECK(config.getError().getMessage().find("config.json") !=
                   std::string::npos,
               "an error that does not name the file: " +
                   config.getError().getMessage());
    return 0;
  }
  FUZZ_CHECK(config->vocabSize > 0 && config->hiddenSize > 0 &&
                 config->numLayers > 0 && config->numHeads > 0 &&
                 config->numKVHeads > 0 && config->headDim > 0 &&
                 config->maxPositions > 0,
             "a size is not positive");
  FUZZ_CHECK(config->numHeads % config->numKVHeads == 0,
             "heads not a multiple of the KV heads");
  for (int64_t id : config->eosTokenIds)
    FUZZ_CHECK(id >= 0 && id < config->vocabSize, "eos id out of range");
  FUZZ_CHECK(!config->getModelType().empty(), "no model type");
  for (const WeightSpec &spec : getWeightSpecs(*config)) {
    FUZZ_CHECK(!spec.name.empty(), "a weight without a name");
    for (int64_t dim : spec.shape)
      FUZZ_CHECK(dim > 0, "weight " + spec.name + " has a dimension <= 0");
  }
  return 0;
}
