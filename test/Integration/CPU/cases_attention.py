"""attn.attention cases: score rules (group 'attention'), head and sequence
shapes (group 'attention_shapes'), and f16/bf16 (group 'attention_lowp')."""

import numpy as np

from case_def import Arg, Case, Check, farg, operands, randn, rng_for, \
    score_attrs, ttype
from npref import attention_lowp, attention_ref


# --- masks: fn(rng, b, hq, sq, skv) -> Arg ----------------------------------

def padding_mask(lens):
    """i1 [B, 1, 1, Skv]: keep the first lens[b] keys (right padding)."""
    def make(rng, b, hq, sq, skv):
        keep = np.arange(skv)[None, :] < np.asarray(lens)[:, None]
        return Arg("mask", "i1", keep.reshape(b, 1, 1, skv))
    return make


def additive_mask(elt="f32", heads=False):
    """Float [B, 1|Hq, Sq, Skv]: normal values, one in 8 a large -1e4."""
    def make(rng, b, hq, sq, skv):
        shape = (b, hq if heads else 1, sq, skv)
        m = randn(rng, shape, elt, 2.0)
        m = np.where(rng.random(shape) < 0.125, np.float32(-1.0e4), m)
        return Arg("mask", elt, m.astype(np.float32))
    return make


def random_keep_mask(dead_rows=(), shape_of=None):
    """i1 mask, 70% true, with the rows `dead_rows` (b, h, i) all false.

    `shape_of(b, hq, sq, skv)` gives the mask shape (default full rank)."""
    def make(rng, b, hq, sq, skv):
        shape = shape_of(b, hq, sq, skv) if shape_of else (b, hq, sq, skv)
        keep = rng.random(shape) < 0.7
        for row in dead_rows:
            keep[row] = False
        return Arg("mask", "i1", keep)
    return make


# --- the case builder -------------------------------------------------------

def attention_case(name, group, shape, elt="f32", causal=False, window=None,
                   softcap=None, scale=None, mask=None, spread=1.0, nans=()):
    """shape = (B, Hq, Hkv, Sq, Skv, D, Dv); `spread` scales Q and K;
    `nans`: (operand 'q' or 'k', index) elements set to NaN."""
    rng = rng_for(name)
    b, hq, hkv, sq, skv, d, dv = shape
    q = farg(rng, "q", (b, hq, sq, d), elt, spread)
    k = farg(rng, "k", (b, hkv, skv, d), elt, spread)
    v = farg(rng, "v", (b, hkv, skv, dv), elt)
    for operand, at in nans:
        {"q": q, "k": k}[operand].value[at] = np.nan
    m = mask(rng, b, hq, sq, skv) if mask else None
    opts = dict(causal=causal, window=window, softcap=softcap, scale=scale)
    mval = None if m is None else m.value
    ref, full = attention_ref(q.value, k.value, v.value, mask=mval, **opts)
    out_type = ttype((b, hq, sq, dv), elt)
    check = Check("o", elt, (b, hq, sq, dv), ref=ref, zero=full[..., None])
    if elt != "f32":
        check.kind = "lowp"
        check.base = attention_lowp(q.value, k.value, v.value, elt,
                                    mask=mval, **opts)
    mask_clause = " mask(%s)" % operands([m]) if m else ""
    op = "%%r0 = attn.attention %sins(%s)%s outs(%%o0 : %s) -> %s" % (
        score_attrs(**opts), operands([q, k, v]), mask_clause, out_type,
        out_type)
    args = [q, k, v] + ([m] if m else [])
    return Case(name, group, args, op, [check], inits=[("o0", out_type)])


def cases():
    A, S, L = "attention", "attention_shapes", "attention_lowp"
    return [
        # --- score rules -----------------------------------------------------
        attention_case("attention_basic", A, (2, 4, 4, 16, 16, 32, 32)),
        attention_case("attention_causal", A, (1, 4, 4, 33, 33, 32, 32),
                       causal=True),
        attention_case("attention_causal_bottom_right", A,
                       (2, 2, 2, 12, 40, 32, 32), causal=True),
        # Sq > Skv: rows 0..3 sit before the first key, fully masked.
        attention_case("attention_causal_sq_gt_skv", A,
                       (1, 2, 2, 12, 8, 16, 16), causal=True),
        attention_case("attention_window_causal", A,
                       (1, 2, 2, 48, 48, 32, 32), causal=True, window=8),
        attention_case("attention_window_symmetric", A,
                       (1, 2, 2, 40, 40, 32, 32), window=6),
        attention_case("attention_window_symmetric_sq_lt_skv", A,
                       (1, 2, 2, 24, 40, 32, 32), window=5),
        attention_case("attention_mask_padding_i1", A,
                       (3, 2, 2, 10, 20, 32, 32),
                       mask=padding_mask([20, 15, 9])),
        attention_case("attention_mask_additive_f32", A,
                       (2, 3, 3, 14, 14, 32, 32), mask=additive_mask()),
        attention_case("attention_mask_additive_heads_causal", A,
                       (1, 3, 3, 9, 17, 16, 16), causal=True,
                       mask=additive_mask(heads=True)),
        attention_case("attention_softcap", A, (1, 2, 2, 20, 20, 32, 32),
                       causal=True, softcap=5.0, spread=2.0),
        attention_case("attention_softcap_scale", A,
                       (1, 2, 2, 16, 24, 32, 32), softcap=3.0, scale=0.3,
                       spread=1.5),
        attention_case("attention_fully_masked_row_i1", A,
                       (2, 2, 2, 8, 12, 16, 16),
                       mask=random_keep_mask([(0, 1, 2), (1, 0, 7)])),
        attention_case("attention_fully_masked_row_broadcast", A,
                       (2, 3, 3, 6, 10, 16, 16), causal=True,
                       mask=random_keep_mask(
                           [(1, 0, 4)], lambda b, h, sq, skv: (b, 1, sq, skv))),
        attention_case("attention_all_options", A,
                       (2, 4, 2, 20, 50, 40, 24), causal=True, window=16,
                       softcap=20.0, scale=0.2,
                       mask=random_keep_mask(
                           [], lambda b, h, sq, skv: (b, 1, sq, skv))),
        # Mask operands and softcap in the fused kernel (f32, Dv a multiple
        # of the vector width), around its tile boundaries.
        attention_case("attention_fused_padding_causal_gqa", A,
                       (2, 4, 2, 17, 70, 64, 32), causal=True,
                       mask=padding_mask([70, 33])),
        attention_case("attention_fused_keep_mask_window_softcap", A,
                       (1, 2, 2, 33, 47, 32, 32), causal=True, window=20,
                       softcap=10.0, spread=2.0,
                       mask=random_keep_mask([(0, 1, 5)])),
        attention_case("attention_fused_keep_mask_keys_broadcast", A,
                       (2, 2, 2, 12, 36, 16, 16),
                       mask=random_keep_mask(
                           [], lambda b, h, sq, skv: (b, h, sq, 1))),
        attention_case("attention_fused_additive_f16_mask", A,
                       (1, 2, 2, 9, 40, 16, 16),
                       mask=additive_mask("f16")),
        # NaN inputs: a NaN in K makes NaN the rows that see that key and no
        # other (the causal rows before it and other heads stay exact, in
        # the masked edge block too); a NaN in Q, its row.
        attention_case("attention_nan_key_causal", A,
                       (1, 2, 2, 70, 70, 64, 64), causal=True,
                       nans=[("k", (0, 1, 37, 5))]),
        attention_case("attention_nan_query_window", A,
                       (1, 2, 2, 40, 40, 32, 32), causal=True, window=9,
                       nans=[("q", (0, 0, 17, 3)), ("k", (0, 1, 2, 0))]),
        # --- head and sequence shapes -----------------------------------------
        attention_case("attention_gqa", S, (1, 8, 2, 24, 24, 32, 32),
                       causal=True),
        attention_case("attention_mqa", S, (2, 6, 1, 20, 20, 32, 32)),
        attention_case("attention_cross", S, (2, 4, 4, 10, 27, 32, 32)),
        attention_case("attention_dv_ne_d", S, (1, 4, 2, 16, 20, 32, 48),
                       causal=True),
        attention_case("attention_causal_s129_d80", S,
                       (1, 2, 2, 129, 129, 80, 80), causal=True),
        attention_case("attention_s1", S, (2, 2, 2, 1, 1, 64, 64)),
        attention_case("attention_sq1_skv129_causal", S,
                       (1, 4, 2, 1, 129, 80, 80), causal=True),
        attention_case("attention_cross_s7_d40", S, (1, 2, 2, 7, 13, 40, 40)),
        attention_case("attention_s7_d40_causal_gqa", S,
                       (2, 4, 1, 7, 7, 40, 40), causal=True),
        # --- f16 and bf16 -----------------------------------------------------
        attention_case("attention_f16_causal_gqa", L,
                       (1, 4, 2, 64, 64, 64, 64), "f16", causal=True),
        attention_case("attention_f16_padding_cross", L,
                       (2, 2, 2, 16, 48, 64, 64), "f16",
                       mask=padding_mask([48, 30])),
        attention_case("attention_f16_additive_mask", L,
                       (1, 2, 2, 24, 24, 32, 32), "f16",
                       mask=additive_mask("f16")),
        attention_case("attention_bf16_causal", L,
                       (2, 2, 2, 48, 48, 64, 64), "bf16", causal=True),
        attention_case("attention_bf16_window_softcap_masked_row", L,
                       (1, 4, 2, 20, 33, 40, 40), "bf16", causal=True,
                       window=12, softcap=10.0, spread=1.5,
                       mask=random_keep_mask([(0, 2, 5)])),
        # Every score rule and head dim in both types. On an AVX512-BF16
        # host, bf16 runs Q K^T and P V on vdpbf16ps (K and V packed in
        # pairs, P rounded to bf16, as attention_lowp's baseline does);
        # elsewhere it is widened like f16.
        attention_case("attention_bf16_d128_cross", L,
                       (1, 2, 2, 40, 57, 128, 128), "bf16"),
        attention_case("attention_f16_d128_causal_mqa", L,
                       (1, 4, 1, 70, 70, 128, 128), "f16", causal=True),
        attention_case("attention_bf16_d24_padding_gqa", L,
                       (2, 4, 2, 19, 37, 24, 24), "bf16",
                       mask=padding_mask([37, 20])),
        attention_case("attention_f16_d40_window_symmetric", L,
                       (1, 2, 2, 40, 40, 40, 40), "f16", window=6),
        attention_case("attention_bf16_additive_mask_heads_causal", L,
                       (1, 3, 3, 9, 17, 64, 64), "bf16", causal=True,
                       mask=additive_mask("bf16", heads=True)),
        attention_case("attention_f16_keep_mask_window_softcap", L,
                       (1, 2, 2, 33, 47, 64, 64), "f16", causal=True,
                       window=20, softcap=10.0, spread=2.0,
                       mask=random_keep_mask([(0, 1, 5)])),
        attention_case("attention_bf16_mqa_d128_window", L,
                       (2, 4, 1, 33, 65, 128, 128), "bf16", causal=True,
                       window=17),
        attention_case("attention_bf16_softcap_scale_d64", L,
                       (1, 2, 2, 16, 24, 64, 64), "bf16", softcap=3.0,
                       scale=0.3, spread=1.5),
        # An odd D: the last pair of each Q and K row is padded with 0.
        attention_case("attention_bf16_d9_dv20_causal", L,
                       (1, 2, 2, 7, 13, 9, 20), "bf16", causal=True),
        attention_case("attention_f16_d24_sq1", L,
                       (2, 2, 2, 1, 29, 24, 24), "f16", causal=True),
        attention_case("attention_bf16_dv_ne_d_sq1", L,
                       (1, 4, 2, 1, 40, 64, 48), "bf16", causal=True),
        attention_case("attention_bf16_causal_s256_d64", L,
                       (1, 2, 2, 256, 256, 64, 64), "bf16", causal=True),
        attention_case("attention_f16_causal_s256_d64", L,
                       (1, 2, 2, 256, 256, 64, 64), "f16", causal=True),
        attention_case("attention_bf16_nan_key_causal", L,
                       (1, 2, 2, 70, 70, 64, 64), "bf16", causal=True,
                       nans=[("k", (0, 0, 41, 60))]),
        attention_case("attention_f16_nan_query_key", L,
                       (1, 4, 2, 33, 33, 40, 40), "f16", causal=True,
                       nans=[("q", (0, 3, 20, 0)), ("k", (0, 0, 30, 39))]),
    ]
