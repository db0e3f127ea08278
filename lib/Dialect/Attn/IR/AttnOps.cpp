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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
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

/// The parameter names of each RoPE scaling kind, in storage order.
static ArrayRef<StringRef> getRopeScalingParameterNames(RopeScaling kind) {
  static const StringRef linear[] = {"factor"};
  static const StringRef llama3[] = {"factor", "low_freq_factor",
                                     "high_freq_factor",
                                     "original_max_positions"};
  if (kind == RopeScaling::Linear)
    return linear;
  return llama3;
}

/// Parses the optional RoPE frequency scaling clause:
/// `scaling(<kind> <name>(<value>) ...)`, with the parameters of the kind in
/// order.
static ParseResult parseRopeScaling(OpAsmParser &parser,
                                    RopeScalingAttr &scaling,
                                    DenseF32ArrayAttr &params) {
  if (failed(parser.parseOptionalKeyword("scaling")))
    return success();
  StringRef keyword;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLParen() || parser.parseKeyword(&keyword))
    return failure();
  std::optional<RopeScaling> kind = symbolizeRopeScaling(keyword);
  if (!kind)
    return parser.emitError(loc, "expected rope scaling 'linear' or "
                                 "'llama3', got '")
           << keyword << "'";
  SmallVector<float> values;
  for (StringRef name : getRopeScalingParameterNames(*kind)) {
    double value;
    if (parser.parseKeyword(name) || parser.parseLParen() ||
        parser.parseFloat(value) || parser.parseRParen())
      return failure();
    values.push_back(static_cast<float>(value));
  }
  if (parser.parseRParen())
    return failure();
  scaling = RopeScalingAttr::get(parser.getContext(), *kind);
  params = DenseF32ArrayAttr::get(parser.getContext(), values);
  return success();
}

static void printRopeScaling(OpAsmPrinter &printer, Operation *,
                             RopeScalingAttr scaling,
                             DenseF32ArrayAttr params) {
  if (!scaling || !params)
    return;
  printer << "scaling(" << stringifyRopeScaling(scaling.getValue());
  for (auto [name, value] :
       llvm::zip(getRopeScalingParameterNames(scaling.getValue()),
                 params.asArrayRef())) {
    printer << " " << name << "(";
    printer.printFloat(APFloat(value));
    printer << ")";
  }
  printer << ")";
}

/// Parses the optional RoPE epilogue of attn.qkv_proj:
/// `rope <style> [theta(<f32>)] [rotary_dim(<i64>)] [scaling(...)]
/// positions(%p : <type>)`.
static ParseResult
parseRopeEpilogue(OpAsmParser &parser, RopeStyleAttr &style, FloatAttr &theta,
                  IntegerAttr &rotaryDim, RopeScalingAttr &scaling,
                  DenseF32ArrayAttr &scalingParams,
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
  if (parseRopeScaling(parser, scaling, scalingParams))
    return failure();
  OpAsmParser::UnresolvedOperand operand;
  if (parser.parseKeyword("positions") || parser.parseLParen() ||
      parser.parseOperand(operand) || parser.parseColonType(positionsType) ||
      parser.parseRParen())
    return failure();
  positions = operand;
  return success();
}

static void printRopeEpilogue(OpAsmPrinter &printer, Operation *op,
                              RopeStyleAttr style, FloatAttr theta,
                              IntegerAttr rotaryDim, RopeScalingAttr scaling,
                              DenseF32ArrayAttr scalingParams, Value positions,
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
  if (scaling) {
    printer << " ";
    printRopeScaling(printer, op, scaling, scalingParams);
  }
  printer << " positions(" << positions << " : " << positionsType << ")";
}

/// Parses the score modifiers of attn.attention, attn.masked_softmax and
/// attn.decode_attention, `causal`, `window(<i64>)`, `softcap(<f32>)` and
/// `scale(<f32>)`, each at most once and in any order, up to and including
/// the `ins` keyword that follows them (so that an unknown word is named).
static ParseResult parseScoreModifiers(OpAsmParser &parser, UnitAttr &causal,
                                       IntegerAttr &window, FloatAttr &softcap,
                                       FloatAttr &scale) {
  Builder &builder = parser.getBuilder();
  while (true) {
    SMLoc loc = parser.getCurrentLocation();
    std::string keyword;
    if (failed(parser.parseOptionalKeywordOrString(&keyword)) ||
        !llvm::is_contained({"causal", "window", "softcap", "scale", "ins"},
                            keyword)) {
      auto diag = parser.emitError(loc);
      if (!keyword.empty())
        diag << "unknown attention modifier '" << keyword << "', ";
      return diag << "expected 'causal', 'window(...)', 'softcap(...)', "
                     "'scale(...)' or 'ins'";
    }
    if (keyword == "ins")
      return success();
    auto once = [&](bool given) -> ParseResult {
      if (given)
        return parser.emitError(loc, "'") << keyword << "' given twice";
      return success();
    };
    if (keyword == "causal") {
      if (once(static_cast<bool>(causal)))
        return failure();
      causal = builder.getUnitAttr();
      continue;
    }
    if (parser.parseLParen())
      return failure();
    if (keyword == "window") {
      if (once(static_cast<bool>(window)) ||
          parser.parseAttribute(window, builder.getI64Type()))
        return failure();
    } else {
      FloatAttr &value = keyword == "softcap" ? softcap : scale;
      if (once(static_cast<bool>(value)) ||
          parser.parseAttribute(value, builder.getF32Type()))
        return failure();
    }
    if (parser.parseRParen())
      return failure();
  }
}

/// Prints the score modifiers in their canonical order, then `ins`.
static void printScoreModifiers(OpAsmPrinter &printer, Operation *,
                                UnitAttr causal, IntegerAttr window,
                                FloatAttr softcap, FloatAttr scale) {
  if (causal)
    printer << "causal ";
  auto print = [&](StringRef keyword, Attribute value) {
    if (!value)
      return;
    printer << keyword << "(";
    printer.printAttributeWithoutType(value);
    printer << ") ";
  };
  print("window", window);
  print("softcap", softcap);
  print("scale", scale);
  printer << "ins";
}

Value mlir::attn::buildRopeInverseFrequency(OpBuilder &b, Location loc,
                                            Value pair, float theta,
                                            int64_t rotaryDim,
                                            std::optional<RopeScaling> scaling,
                                            ArrayRef<float> params) {
  auto constant = [&](float v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  };
  // 1 / theta^(2i / R) in f32, as Hugging Face computes it.
  Value exponent = arith::DivFOp::create(
      b, loc, arith::MulFOp::create(b, loc, pair, constant(2.0f)),
      constant(static_cast<float>(rotaryDim)));
  Value invFreq = arith::DivFOp::create(
      b, loc, constant(1.0f),
      math::PowFOp::create(b, loc, constant(theta), exponent));
  if (!scaling)
    return invFreq;
  Value scaled = arith::DivFOp::create(b, loc, invFreq, constant(params[0]));
  if (*scaling == RopeScaling::Linear)
    return scaled;
  // Llama 3: keep short wavelengths, divide long ones by the factor, blend
  // in between (transformers' _compute_llama3_parameters).
  float factor = params[0], low = params[1], high = params[2],
        original = params[3];
  Value wavelength = arith::DivFOp::create(
      b, loc, constant(static_cast<float>(2.0 * 3.14159265358979323846)),
      invFreq);
  Value smooth = arith::DivFOp::create(
      b, loc,
      arith::SubFOp::create(
          b, loc, arith::DivFOp::create(b, loc, constant(original), wavelength),
          constant(low)),
      constant(high - low));
  Value blended = arith::AddFOp::create(
      b, loc,
      arith::MulFOp::create(
          b, loc, arith::SubFOp::create(b, loc, constant(1.0f), smooth),
          arith::DivFOp::create(b, loc, invFreq, constant(factor))),
      arith::MulFOp::create(b, loc, smooth, invFreq));
  Value isLong = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                       wavelength, constant(original / low));
  Value isShort = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT,
                                        wavelength, constant(original / high));
  Value result = arith::SelectOp::create(b, loc, isLong, scaled, blended);
  return arith::SelectOp::create(b, loc, isShort, invFreq, result);
}

#define GET_OP_CLASSES
#include "attnc/Dialect/Attn/IR/AttnOps.cpp.inc"
