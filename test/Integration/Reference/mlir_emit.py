"""Builds the MLIR text of a reference-check module.

Dense constants (values printed so that they round-trip exactly, -inf as hex),
attn attribute spelling, and `Module`: an `@main` function body assembled line
by line that prints the f32 bits of every result with `printMemrefI32`.
"""

import math

from tensors import NEG_INF, tensor_type

NEG_INF_HEX = {"f32": "0xFF800000", "f16": "0xFC00", "bf16": "0xFF80"}


def format_element(value, dtype):
    if dtype == "i1":
        return "true" if value else "false"
    if dtype.startswith("i"):
        return str(int(value))
    if value == NEG_INF:
        return NEG_INF_HEX[dtype]
    assert math.isfinite(value)
    # 17 significant digits round-trip the (exactly representable) value.
    return "%.17e" % value


def format_dense(tensor):
    def rec(dim, base):
        if dim == len(tensor.shape):
            return format_element(tensor.data[base], tensor.dtype)
        step = tensor.strides[dim]
        return "[" + ", ".join(rec(dim + 1, base + i * step)
                               for i in range(tensor.shape[dim])) + "]"
    return rec(0, 0)


def attr_float(value):
    return "%.9e" % value


def attention_attrs(causal=False, window=None, softcap=None, scale=None):
    """The score options shared by attention, masked_softmax and decode."""
    parts = []
    if causal:
        parts.append("causal")
    if window is not None:
        parts.append("window(%d)" % window)
    if softcap is not None:
        parts.append("softcap(%s)" % attr_float(softcap))
    if scale is not None:
        parts.append("scale(%s)" % attr_float(scale))
    return " ".join(parts)


def layout_attr(out_in):
    """The projection weight layout attribute (in_out is the default)."""
    return "layout(out_in) " if out_in else ""


class Module:
    def __init__(self):
        self.lines = []
        self.counter = 0
        self.results = []  # (shape, dtype) in print order

    def fresh(self, stem):
        self.counter += 1
        return "%%%s%d" % (stem, self.counter)

    def const(self, tensor, stem="c"):
        name = self.fresh(stem)
        self.lines.append("%s = arith.constant dense<%s> : %s" %
                          (name, format_dense(tensor), tensor.type))
        return name

    def clause(self, keyword, tensor, stem):
        """` keyword(%const : type)` for an optional operand; "" if None."""
        if tensor is None:
            return ""
        return " %s(%s : %s)" % (keyword, self.const(tensor, stem), tensor.type)

    def empty(self, shape, dtype="f32"):
        name = self.fresh("init")
        self.lines.append("%s = tensor.empty() : %s" %
                          (name, tensor_type(shape, dtype)))
        return name

    def op(self, num_results, text):
        names = [self.fresh("r") for _ in range(num_results)]
        self.lines.append("%s = %s" % (", ".join(names), text))
        return names

    def print_bits(self, value, shape, dtype):
        """Prints the f32 bits of `value` (f16/bf16 are extended exactly)."""
        rank = len(shape)
        dims = ", ".join("d%d" % i for i in range(rank))
        ident = "affine_map<(%s) -> (%s)>" % (dims, dims)
        iters = ", ".join(['"parallel"'] * rank)
        ity = tensor_type(shape, "i32")
        empty = self.empty(shape, "i32")
        bits = self.fresh("bits")
        body = []
        x = "%x"
        if dtype != "f32":
            body.append("%%w = arith.extf %%x : %s to f32" % dtype)
            x = "%w"
        body.append("%%y = arith.bitcast %s : f32 to i32" % x)
        self.lines.append(
            "%s = linalg.generic {indexing_maps = [%s, %s], iterator_types = "
            "[%s]} ins(%s : %s) outs(%s : %s) {\n"
            "  ^bb0(%%x: %s, %%o: i32):\n    %s\n    linalg.yield %%y : i32\n"
            "  } -> %s" % (bits, ident, ident, iters, value,
                           tensor_type(shape, dtype), empty, ity, dtype,
                           "\n    ".join(body), ity))
        unranked = self.fresh("u")
        self.lines.append("%s = tensor.cast %s : %s to tensor<*xi32>" %
                          (unranked, bits, ity))
        self.lines.append("func.call @printMemrefI32(%s) : (tensor<*xi32>) -> ()"
                          % unranked)
        self.results.append((tuple(shape), dtype))

    def text(self):
        body = "\n".join("  " + l.replace("\n", "\n  ") for l in self.lines)
        return ("func.func private @printMemrefI32(tensor<*xi32>)\n\n"
                "func.func @main() {\n%s\n  return\n}\n" % body)
