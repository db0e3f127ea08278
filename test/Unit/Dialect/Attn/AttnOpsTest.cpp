//===- AttnOpsTest.cpp - attn ops from the C++ API ---------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Builds attn ops with the ODS builders, as a frontend does, and checks what
// the verifiers say about them, their defaults, and that the reference
// decomposition leaves no attn op behind.
//
//===----------------------------------------------------------------------===//

#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace mlir;
using namespace mlir::attn;

namespace {

class AttnOpsTest : public ::testing::Test {
protected:
  AttnOpsTest() : builder(&context) {
    context.loadDialect<AttnDialect, func::FuncDialect, linalg::LinalgDialect,
                        scf::SCFDialect, cf::ControlFlowDialect,
                        math::MathDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
  }

  RankedTensorType f32Tensor(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }

  /// A function whose block arguments have `types`; the builder is left at
  /// the start of its body.
  func::FuncOp createFunction(StringRef name, TypeRange types) {
    builder.setInsertionPointToEnd(module->getBody());
    auto fn = func::FuncOp::create(builder, builder.getUnknownLoc(), name,
                                   builder.getFunctionType(types, {}));
    Block *body = fn.addEntryBlock();
    builder.setInsertionPointToStart(body);
    func::ReturnOp::create(builder, builder.getUnknownLoc());
    builder.setInsertionPointToStart(body);
    return fn;
  }

  /// Verifies `op` and returns the concatenated error messages ("" when it
  /// verifies).
  std::string verifyAndCollectErrors(Operation *op) {
    std::string errors;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      if (diag.getSeverity() == DiagnosticSeverity::Error)
        errors += diag.str();
      return success();
    });
    (void)verify(op);
    return errors;
  }

  /// Builds attn.attention with Hq query heads over Hkv key/value heads.
  AttentionOp buildAttention(int64_t hq, int64_t hkv, bool causal,
                             std::optional<float> scale = std::nullopt) {
    Location loc = builder.getUnknownLoc();
    RankedTensorType qType = f32Tensor({2, hq, 16, 64});
    RankedTensorType kvType = f32Tensor({2, hkv, 32, 64});
    std::string name = "attention" + std::to_string(numFunctions++);
    func::FuncOp fn = createFunction(name, {qType, kvType, kvType});
    Value init = tensor::EmptyOp::create(builder, loc, qType.getShape(),
                                         builder.getF32Type());
    FloatAttr scaleAttr = scale ? builder.getF32FloatAttr(*scale) : FloatAttr();
    return AttentionOp::create(
        builder, loc, qType, fn.getArgument(0), fn.getArgument(1),
        fn.getArgument(2), /*mask=*/Value(), init, causal,
        /*window=*/IntegerAttr(), /*softcap=*/FloatAttr(), scaleAttr);
  }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
  int numFunctions = 0;
};

TEST_F(AttnOpsTest, GroupedQueryAttentionVerifies) {
  AttentionOp op = buildAttention(/*hq=*/8, /*hkv=*/2, /*causal=*/true);
  EXPECT_EQ(verifyAndCollectErrors(*module), "");
  EXPECT_TRUE(op.getCausal());
  EXPECT_FALSE(op.getWindow().has_value());
}

TEST_F(AttnOpsTest, DefaultScaleIsInverseSqrtHeadDim) {
  AttentionOp op = buildAttention(4, 4, /*causal=*/false);
  EXPECT_FLOAT_EQ(op.getScaleOrDefault(), 1.0f / std::sqrt(64.0f));
  AttentionOp scaled = buildAttention(4, 4, /*causal=*/false, 0.5f);
  EXPECT_FLOAT_EQ(scaled.getScaleOrDefault(), 0.5f);
  EXPECT_EQ(verifyAndCollectErrors(*module), "");
}

TEST_F(AttnOpsTest, HeadCountsThatDoNotGroupAreRejected) {
  buildAttention(/*hq=*/6, /*hkv=*/4, /*causal=*/false);
  std::string errors = verifyAndCollectErrors(*module);
  EXPECT_NE(errors.find("expected the number of query heads (6) to be a "
                        "multiple of the number of key/value heads (4)"),
            std::string::npos)
      << errors;
}

TEST_F(AttnOpsTest, NonPositiveWindowIsRejected) {
  AttentionOp op = buildAttention(4, 4, /*causal=*/true);
  op.setWindowAttr(builder.getI64IntegerAttr(0));
  std::string errors = verifyAndCollectErrors(op);
  EXPECT_NE(errors.find("expected window to be positive, got 0"),
            std::string::npos)
      << errors;
}

TEST_F(AttnOpsTest, RopeRotaryDimDefaultsToHeadDim) {
  const char *source = R"mlir(
    func.func @f(%q: tensor<1x4x8x32xf32>, %k: tensor<1x2x8x32xf32>,
                 %p: tensor<8xi32>) -> tensor<1x4x8x32xf32> {
      %q0 = tensor.empty() : tensor<1x4x8x32xf32>
      %k0 = tensor.empty() : tensor<1x2x8x32xf32>
      %q1, %k1 = attn.rope interleaved
          ins(%q, %k, %p : tensor<1x4x8x32xf32>, tensor<1x2x8x32xf32>, tensor<8xi32>)
          outs(%q0, %k0 : tensor<1x4x8x32xf32>, tensor<1x2x8x32xf32>)
          -> tensor<1x4x8x32xf32>, tensor<1x2x8x32xf32>
      return %q1 : tensor<1x4x8x32xf32>
    })mlir";
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(source, &context);
  ASSERT_TRUE(parsed);
  RopeOp rope;
  parsed->walk([&](RopeOp op) { rope = op; });
  ASSERT_TRUE(rope);
  EXPECT_EQ(rope.getRotaryDimOrDefault(), 32);
  EXPECT_EQ(rope.getStyle(), RopeStyle::Interleaved);
  EXPECT_FLOAT_EQ(rope.getTheta().convertToFloat(), 10000.0f);
}

TEST_F(AttnOpsTest, DecompositionLeavesOnlyUpstreamOps) {
  buildAttention(8, 2, /*causal=*/true);
  ASSERT_EQ(verifyAndCollectErrors(*module), "");

  PassManager pm(&context);
  pm.addPass(createAttnDecompose());
  ASSERT_TRUE(succeeded(pm.run(*module)));
  EXPECT_EQ(verifyAndCollectErrors(*module), "");

  int attnOps = 0, generics = 0;
  module->walk([&](Operation *op) {
    if (isa<AttnDialect>(op->getDialect()))
      ++attnOps;
    if (isa<linalg::GenericOp>(op))
      ++generics;
  });
  EXPECT_EQ(attnOps, 0);
  // Q K^T, mask, max, exp, sum, normalise, P V.
  EXPECT_EQ(generics, 7);
}

} // namespace
