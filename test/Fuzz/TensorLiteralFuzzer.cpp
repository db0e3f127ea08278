//===- TensorLiteralFuzzer.cpp - fuzz tensor literals -----------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The input is a tensor literal as attnc-run reads it ("2x4xf32=1 2 ...").
// What parses is summarised, as attnc-run prints results.
//
//===----------------------------------------------------------------------===//

#include "Fuzz.h"

#include "attnc/Runtime/TensorLiteral.h"

using namespace attnc::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view literal(reinterpret_cast<const char *>(data), size);
  Expected<Tensor> tensor = parseTensorLiteral(literal);
  if (!tensor) {
    FUZZ_CHECK(!tensor.getError().getMessage().empty(), "empty error");
    return 0;
  }
  int64_t count = 1;
  for (int64_t dim : tensor->getShape()) {
    FUZZ_CHECK(dim >= 0, "negative dimension");
    count *= dim;
  }
  FUZZ_CHECK(count == tensor->getNumElements(), "element count");
  std::string summary = formatSummary(*tensor);
  FUZZ_CHECK(summary.rfind("tensor<", 0) == 0, summary);
  return 0;
}
