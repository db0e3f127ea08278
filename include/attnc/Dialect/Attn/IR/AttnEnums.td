//===- AttnEnums.td - attn dialect enums and attributes ----*- tablegen -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_DIALECT_ATTN_IR_ATTNENUMS_TD
#define ATTNC_DIALECT_ATTN_IR_ATTNENUMS_TD

include "attnc/Dialect/Attn/IR/AttnDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Attn_RopeStyle : I32EnumAttr<"RopeStyle",
    "how rotary embedding pairs up the components of a head", [
      I32EnumAttrCase<"Half", 0, "half">,
      I32EnumAttrCase<"Interleaved", 1, "interleaved">
    ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}

def Attn_RopeStyleAttr : EnumAttr<Attn_Dialect, Attn_RopeStyle, "rope_style"> {
  let summary = "rotary pairing: `half` (HF Llama, GPT-NeoX) or `interleaved` "
                "(GPT-J, Meta Llama)";
}

def Attn_RopeScaling : I32EnumAttr<"RopeScaling",
    "how the rotary frequencies are rescaled for long contexts", [
      I32EnumAttrCase<"Linear", 0, "linear">,
      I32EnumAttrCase<"Llama3", 1, "llama3">
    ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}

def Attn_RopeScalingAttr
    : EnumAttr<Attn_Dialect, Attn_RopeScaling, "rope_scaling"> {
  let summary = "RoPE frequency scaling: `linear` (every frequency divided "
                "by `factor`) or `llama3` (Llama 3.1: low frequencies "
                "divided by `factor`, high ones kept, a smooth blend "
                "between)";
}

def Attn_WeightLayout : I32EnumAttr<"WeightLayout",
    "storage order of a projection weight matrix", [
      I32EnumAttrCase<"InOut", 0, "in_out">,
      I32EnumAttrCase<"OutIn", 1, "out_in">
    ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}

def Attn_WeightLayoutAttr
    : EnumAttr<Attn_Dialect, Attn_WeightLayout, "weight_layout"> {
  let summary = "`in_out` stores `[in, out]` (GPT-2 Conv1D, `x @ W`); "
                "`out_in` stores `[out, in]` (torch `nn.Linear`, `x @ W^T`)";
}

#endif // ATTNC_DIALECT_ATTN_IR_ATTNENUMS_TD
