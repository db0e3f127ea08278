//===- AttnOps.cpp - attn dialect operations --------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The generated op definitions. Verifiers live in AttnVerifiers.cpp and the
// reference decompositions in Decomposition/.
//
//===----------------------------------------------------------------------===//

#include "attnc/Dialect/Attn/IR/AttnOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::attn;

//===----------------------------------------------------------------------===//
// Custom assembly directives
//===----------------------------------------------------------------------===//

/// Parses an optional `layout(in_out|out_in)`; absent means the default
/// (`in_out`).
static ParseResult parseWeightLayout(OpAsmParser &parser,
                                     WeightLayoutAttr &layout) {
  if (failed(parser.parseOptionalKeyword("layout")))
    return success();
  StringRef keyword;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLParen() || parser.parseKeyword(&keyword))
    return failure();
  std::optional<WeightLayout> value = symbolizeWeightLayout(keyword);
  if (!value)
    return parser.emitError(loc, "expected weight layout 'in_out' or "
                                 "'out_in', got '")
           << keyword << "'";
  layout = WeightLayoutAttr::get(parser.getContext(), *value);
  return parser.parseRParen();
}

/// Prints `layout(...)` unless the layout is the default.
static void printWeightLayout(OpAsmPrinter &printer, Operation *,
                              WeightLayoutAttr layout) {
  if (layout && layout.getValue() != WeightLayout::InOut)
    printer << "layout(" << stringifyWeightLayout(layout.getValue()) << ")";
}

/// Parses the rotary pairing keyword, `half` or `interleaved`.
static ParseResult parseRopeStyle(OpAsmParser &parser, RopeStyleAttr &style) {
  StringRef keyword;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseKeyword(&keyword))
    return failure();
  std::optional<RopeStyle> value = symbolizeRopeStyle(keyword);
  if (!value)
    return parser.emitError(loc, "expected rope style 'half' or "
                                 "'interleaved', got '")
           << keyword << "'";
  style = RopeStyleAttr::get(parser.getContext(), *value);
  return success();
}

static void printRopeStyle(OpAsmPrinter &printer, Operation *,
                           RopeStyleAttr style) {
  printer << stringifyRopeStyle(style.getValue());
}

/// Parses the optional RoPE epilogue of attn.qkv_proj:
/// `rope <style> [theta(<f32>)] [rotary_dim(<i64>)] positions(%p : <type>)`.
static ParseResult
parseRopeEpilogue(OpAsmParser &parser, RopeStyleAttr &style, FloatAttr &theta,
                  IntegerAttr &rotaryDim,
                  std::optional<OpAsmParser::UnresolvedOperand> &positions,
                  Type &positionsType) {
  if (failed(parser.parseOptionalKeyword("rope")))
    return success();
  if (parseRopeStyle(parser, style))
    return failure();
  Builder &builder = parser.getBuilder();
  if (succeeded(parser.parseOptionalKeyword("theta"))) {
    double value;
    if (parser.parseLParen() || parser.parseFloat(value) ||
        parser.parseRParen())
      return failure();
    theta = builder.getF32FloatAttr(static_cast<float>(value));
  }
  if (succeeded(parser.parseOptionalKeyword("rotary_dim"))) {
    int64_t value;
    if (parser.parseLParen() || parser.parseInteger(value) ||
        parser.parseRParen())
      return failure();
    rotaryDim = builder.getI64IntegerAttr(value);
  }
  OpAsmParser::UnresolvedOperand operand;
  if (parser.parseKeyword("positions") || parser.parseLParen() ||
      parser.parseOperand(operand) || parser.parseColonType(positionsType) ||
      parser.parseRParen())
    return failure();
  positions = operand;
  return success();
}

static void printRopeEpilogue(OpAsmPrinter &printer, Operation *,
                              RopeStyleAttr style, FloatAttr theta,
                              IntegerAttr rotaryDim, Value positions,
                              Type positionsType) {
  if (!style)
    return;
  printer << "rope " << stringifyRopeStyle(style.getValue());
  if (theta) {
    printer << " theta(";
    printer.printFloat(theta.getValue());
    printer << ")";
  }
  if (rotaryDim)
    printer << " rotary_dim(" << rotaryDim.getInt() << ")";
  printer << " positions(" << positions << " : " << positionsType << ")";
}

#define GET_OP_CLASSES
#include "attnc/Dialect/Attn/IR/AttnOps.cpp.inc"
