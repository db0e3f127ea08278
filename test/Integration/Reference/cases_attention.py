"""Reference-check cases of attn.attention and attn.masked_softmax.

Each `run_*` builds the op on random inputs, prints its result and computes the
float64 reference; fully masked rows must be exact zeros.
"""

from case_base import Case, Output, case, f32_options
from mlir_emit import Module, attention_attrs
from reference_math import attention_ref, masked_softmax_ref
from tensors import NEG_INF, rand_bool, rand_float, tensor_type


def run_attention(rng, *, b=2, hq=2, hkv=2, sq=5, skv=5, d=8, dv=None,
                  dtype="f32", causal=False, window=None, softcap=None,
                  scale=None, mask=None, lo=-1.0, hi=1.0):
    dv = d if dv is None else dv
    q = rand_float(rng, (b, hq, sq, d), dtype, lo, hi)
    k = rand_float(rng, (b, hkv, skv, d), dtype, lo, hi)
    v = rand_float(rng, (b, hkv, skv, dv), dtype)
    mask = mask(rng) if callable(mask) else mask
    softcap, scale = f32_options(softcap, scale)
    m = Module()
    cq, ck, cv = m.const(q, "q"), m.const(k, "k"), m.const(v, "v")
    init = m.empty((b, hq, sq, dv), dtype)
    mask_text = m.clause("mask", mask, "mask")
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
    softcap, scale = f32_options(softcap, scale)
    m = Module()
    cx = m.const(x, "s")
    init = m.empty(shape, dtype)
    mask_text = m.clause("mask", mask, "mask")
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
