//===- Shapes.cpp - attention shapes that attnc-bench measures ------------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "Shapes.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir::attnc::bench;
using llvm::StringRef;

std::string BenchShape::getLabel() const {
  return causal ? name + " causal" : name;
}

std::string BenchShape::getDims() const {
  std::string dims;
  llvm::raw_string_ostream os(dims);
  os << "B" << batch << " H" << queryHeads;
  if (kvHeads != queryHeads)
    os << "/" << kvHeads;
  os << " S" << queryLength;
  if (kvLength != queryLength)
    os << "/" << kvLength;
  os << " D" << headDim;
  return dims;
}

double BenchShape::getFlops() const {
  double flops = 4.0 * batch * queryHeads * queryLength * kvLength * headDim;
  return causal ? flops / 2 : flops;
}

std::vector<int64_t> BenchShape::getQueryShape() const {
  return {batch, queryHeads, queryLength, headDim};
}

std::vector<int64_t> BenchShape::getKVShape() const {
  return {batch, kvHeads, kvLength, headDim};
}

static std::string formatTensorType(llvm::ArrayRef<int64_t> shape) {
  std::string type = "tensor<";
  for (int64_t dim : shape)
    type += std::to_string(dim) + "x";
  return type + "f32>";
}

std::string BenchShape::getModuleText() const {
  std::string q = formatTensorType(getQueryShape());
  std::string kv = formatTensorType(getKVShape());
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "func.func @attention(%q: " << q << ", %k: " << kv << ", %v: " << kv
     << ") -> " << q << " {\n"
     << "  %init = tensor.empty() : " << q << "\n"
     << "  %o = attn.attention" << (causal ? " causal" : "") << "\n"
     << "      ins(%q, %k, %v : " << q << ", " << kv << ", " << kv << ")\n"
     << "      outs(%init : " << q << ") -> " << q << "\n"
     << "  return %o : " << q << "\n"
     << "}\n";
  return text;
}

llvm::ArrayRef<StringRef> mlir::attnc::bench::getNamedShapeNames() {
  static const StringRef names[] = {"P1", "P2", "P3"};
  return names;
}

static BenchShape makeShape(StringRef name, int64_t batch, int64_t queryHeads,
                            int64_t kvHeads, int64_t length, int64_t headDim,
                            bool causal) {
  return BenchShape{name.str(), batch,  queryHeads, kvHeads,
                    length,     length, headDim,    causal};
}

std::vector<BenchShape> mlir::attnc::bench::getNamedShape(StringRef name) {
  if (name == "P1")
    return {makeShape(name, 1, 12, 12, 512, 64, /*causal=*/false),
            makeShape(name, 1, 12, 12, 512, 64, /*causal=*/true)};
  if (name == "P2")
    return {makeShape(name, 1, 32, 32, 2048, 128, /*causal=*/true)};
  if (name == "P3")
    return {makeShape(name, 4, 16, 4, 1024, 64, /*causal=*/true)};
  return {};
}

llvm::Expected<BenchShape> mlir::attnc::bench::parseShape(StringRef spec) {
  auto error = [&](const llvm::Twine &message) {
    return llvm::createStringError("--shape \"" + spec + "\": " + message);
  };
  BenchShape shape;
  shape.name = "user";
  int64_t queryHeads = 0, kvHeads = 0, queryLength = 0, kvLength = 0;
  llvm::SmallVector<StringRef> fields;
  spec.split(fields, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef field : fields) {
    field = field.trim();
    if (field == "causal") {
      shape.causal = true;
      continue;
    }
    auto [key, valueText] = field.split('=');
    key = key.trim();
    int64_t value = 0;
    if (valueText.trim().getAsInteger(10, value) || value <= 0)
      return error("expected " + key + "=<positive integer>, got '" + field +
                   "'");
    if (key == "B") {
      shape.batch = value;
    } else if (key == "H") {
      queryHeads = kvHeads = value;
    } else if (key == "Hq") {
      queryHeads = value;
    } else if (key == "Hkv") {
      kvHeads = value;
    } else if (key == "S") {
      queryLength = kvLength = value;
    } else if (key == "Sq") {
      queryLength = value;
    } else if (key == "Skv") {
      kvLength = value;
    } else if (key == "D") {
      shape.headDim = value;
    } else {
      return error("unknown key '" + key +
                   "' (expected B, H, Hq, Hkv, S, Sq, Skv, D or causal)");
    }
  }
  if (!queryHeads || !queryLength || !shape.headDim)
    return error("expected at least Hq (or H), Sq (or S) and D");
  shape.queryHeads = queryHeads;
  shape.kvHeads = kvHeads ? kvHeads : queryHeads;
  shape.queryLength = queryLength;
  shape.kvLength = kvLength ? kvLength : queryLength;
  if (shape.queryHeads % shape.kvHeads != 0)
    return error("expected Hq to be a multiple of Hkv, got Hq=" +
                 llvm::Twine(shape.queryHeads) +
                 " and Hkv=" + llvm::Twine(shape.kvHeads));
  return shape;
}
