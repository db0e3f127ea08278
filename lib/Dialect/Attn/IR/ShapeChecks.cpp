//===- ShapeChecks.cpp - run-time checks of dynamic sizes -------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// One check per relation of the verifiers (AttnVerifiers.cpp) that involves a
// dynamic size. A check compares two index values; when it fails, an scf.if
// prints the message with both sizes (printf), flushes stdout and aborts,
// which is what cf.assert does with a fixed message. Checks between two
// static sizes are not emitted: the verifier has proven them.
//
//===----------------------------------------------------------------------===//

#include "attnc/Dialect/Attn/IR/ShapeChecks.h"
#include "attnc/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Builds the checks of one op. Sizes are (tensor, dim) pairs or constants;
/// messages are printf formats with two `%lld` for the two sizes.
class ShapeCheckBuilder {
public:
  ShapeCheckBuilder(OpBuilder &b, Operation *op)
      : b(b), op(op), loc(op->getLoc()),
        module(op->getParentOfType<ModuleOp>()) {}

  /// A size: dimension `idx` of `tensor`, or the constant `value`.
  struct Size {
    Value tensor;
    int64_t idx = 0;
    int64_t value = ShapedType::kDynamic;

    Size(Value tensor, int64_t idx) : tensor(tensor), idx(idx) {
      value = cast<RankedTensorType>(tensor.getType()).getDimSize(idx);
    }
    explicit Size(int64_t value) : value(value) {}
    bool isStatic() const { return !ShapedType::isDynamic(value); }
  };

  /// `aName` and `bName` agree on `a` and `b`: "key and value have 100000 and
  /// 3 rows (Skv must agree)".
  void same(Size a, StringRef aName, Size b, StringRef bName, StringRef unit,
            StringRef dimName) {
    check(a, b,
          (aName + " and " + bName + " have %lld and %lld " + unit + " (" +
           dimName + " must agree)")
              .str());
  }

  /// `a` of `aName` is the (static) size `expected` that `rule` gives.
  void is(Size a, StringRef aName, int64_t expected, StringRef unit,
          StringRef rule) {
    check(a, Size(expected),
          (aName + " has %lld " + unit + ", expected %lld (" + rule + ")")
              .str());
  }

  /// Dimension `idx` of `mask` broadcasts to `target` (of `targetName`): a
  /// static 1, or equal (a dynamic mask size does not broadcast).
  void broadcasts(Value mask, int64_t idx, Size target, StringRef targetName,
                  StringRef unit, StringRef dimName) {
    Size size(mask, idx);
    if (size.value == 1)
      return;
    check(size, target,
          ("mask and " + targetName + " have %lld and %lld " + unit +
           " (mask dimension " + Twine(idx) + " must be " + dimName +
           ", or a static 1)")
              .str());
  }

  /// The caches of kv_append / decode_attention against the batch, head
  /// count and head dims of `source` (the key or the query), as
  /// verifyCaches checks them. `hkv` and `dv` may be null.
  void caches(Value keyCache, Value valueCache, Value blockTable,
              Size batch, std::optional<Size> hkv, Size d,
              std::optional<Size> dv, StringRef source) {
    if (blockTable)
      same(Size(blockTable, 0), "block_table", batch, source, "sequences",
           "B");
    else
      same(Size(keyCache, 0), "key_cache", batch, source, "sequences", "B");
    if (hkv)
      same(Size(keyCache, 1), "key_cache", *hkv, source, "heads", "Hkv");
    same(Size(keyCache, 3), "key_cache", d, source, "columns", "D");
    same(Size(valueCache, 0), "value_cache", Size(keyCache, 0), "key_cache",
         blockTable ? "blocks" : "sequences", blockTable ? "num_blocks" : "B");
    same(Size(valueCache, 1), "value_cache", Size(keyCache, 1), "key_cache",
         "heads", "Hkv");
    same(Size(valueCache, 2), "value_cache", Size(keyCache, 2), "key_cache",
         "rows", blockTable ? "block_size" : "Smax");
    if (dv)
      same(Size(valueCache, 3), "value_cache", *dv, source, "columns", "Dv");
  }

  /// Positions [S] or [B, S] of the rotated `query` [B, H, S, D].
  void positions(Value positions, Value query) {
    auto type = cast<RankedTensorType>(positions.getType());
    if (type.getRank() == 1) {
      same(Size(positions, 0), "positions", Size(query, 2), "the input",
           "rows", "S");
      return;
    }
    same(Size(positions, 0), "positions", Size(query, 0), "the input",
         "sequences", "B");
    same(Size(positions, 1), "positions", Size(query, 2), "the input", "rows",
         "S");
  }

  /// Every dimension of `a` equals that of `b` (same static type).
  void sameShape(Value a, StringRef aName, Value b, StringRef bName) {
    auto type = cast<RankedTensorType>(a.getType());
    for (int64_t idx = 0; idx < type.getRank(); ++idx)
      same(Size(a, idx), aName, Size(b, idx), bName,
           ("elements in dimension " + Twine(idx)).str(),
           ("dimension " + Twine(idx)).str());
  }

private:
  /// Emits the check `a == b` unless both are static.
  void check(Size a, Size b, const std::string &what) {
    if (a.isStatic() && b.isStatic())
      return;
    Value x = value(a), y = value(b);
    Value ok = arith::CmpIOp::create(this->b, loc, arith::CmpIPredicate::eq,
                                     x, y);
    emitFailure(ok, what, x, y);
  }

  Value value(Size size) {
    if (size.isStatic())
      return arith::ConstantIndexOp::create(b, loc, size.value);
    return tensor::DimOp::create(b, loc, size.tensor, size.idx);
  }

  /// `file:line:col: attn.op: ` with printf's `%` escaped.
  std::string prefix() {
    std::string message = getRuntimeCheckMessage(op, "");
    std::string escaped;
    for (char c : message) {
      escaped += c;
      if (c == '%')
        escaped += '%';
    }
    return escaped;
  }

  /// An external function of the module: printf, fflush or abort.
  LLVM::LLVMFuncOp declare(StringRef name, Type result, ArrayRef<Type> params,
                           bool isVarArg = false) {
    if (auto fn = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
      return fn;
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    return LLVM::LLVMFuncOp::create(
        b, loc, name, LLVM::LLVMFunctionType::get(result, params, isVarArg));
  }

  /// A constant, NUL-terminated string global of the module.
  LLVM::GlobalOp global(StringRef text) {
    std::string contents = (text + Twine('\0')).str();
    std::string name;
    for (unsigned i = 0;; ++i) {
      name = ("attnc_shape_check_" + Twine(i)).str();
      auto existing = module.lookupSymbol<LLVM::GlobalOp>(name);
      if (!existing && !module.lookupSymbol(name))
        break;
      if (existing)
        if (auto value = dyn_cast_or_null<StringAttr>(existing.getValueAttr()))
          if (value.getValue() == contents)
            return existing;
    }
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    auto type = LLVM::LLVMArrayType::get(IntegerType::get(b.getContext(), 8),
                                         contents.size());
    return LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/true,
                                  LLVM::Linkage::Internal, name,
                                  b.getStringAttr(contents), /*alignment=*/0);
  }

  /// if (!ok) { printf(message, x, y); fflush(NULL); abort(); }
  void emitFailure(Value ok, const std::string &what, Value x, Value y) {
    MLIRContext *ctx = b.getContext();
    if (!module) {
      // Nowhere to declare printf: a fixed message.
      cf::AssertOp::create(b, loc, ok, prefix() + what);
      return;
    }
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    Type i32 = IntegerType::get(ctx, 32), i64 = IntegerType::get(ctx, 64);
    LLVM::LLVMFuncOp printfFn = declare("printf", i32, {ptr}, true);
    LLVM::LLVMFuncOp fflushFn = declare("fflush", i32, {ptr});
    LLVM::LLVMFuncOp abortFn =
        declare("abort", LLVM::LLVMVoidType::get(ctx), {});
    LLVM::GlobalOp format = global(prefix() + what + "\n");

    Value failed = arith::XOrIOp::create(
        b, loc, ok, arith::ConstantIntOp::create(b, loc, 1, 1));
    auto ifOp = scf::IfOp::create(b, loc, failed, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    Value address = LLVM::AddressOfOp::create(b, loc, format);
    Value x64 = arith::IndexCastOp::create(b, loc, i64, x);
    Value y64 = arith::IndexCastOp::create(b, loc, i64, y);
    LLVM::CallOp::create(b, loc, printfFn, ValueRange{address, x64, y64});
    Value null = LLVM::ZeroOp::create(b, loc, ptr);
    LLVM::CallOp::create(b, loc, fflushFn, ValueRange{null});
    LLVM::CallOp::create(b, loc, abortFn, ValueRange{});
  }

  OpBuilder &b;
  Operation *op;
  Location loc;
  ModuleOp module;
};

using Size = ShapeCheckBuilder::Size;

void buildChecks(ShapeCheckBuilder &c, QKVProjOp op) {
  Value x = op.getInput();
  struct Output {
    Value init;
    StringRef name;
  } outputs[] = {{op.getQueryInit(), "query_init"},
                 {op.getKeyInit(), "key_init"},
                 {op.getValueInit(), "value_init"}};
  SmallVector<int64_t, 3> widths;
  for (const Output &out : outputs) {
    c.same(Size(out.init, 0), out.name, Size(x, 0), "input", "sequences", "B");
    c.same(Size(out.init, 2), out.name, Size(x, 1), "input", "rows", "S");
    auto type = cast<RankedTensorType>(out.init.getType());
    widths.push_back(type.getDimSize(1) * type.getDimSize(3));
  }
  if (op.getWeights().size() == 1)
    widths = {widths[0] + widths[1] + widths[2]};
  bool transposed = op.getWeightLayout() == WeightLayout::OutIn;
  unsigned inDim = transposed ? 1 : 0, outDim = transposed ? 0 : 1;
  static constexpr StringRef weightNames[] = {"weight 0", "weight 1",
                                              "weight 2"};
  static constexpr StringRef biasNames[] = {"bias 0", "bias 1", "bias 2"};
  for (auto [idx, weight] : llvm::enumerate(op.getWeights())) {
    c.same(Size(weight, inDim), weightNames[idx], Size(x, 2), "input",
           "input features", "Dm");
    c.is(Size(weight, outDim), weightNames[idx], widths[idx],
         "output features", "N = H * D of the inits");
  }
  for (auto [idx, bias] : llvm::enumerate(op.getBiases()))
    c.is(Size(bias, 0), biasNames[idx], widths[idx], "elements",
         "N = H * D of the inits");
  if (Value positions = op.getPositions())
    c.positions(positions, op.getQueryInit());
}

void buildChecks(ShapeCheckBuilder &c, RopeOp op) {
  Value q = op.getQuery(), k = op.getKey();
  c.same(Size(q, 0), "query", Size(k, 0), "key", "sequences", "B");
  c.same(Size(q, 2), "query", Size(k, 2), "key", "rows", "S");
  c.same(Size(q, 3), "query", Size(k, 3), "key", "columns", "D");
  c.sameShape(op.getQueryInit(), "query_init", q, "query");
  c.sameShape(op.getKeyInit(), "key_init", k, "key");
  c.positions(op.getPositions(), q);
}

void buildChecks(ShapeCheckBuilder &c, AttentionOp op) {
  Value q = op.getQuery(), k = op.getKey(), v = op.getValue(),
        init = op.getInit();
  c.same(Size(q, 0), "query", Size(k, 0), "key", "sequences", "B");
  c.same(Size(q, 3), "query", Size(k, 3), "key", "columns", "D");
  c.same(Size(q, 0), "query", Size(v, 0), "value", "sequences", "B");
  c.same(Size(k, 2), "key", Size(v, 2), "value", "rows", "Skv");
  c.same(Size(init, 0), "init", Size(q, 0), "query", "sequences", "B");
  c.same(Size(init, 2), "init", Size(q, 2), "query", "rows", "Sq");
  c.same(Size(init, 3), "init", Size(v, 3), "value", "columns", "Dv");
  if (Value mask = op.getMask()) {
    c.broadcasts(mask, 0, Size(q, 0), "query", "sequences", "B");
    c.broadcasts(mask, 1, Size(q, 1), "query", "heads", "Hq");
    c.broadcasts(mask, 2, Size(q, 2), "query", "rows", "Sq");
    c.broadcasts(mask, 3, Size(k, 2), "key", "rows", "Skv");
  }
}

void buildChecks(ShapeCheckBuilder &c, MaskedSoftmaxOp op) {
  Value input = op.getInput();
  c.sameShape(op.getInit(), "init", input, "input");
  if (Value mask = op.getMask()) {
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    for (int64_t idx = 0; idx < rank; ++idx) {
      StringRef unit = idx == rank - 1   ? "columns"
                       : idx == rank - 2 ? "rows"
                                         : "elements";
      std::string dimName = idx == rank - 1   ? "Skv"
                            : idx == rank - 2 ? "Sq"
                                              : ("batch dimension " +
                                                 Twine(idx)).str();
      c.broadcasts(mask, idx, Size(input, idx), "input", unit, dimName);
    }
  }
}

void buildChecks(ShapeCheckBuilder &c, OutProjOp op) {
  Value x = op.getInput(), w = op.getWeight(), init = op.getInit();
  bool transposed = op.getWeightLayout() == WeightLayout::OutIn;
  auto inputType = cast<RankedTensorType>(x.getType());
  c.is(Size(w, transposed ? 1 : 0), "weight",
       inputType.getDimSize(1) * inputType.getDimSize(3), "input features",
       "H * Dv of the input");
  c.same(Size(w, transposed ? 0 : 1), "weight", Size(init, 2), "init",
         "output features", "Dm");
  c.same(Size(init, 0), "init", Size(x, 0), "input", "sequences", "B");
  c.same(Size(init, 1), "init", Size(x, 2), "input", "rows", "S");
  if (Value bias = op.getBias())
    c.same(Size(bias, 0), "bias", Size(init, 2), "init", "elements", "Dm");
}

void buildChecks(ShapeCheckBuilder &c, KVAppendOp op) {
  Value k = op.getKey(), v = op.getValue();
  c.same(Size(k, 0), "key", Size(v, 0), "value", "sequences", "B");
  c.same(Size(k, 1), "key", Size(v, 1), "value", "heads", "Hkv");
  c.same(Size(k, 2), "key", Size(v, 2), "value", "rows", "Snew");
  c.same(Size(op.getStart(), 0), "start", Size(k, 0), "key", "sequences",
         "B");
  c.caches(op.getKeyCache(), op.getValueCache(), op.getBlockTable(),
           Size(k, 0), Size(k, 1), Size(k, 3), Size(v, 3), "key");
}

void buildChecks(ShapeCheckBuilder &c, DecodeAttentionOp op) {
  Value q = op.getQuery(), init = op.getInit();
  c.caches(op.getKeyCache(), op.getValueCache(), op.getBlockTable(),
           Size(q, 0), std::nullopt, Size(q, 3), std::nullopt, "query");
  c.same(Size(init, 0), "init", Size(q, 0), "query", "sequences", "B");
  c.same(Size(init, 2), "init", Size(q, 2), "query", "rows", "Sq");
  c.same(Size(init, 3), "init", Size(op.getValueCache(), 3), "value_cache",
         "columns", "Dv");
  c.same(Size(op.getSeqLens(), 0), "seq_lens", Size(q, 0), "query",
         "sequences", "B");
}

} // namespace

void mlir::attn::buildShapeChecks(OpBuilder &b, Operation *op) {
  ShapeCheckBuilder checks(b, op);
  TypeSwitch<Operation *>(op)
      .Case<QKVProjOp, RopeOp, AttentionOp, MaskedSoftmaxOp, OutProjOp,
            KVAppendOp, DecodeAttentionOp>(
          [&](auto concrete) { buildChecks(checks, concrete); });
}

std::string attn::getRuntimeCheckMessage(Operation *op, StringRef what) {
  std::string message;
  llvm::raw_string_ostream os(message);
  if (auto fileLoc = op->getLoc()->findInstanceOf<FileLineColLoc>())
    os << fileLoc.getFilename().getValue() << ":" << fileLoc.getLine() << ":"
       << fileLoc.getColumn() << ": ";
  os << op->getName() << ": " << what;
  return message;
}
