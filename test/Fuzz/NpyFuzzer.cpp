//===- NpyFuzzer.cpp - fuzz the .npy reader ---------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The input is a whole .npy file. It is parsed as any dtype and as bf16 (the
// one expected dtype that changes how a header reads). What parses must
// write back and parse again to the same tensor.
//
//===----------------------------------------------------------------------===//

#include "Fuzz.h"

#include "attnc/Runtime/Npy.h"

#include <cstring>

using namespace attnc::runtime;

static void checkRoundTrip(const Tensor &tensor) {
  std::string bytes = serializeNpy(tensor);
  Expected<Tensor> again = parseNpy(bytes, "round-trip.npy", tensor.getDType());
  FUZZ_CHECK(again, again.getError().getMessage());
  FUZZ_CHECK(again->getDType() == tensor.getDType(), "dtype changed");
  FUZZ_CHECK(again->getShape() == tensor.getShape(), "shape changed");
  FUZZ_CHECK(again->getByteSize() == tensor.getByteSize(), "size changed");
  FUZZ_CHECK(tensor.getByteSize() == 0 ||
                 std::memcmp(again->getData(), tensor.getData(),
                             tensor.getByteSize()) == 0,
             "data changed");
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char *>(data), size);
  for (std::optional<DType> expected :
       {std::optional<DType>(), std::optional<DType>(DType::BF16)}) {
    Expected<Tensor> tensor = parseNpy(bytes, "fuzz.npy", expected);
    if (!tensor) {
      FUZZ_CHECK(!tensor.getError().getMessage().empty(), "empty error");
      continue;
    }
    FUZZ_CHECK(!expected || tensor->getDType() == *expected,
               "the expected dtype was not enforced");
    checkRoundTrip(*tensor);
  }
  return 0;
}
