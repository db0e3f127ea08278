//===- TensorLiteralFuzzer.cpp - fuzz tensor literals -----------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The input is a tensor literal as attnc-run reads it ("2x4xf32=1 2 ...").
// What parses is summarised, as attnc-run prints results. Literals of more
// than 2^20 elements are skipped: the parser allocates (and zero-fills) what
// it is asked for, as it should, and the search must not spend its time and
// the machine's memory on that.
//
//===----------------------------------------------------------------------===//

#include "Fuzz.h"

#include "attnc/Runtime/TensorLiteral.h"

using namespace attnc::runtime;

/// An upper bound of the element count `literal` asks for: the product of
/// every number before its '=' (the element type's bits included).
static double getSizeBound(std::string_view literal) {
  std::string_view type = literal.substr(0, literal.find('='));
  double bound = 1;
  for (size_t i = 0; i < type.size();) {
    if (type[i] < '0' || type[i] > '9') {
      ++i;
      continue;
    }
    double number = 0;
    for (; i < type.size() && type[i] >= '0' && type[i] <= '9'; ++i)
      number = number * 10 + (type[i] - '0');
    bound *= number < 1 ? 1 : number;
  }
  return bound;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view literal(reinterpret_cast<const char *>(data), size);
  if (getSizeBound(literal) > double(1 << 20) * 64)
    return 0;
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
