//===- AMX.cpp - the AMX state of the process, at run time ---------------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Transforms/AMX.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;

namespace {
// <asm/prctl.h>, <asm/unistd_64.h> and the XSAVE feature number of the
// tile data (Linux's Documentation/arch/x86/xstate.rst).
constexpr int64_t kSysArchPrctl = 158;
constexpr int64_t kArchReqXCompPerm = 0x1023;
constexpr int64_t kXFeatureXTileData = 18;
constexpr int32_t kGranted = 1, kRefused = 2;
} // namespace

static memref::GlobalOp getOrCreateStateGlobal(OpBuilder &builder,
                                               Location loc) {
  Operation *from = builder.getInsertionBlock()->getParentOp();
  auto module = isa<ModuleOp>(from) ? cast<ModuleOp>(from)
                                    : from->getParentOfType<ModuleOp>();
  if (auto global =
          module.lookupSymbol<memref::GlobalOp>(attnc::kAMXStateGlobal))
    return global;
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(module.getBody());
  auto type = MemRefType::get({}, builder.getI32Type());
  return memref::GlobalOp::create(
      builder, loc, attnc::kAMXStateGlobal, builder.getStringAttr("private"),
      type,
      DenseElementsAttr::get(RankedTensorType::get({}, builder.getI32Type()),
                             builder.getI32IntegerAttr(0).getValue()),
      /*constant=*/false, /*alignment=*/nullptr);
}

Value attnc::buildAMXGrantedCheck(OpBuilder &builder, Location loc) {
  memref::GlobalOp global = getOrCreateStateGlobal(builder, loc);
  Type i64 = builder.getI64Type();
  Value state = memref::GetGlobalOp::create(builder, loc, global.getType(),
                                            global.getSymName());
  Value current = memref::LoadOp::create(builder, loc, state, ValueRange{});
  auto constant32 = [&](OpBuilder &b, int32_t v) {
    return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v))
        .getResult();
  };
  Value unknown = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq,
                                        current, constant32(builder, 0));
  auto ask = scf::IfOp::create(
      builder, loc, unknown,
      [&](OpBuilder &b, Location l) {
        auto constant64 = [&](int64_t v) {
          return arith::ConstantOp::create(b, l, b.getI64IntegerAttr(v))
              .getResult();
        };
        // rax = syscall(rax, rdi, rsi); the instruction clobbers rcx and
        // r11.
        auto call = LLVM::InlineAsmOp::create(
            b, l, i64,
            ValueRange{constant64(kSysArchPrctl), constant64(kArchReqXCompPerm),
                       constant64(kXFeatureXTileData)},
            "syscall", "={rax},{rax},{rdi},{rsi},~{rcx},~{r11},~{memory}",
            /*has_side_effects=*/true, /*is_align_stack=*/false,
            LLVM::tailcallkind::TailCallKind::None, /*asm_dialect=*/nullptr,
            /*operand_attrs=*/nullptr);
        Value ok = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                         call.getResult(0), constant64(0));
        Value outcome = arith::SelectOp::create(
            b, l, ok, constant32(b, kGranted), constant32(b, kRefused));
        memref::StoreOp::create(b, l, outcome, state, ValueRange{});
        scf::YieldOp::create(b, l, outcome);
      },
      [&](OpBuilder &b, Location l) { scf::YieldOp::create(b, l, current); });
  return arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq,
                               ask.getResult(0), constant32(builder, kGranted));
}
