"""KV-cache cases: attn.kv_append (bit-exact cache writes) and
attn.decode_attention against contiguous and paged caches (group
'kv_cache'), and low-precision caches (group 'kv_cache_lowp'): f32 rows
rounded into f16/bf16 caches (bit-exact round-to-nearest-even, ties
included) and f32 queries attending to f16/bf16 caches (the reference reads
the cache's values exactly, so the f32 tolerance holds)."""

import numpy as np

from case_def import Arg, Case, Check, farg, operands, rng_for, \
    score_attrs, ttype
from npref import ROUND, attention_lowp, attention_ref, kv_append_ref, \
    logical_cache


def block_table(rng, nb, max_blocks, num_blocks, used, pad):
    """[B, max_blocks] int32: sequence b owns `used[b]` distinct blocks drawn
    at random (no two sequences share one). Entries past those hold `pad`,
    or, when pad is None, ids of blocks owned by other sequences, so that a
    read past the length would fetch wrong data."""
    ids = rng.permutation(num_blocks)
    assert sum(used) <= num_blocks
    table = np.empty((nb, max_blocks), np.int64)
    taken = 0
    for b in range(nb):
        table[b, :used[b]] = ids[taken:taken + used[b]]
        taken += used[b]
        rest = max_blocks - used[b]
        table[b, used[b]:] = (rng.integers(0, num_blocks, rest) if pad is None
                              else pad)
    return table


# --- kv_append --------------------------------------------------------------

def with_ties(rng, x, elt):
    """`x` (f32) with about a quarter of its entries moved to exactly half
    way between two neighbours in `elt` (f16/bf16), with both even and odd
    lower neighbours: rounding to nearest even, not truncation or rounding
    half up, gives the expected bits."""
    x = np.array(x, np.float32)
    pick = rng.random(x.shape) < 0.25
    if elt == "bf16":
        bits = x.view(np.uint32) & np.uint32(0xFFFF0000)
        ties = (bits | np.uint32(0x8000)).view(np.float32)
    else:
        low = x.astype(np.float16)
        up = np.nextafter(low, np.float16(np.inf))
        ties = ((low.astype(np.float64) + up.astype(np.float64)) / 2).astype(
            np.float32)
    return np.where(pick, ties, x)


def kv_append_case(name, b, hkv, snew, d, dv, starts, elt="f32",
                   start_elt="i32", smax=None, paged=None, cache_elt=None,
                   group="kv_cache"):
    """`paged` = (block_size, num_blocks, max_blocks) or None (then `smax`);
    `cache_elt`: f16/bf16 caches of f32 rows (rounded as they are
    written)."""
    rng = rng_for(name)
    kn = farg(rng, "k", (b, hkv, snew, d), elt)
    vn = farg(rng, "v", (b, hkv, snew, dv), elt)
    cache_elt = cache_elt or elt
    if cache_elt != elt:
        kn.value = with_ties(rng, kn.value, cache_elt)
        vn.value = with_ties(rng, vn.value, cache_elt)
    start = Arg("start", start_elt, np.asarray(starts, np.int64))
    table = None
    if paged:
        bs, num_blocks, max_blocks = paged
        used = [-(-(s + snew) // bs) for s in starts]
        table = Arg("table", "i32", block_table(rng, b, max_blocks,
                                                num_blocks, used, None))
        rows, slots = num_blocks, bs
    else:
        rows, slots = b, smax
    kc = farg(rng, "kc", (rows, hkv, slots, d), cache_elt)
    vc = farg(rng, "vc", (rows, hkv, slots, dv), cache_elt)
    # The new rows as the cache stores them (Arg.stored rounds f32 values
    # to nearest even).
    kr = Arg("kr", cache_elt, kn.value).stored()
    vr = Arg("vr", cache_elt, vn.value).stored()
    ek, ev = kv_append_ref(kc.stored(), vc.stored(), kr, vr, starts,
                           None if table is None else table.value)
    checks = [Check("kc", cache_elt, ek.shape, kind="exact", expect=ek),
              Check("vc", cache_elt, ev.shape, kind="exact", expect=ev)]
    table_clause = " block_table(%s)" % operands([table]) if table else ""
    types = [kc.type, vc.type]
    op = ("%%r0, %%r1 = attn.kv_append ins(%s) at(%s)%s outs(%s) -> %s" %
          (operands([kn, vn]), operands([start]), table_clause,
           operands([kc, vc]), ", ".join(types)))
    args = [kn, vn, start] + ([table] if table else []) + [kc, vc]
    return Case(name, group, args, op, checks)


# --- decode_attention -------------------------------------------------------

def decode_case(name, b, hq, hkv, sq, d, dv, lens, elt="f32", smax=None,
                paged=None, pad=None, causal=False, window=None,
                softcap=None, scale=None, cache_elt=None, dynamic_sq=False,
                group="kv_cache", nan_past_lens=False, nan_keys=()):
    """`paged` = (block_size, num_blocks, max_blocks) or None (then `smax`);
    `pad` fills block-table entries past each length (None: foreign ids);
    `cache_elt`: f16/bf16 caches of an f32 query; `dynamic_sq`: the query
    and result types leave Sq dynamic, as a compiled model's do;
    `nan_past_lens`: a contiguous cache holds NaN in K and V past each
    length (what an uninitialized cache may hold: never read);
    `nan_keys`: (b, h, position) K entries set to NaN."""
    cache_elt = cache_elt or elt
    rng = rng_for(name)
    q = farg(rng, "q", (b, hq, sq, d), elt)
    dynamic = (2,) if dynamic_sq else ()
    q.dynamic = dynamic
    seq_lens = Arg("lens", "i32", np.asarray(lens, np.int64))
    table = None
    if paged:
        bs, num_blocks, max_blocks = paged
        used = [-(-n // bs) for n in lens]
        table = Arg("table", "i32", block_table(rng, b, max_blocks,
                                                num_blocks, used, pad))
        rows, slots, capacity = num_blocks, bs, max_blocks * bs
    else:
        rows, slots, capacity = b, smax, smax
    kc = farg(rng, "kc", (rows, hkv, slots, d), cache_elt)
    vc = farg(rng, "vc", (rows, hkv, slots, dv), cache_elt)
    if nan_past_lens:
        for row, n in enumerate(lens):
            kc.value[row, :, n:, :] = np.nan
            vc.value[row, :, n:, :] = np.nan
    for at in nan_keys:
        kc.value[at][0] = np.nan
    tval = None if table is None else table.value
    kl = logical_cache(kc.value, lens, tval, capacity)
    vl = logical_cache(vc.value, lens, tval, capacity)
    opts = dict(causal=causal, window=window, softcap=softcap, scale=scale)
    ref, full = attention_ref(q.value, kl, vl, lens=lens, **opts)
    out_shape = (b, hq, sq, dv)
    check = Check("o", elt, out_shape, ref=ref, zero=full[..., None],
                  dynamic=dynamic)
    if elt != "f32":
        check.kind = "lowp"
        check.base = attention_lowp(q.value, kl, vl, elt, lens=lens, **opts)
    out_type = ttype(out_shape, elt, dynamic)
    table_clause = " block_table(%s)" % operands([table]) if table else ""
    op = ("%%r0 = attn.decode_attention %sins(%s) seq_lens(%s)%s "
          "outs(%%o0 : %s) -> %s" % (
              score_attrs(**opts), operands([q, kc, vc]),
              operands([seq_lens]), table_clause, out_type, out_type))
    args = [q, kc, vc, seq_lens] + ([table] if table else [])
    return Case(name, group, args, op, [check],
                inits=[("o0", out_type, [("q", 2)] if dynamic_sq else [])])


# --- prefill, append, decode ------------------------------------------------

def prefill_decode_case(name, b, hq, hkv, prefill, snew, d, lens, smax=None,
                        paged=None, window=None, cache_elt="f32",
                        group="kv_cache"):
    """kv_append of a prefill (`prefill` rows, of which the first
    lens[b] - snew are kept), kv_append of `snew` new rows at lens[b] - snew,
    then decode_attention (causal) of the new rows: must equal the last rows
    of causal attention over each whole sequence (with f16/bf16 caches,
    `cache_elt`, over its keys and values rounded to that type)."""
    rng = rng_for(name)
    kp = farg(rng, "kp", (b, hkv, prefill, d))
    vp = farg(rng, "vp", (b, hkv, prefill, d))
    kn = farg(rng, "kn", (b, hkv, snew, d))
    vn = farg(rng, "vn", (b, hkv, snew, d))
    q = farg(rng, "q", (b, hq, snew, d))
    starts = [n - snew for n in lens]
    start0 = Arg("start0", "i32", np.zeros(b, np.int64))
    start1 = Arg("start1", "i32", np.asarray(starts, np.int64))
    seq_lens = Arg("lens", "i32", np.asarray(lens, np.int64))
    table = None
    if paged:
        bs, num_blocks, max_blocks = paged
        used = [max(-(-prefill // bs), -(-n // bs)) for n in lens]
        table = Arg("table", "i32", block_table(rng, b, max_blocks,
                                                num_blocks, used, None))
        rows, slots, capacity = num_blocks, bs, max_blocks * bs
    else:
        rows, slots, capacity = b, smax, smax
    kc = farg(rng, "kc", (rows, hkv, slots, d), cache_elt)
    vc = farg(rng, "vc", (rows, hkv, slots, d), cache_elt)
    # Each whole sequence, in float64: kept prefill rows, then the new rows
    # (as the cache holds them).
    kl = np.zeros((b, hkv, capacity, d))
    vl = np.zeros((b, hkv, capacity, d))
    for i, start in enumerate(starts):
        kl[i, :, :start] = kp.value[i, :, :start]
        vl[i, :, :start] = vp.value[i, :, :start]
        kl[i, :, start:start + snew] = kn.value[i]
        vl[i, :, start:start + snew] = vn.value[i]
    kl = ROUND[cache_elt](kl.astype(np.float32)).astype(np.float64)
    vl = ROUND[cache_elt](vl.astype(np.float32)).astype(np.float64)
    ref, full = attention_ref(q.value, kl, vl, lens=lens, causal=True,
                              window=window)
    out_shape = (b, hq, snew, d)
    check = Check("o", "f32", out_shape, ref=ref, zero=full[..., None])
    out_type = ttype(out_shape, "f32")
    cache_types = ", ".join([kc.type, vc.type])
    bt = " block_table(%s)" % operands([table]) if table else ""
    op = "\n  ".join([
        "%%c1k, %%c1v = attn.kv_append ins(%s) at(%s)%s outs(%s) -> %s" % (
            operands([kp, vp]), operands([start0]), bt,
            operands([kc, vc]), cache_types),
        "%%c2k, %%c2v = attn.kv_append ins(%s) at(%s)%s "
        "outs(%%c1k, %%c1v : %s) -> %s" % (
            operands([kn, vn]), operands([start1]), bt, cache_types,
            cache_types),
        "%%r0 = attn.decode_attention %sins(%%q, %%c2k, %%c2v : %s, %s) "
        "seq_lens(%s)%s outs(%%o0 : %s) -> %s" % (
            score_attrs(True, window, None, None), q.type, cache_types,
            operands([seq_lens]), bt, out_type, out_type)])
    args = [kp, vp, kn, vn, q, start0, start1, seq_lens] + \
        ([table] if table else []) + [kc, vc]
    return Case(name, group, args, op, [check],
                inits=[("o0", out_type)])


def lowp_cases():
    """f16/bf16 caches of an f32 model: GQA, head dims 24 and 40 (masked
    tails), windows, soft-capping, sequences that fill the cache, paged
    blocks that are and are not multiples of the vector width."""
    g = dict(group="kv_cache_lowp")
    return [
        decode_case("decode_lowp_bf16_nan_past_lengths", 2, 4, 2, 1, 64, 64,
                    [45, 30], smax=64, cache_elt="bf16", nan_past_lens=True,
                    **g),
        kv_append_case("kv_append_lowp_f16_contiguous", 2, 2, 3, 24, 40,
                       [5, 17], smax=20, cache_elt="f16", **g),
        kv_append_case("kv_append_lowp_bf16_contiguous_end", 2, 3, 4, 40, 24,
                       [0, 28], smax=32, cache_elt="bf16", **g),
        kv_append_case("kv_append_lowp_bf16_paged", 3, 2, 2, 40, 24,
                       [0, 7, 14], paged=(8, 9, 3), cache_elt="bf16", **g),
        kv_append_case("kv_append_lowp_f16_paged", 2, 1, 5, 64, 64, [3, 11],
                       paged=(4, 10, 5), cache_elt="f16", **g),
        decode_case("decode_lowp_f16_split_gqa_full", 2, 8, 2, 1, 64, 64,
                    [1100, 517], smax=1100, cache_elt="f16", **g),
        decode_case("decode_lowp_bf16_split_gqa_full", 2, 8, 2, 1, 64, 64,
                    [1100, 517], smax=1100, cache_elt="bf16", **g),
        decode_case("decode_lowp_bf16_tail24_window_softcap", 1, 6, 2, 2, 24,
                    24, [300], smax=301, causal=True, window=50,
                    softcap=20.0, cache_elt="bf16", **g),
        decode_case("decode_lowp_f16_tail24_symmetric_window", 2, 4, 4, 1,
                    24, 24, [96, 13], smax=96, window=9, cache_elt="f16",
                    **g),
        decode_case("decode_lowp_f16_tail40_paged_end", 3, 4, 1, 1, 40, 40,
                    [0, 33, 64], paged=(16, 16, 4), causal=True,
                    cache_elt="f16", **g),
        decode_case("decode_lowp_bf16_tail40_chunk_end", 2, 4, 2, 3, 40, 24,
                    [40, 17], smax=40, causal=True, cache_elt="bf16", **g),
        decode_case("decode_lowp_bf16_paged_block12", 1, 4, 2, 1, 64, 64,
                    [100], paged=(12, 12, 9), causal=True, softcap=30.0,
                    cache_elt="bf16", **g),
        decode_case("decode_lowp_f16_dynamic_sq_one_token", 1, 4, 4, 1,
                    64, 64, [700], smax=768, causal=True, cache_elt="f16",
                    dynamic_sq=True, **g),
        decode_case("decode_lowp_f16_mqa_chunk_window", 1, 8, 1, 4, 128,
                    128, [700], smax=720, causal=True, window=256,
                    cache_elt="f16", **g),
        prefill_decode_case("prefill_then_decode_lowp_f16_contiguous", 2, 4,
                            2, 40, 1, 32, [41, 23], smax=64,
                            cache_elt="f16", **g),
        prefill_decode_case("prefill_then_chunk_lowp_bf16_paged_window", 2,
                            8, 2, 300, 4, 64, [304, 97],
                            paged=(32, 24, 12), window=128,
                            cache_elt="bf16", **g),
    ]


def cases():
    return [
        # Split-KV (flash-decoding): B * Hkv is small and the cache long, so
        # the fused kernel splits the keys and merges the splits.
        decode_case("decode_split_kv_gqa", 2, 8, 2, 1, 64, 64, [1100, 517],
                    smax=1100),
        decode_case("decode_split_kv_paged_chunk_window", 1, 4, 1, 3, 32,
                    48, [512], paged=(16, 40, 33), causal=True, window=300),
        decode_case("decode_split_kv_block_boundaries", 3, 2, 2, 1, 32, 32,
                    [256, 16, 255], paged=(16, 48, 16), causal=True),
        decode_case("decode_split_kv_symmetric_window_softcap", 1, 2, 2, 2,
                    16, 16, [700], smax=800, window=40, softcap=5.0),
        # Sq dynamic, as in a compiled model: one new token takes the kernel
        # whose tiles hold the G rows of a KV head (G = 1: the butterfly of
        # one row; G = 4), more new rows the taller tiles.
        decode_case("decode_dynamic_sq_one_token", 2, 3, 3, 1, 64, 64,
                    [1000, 333], smax=1024, causal=True, dynamic_sq=True),
        decode_case("decode_dynamic_sq_one_token_gqa", 2, 8, 2, 1, 40, 40,
                    [517, 9], smax=600, causal=True, dynamic_sq=True),
        decode_case("decode_dynamic_sq_chunk_gqa", 2, 8, 2, 3, 40, 40,
                    [517, 9], smax=600, causal=True, dynamic_sq=True),
        # NaN in a cache: past the lengths (never read: the tail block, the
        # split-KV and one-token kernels stay exact), and at a position that
        # only the second of two causal rows sees.
        decode_case("decode_nan_past_lengths_split_kv", 2, 8, 2, 1, 64, 64,
                    [1100, 517], smax=1100, nan_past_lens=True),
        decode_case("decode_nan_past_lengths_one_token", 2, 3, 3, 1, 64, 64,
                    [1000, 333], smax=1024, causal=True, dynamic_sq=True,
                    nan_past_lens=True),
        decode_case("decode_nan_key_chunk_causal", 1, 4, 2, 2, 40, 40, [77],
                    smax=96, causal=True, nan_keys=[(0, 1, 76)]),
        # Decode after a prefill equals full causal attention; paged and
        # contiguous caches, sequences of different lengths.
        prefill_decode_case("prefill_then_decode_contiguous", 2, 4, 2, 40, 1,
                            32, [41, 23], smax=64),
        prefill_decode_case("prefill_then_decode_paged", 2, 4, 2, 40, 1, 32,
                            [41, 23], paged=(16, 12, 4)),
        prefill_decode_case("prefill_then_chunk_paged_window", 2, 8, 2, 300,
                            4, 64, [304, 97], paged=(32, 24, 12),
                            window=128),
        kv_append_case("kv_append_contiguous", 2, 2, 3, 16, 24, [5, 17],
                       smax=20),
        kv_append_case("kv_append_contiguous_f16_i64", 3, 2, 1, 32, 32,
                       [0, 7, 30], "f16", start_elt="i64", smax=31),
        kv_append_case("kv_append_paged", 2, 2, 5, 16, 16, [3, 9],
                       paged=(4, 10, 5)),
        kv_append_case("kv_append_paged_bf16", 3, 1, 2, 24, 8, [0, 7, 14],
                       "bf16", paged=(8, 9, 3)),
        decode_case("decode_attention_contiguous", 3, 4, 2, 1, 32, 32,
                    [1, 23, 40], smax=40),
        decode_case("decode_attention_contiguous_chunk_causal", 2, 2, 2, 4,
                    32, 24, [4, 30], smax=33, causal=True),
        decode_case("decode_attention_paged", 3, 4, 2, 1, 32, 32,
                    [7, 33, 48], paged=(8, 16, 6), causal=True),
        decode_case("decode_attention_paged_len0_window_softcap", 3, 2, 1, 2,
                    40, 40, [0, 17, 25], paged=(4, 20, 8), pad=-1,
                    causal=True, window=6, softcap=8.0, scale=0.25),
        decode_case("decode_attention_paged_f16", 2, 4, 1, 1, 64, 64,
                    [19, 64], "f16", paged=(16, 8, 4), causal=True),
        # f16/bf16 caches are read in place and widened in registers, split
        # and merged in f32.
        decode_case("decode_split_kv_gqa_bf16", 2, 8, 2, 1, 64, 64,
                    [1100, 517], "bf16", smax=1100),
        decode_case("decode_split_kv_chunk_f16_window", 1, 4, 2, 3, 32, 32,
                    [600], "f16", smax=640, causal=True, window=100),
    ] + lowp_cases()
