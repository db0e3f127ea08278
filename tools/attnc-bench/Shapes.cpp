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
  if (decode) {
    std::string label =
        paged ? name + " paged/" + std::to_string(blockSize) : name;
    return cacheType == "f32" ? label : label + " " + cacheType;
  }
  std::string label = causal ? name + " causal" : name;
  return dtype == "f32" ? label : label + " " + dtype;
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
  // Query-key pairs computed: all of them, or with causal masking (aligned
  // to the bottom-right corner) those on or below the diagonal, counted as
  // FlashAttention counts a square problem (half of them): a query chunk
  // after Skv - Sq earlier keys sees all of those and half of its own.
  double sq = queryLength, skv = kvLength;
  double pairs = sq * skv;
  if (causal)
    pairs = sq <= skv ? sq * skv - sq * sq / 2 : skv * skv / 2;
  return 4.0 * batch * queryHeads * headDim * pairs;
}

double BenchShape::getCacheBytes() const {
  return 2.0 * batch * kvHeads * kvLength * headDim *
         (cacheType == "f32" ? 4 : 2);
}

std::vector<int64_t> BenchShape::getQueryShape() const {
  return {batch, queryHeads, queryLength, headDim};
}

std::string BenchShape::getInputType(unsigned index) const {
  if (decode)
    return index == 0 ? "f32" : cacheType;
  return dtype;
}

std::vector<int64_t> BenchShape::getKVShape() const {
  if (decode && paged)
    return {batch * kvLength / blockSize, kvHeads, blockSize, headDim};
  return {batch, kvHeads, kvLength, headDim};
}

std::vector<int64_t> BenchShape::getBlockTableShape() const {
  return {batch, kvLength / blockSize};
}

static std::string formatTensorType(llvm::ArrayRef<int64_t> shape,
                                    StringRef element = "f32") {
  std::string type = "tensor<";
  for (int64_t dim : shape)
    type += std::to_string(dim) + "x";
  return type + element.str() + ">";
}

std::string BenchShape::getModuleText() const {
  std::string q = formatTensorType(getQueryShape(), getInputType(0));
  std::string kv = formatTensorType(getKVShape(), getInputType(1));
  std::string text;
  llvm::raw_string_ostream os(text);
  if (decode) {
    std::string lens = formatTensorType({batch}, "i32");
    std::string table = formatTensorType(getBlockTableShape(), "i32");
    os << "func.func @decode(%q: " << q << ", %kc: " << kv << ", %vc: " << kv
       << ", %lens: " << lens;
    if (paged)
      os << ", %table: " << table;
    os << ") -> " << q << " {\n"
       << "  %init = tensor.empty() : " << q << "\n"
       << "  %o = attn.decode_attention causal\n"
       << "      ins(%q, %kc, %vc : " << q << ", " << kv << ", " << kv << ")\n"
       << "      seq_lens(%lens : " << lens << ")\n";
    if (paged)
      os << "      block_table(%table : " << table << ")\n";
    os << "      outs(%init : " << q << ") -> " << q << "\n"
       << "  return %o : " << q << "\n"
       << "}\n";
    return text;
  }
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
  static const StringRef names[] = {"P1", "P2", "P3", "D1", "D2"};
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
  if (name == "D1" || name == "D2") {
    // One new token against 4096 cached positions; D2 is GQA (Hkv 8).
    BenchShape contiguous = makeShape(name, 1, 32, name == "D1" ? 32 : 8, 4096,
                                      128, /*causal=*/true);
    contiguous.queryLength = 1;
    contiguous.decode = true;
    // Paged with 16-position blocks (vLLM's default) and 64-position ones.
    BenchShape paged16 = contiguous;
    paged16.paged = true;
    paged16.blockSize = 16;
    BenchShape paged64 = paged16;
    paged64.blockSize = 64;
    return {contiguous, paged16, paged64};
  }
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
    if (field == "decode") {
      shape.decode = true;
      continue;
    }
    if (field == "paged") {
      shape.decode = shape.paged = true;
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
    } else if (key == "block") {
      shape.decode = shape.paged = true;
      shape.blockSize = value;
    } else {
      return error("unknown key '" + key +
                   "' (expected B, H, Hq, Hkv, S, Sq, Skv, D, block, causal, "
                   "decode or paged)");
    }
  }
  if (!queryHeads || !queryLength || !shape.headDim)
    return error("expected at least Hq (or H), Sq (or S) and D");
  shape.queryHeads = queryHeads;
  shape.kvHeads = kvHeads ? kvHeads : queryHeads;
  shape.queryLength = queryLength;
  shape.kvLength = kvLength ? kvLength : queryLength;
  if (shape.decode && shape.queryLength > shape.kvLength)
    return error("a decode shape needs Sq <= Skv (the new rows are in the "
                 "cache), got Sq=" +
                 llvm::Twine(shape.queryLength) +
                 " and Skv=" + llvm::Twine(shape.kvLength));
  if (shape.paged && shape.kvLength % shape.blockSize != 0)
    return error("a paged shape needs Skv to be a multiple of the block "
                 "size " +
                 llvm::Twine(shape.blockSize) +
                 ", got Skv=" + llvm::Twine(shape.kvLength));
  if (shape.queryHeads % shape.kvHeads != 0)
    return error("expected Hq to be a multiple of Hkv, got Hq=" +
                 llvm::Twine(shape.queryHeads) +
                 " and Hkv=" + llvm::Twine(shape.kvHeads));
  return shape;
}
