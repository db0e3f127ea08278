//===- FinalizeExports.cpp - offsets and linkage of C wrappers --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/Passes.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/LLVMIR/FunctionCallUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::attnc {
#define GEN_PASS_DEF_FINALIZEEXPORTS
#include "attnc/Transforms/Passes.h.inc"
} // namespace mlir::attnc

using namespace mlir;

namespace {

/// Bytes per element at the ABI (i1 takes a byte).
int64_t getElementBytes(Type element) {
  return std::max<int64_t>(1, element.getIntOrFloatBitWidth() / 8);
}

/// In `wrapper` at the insertion point of `b`: unless `condition` holds,
/// prints `message` to stderr and aborts (stderr is unbuffered, so the
/// message survives the abort). `b` continues after the check.
LogicalResult buildAbortUnless(OpBuilder &b, Location loc,
                               LLVM::LLVMFuncOp wrapper, Value condition,
                               StringRef message, StringRef messageSymbol) {
  Block *before = b.getInsertionBlock();
  Block *after = before->splitBlock(b.getInsertionPoint());
  b.createBlock(&wrapper.getBody());
  auto module = wrapper->getParentOfType<ModuleOp>();
  auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
  FailureOr<LLVM::LLVMFuncOp> fputs = LLVM::lookupOrCreateFn(
      b, module, "fputs", {ptrType, ptrType}, b.getI32Type());
  FailureOr<LLVM::LLVMFuncOp> abort = LLVM::lookupOrCreateFn(
      b, module, "abort", {}, LLVM::LLVMVoidType::get(b.getContext()));
  auto stream = dyn_cast_or_null<LLVM::GlobalOp>(
      SymbolTable::lookupSymbolIn(module, "stderr"));
  if (!stream) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    stream = LLVM::GlobalOp::create(b, loc, ptrType, /*isConstant=*/false,
                                    LLVM::Linkage::External, "stderr",
                                    Attribute());
  }
  if (failed(fputs) || failed(abort) || stream.getType() != ptrType)
    return wrapper.emitError(
        "cannot declare fputs, abort and stderr for the argument checks");
  Block *abortBlock = b.getInsertionBlock();
  Value text = LLVM::createGlobalString(loc, b, messageSymbol,
                                        (message + "\n").str(),
                                        LLVM::Linkage::Internal);
  Value stderrValue = LLVM::LoadOp::create(
      b, loc, ptrType, LLVM::AddressOfOp::create(b, loc, stream));
  LLVM::CallOp::create(b, loc, *fputs, ValueRange{text, stderrValue});
  LLVM::CallOp::create(b, loc, *abort, ValueRange{});
  LLVM::UnreachableOp::create(b, loc);
  b.setInsertionPointToEnd(before);
  LLVM::CondBrOp::create(b, loc, condition, after, abortBlock);
  b.setInsertionPointToStart(after);
  return success();
}

/// In `wrapper`, replaces the descriptor loaded from `argument` by one whose
/// aligned pointer is moved forward by its offset (the offset becomes 0),
/// after checking that its static sizes are those of `type` and that its
/// strides are contiguous; a failed check prints which to stderr and
/// aborts. `what` names the argument in the messages, `symbol` prefixes
/// their globals.
LogicalResult foldOffset(LLVM::LLVMFuncOp wrapper, BlockArgument argument,
                         ShapedType type, StringRef what, StringRef symbol) {
  int64_t elementBytes = getElementBytes(type.getElementType());
  for (Operation *user : llvm::to_vector(argument.getUsers())) {
    auto load = dyn_cast<LLVM::LoadOp>(user);
    if (!load)
      continue;
    auto descriptorType = dyn_cast<LLVM::LLVMStructType>(load.getType());
    if (!descriptorType || descriptorType.getBody().size() < 3)
      continue;
    Location loc = load.getLoc();
    OpBuilder b(load->getContext());
    b.setInsertionPointAfter(load);
    Value descriptor = load.getResult();
    SmallPtrSet<Operation *, 8> readers;
    auto extract = [&](ArrayRef<int64_t> position) -> Value {
      auto op = LLVM::ExtractValueOp::create(b, loc, descriptor, position);
      readers.insert(op);
      return op;
    };
    Type i64 = b.getI64Type();
    auto constant = [&](int64_t value) -> Value {
      return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(value));
    };
    auto both = [&](Value all, Value one) -> Value {
      return all ? LLVM::AndOp::create(b, loc, all, one).getResult() : one;
    };

    if (descriptorType.getBody().size() == 5) {
      int64_t rank = cast<LLVM::LLVMArrayType>(descriptorType.getBody()[3])
                         .getNumElements();
      // The static sizes of its type: the compiled code reads and writes by
      // those, whatever the descriptor says.
      Value sized;
      for (int64_t dim = 0; dim < rank && dim < type.getRank(); ++dim) {
        if (type.isDynamicDim(dim))
          continue;
        sized = both(sized, LLVM::ICmpOp::create(b, loc,
                                                 LLVM::ICmpPredicate::eq,
                                                 extract({3, dim}),
                                                 constant(type.getDimSize(dim))));
      }
      if (sized &&
          failed(buildAbortUnless(
              b, loc, wrapper, sized,
              (what + " has sizes other than its type's").str(),
              (symbol + "_sizes").str())))
        return failure();

      // Row-major contiguous strides, ignoring dimensions of size 1.
      Value expected = constant(1);
      Value one = constant(1);
      Value contiguous;
      for (int64_t dim = rank - 1; dim >= 0; --dim) {
        Value size = extract({3, dim});
        Value stride = extract({4, dim});
        Value good = LLVM::OrOp::create(
            b, loc,
            LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, stride,
                                 expected),
            LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::sle, size, one));
        contiguous = both(contiguous, good);
        expected = LLVM::MulOp::create(b, loc, expected, size);
      }
      if (contiguous &&
          failed(buildAbortUnless(
              b, loc, wrapper, contiguous,
              (what +
               " has non-contiguous strides: attnc libraries take "
               "row-major contiguous tensors (the descriptor's offset may be "
               "non-zero)")
                  .str(),
              (symbol + "_strides").str())))
        return failure();
    }

    Value aligned = extract({1});
    Value offset = extract({2});
    Value bytes = LLVM::MulOp::create(b, loc, offset, constant(elementBytes));
    Value moved = LLVM::GEPOp::create(b, loc, aligned.getType(), b.getI8Type(),
                                      aligned, ValueRange{bytes});
    auto withPointer =
        LLVM::InsertValueOp::create(b, loc, descriptor, moved, {1});
    readers.insert(withPointer);
    Value folded =
        LLVM::InsertValueOp::create(b, loc, withPointer, constant(0), {2});
    descriptor.replaceUsesWithIf(folded, [&](OpOperand &use) {
      return !readers.contains(use.getOwner());
    });
  }
  return success();
}

struct FinalizeExportsPass
    : public attnc::impl::FinalizeExportsBase<FinalizeExportsPass> {
  using FinalizeExportsBase::FinalizeExportsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto signature : llvm::to_vector(module.getOps<LLVM::GlobalOp>())) {
      StringRef symbol = signature.getSymName();
      if (!symbol.starts_with(attnc::kSignatureSymbolPrefix))
        continue;
      StringRef name = symbol.drop_front(attnc::kSignatureSymbolPrefix.size());
      auto wrapper = symbols.lookup<LLVM::LLVMFuncOp>(
          (attnc::kCInterfacePrefix + name).str());
      auto body = symbols.lookup<LLVM::LLVMFuncOp>(name);
      if (!wrapper || !body || wrapper.isExternal() || body.isExternal())
        continue;
      body.setLinkage(LLVM::Linkage::Internal);
      if (!foldOffsets)
        continue;

      auto text = dyn_cast_or_null<StringAttr>(signature.getValueOrNull());
      auto type = text ? dyn_cast_or_null<FunctionType>(parseType(
                             text.getValue().rtrim('\0'), &getContext()))
                       : FunctionType();
      if (!type || type.getNumInputs() > wrapper.getNumArguments()) {
        signature.emitError("cannot read the signature of @") << name;
        return signalPassFailure();
      }
      unsigned first = wrapper.getNumArguments() - type.getNumInputs();
      for (auto [idx, input] : llvm::enumerate(type.getInputs())) {
        std::string what;
        llvm::raw_string_ostream(what) << "_mlir_ciface_" << name
                                       << ": argument #" << idx << " ("
                                       << input << ")";
        std::string messageSymbol =
            ("attnc_argument_error_" + name + "_" + Twine(idx)).str();
        if (failed(foldOffset(wrapper, wrapper.getArgument(first + idx),
                              cast<ShapedType>(input), what, messageSymbol)))
          return signalPassFailure();
      }
    }
  }
};

} // namespace
