//===- Passes.td - attn dialect transformation passes ------*- tablegen -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_DIALECT_ATTN_TRANSFORMS_PASSES_TD
#define ATTNC_DIALECT_ATTN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttnDecompose : Pass<"attn-decompose"> {
  let summary = "Lower every attn op to linalg, tensor, arith, math and scf "
                "(the reference lowering)";
  let description = [{
    Replaces each `attn` op by the ops its `AggregatedOpInterface`
    decomposition builds: plain `linalg.generic` contractions and
    element-wise/reduction ops on tensors, `tensor.insert_slice` in `scf.for`
    loops for cache writes, and `cf.assert` for the runtime checks of cache
    bounds. The decomposition computes exactly the math of each op's
    description, unfused: attention materialises the `[B, Hq, Sq, Skv]` score
    tensor, applies scale, soft-cap and masks, takes a numerically stable
    softmax in f32 (a fully masked row yields zeros), and multiplies by `V`.

    This is the semantic oracle of attnc: fused, tiled and vectorised
    lowerings are tested against it. It favours obviousness over speed.

    Ops whose decomposition is not possible (for example a dynamic head count
    that the verifier could not rule out) are reported with an error and the
    pass fails; it never leaves a half-rewritten function.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // ATTNC_DIALECT_ATTN_TRANSFORMS_PASSES_TD
