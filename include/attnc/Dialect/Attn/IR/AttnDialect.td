//===- AttnDialect.td - attn dialect definition ------------*- tablegen -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_DIALECT_ATTN_IR_ATTNDIALECT_TD
#define ATTNC_DIALECT_ATTN_IR_ATTNDIALECT_TD

include "mlir/IR/OpBase.td"

def Attn_Dialect : Dialect {
  let name = "attn";
  let cppNamespace = "::mlir::attn";
  let summary = "Transformer attention as first-class tensor IR";
  let description = [{
    The `attn` dialect models the pieces of transformer attention at the tensor
    level, in destination-passing style: the Q/K/V projection, rotary position
    embedding, masked softmax attention (causal, sliding window, soft-capping,
    padding or arbitrary masks, GQA/MQA, cross-attention), the output
    projection, and the KV cache (append and decode attention over contiguous
    or paged caches).

    All attention ops use the BHSD layout: queries are `[B, Hq, Sq, D]`, keys
    and values `[B, Hkv, Skv, D]` (values may have their own head dimension
    `Dv`). `Hq` must be a multiple of `Hkv`; query head `h` reads key/value
    head `h / (Hq / Hkv)` (grouped-query attention, MQA when `Hkv = 1`).

    Masks are attributes (`causal`, `window`, `softcap`), never dense `S x S`
    tensors; an optional mask operand covers padding and anything else.
    Causal masking is bottom-right aligned: query row `i` sits at absolute
    position `Skv - Sq + i`, which is what chunked prefill and decode need.
    A query row that has every key masked produces zeros, never NaN.

    Every op decomposes (`attn-decompose`, or the `AggregatedOpInterface`) into
    linalg, tensor, arith, math and scf ops computing exactly the math in its
    description; that reference lowering is the oracle that fused and tiled
    code is tested against.
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    // Run-time shape checks (ShapeChecks.h) print with llvm.call @printf.
    "::mlir::LLVM::LLVMDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // ATTNC_DIALECT_ATTN_IR_ATTNDIALECT_TD
