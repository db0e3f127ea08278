#!/usr/bin/env python3
"""Executes the reference lowering of attn ops and checks it against float64.

Every case generates random inputs from a fixed seed, writes an MLIR module
whose `@main` holds them as constants, calls one attn op and prints the bits of
every result (f32, or f16/bf16 extended to f32) with `printMemrefI32`. The
module goes through `attnc-opt --attn-decompose` plus the upstream lowering to
LLVM and runs in `mlir-runner`. The printed bits are compared with an
independent float64 implementation of the math documented in AttnOps.td,
written in pure Python (no numpy): the relative error ||out - ref|| / ||ref||
must stay under the case's tolerance, every output must be finite, and outputs
the documented math makes exact (fully masked rows: zeros; KV cache writes:
bit copies, untouched rows unchanged) must match bit for bit.

Usage:
  check_reference.py --attnc-opt PATH --mlir-runner PATH --mlir-lib-dir DIR
                     [--keep DIR] [--list] CASE... | all

Prints one line per case; exits non-zero if any case fails or a pipeline step
errors out.
"""

import argparse
import math
import os
import random
import re
import struct
import subprocess
import sys
import tempfile
import time

PIPELINE = [
    "--attn-decompose",
    "--one-shot-bufferize=bufferize-function-boundaries",
    "--buffer-deallocation-pipeline",
    "--convert-bufferization-to-memref",
    "--convert-linalg-to-loops",
    "--convert-scf-to-cf",
    "--convert-cf-to-llvm",
    "--expand-strided-metadata",
    "--lower-affine",
    "--convert-to-llvm",
    "--reconcile-unrealized-casts",
]

NEG_INF = float("-inf")

# Relative-error tolerances. f32: everything runs in f32, so the error is a
# few ulps of accumulation. f16/bf16: the result is rounded to the storage type
# once (2^-11 resp. 2^-8 relative), so the bound is a few of those ulps.
TOLERANCE = {"f32": 1e-5, "f16": 2e-3, "bf16": 1e-2}

# ----------------------------------------------------------------------------
# Scalar helpers
# ----------------------------------------------------------------------------


def round_f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def round_f16(x):
    return struct.unpack("<e", struct.pack("<e", x))[0]


def round_bf16(x):
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    if (bits & 0x7F800000) == 0x7F800000:  # inf / nan: truncate
        bits &= 0xFFFF0000
    else:  # round to nearest even
        bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return struct.unpack("<f", struct.pack("<I", bits & 0xFFFFFFFF))[0]


ROUND = {"f32": round_f32, "f16": round_f16, "bf16": round_bf16}
NEG_INF_HEX = {"f32": "0xFF800000", "f16": "0xFC00", "bf16": "0xFF80"}


def bits_to_f32(v):
    return struct.unpack("<f", struct.pack("<I", v & 0xFFFFFFFF))[0]


# ----------------------------------------------------------------------------
# A minimal dense tensor
# ----------------------------------------------------------------------------


class Tensor:
    """Row-major tensor of Python scalars with an MLIR element type."""

    def __init__(self, shape, data, dtype):
        self.shape = tuple(shape)
        self.data = list(data)
        self.dtype = dtype
        assert len(self.data) == prod(self.shape), (self.shape, len(self.data))
        strides, acc = [], 1
        for size in reversed(self.shape):
            strides.append(acc)
            acc *= size
        self.strides = tuple(reversed(strides))

    def offset(self, idx):
        return sum(i * s for i, s in zip(idx, self.strides))

    def __getitem__(self, idx):
        return self.data[self.offset(idx)]

    def __setitem__(self, idx, value):
        self.data[self.offset(idx)] = value

    def bcast(self, idx):
        """Element at `idx` with size-1 dimensions broadcast."""
        return self[tuple(0 if n == 1 else i for i, n in zip(idx, self.shape))]

    def copy(self):
        return Tensor(self.shape, self.data, self.dtype)

    @property
    def type(self):
        return "tensor<%sx%s>" % ("x".join(str(s) for s in self.shape), self.dtype)


def prod(values):
    result = 1
    for v in values:
        result *= v
    return result


def indices(shape):
    """All index tuples of `shape` in row-major order."""
    if not shape:
        yield ()
        return
    for i in range(shape[0]):
        for rest in indices(shape[1:]):
            yield (i,) + rest


def tensor_type(shape, dtype):
    return "tensor<%sx%s>" % ("x".join(str(s) for s in shape), dtype)


# ----------------------------------------------------------------------------
# Random inputs
# ----------------------------------------------------------------------------


def rand_float(rng, shape, dtype="f32", lo=-1.0, hi=1.0):
    rnd = ROUND[dtype]
    return Tensor(shape, [rnd(rng.uniform(lo, hi)) for _ in range(prod(shape))],
                  dtype)


def rand_bool(rng, shape, p_true=0.6):
    """Random keep-mask with both values present."""
    while True:
        data = [rng.random() < p_true for _ in range(prod(shape))]
        if any(data) and not all(data):
            return Tensor(shape, data, "i1")


def int_tensor(shape, data, dtype="i32"):
    return Tensor(shape, data, dtype)


def rand_block_table(rng, batch, max_blocks, num_blocks):
    """Each sequence gets distinct physical blocks: a random permutation."""
    perm = list(range(num_blocks))
    rng.shuffle(perm)
    assert batch * max_blocks <= num_blocks
    return int_tensor((batch, max_blocks), perm[: batch * max_blocks])


# ----------------------------------------------------------------------------
# MLIR module construction
# ----------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------
# float64 references of the documented math
# ----------------------------------------------------------------------------


def default_scale(head_dim):
    # 1/sqrt(D) as the op computes it: in f32.
    return round_f32(1.0 / round_f32(math.sqrt(head_dim)))


def softmax_row(scores):
    """Softmax with exp(-inf) = 0; None for a fully masked row."""
    top = max(scores)
    if top == NEG_INF:
        return None
    exps = [math.exp(s - top) if s != NEG_INF else 0.0 for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def masked_score(s, *, i, j, sq, length, mask_value, causal, window, softcap):
    """The score rules shared by attention, masked_softmax and decode."""
    if softcap is not None:
        s = softcap * math.tanh(s / softcap)
    keep = True
    if mask_value is not None:
        if isinstance(mask_value, bool):
            keep = keep and mask_value
        else:
            s = s + mask_value
    if j >= length:
        keep = False
    pos = length - sq + i  # bottom-right aligned position of query row i
    if causal and j > pos:
        keep = False
    if window is not None:
        if pos - j >= window:
            keep = False
        if not causal and j - pos >= window:
            keep = False
    return s if keep else NEG_INF


def attention_ref(q, k, v, *, mask=None, causal=False, window=None,
                  softcap=None, scale=None, lens=None):
    """O [B, Hq, Sq, Dv] and a per-element 'fully masked row' flag."""
    nb, hq, sq, d = q.shape
    hkv, skv, dv = k.shape[1], k.shape[2], v.shape[3]
    groups = hq // hkv
    if scale is None:
        scale = default_scale(d)
    out, zero = [], []
    for b in range(nb):
        length = skv if lens is None else lens[b]
        for h in range(hq):
            g = h // groups
            for i in range(sq):
                row = []
                for j in range(skv):
                    dot = sum(q[b, h, i, x] * k[b, g, j, x] for x in range(d))
                    mv = None if mask is None else mask.bcast((b, h, i, j))
                    row.append(masked_score(
                        scale * dot, i=i, j=j, sq=sq, length=length,
                        mask_value=mv, causal=causal, window=window,
                        softcap=softcap))
                p = softmax_row(row)
                for e in range(dv):
                    if p is None:
                        out.append(0.0)
                        zero.append(True)
                    else:
                        out.append(sum(p[j] * v[b, g, j, e]
                                       for j in range(skv) if p[j] != 0.0))
                        zero.append(False)
    return out, zero


def masked_softmax_ref(x, *, mask=None, causal=False, window=None,
                       softcap=None, scale=None):
    shape = x.shape
    sq, skv = shape[-2], shape[-1]
    if scale is None:
        scale = 1.0
    out, zero = [], []
    for outer in indices(shape[:-1]):
        i = outer[-1]
        row = []
        for j in range(skv):
            idx = outer + (j,)
            mv = None if mask is None else mask.bcast(idx)
            row.append(masked_score(scale * x[idx], i=i, j=j, sq=sq,
                                    length=skv, mask_value=mv, causal=causal,
                                    window=window, softcap=softcap))
        p = softmax_row(row)
        out.extend([0.0] * skv if p is None else p)
        zero.extend([p is None] * skv)
    return out, zero


def qkv_proj_ref(x, wq, wk, wv, bq, bk, bv, hq, hkv, d, dv, out_in):
    """Separate (unfused) weights [Dm, N] (in_out) or [N, Dm] (out_in)."""
    nb, s, dm = x.shape

    def project(w, bias, heads, hd):
        out = []
        for b in range(nb):
            for h in range(heads):
                for t in range(s):
                    for e in range(hd):
                        col = h * hd + e
                        acc = sum(x[b, t, kk] * (w[col, kk] if out_in
                                                 else w[kk, col])
                                  for kk in range(dm))
                        if bias is not None:
                            acc += bias[(col,)]
                        out.append(acc)
        return out

    return (project(wq, bq, hq, d), project(wk, bk, hkv, d),
            project(wv, bv, hkv, dv))


def out_proj_ref(o, w, bias, out_in):
    nb, h, s, dv = o.shape
    dm = w.shape[0] if out_in else w.shape[1]
    out = []
    for b in range(nb):
        for t in range(s):
            for m in range(dm):
                acc = 0.0
                for hh in range(h):
                    for e in range(dv):
                        row = hh * dv + e
                        acc += o[b, hh, t, e] * (w[m, row] if out_in
                                                 else w[row, m])
                if bias is not None:
                    acc += bias[(m,)]
                out.append(acc)
    return out


def rope_ref(x, positions, style, theta, rotary_dim):
    nb, h, s, d = x.shape
    r = rotary_dim
    theta32 = round_f32(theta)
    out = []
    for b in range(nb):
        for hh in range(h):
            for t in range(s):
                p = (positions[(t,)] if len(positions.shape) == 1
                     else positions[b, t])
                for c in range(d):
                    val = x[b, hh, t, c]
                    if c >= r:
                        out.append(val)
                        continue
                    if style == "half":
                        first = c < r // 2
                        pair = c if first else c - r // 2
                        partner = c + r // 2 if first else c - r // 2
                    else:
                        first = c % 2 == 0
                        pair = c // 2
                        partner = c ^ 1
                    # Angles in f32 (the documented precision).
                    exponent = round_f32(round_f32(2.0 * pair) / float(r))
                    inv_freq = round_f32(1.0 / round_f32(theta32 ** exponent))
                    angle = round_f32(round_f32(float(p)) * inv_freq)
                    cos, sin = math.cos(angle), math.sin(angle)
                    other = x[b, hh, t, partner]
                    out.append(val * cos - other * sin if first
                               else val * cos + other * sin)
    return out


def paged_to_logical(cache, table, block_size):
    """[num_blocks, H, bs, D] + table [B, max_blocks] -> [B, H, max*bs, D]."""
    nb, max_blocks = table.shape
    _, h, _, d = cache.shape
    cap = max_blocks * block_size
    data = []
    for b in range(nb):
        for hh in range(h):
            for p in range(cap):
                blk = table[b, p // block_size]
                for c in range(d):
                    data.append(cache[blk, hh, p % block_size, c])
    return Tensor((nb, h, cap, d), data, cache.dtype)


# ----------------------------------------------------------------------------
# Cases
# ----------------------------------------------------------------------------


class Output:
    def __init__(self, name, ref, exact=None, all_exact=False):
        self.name = name
        self.ref = ref
        # Per-element flags: True means the value must match bit for bit.
        self.exact = [all_exact] * len(ref) if exact is None else exact


class Case:
    def __init__(self, shape, dtype, module, outputs, tolerance=None):
        self.shape = shape
        self.dtype = dtype
        self.module = module
        self.outputs = outputs
        self.tolerance = TOLERANCE[dtype] if tolerance is None else tolerance


CASES = {}


def case(name, **params):
    def register(fn):
        CASES[name] = (fn, params)
        return fn
    return register


def attr_float(value):
    return "%.9e" % value


def attention_attrs(causal=False, window=None, softcap=None, scale=None):
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


def run_attention(rng, *, b=2, hq=2, hkv=2, sq=5, skv=5, d=8, dv=None,
                  dtype="f32", causal=False, window=None, softcap=None,
                  scale=None, mask=None, lo=-1.0, hi=1.0):
    dv = d if dv is None else dv
    q = rand_float(rng, (b, hq, sq, d), dtype, lo, hi)
    k = rand_float(rng, (b, hkv, skv, d), dtype, lo, hi)
    v = rand_float(rng, (b, hkv, skv, dv), dtype)
    mask = mask(rng) if callable(mask) else mask
    if softcap is not None:
        softcap = round_f32(softcap)
    if scale is not None:
        scale = round_f32(scale)
    m = Module()
    cq, ck, cv = m.const(q, "q"), m.const(k, "k"), m.const(v, "v")
    init = m.empty((b, hq, sq, dv), dtype)
    mask_text = ""
    if mask is not None:
        mask_text = " mask(%s : %s)" % (m.const(mask, "mask"), mask.type)
    out_type = tensor_type((b, hq, sq, dv), dtype)
    (res,) = m.op(1, "attn.attention %s ins(%s, %s, %s : %s, %s, %s)%s "
                  "outs(%s : %s) -> %s" % (
                      attention_attrs(causal, window, softcap, scale),
                      cq, ck, cv, q.type, k.type, v.type, mask_text, init,
                      out_type, out_type))
    m.print_bits(res, (b, hq, sq, dv), dtype)
    ref, zero = attention_ref(q, k, v, mask=mask, causal=causal, window=window,
                              softcap=softcap, scale=scale)
    shape = "B=%d Hq=%d Hkv=%d Sq=%d Skv=%d D=%d Dv=%d%s" % (
        b, hq, hkv, sq, skv, d, dv,
        "" if mask is None else " mask=%s" % mask.type)
    return Case(shape, dtype, m, [Output("O", ref, zero)])


@case("attention_basic")
def _(rng):
    return run_attention(rng, b=2, hq=2, hkv=2, sq=5, skv=5, d=8)


@case("attention_causal")
def _(rng):
    return run_attention(rng, b=2, hq=2, hkv=2, sq=6, skv=6, d=8, causal=True)


@case("attention_causal_bottom_right")
def _(rng):
    # Sq < Skv: row i sits at position Skv - Sq + i = 4 + i.
    return run_attention(rng, b=1, hq=2, hkv=2, sq=3, skv=7, d=8, causal=True)


@case("attention_causal_sq_gt_skv")
def _(rng):
    # Sq > Skv: rows 0..2 sit before position 0, fully masked -> zeros.
    return run_attention(rng, b=2, hq=2, hkv=1, sq=7, skv=4, d=4, causal=True)


@case("attention_window_causal")
def _(rng):
    return run_attention(rng, b=1, hq=2, hkv=2, sq=9, skv=9, d=8, causal=True,
                         window=3)


@case("attention_window_symmetric")
def _(rng):
    # No causal: keys within `window` on either side of p(i) = 3 + i.
    return run_attention(rng, b=1, hq=2, hkv=2, sq=6, skv=9, d=8, window=3)


@case("attention_window_sq_lt_skv_causal")
def _(rng):
    return run_attention(rng, b=2, hq=2, hkv=1, sq=4, skv=10, d=4, causal=True,
                         window=4)


@case("attention_mask_padding_i1")
def _(rng):
    return run_attention(rng, b=2, hq=2, hkv=2, sq=5, skv=7, d=8,
                         mask=lambda r: rand_bool(r, (2, 1, 1, 7), 0.7))


@case("attention_mask_additive_f32")
def _(rng):
    def mask(r):
        t = rand_float(r, (1, 1, 5, 6), "f32", -3.0, 1.0)
        # Some -inf entries (never a whole row): exp(-inf) = 0.
        for idx in [(0, 0, 0, 1), (0, 0, 2, 5), (0, 0, 4, 0), (0, 0, 4, 3)]:
            t[idx] = NEG_INF
        return t
    return run_attention(rng, b=2, hq=2, hkv=2, sq=5, skv=6, d=8, mask=mask)


@case("attention_mask_additive_causal")
def _(rng):
    return run_attention(
        rng, b=2, hq=4, hkv=2, sq=4, skv=6, d=8, causal=True,
        mask=lambda r: rand_float(r, (2, 1, 4, 6), "f32", -2.0, 2.0))


@case("attention_mask_full_rank_i1")
def _(rng):
    return run_attention(rng, b=2, hq=3, hkv=3, sq=4, skv=6, d=4,
                         mask=lambda r: rand_bool(r, (2, 3, 4, 6), 0.6))


@case("attention_mask_full_rank_causal")
def _(rng):
    return run_attention(rng, b=2, hq=2, hkv=1, sq=5, skv=5, d=4, causal=True,
                         mask=lambda r: rand_bool(r, (2, 2, 5, 5), 0.7))


@case("attention_mask_head_broadcast")
def _(rng):
    # [1, Hq, Sq, 1]: a per-(head, row) mask broadcast over batch and keys
    # combined with a float mask would need two operands; here i1 per head.
    def mask(r):
        t = rand_bool(r, (1, 4, 5, 1), 0.7)
        return t
    return run_attention(rng, b=2, hq=4, hkv=2, sq=5, skv=5, d=4,
                         causal=True, mask=mask)


@case("attention_gqa")
def _(rng):
    return run_attention(rng, b=2, hq=4, hkv=2, sq=5, skv=5, d=8, causal=True)


@case("attention_mqa")
def _(rng):
    return run_attention(rng, b=2, hq=4, hkv=1, sq=4, skv=6, d=8)


@case("attention_cross")
def _(rng):
    return run_attention(rng, b=2, hq=2, hkv=2, sq=4, skv=9, d=8)


@case("attention_dv_ne_d")
def _(rng):
    return run_attention(rng, b=1, hq=2, hkv=2, sq=5, skv=6, d=8, dv=12,
                         causal=True)


@case("attention_softcap")
def _(rng):
    # Inputs in [-2, 2] so that many scores exceed the cap.
    return run_attention(rng, b=2, hq=2, hkv=2, sq=5, skv=5, d=8,
                         softcap=1.5, lo=-2.0, hi=2.0)


@case("attention_scale")
def _(rng):
    return run_attention(rng, b=2, hq=2, hkv=2, sq=5, skv=6, d=8, scale=0.75)


@case("attention_fully_masked_row_i1")
def _(rng):
    def mask(r):
        t = rand_bool(r, (1, 1, 5, 6), 0.6)
        for i in range(5):  # every other row keeps at least one key
            if not any(t[0, 0, i, j] for j in range(6)):
                t[0, 0, i, r.randrange(6)] = True
        for j in range(6):
            t[0, 0, 2, j] = False  # row 2: every key masked -> zeros
        return t
    return run_attention(rng, b=2, hq=2, hkv=2, sq=5, skv=6, d=8, mask=mask)


@case("attention_all_options")
def _(rng):
    return run_attention(rng, b=2, hq=4, hkv=2, sq=4, skv=9, d=8, dv=4,
                         causal=True, window=5, softcap=2.0, scale=0.5,
                         lo=-2.0, hi=2.0,
                         mask=lambda r: rand_bool(r, (2, 1, 1, 9), 0.8))


@case("attention_f16")
def _(rng):
    return run_attention(rng, b=2, hq=4, hkv=2, sq=5, skv=7, d=8, causal=True,
                         dtype="f16",
                         mask=lambda r: rand_bool(r, (2, 1, 1, 7), 0.8))


@case("attention_bf16")
def _(rng):
    return run_attention(rng, b=2, hq=4, hkv=2, sq=5, skv=7, d=8, causal=True,
                         dtype="bf16")


# --- masked_softmax ----------------------------------------------------------


def run_masked_softmax(rng, shape, *, dtype="f32", causal=False, window=None,
                       softcap=None, scale=None, mask=None, lo=-2.0, hi=2.0):
    x = rand_float(rng, shape, dtype, lo, hi)
    mask = mask(rng) if callable(mask) else mask
    if softcap is not None:
        softcap = round_f32(softcap)
    if scale is not None:
        scale = round_f32(scale)
    m = Module()
    cx = m.const(x, "s")
    init = m.empty(shape, dtype)
    mask_text = ""
    if mask is not None:
        mask_text = " mask(%s : %s)" % (m.const(mask, "mask"), mask.type)
    (res,) = m.op(1, "attn.masked_softmax %s ins(%s : %s)%s outs(%s : %s) -> %s"
                  % (attention_attrs(causal, window, softcap, scale), cx,
                     x.type, mask_text, init, x.type, x.type))
    m.print_bits(res, shape, dtype)
    ref, zero = masked_softmax_ref(x, mask=mask, causal=causal, window=window,
                                   softcap=softcap, scale=scale)
    desc = "S=%s%s" % (x.type, "" if mask is None else " mask=%s" % mask.type)
    return Case(desc, dtype, m, [Output("P", ref, zero)])


@case("masked_softmax_rank4_causal_mask")
def _(rng):
    return run_masked_softmax(rng, (2, 2, 5, 7), causal=True, scale=0.5,
                              mask=lambda r: rand_bool(r, (2, 1, 1, 7), 0.7))


@case("masked_softmax_rank3_causal_mask")
def _(rng):
    return run_masked_softmax(
        rng, (3, 4, 6), causal=True,
        mask=lambda r: rand_float(r, (1, 4, 6), "f32", -2.0, 2.0))


@case("masked_softmax_rank3_i1_mask_full")
def _(rng):
    return run_masked_softmax(rng, (2, 5, 5), scale=1.25,
                              mask=lambda r: rand_bool(r, (2, 5, 5), 0.5))


@case("masked_softmax_window_softcap")
def _(rng):
    return run_masked_softmax(rng, (2, 6, 8), causal=True, window=3,
                              softcap=1.0, scale=2.0)


@case("masked_softmax_window_symmetric")
def _(rng):
    return run_masked_softmax(rng, (1, 2, 5, 8), window=2)


@case("masked_softmax_fully_masked_rows")
def _(rng):
    # Sq > Skv with causal: the first rows have no key.
    return run_masked_softmax(rng, (1, 2, 6, 4), causal=True)


@case("masked_softmax_no_options")
def _(rng):
    return run_masked_softmax(rng, (2, 3, 7))


@case("masked_softmax_f16")
def _(rng):
    return run_masked_softmax(rng, (2, 2, 5, 6), dtype="f16", causal=True,
                              mask=lambda r: rand_bool(r, (2, 1, 5, 6), 0.8))


# --- projections -------------------------------------------------------------


def run_qkv_proj(rng, *, b=2, s=3, dm=8, hq=4, hkv=2, d=4, dv=6, fused=False,
                 bias=False, out_in=False, dtype="f32"):
    x = rand_float(rng, (b, s, dm), dtype)
    nq, nk, nv = hq * d, hkv * d, hkv * dv

    def weight(n):
        return rand_float(rng, (n, dm) if out_in else (dm, n), dtype)

    m = Module()
    cx = m.const(x, "x")
    if fused:
        w = weight(nq + nk + nv)
        # Split the fused weight into the three separate ones for the ref.
        def cols(lo, n):
            if out_in:
                return Tensor((n, dm), [w[lo + c, kk] for c in range(n)
                                        for kk in range(dm)], dtype)
            return Tensor((dm, n), [w[kk, lo + c] for kk in range(dm)
                                    for c in range(n)], dtype)
        wq, wk, wv = cols(0, nq), cols(nq, nk), cols(nq + nk, nv)
        weights = [w]
        if bias:
            bf = rand_float(rng, (nq + nk + nv,), dtype)
            bq = Tensor((nq,), bf.data[:nq], dtype)
            bk = Tensor((nk,), bf.data[nq:nq + nk], dtype)
            bv = Tensor((nv,), bf.data[nq + nk:], dtype)
            biases = [bf]
    else:
        wq, wk, wv = weight(nq), weight(nk), weight(nv)
        weights = [wq, wk, wv]
        if bias:
            bq = rand_float(rng, (nq,), dtype)
            bk = rand_float(rng, (nk,), dtype)
            bv = rand_float(rng, (nv,), dtype)
            biases = [bq, bk, bv]
    if not bias:
        bq = bk = bv = None
        biases = []
    wnames = [m.const(w_, "w") for w_ in weights]
    bnames = [m.const(b_, "bias") for b_ in biases]
    shapes = [(b, hq, s, d), (b, hkv, s, d), (b, hkv, s, dv)]
    types = [tensor_type(sh, dtype) for sh in shapes]
    inits = [m.empty(sh, dtype) for sh in shapes]
    text = "attn.qkv_proj %sins(%s : %s) weights(%s : %s)" % (
        "layout(out_in) " if out_in else "", cx, x.type, ", ".join(wnames),
        ", ".join(w_.type for w_ in weights))
    if bias:
        text += " biases(%s : %s)" % (", ".join(bnames),
                                      ", ".join(b_.type for b_ in biases))
    text += " outs(%s : %s) -> %s" % (", ".join(inits), ", ".join(types),
                                      ", ".join(types))
    results = m.op(3, text)
    for r, sh in zip(results, shapes):
        m.print_bits(r, sh, dtype)
    rq, rk, rv = qkv_proj_ref(x, wq, wk, wv, bq, bk, bv, hq, hkv, d, dv,
                              out_in)
    desc = "B=%d S=%d Dm=%d Hq=%d Hkv=%d D=%d Dv=%d %s%s%s" % (
        b, s, dm, hq, hkv, d, dv, "fused" if fused else "separate",
        " +bias" if bias else "", " out_in" if out_in else " in_out")
    return Case(desc, dtype, m,
                [Output("Q", rq), Output("K", rk), Output("V", rv)])


@case("qkv_proj_separate_bias")
def _(rng):
    return run_qkv_proj(rng, bias=True)


@case("qkv_proj_separate_nobias")
def _(rng):
    return run_qkv_proj(rng, hq=2, hkv=2, d=4, dv=4)


@case("qkv_proj_fused")
def _(rng):
    return run_qkv_proj(rng, fused=True)


@case("qkv_proj_fused_bias")
def _(rng):
    return run_qkv_proj(rng, fused=True, bias=True)


@case("qkv_proj_out_in")
def _(rng):
    return run_qkv_proj(rng, out_in=True)


@case("qkv_proj_out_in_bias")
def _(rng):
    return run_qkv_proj(rng, out_in=True, bias=True, hq=4, hkv=1)


@case("qkv_proj_fused_out_in_bias")
def _(rng):
    return run_qkv_proj(rng, fused=True, out_in=True, bias=True)


@case("qkv_proj_bf16")
def _(rng):
    return run_qkv_proj(rng, fused=True, bias=True, dtype="bf16")


def run_out_proj(rng, *, b=2, h=3, s=4, dv=4, dm=6, bias=False, out_in=False,
                 dtype="f32"):
    o = rand_float(rng, (b, h, s, dv), dtype)
    w = rand_float(rng, (dm, h * dv) if out_in else (h * dv, dm), dtype)
    bvec = rand_float(rng, (dm,), dtype) if bias else None
    m = Module()
    co, cw = m.const(o, "o"), m.const(w, "w")
    init = m.empty((b, s, dm), dtype)
    ty = tensor_type((b, s, dm), dtype)
    text = "attn.out_proj %sins(%s : %s) weight(%s : %s)" % (
        "layout(out_in) " if out_in else "", co, o.type, cw, w.type)
    if bias:
        text += " bias(%s : %s)" % (m.const(bvec, "bias"), bvec.type)
    text += " outs(%s : %s) -> %s" % (init, ty, ty)
    (res,) = m.op(1, text)
    m.print_bits(res, (b, s, dm), dtype)
    ref = out_proj_ref(o, w, bvec, out_in)
    desc = "B=%d H=%d S=%d Dv=%d Dm=%d%s%s" % (
        b, h, s, dv, dm, " +bias" if bias else "",
        " out_in" if out_in else " in_out")
    return Case(desc, dtype, m, [Output("Y", ref)])


@case("out_proj_bias")
def _(rng):
    return run_out_proj(rng, bias=True)


@case("out_proj_nobias")
def _(rng):
    return run_out_proj(rng)


@case("out_proj_out_in_bias")
def _(rng):
    return run_out_proj(rng, bias=True, out_in=True)


@case("out_proj_out_in_nobias")
def _(rng):
    return run_out_proj(rng, out_in=True, h=2, dv=5, dm=7)


# --- rope --------------------------------------------------------------------


def run_rope(rng, *, b=2, hq=2, hkv=1, s=5, d=8, style="half", theta=None,
             rotary_dim=None, positions_rank=1, index_type="i64",
             dtype="f32"):
    q = rand_float(rng, (b, hq, s, d), dtype)
    k = rand_float(rng, (b, hkv, s, d), dtype)
    if positions_rank == 1:
        start = rng.randrange(0, 20)
        pos = int_tensor((s,), [start + t for t in range(s)], index_type)
    else:
        # Per-sequence offsets, one sequence with a gap: any positions work.
        data = []
        for bb in range(b):
            start = rng.randrange(0, 40)
            data.extend(start + t + (3 if t >= 2 and bb == 1 else 0)
                        for t in range(s))
        pos = int_tensor((b, s), data, index_type)
    m = Module()
    cq, ck, cp = m.const(q, "q"), m.const(k, "k"), m.const(pos, "pos")
    iq, ik = m.empty(q.shape, dtype), m.empty(k.shape, dtype)
    attrs = style
    if theta is not None:
        attrs += " theta(%s)" % attr_float(theta)
    if rotary_dim is not None:
        attrs += " rotary_dim(%d)" % rotary_dim
    rq, rk = m.op(2, "attn.rope %s ins(%s, %s, %s : %s, %s, %s) "
                  "outs(%s, %s : %s, %s) -> %s, %s" % (
                      attrs, cq, ck, cp, q.type, k.type, pos.type, iq, ik,
                      q.type, k.type, q.type, k.type))
    m.print_bits(rq, q.shape, dtype)
    m.print_bits(rk, k.shape, dtype)
    t = 10000.0 if theta is None else theta
    r = d if rotary_dim is None else rotary_dim
    desc = "B=%d Hq=%d Hkv=%d S=%d D=%d R=%d theta=%g pos=%s" % (
        b, hq, hkv, s, d, r, t, pos.type)
    # Components past R pass through bit for bit.
    exact = lambda x: [c >= r for c in list(range(d)) * (len(x.data) // d)]
    return Case(desc, dtype, m,
                [Output("Q", rope_ref(q, pos, style, t, r), exact(q)),
                 Output("K", rope_ref(k, pos, style, t, r), exact(k))])


@case("rope_half")
def _(rng):
    return run_rope(rng, style="half")


@case("rope_interleaved")
def _(rng):
    return run_rope(rng, style="interleaved")


@case("rope_half_rank2_positions")
def _(rng):
    return run_rope(rng, style="half", positions_rank=2, index_type="i32",
                    hq=4, hkv=2)


@case("rope_interleaved_rank2_positions")
def _(rng):
    return run_rope(rng, style="interleaved", positions_rank=2)


@case("rope_half_partial_theta")
def _(rng):
    return run_rope(rng, style="half", d=12, rotary_dim=8, theta=500000.0,
                    positions_rank=2)


@case("rope_interleaved_partial_theta")
def _(rng):
    return run_rope(rng, style="interleaved", d=10, rotary_dim=6, theta=100.0,
                    index_type="i32")


@case("rope_f16")
def _(rng):
    return run_rope(rng, style="half", d=8, rotary_dim=4, dtype="f16",
                    positions_rank=2)


# --- KV cache ----------------------------------------------------------------


def run_kv_append(rng, *, b=2, hkv=2, snew=3, d=4, dv=6, starts, smax=None,
                  block_size=None, max_blocks=None, num_blocks=None,
                  dtype="f32"):
    kn = rand_float(rng, (b, hkv, snew, d), dtype)
    vn = rand_float(rng, (b, hkv, snew, dv), dtype)
    start = int_tensor((b,), starts)
    paged = block_size is not None
    if paged:
        table = rand_block_table(rng, b, max_blocks, num_blocks)
        kc = rand_float(rng, (num_blocks, hkv, block_size, d), dtype)
        vc = rand_float(rng, (num_blocks, hkv, block_size, dv), dtype)
    else:
        kc = rand_float(rng, (b, hkv, smax, d), dtype)
        vc = rand_float(rng, (b, hkv, smax, dv), dtype)
    m = Module()
    ck, cv, cs = m.const(kn, "k"), m.const(vn, "v"), m.const(start, "start")
    ckc, cvc = m.const(kc, "kcache"), m.const(vc, "vcache")
    text = "attn.kv_append ins(%s, %s : %s, %s) at(%s : %s)" % (
        ck, cv, kn.type, vn.type, cs, start.type)
    if paged:
        text += " block_table(%s : %s)" % (m.const(table, "table"), table.type)
    text += " outs(%s, %s : %s, %s) -> %s, %s" % (
        ckc, cvc, kc.type, vc.type, kc.type, vc.type)
    rk, rv = m.op(2, text)
    m.print_bits(rk, kc.shape, dtype)
    m.print_bits(rv, vc.shape, dtype)
    # Reference: copy the caches and write the new rows.
    ek, ev = kc.copy(), vc.copy()
    for bb in range(b):
        for h in range(hkv):
            for t in range(snew):
                p = starts[bb] + t
                if paged:
                    blk, slot = table[bb, p // block_size], p % block_size
                else:
                    blk, slot = bb, p
                for c in range(d):
                    ek[blk, h, slot, c] = kn[bb, h, t, c]
                for c in range(dv):
                    ev[blk, h, slot, c] = vn[bb, h, t, c]
    if paged:
        desc = "B=%d Hkv=%d Snew=%d D=%d Dv=%d paged bs=%d blocks=%d table=%s " \
               "start=%s" % (b, hkv, snew, d, dv, block_size, num_blocks,
                             table.data, starts)
    else:
        desc = "B=%d Hkv=%d Snew=%d D=%d Dv=%d Smax=%d start=%s" % (
            b, hkv, snew, d, dv, smax, starts)
    # Everything is a copy: written rows and untouched rows must be exact.
    return Case(desc, dtype, m, [Output("Kcache", ek.data, all_exact=True),
                                 Output("Vcache", ev.data, all_exact=True)])


@case("kv_append_contiguous")
def _(rng):
    return run_kv_append(rng, starts=[4, 1], smax=9)


@case("kv_append_contiguous_decode")
def _(rng):
    return run_kv_append(rng, snew=1, starts=[5, 2], smax=8)


@case("kv_append_contiguous_start0")
def _(rng):
    return run_kv_append(rng, starts=[0, 0], smax=6)


@case("kv_append_paged")
def _(rng):
    # Rows cross block boundaries (bs=4): positions [2, 5) and [7, 10).
    return run_kv_append(rng, starts=[2, 7], block_size=4, max_blocks=3,
                         num_blocks=7)


@case("kv_append_paged_decode")
def _(rng):
    return run_kv_append(rng, snew=1, starts=[4, 11], block_size=4,
                         max_blocks=3, num_blocks=6)


@case("kv_append_paged_f16")
def _(rng):
    return run_kv_append(rng, starts=[3, 0], block_size=2, max_blocks=4,
                         num_blocks=9, dtype="f16")


def run_decode(rng, *, b=2, hq=4, hkv=2, sq=1, d=8, dv=None, lens,
               smax=None, block_size=None, max_blocks=None, num_blocks=None,
               causal=False, window=None, softcap=None, scale=None,
               dtype="f32"):
    dv = d if dv is None else dv
    q = rand_float(rng, (b, hq, sq, d), dtype)
    paged = block_size is not None
    if paged:
        table = rand_block_table(rng, b, max_blocks, num_blocks)
        kc = rand_float(rng, (num_blocks, hkv, block_size, d), dtype)
        vc = rand_float(rng, (num_blocks, hkv, block_size, dv), dtype)
        klog = paged_to_logical(kc, table, block_size)
        vlog = paged_to_logical(vc, table, block_size)
    else:
        kc = rand_float(rng, (b, hkv, smax, d), dtype)
        vc = rand_float(rng, (b, hkv, smax, dv), dtype)
        klog, vlog = kc, vc
    seq_lens = int_tensor((b,), lens)
    if softcap is not None:
        softcap = round_f32(softcap)
    if scale is not None:
        scale = round_f32(scale)
    m = Module()
    cq, ck, cv = m.const(q, "q"), m.const(kc, "kcache"), m.const(vc, "vcache")
    cl = m.const(seq_lens, "lens")
    init = m.empty((b, hq, sq, dv), dtype)
    oty = tensor_type((b, hq, sq, dv), dtype)
    text = "attn.decode_attention %s ins(%s, %s, %s : %s, %s, %s) " \
           "seq_lens(%s : %s)" % (attention_attrs(causal, window, softcap,
                                                  scale),
                                  cq, ck, cv, q.type, kc.type, vc.type, cl,
                                  seq_lens.type)
    if paged:
        text += " block_table(%s : %s)" % (m.const(table, "table"), table.type)
    text += " outs(%s : %s) -> %s" % (init, oty, oty)
    (res,) = m.op(1, text)
    m.print_bits(res, (b, hq, sq, dv), dtype)
    ref, zero = attention_ref(q, klog, vlog, causal=causal, window=window,
                              softcap=softcap, scale=scale, lens=lens)
    desc = "B=%d Hq=%d Hkv=%d Sq=%d D=%d Dv=%d lens=%s %s" % (
        b, hq, hkv, sq, d, dv, lens,
        "paged bs=%d blocks=%d table=%s" % (block_size, num_blocks, table.data)
        if paged else "Smax=%d" % smax)
    return Case(desc, dtype, m, [Output("O", ref, zero)])


@case("decode_contiguous")
def _(rng):
    return run_decode(rng, lens=[7, 12], smax=12)


@case("decode_contiguous_causal_sq2")
def _(rng):
    return run_decode(rng, sq=2, causal=True, lens=[5, 9], smax=10)


@case("decode_contiguous_window_softcap")
def _(rng):
    return run_decode(rng, sq=3, causal=True, window=4, softcap=1.0,
                      scale=0.8, lens=[10, 6], smax=11)


@case("decode_paged")
def _(rng):
    # 8 ends exactly at a block boundary (bs=4).
    return run_decode(rng, lens=[8, 13], block_size=4, max_blocks=4,
                      num_blocks=9)


@case("decode_paged_causal_sq2")
def _(rng):
    return run_decode(rng, sq=2, causal=True, lens=[4, 11], block_size=4,
                      max_blocks=4, num_blocks=8, dv=6)


@case("decode_paged_mqa_zero_len")
def _(rng):
    # A sequence of length 0 produces zeros.
    return run_decode(rng, hq=4, hkv=1, lens=[0, 6], block_size=2,
                      max_blocks=5, num_blocks=11)


@case("decode_paged_full_capacity")
def _(rng):
    return run_decode(rng, sq=3, causal=True, window=5, lens=[12, 3],
                      block_size=4, max_blocks=3, num_blocks=6)


@case("decode_paged_f16")
def _(rng):
    return run_decode(rng, sq=2, causal=True, lens=[8, 5], block_size=4,
                      max_blocks=3, num_blocks=6, dtype="f16")


# ----------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------


def parse_printed(stdout):
    """The i32 payloads of the printMemrefI32 calls, in order."""
    chunks = stdout.split("Unranked Memref")[1:]
    result = []
    for chunk in chunks:
        data = chunk.split("data =", 1)[1]
        result.append([bits_to_f32(int(v)) for v in re.findall(r"-?\d+", data)])
    return result


def run_case(name, args, seed):
    fn, params = CASES[name]
    rng = random.Random(seed)
    c = fn(rng, **params)
    source = c.module.text()
    workdir = args.keep or tempfile.mkdtemp(prefix="attnc-ref-")
    path = os.path.join(workdir, name + ".mlir")
    with open(path, "w") as f:
        f.write(source)
    libs = ",".join(os.path.join(args.mlir_lib_dir, lib) for lib in
                    ("libmlir_c_runner_utils.so", "libmlir_runner_utils.so"))
    opt = subprocess.run([args.attnc_opt, path] + PIPELINE,
                         capture_output=True, text=True)
    if opt.returncode != 0:
        return c, None, "attnc-opt failed (rc=%d):\n%s" % (
            opt.returncode, opt.stderr[-4000:])
    run = subprocess.run([args.mlir_runner, "-e", "main",
                          "-entry-point-result=void", "-shared-libs=" + libs],
                         input=opt.stdout, capture_output=True, text=True)
    if run.returncode != 0:
        return c, None, "mlir-runner failed (rc=%d):\n%s%s" % (
            run.returncode, run.stdout[-2000:], run.stderr[-4000:])
    if not args.keep:
        os.remove(path)
        os.rmdir(workdir)
    return c, run.stdout, None


def check(name, args, seed):
    start = time.time()
    c, output, error = run_case(name, args, seed)
    elapsed = time.time() - start
    problems = []
    max_abs = rel = float("nan")
    if error is not None:
        problems.append(error)
    else:
        printed = parse_printed(output)
        if len(printed) != len(c.outputs):
            problems.append("expected %d printed results, got %d" %
                            (len(c.outputs), len(printed)))
        else:
            num = den = 0.0
            max_abs = 0.0
            for out, got in zip(c.outputs, printed):
                if len(got) != len(out.ref):
                    problems.append("%s: expected %d values, got %d" %
                                    (out.name, len(out.ref), len(got)))
                    continue
                bad_exact = []
                nonfinite = 0
                for idx, (g, r, exact) in enumerate(zip(got, out.ref,
                                                        out.exact)):
                    if not math.isfinite(g):
                        nonfinite += 1
                        continue
                    err = abs(g - r)
                    max_abs = max(max_abs, err)
                    num += err * err
                    den += r * r
                    if exact and g != r:
                        bad_exact.append((idx, g, r))
                if nonfinite:
                    problems.append("%s: %d non-finite values" %
                                    (out.name, nonfinite))
                if bad_exact:
                    problems.append(
                        "%s: %d values that must be exact differ, first "
                        "(flat index, got, expected): %s" % (
                            out.name, len(bad_exact), bad_exact[:4]))
            rel = math.sqrt(num) / math.sqrt(den) if den > 0 else math.sqrt(num)
            if not rel <= c.tolerance:
                problems.append("relative error %.3e above tolerance %.1e" %
                                (rel, c.tolerance))
    status = "FAIL" if problems else "PASS"
    num_exact = sum(sum(out.exact) for out in c.outputs)
    print("%-6s %-36s %-5s max_abs_err=%.3e rel_err=%.3e tol=%.0e "
          "bit_exact_checked=%d time=%.2fs  [%s]" % (
              status, name, c.dtype, max_abs, rel, c.tolerance, num_exact,
              elapsed, c.shape))
    for p in problems:
        print("       " + p.replace("\n", "\n       "))
    sys.stdout.flush()
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attnc-opt", default="attnc-opt")
    parser.add_argument("--mlir-runner", default="mlir-runner")
    parser.add_argument("--mlir-lib-dir", default="",
                        help="directory of libmlir_(c_)runner_utils.so "
                             "(default: ../lib next to mlir-runner)")
    parser.add_argument("--seed", type=int, default=20240607)
    parser.add_argument("--keep", help="write the generated modules here")
    parser.add_argument("--list", action="store_true", help="list the cases")
    parser.add_argument("cases", nargs="*")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    if not args.mlir_lib_dir:
        runner = args.mlir_runner
        if os.sep not in runner:
            runner = next((os.path.join(p, runner) for p in
                           os.environ.get("PATH", "").split(os.pathsep)
                           if os.path.exists(os.path.join(p, runner))),
                          runner)
        args.mlir_lib_dir = os.path.join(
            os.path.dirname(os.path.dirname(os.path.realpath(runner))), "lib")
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    names = list(CASES) if args.cases in ([], ["all"]) else args.cases
    unknown = [n for n in names if n not in CASES]
    if unknown:
        print("unknown case(s): %s" % ", ".join(unknown), file=sys.stderr)
        return 2
    start = time.time()
    failed = []
    for name in names:
        # Each case gets its own seed, stable under reordering.
        seed = args.seed + sum((i + 1) * ord(ch) for i, ch in enumerate(name))
        if not check(name, args, seed):
            failed.append(name)
    print("%d case(s), %d failed, %.2fs%s" % (
        len(names), len(failed), time.time() - start,
        (": " + " ".join(failed)) if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
