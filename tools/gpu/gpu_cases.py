"""The cases of the device check kit: correctness cases (every attn op and
variant the GPU back end is meant to take, with float64 references) and the
benchmark shapes (inputs drawn on the device, never carried).

The correctness cases are built with the executing CPU tests' case builders
(test/Integration/CPU: case_def, cases_attention, cases_kv, cases_ops, and
npref for the float64 math); this file only picks shapes, element types and
options, and adds what those builders do not spell: f16/bf16 RoPE, an
additive mask broadcast over [B, 1, 1, Skv], and dynamic (`?`) batch and
sequence dimensions.

Each case is a `GpuCase`: the builder's `Case` (arguments, op text, checks),
the module text to compile, and, for attention and decode attention, the
math it computes (`context`), from which check.py redoes the same math in
low precision with torch for comparison.
"""

import os
import re
import sys
from dataclasses import dataclass
from typing import Optional

_ROOT = os.path.normpath(os.path.join(os.path.dirname(
    os.path.realpath(__file__)), "..", ".."))
_CPU_TESTS = os.path.join(_ROOT, "test", "Integration", "CPU")
if _CPU_TESTS not in sys.path:
    sys.path.insert(0, _CPU_TESTS)

import numpy as np  # noqa: E402

from case_def import Arg, Case, Check, farg, operands, randn, rng_for, \
    ttype  # noqa: E402
from cases_attention import additive_mask, attention_case, padding_mask, \
    random_keep_mask  # noqa: E402
from cases_kv import decode_case, kv_append_case  # noqa: E402
from cases_ops import out_proj_case, qkv_case, rope_case, \
    softmax_case  # noqa: E402
from npref import rope_ref  # noqa: E402

NPREF_PATH = os.path.join(_CPU_TESTS, "npref.py")

# Relative Frobenius error ||out - ref|| / ||ref|| allowed per element type.
TOLERANCE = {"f32": 1e-5, "f16": 2e-3, "bf16": 1e-2}


@dataclass
class GpuCase:
    case: Case
    module: str
    context: Optional[dict] = None

    @property
    def name(self):
        return self.case.name

    @property
    def group(self):
        return self.case.group


def regroup(case, group):
    case.group = group
    return case


# --- attention ----------------------------------------------------------------

def additive_key_mask(elt):
    """Float [B, 1, 1, Skv] (padding-style bias): normal values, one key in
    six -1e4 (never all of a row's keys)."""
    def make(rng, b, hq, sq, skv):
        m = randn(rng, (b, 1, 1, skv), elt, 2.0)
        m[..., ::6] = np.float32(-1.0e4)
        return Arg("mask", elt, m)
    return make


def attention(name, shape, elt, dynamic=False, **opts):
    """attn.attention; shape = (B, Hq, Hkv, Sq, Skv, D, Dv). `dynamic` makes
    B and the sequence dimensions `?` in the function's types."""
    case = attention_case(name, "attention", shape, elt, **opts)
    opts.pop("spread", None)
    opts.pop("mask", None)
    context = dict(op="attention", mask="mask" if len(case.args) > 3
                   else None, lens=None, table=None, **opts)
    module = case.module()
    if dynamic:
        module = dynamic_module(case, {"q": (0, 2), "k": (0, 2),
                                       "v": (0, 2), "mask": (0, 3)},
                                result_dims=[("q", 0), ("q", 2)])
    return GpuCase(case, module, context)


def decode(name, b, hq, hkv, sq, d, dv, lens, elt, dynamic=False, **kw):
    """attn.decode_attention; kw as cases_kv.decode_case takes (smax or
    paged=(block_size, num_blocks, max_blocks), pad, score options)."""
    case = regroup(decode_case(name, b, hq, hkv, sq, d, dv, lens, elt, **kw),
                   "decode")
    paged = kw.get("paged")
    capacity = paged[0] * paged[2] if paged else kw["smax"]
    context = dict(op="decode", mask=None, lens="lens",
                   table="table" if paged else None, capacity=capacity,
                   **{k: kw[k] for k in ("causal", "window", "softcap",
                                         "scale") if k in kw})
    module = case.module()
    if dynamic:
        assert not paged, "dynamic decode cases use contiguous caches"
        module = dynamic_module(case, {"q": (0,), "kc": (0,), "vc": (0,),
                                       "lens": (0,)},
                                result_dims=[("q", 0)])
    return GpuCase(case, module, context)


# --- dynamic shapes -------------------------------------------------------------

_TENSOR = re.compile(r"tensor<[^>]*>")


def dyn_type(static_type, dims):
    sizes = static_type[len("tensor<"):-1].split("x")
    return "tensor<%s>" % "x".join("?" if i in dims else s
                                   for i, s in enumerate(sizes))


def dynamic_module(case, arg_dims, result_dims):
    """The case's function with the dimensions `arg_dims[arg]` of each
    argument dynamic. The one result's dimension `dim` is dynamic for each
    (argument, dim) of `result_dims`, and its destination (`tensor.empty`)
    takes that size from that argument's dimension."""
    mapping = {}

    def bind(static, dynamic):
        assert mapping.get(static, dynamic) == dynamic, \
            "%s: type %s would get two dynamic types" % (case.name, static)
        mapping[static] = dynamic

    for a in case.args:
        bind(a.type, dyn_type(a.type, arg_dims.get(a.name, ())))
    (init_name, init_type), = case.inits
    out_type = dyn_type(init_type, [dim for _, dim in result_dims])
    bind(init_type, out_type)
    types = {a.name: mapping[a.type] for a in case.args}
    sig = ", ".join("%%%s: %s" % (a.name, types[a.name]) for a in case.args)
    lines = ["// %s: generated by tools/gpu/gpu_cases.py" % case.name,
             "func.func @f(%s) -> %s {" % (sig, out_type)]
    sizes = []
    for i, (arg, dim) in enumerate(result_dims):
        lines.append("  %%i%d = arith.constant %d : index" % (i, dim))
        lines.append("  %%n%d = tensor.dim %%%s, %%i%d : %s" % (
            i, arg, i, types[arg]))
        sizes.append("%%n%d" % i)
    lines.append("  %%%s = tensor.empty(%s) : %s" % (
        init_name, ", ".join(sizes), out_type))
    lines.append("  " + _TENSOR.sub(
        lambda m: mapping.get(m.group(0), m.group(0)), case.op))
    lines += ["  return %%r0 : %s" % out_type, "}", ""]
    return "\n".join(lines)


# --- rope in f16/bf16 (cases_ops.rope_case is f32) ------------------------------

def rope_lowp(name, b, hq, hkv, s, d, style, pos_shape, elt, rotary_dim=None,
              theta=None, max_pos=4096):
    rng = rng_for(name)
    q = farg(rng, "q", (b, hq, s, d), elt)
    k = farg(rng, "k", (b, hkv, s, d), elt)
    pos = rng.integers(0, max_pos, size=pos_shape)
    positions = Arg("pos", "i64", pos.astype(np.int64))
    r = d if rotary_dim is None else rotary_dim
    th = 10000.0 if theta is None else theta
    checks = [Check(lbl, elt, x.value.shape,
                    ref=rope_ref(x.value, pos, style, th, r))
              for lbl, x in (("q", q), ("k", k))]
    attrs = style + ("" if theta is None else " theta(%.9e)" % theta) + \
        ("" if rotary_dim is None else " rotary_dim(%d)" % rotary_dim)
    types = [q.type, k.type]
    op = ("%%r0, %%r1 = attn.rope %s ins(%s) outs(%%q0, %%k0 : %s) -> %s" %
          (attrs, operands([q, k, positions]), ", ".join(types),
           ", ".join(types)))
    case = Case(name, "rope", [q, k, positions], op, checks,
                inits=list(zip(["q0", "k0"], types)))
    return GpuCase(case, case.module())


def plain(case, group=None):
    if group:
        regroup(case, group)
    return GpuCase(case, case.module())


# --- the correctness cases ------------------------------------------------------

def attention_cases():
    A = attention
    keep = random_keep_mask
    return [
        # Element types, head dims 64/80/96/128/256, Sq = 77.
        A("attn_f16_d64", (1, 4, 4, 96, 96, 64, 64), "f16"),
        A("attn_bf16_causal_d64", (1, 4, 2, 96, 96, 64, 64), "bf16",
          causal=True),
        A("attn_f32_causal_d64", (1, 4, 4, 100, 100, 64, 64), "f32",
          causal=True),
        A("attn_f16_causal_d80_s77", (1, 4, 2, 77, 77, 80, 80), "f16",
          causal=True),
        A("attn_bf16_causal_d96_s77", (1, 4, 2, 77, 77, 96, 96), "bf16",
          causal=True),
        A("attn_f16_causal_gqa_d128", (1, 4, 1, 128, 128, 128, 128), "f16",
          causal=True),
        A("attn_bf16_d128_s77", (1, 4, 4, 77, 77, 128, 128), "bf16"),
        A("attn_f16_causal_d256_s77", (1, 2, 1, 77, 77, 256, 256), "f16",
          causal=True),
        A("attn_f32_d128_gqa", (1, 4, 1, 77, 77, 128, 128), "f32"),
        A("attn_f16_causal_long", (1, 2, 1, 320, 320, 64, 64), "f16",
          causal=True),
        # Causal is bottom-right aligned: Sq < Skv, and Sq > Skv (the first
        # Sq - Skv rows see no key: zeros).
        A("attn_f16_causal_sq_lt_skv", (1, 4, 2, 40, 200, 64, 64), "f16",
          causal=True),
        A("attn_bf16_causal_sq_gt_skv", (1, 2, 2, 70, 40, 64, 64), "bf16",
          causal=True),
        # Sliding window, with and without causal.
        A("attn_f16_window_causal", (1, 4, 4, 160, 160, 64, 64), "f16",
          causal=True, window=48),
        A("attn_f16_window_symmetric", (1, 2, 2, 130, 130, 64, 64), "f16",
          window=40),
        A("attn_f32_window_causal_sq_lt_skv", (1, 4, 2, 33, 150, 64, 64),
          "f32", causal=True, window=70),
        # Softcap (and an explicit scale).
        A("attn_bf16_softcap_causal", (1, 4, 2, 96, 96, 64, 64), "bf16",
          causal=True, softcap=5.0, spread=2.0),
        A("attn_f16_softcap_scale", (1, 2, 2, 64, 80, 128, 128), "f16",
          softcap=10.0, scale=0.2, spread=1.5),
        # Mask operands: i1 and additive f16/f32, broadcast and full.
        A("attn_f16_mask_i1_padding", (3, 2, 1, 64, 100, 64, 64), "f16",
          mask=padding_mask([100, 71, 13])),
        A("attn_f16_mask_i1_full", (1, 4, 4, 64, 80, 64, 64), "f16",
          mask=keep()),
        A("attn_bf16_mask_i1_rows_causal", (2, 4, 2, 48, 48, 64, 64),
          "bf16", causal=True,
          mask=keep([], lambda b, h, sq, skv: (b, 1, sq, skv))),
        A("attn_f16_mask_add_f16_keys", (2, 4, 2, 64, 90, 64, 64), "f16",
          mask=additive_key_mask("f16")),
        A("attn_f16_mask_add_f32_keys_causal", (2, 4, 4, 50, 50, 64, 64),
          "f16", causal=True, mask=additive_key_mask("f32")),
        A("attn_f32_mask_add_f32_full", (1, 4, 4, 48, 64, 64, 64), "f32",
          mask=additive_mask("f32", heads=True)),
        A("attn_bf16_mask_add_f32_rows_causal", (1, 4, 2, 60, 60, 64, 64),
          "bf16", causal=True, mask=additive_mask("f32")),
        # GQA, MQA, cross attention, Dv != D.
        A("attn_f16_gqa_8_2_s77", (1, 8, 2, 77, 77, 64, 64), "f16",
          causal=True),
        A("attn_bf16_mqa", (1, 8, 1, 64, 64, 64, 64), "bf16"),
        A("attn_f16_cross", (1, 2, 2, 50, 333, 64, 64), "f16"),
        A("attn_f16_dv64_d128", (1, 4, 2, 64, 96, 128, 64), "f16",
          causal=True),
        A("attn_bf16_dv128_d64", (1, 4, 2, 64, 64, 64, 128), "bf16"),
        # Fully masked rows (zeros, never NaN).
        A("attn_f16_fully_masked_rows", (2, 4, 2, 40, 72, 64, 64), "f16",
          mask=keep([(0, 1, 3), (1, 3, 39), (1, 0, 0)])),
        A("attn_f32_fully_masked_rows_causal", (1, 2, 2, 24, 40, 64, 64),
          "f32", causal=True, mask=keep([(0, 1, 23)])),
        # Everything at once.
        A("attn_bf16_all_options", (1, 8, 2, 77, 150, 64, 64), "bf16",
          causal=True, window=64, softcap=30.0, scale=0.1,
          mask=keep([], lambda b, h, sq, skv: (b, 1, sq, skv))),
        # Dynamic batch and sequence lengths.
        A("attn_f16_dynamic_causal", (2, 4, 2, 77, 77, 64, 64), "f16",
          dynamic=True, causal=True),
        A("attn_bf16_dynamic_cross_padding", (3, 2, 2, 33, 90, 128, 128),
          "bf16", dynamic=True, mask=padding_mask([90, 50, 7])),
    ]


def decode_cases():
    D = decode
    return [
        # Contiguous caches: lengths 0, partial and equal to the capacity.
        D("decode_f16_contig_gqa", 3, 8, 2, 1, 128, 128, [0, 37, 160], "f16",
          smax=160),
        D("decode_bf16_contig_mqa", 2, 8, 1, 1, 64, 64, [129, 300], "bf16",
          smax=300),
        D("decode_f32_contig_window_softcap", 2, 4, 1, 2, 64, 64, [200, 61],
          "f32", smax=256, causal=True, window=50, softcap=20.0),
        # Hq = 32, Hkv = 8, the bench configuration, at a small context.
        D("decode_f16_contig_32_8", 2, 32, 8, 1, 64, 64, [100, 160], "f16",
          smax=160),
        # Speculative decode: Sq = 4 (causal), contiguous and paged.
        D("decode_f16_contig_spec4", 2, 8, 2, 4, 128, 128, [4, 130], "f16",
          smax=130, causal=True),
        D("decode_bf16_paged_spec4", 2, 8, 2, 4, 64, 64, [200, 4], "bf16",
          paged=(16, 40, 16), causal=True),
        # Paged caches: lengths 0 and = capacity, foreign and -1 padding.
        D("decode_f16_paged", 3, 8, 2, 1, 128, 128, [0, 100, 256], "f16",
          paged=(16, 26, 16)),
        D("decode_f16_paged_pad_len0", 3, 4, 1, 1, 64, 64, [0, 17, 64],
          "f16", paged=(8, 20, 8), pad=-1, causal=True),
        D("decode_f32_paged_gqa", 2, 8, 2, 1, 64, 64, [33, 128], "f32",
          paged=(32, 10, 4)),
        # Long contexts, where split-KV has to kick in (B * Hkv small).
        D("decode_f16_long_8192", 1, 8, 1, 1, 64, 64, [8192], "f16",
          smax=8192),
        D("decode_bf16_paged_long_4096", 2, 4, 1, 1, 64, 64, [4096, 300],
          "bf16", paged=(128, 36, 32)),
        # Dynamic batch.
        D("decode_f16_dynamic_batch", 3, 8, 2, 1, 64, 64, [1, 90, 128], "f16",
          smax=128, dynamic=True),
    ]


def kv_cases():
    K = lambda *a, **kw: plain(kv_append_case(*a, **kw), "kv_append")
    return [
        K("kv_append_f16_contig", 2, 2, 3, 128, 128, [5, 29], "f16", smax=32),
        K("kv_append_f16_contig_decode", 3, 8, 1, 64, 64, [0, 31, 12], "f16",
          smax=32),
        K("kv_append_bf16_contig_i64", 2, 2, 7, 64, 64, [0, 9], "bf16",
          start_elt="i64", smax=16),
        K("kv_append_f32_contig_dv", 2, 2, 4, 64, 32, [3, 12], "f32",
          smax=16),
        K("kv_append_f16_paged", 2, 2, 20, 64, 64, [3, 30], "f16",
          paged=(16, 12, 4)),
        K("kv_append_bf16_paged_decode", 4, 4, 1, 64, 64, [0, 15, 16, 63],
          "bf16", paged=(16, 20, 4)),
        K("kv_append_f32_paged", 2, 1, 5, 32, 32, [7, 0], "f32",
          paged=(4, 10, 5)),
    ]


def rope_cases():
    R = lambda *a, **kw: plain(rope_case(*a, **kw))
    return [
        R("rope_f32_half_rank1", 1, 8, 2, 33, 128, "half", (33,)),
        R("rope_f32_interleaved_rank2_i32", 2, 4, 2, 17, 64, "interleaved",
          (2, 17), pos_elt="i32"),
        R("rope_f32_half_partial_rank2", 2, 4, 1, 9, 128, "half", (2, 9),
          rotary_dim=64, theta=500000.0, max_pos=8192),
        R("rope_f32_interleaved_partial", 1, 4, 4, 12, 80, "interleaved",
          (12,), rotary_dim=32),
        rope_lowp("rope_f16_half_rank2", 2, 4, 2, 20, 128, "half", (2, 20),
                  "f16"),
        rope_lowp("rope_bf16_interleaved_partial", 1, 4, 2, 16, 64,
                  "interleaved", (16,), "bf16", rotary_dim=32,
                  theta=500000.0),
    ]


def projection_cases():
    Q = lambda *a, **kw: plain(qkv_case(*a, **kw))
    O = lambda *a, **kw: plain(out_proj_case(*a, **kw))
    return [
        Q("qkv_separate_bias", 2, 33, 128, 8, 2, 32, 32, bias=True),
        Q("qkv_separate_out_in", 1, 40, 128, 4, 4, 32, 32, out_in=True),
        Q("qkv_fused_bias", 2, 17, 128, 4, 2, 32, 32, fused=True, bias=True),
        Q("qkv_fused_out_in_bias_dv", 1, 24, 128, 4, 1, 32, 48, fused=True,
          bias=True, out_in=True),
        Q("qkv_decode_out_in", 4, 1, 128, 8, 2, 32, 32, out_in=True),
        Q("qkv_rope_half_out_in", 2, 19, 128, 4, 2, 64, 64, out_in=True,
          rope=("half", 500000.0, 64, (2, 19), "epilogue")),
        Q("qkv_rope_interleaved_partial_bias", 1, 16, 128, 4, 2, 32, 32,
          bias=True, rope=("interleaved", 10000.0, 16, (16,), "epilogue")),
        Q("qkv_bf16_weights_out_in", 1, 21, 128, 4, 2, 32, 32, out_in=True,
          w_elt="bf16"),
        Q("qkv_f16_weights_fused", 2, 5, 128, 4, 4, 32, 32, fused=True,
          w_elt="f16"),
        O("out_proj_bias", 2, 4, 33, 32, 128, bias=True),
        O("out_proj_out_in", 1, 4, 40, 64, 128, out_in=True),
        O("out_proj_out_in_bias_decode", 4, 8, 1, 32, 128, bias=True,
          out_in=True),
    ]


def softmax_cases():
    S = lambda *a, **kw: plain(softmax_case(*a, **kw))
    return [
        S("softmax_f32_causal_scale", (2, 4, 40, 72), causal=True,
          scale=0.125, spread=8.0),
        S("softmax_f32_window", (1, 4, 64, 64), window=9),
        S("softmax_f32_window_causal_softcap_add_mask", (3, 17, 50),
          mask=("f32", (1, 17, 50), []), causal=True, window=12,
          softcap=4.0),
        S("softmax_f32_i1_mask_masked_row", (2, 3, 20, 33),
          mask=("i1", (2, 1, 20, 33), [(1, 0, 3)])),
        S("softmax_f16_causal_i1_mask", (2, 4, 48, 64), "f16", causal=True,
          mask=("i1", (2, 1, 1, 64), [])),
        S("softmax_bf16_add_mask", (2, 2, 30, 70), "bf16",
          mask=("bf16", (1, 1, 30, 70), [])),
    ]


def correctness_cases():
    cases = (attention_cases() + decode_cases() + kv_cases() + rope_cases() +
             projection_cases() + softmax_cases())
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    return cases


# Small cases run under compute-sanitizer (memcheck and racecheck).
SANITIZE = ["attn_f16_gqa_8_2_s77", "decode_f16_paged", "kv_append_f16_paged",
            "softmax_f16_causal_i1_mask"]


# --- benchmarks -------------------------------------------------------------------

@dataclass
class Bench:
    name: str
    kind: str  # "prefill" | "decode"
    b: int
    hq: int
    hkv: int
    sq: int
    skv: int
    d: int
    elt: str
    causal: bool

    def module(self):
        q = ttype((self.b, self.hq, self.sq, self.d), self.elt)
        kv = ttype((self.b, self.hkv, self.skv, self.d), self.elt)
        attrs = "causal " if self.causal else ""
        if self.kind == "prefill":
            return ("func.func @f(%%q: %s, %%k: %s, %%v: %s) -> %s {\n"
                    "  %%o0 = tensor.empty() : %s\n"
                    "  %%r0 = attn.attention %sins(%%q, %%k, %%v : %s, %s, %s)"
                    " outs(%%o0 : %s) -> %s\n"
                    "  return %%r0 : %s\n}\n" % (
                        q, kv, kv, q, q, attrs, q, kv, kv, q, q, q))
        lens = ttype((self.b,), "i32")
        return ("func.func @f(%%q: %s, %%kc: %s, %%vc: %s, %%lens: %s) -> %s {\n"
                "  %%o0 = tensor.empty() : %s\n"
                "  %%r0 = attn.decode_attention %sins(%%q, %%kc, %%vc : "
                "%s, %s, %s) seq_lens(%%lens : %s) outs(%%o0 : %s) -> %s\n"
                "  return %%r0 : %s\n}\n" % (
                    q, kv, kv, lens, q, q, attrs, q, kv, kv, lens, q, q, q))

    def inputs(self):
        """(name, shape, elt) of each argument, in order."""
        args = [("q", (self.b, self.hq, self.sq, self.d), self.elt),
                ("k", (self.b, self.hkv, self.skv, self.d), self.elt),
                ("v", (self.b, self.hkv, self.skv, self.d), self.elt)]
        if self.kind == "decode":
            args.append(("lens", (self.b,), "i32"))
        return args

    def flops(self):
        f = 4.0 * self.b * self.hq * self.sq * self.skv * self.d
        return f / 2 if self.causal and self.kind == "prefill" else f

    def kv_bytes(self):
        return 2.0 * self.b * self.hkv * self.skv * self.d * \
            (4 if self.elt == "f32" else 2)


def prefill(b, h, s, d, elt, causal):
    return Bench("prefill_b%d_h%d_s%d_d%d_%s%s" % (
        b, h, s, d, elt, "_causal" if causal else ""), "prefill", b, h, h, s,
        s, d, elt, causal)


def decode_bench(b, hq, hkv, ctx, d, elt="f16"):
    return Bench("decode_b%d_hq%d_hkv%d_ctx%d_d%d_%s" % (b, hq, hkv, ctx, d,
                                                         elt),
                 "decode", b, hq, hkv, 1, ctx, d, elt, False)


def bench_shapes(target):
    if target == "cpu":  # small: the CPU mode checks the flow, not speed
        return [prefill(1, 4, 256, 64, "f16", True),
                prefill(1, 4, 256, 64, "bf16", False),
                prefill(1, 2, 512, 128, "f16", True),
                decode_bench(2, 8, 2, 1024, 128),
                decode_bench(4, 8, 2, 2048, 64)]
    return [
        prefill(1, 16, 1024, 64, "f16", False),
        prefill(1, 16, 1024, 64, "f16", True),
        prefill(4, 16, 1024, 128, "bf16", True),
        prefill(2, 32, 2048, 128, "f16", True),
        prefill(2, 32, 2048, 128, "bf16", False),
        prefill(4, 32, 2048, 64, "f16", True),
        prefill(1, 32, 4096, 128, "bf16", True),
        prefill(4, 16, 4096, 64, "bf16", False),
        prefill(1, 32, 8192, 128, "f16", True),
        prefill(2, 16, 8192, 128, "bf16", True),
        prefill(1, 16, 8192, 64, "f16", False),
        decode_bench(8, 32, 8, 4096, 128),
        decode_bench(16, 32, 8, 8192, 128),
        decode_bench(32, 32, 8, 8192, 128),
        decode_bench(8, 32, 8, 16384, 128),
        decode_bench(32, 32, 8, 16384, 128),
    ]
