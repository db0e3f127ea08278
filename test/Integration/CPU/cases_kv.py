"""KV-cache cases: attn.kv_append (bit-exact cache writes) and
attn.decode_attention against contiguous and paged caches (group
'kv_cache')."""

import numpy as np

from case_def import Arg, Case, Check, farg, operands, rng_for, \
    score_attrs, ttype
from npref import attention_lowp, attention_ref, kv_append_ref, \
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

def kv_append_case(name, b, hkv, snew, d, dv, starts, elt="f32",
                   start_elt="i32", smax=None, paged=None):
    """`paged` = (block_size, num_blocks, max_blocks) or None (then `smax`)."""
    rng = rng_for(name)
    kn = farg(rng, "k", (b, hkv, snew, d), elt)
    vn = farg(rng, "v", (b, hkv, snew, dv), elt)
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
    kc = farg(rng, "kc", (rows, hkv, slots, d), elt)
    vc = farg(rng, "vc", (rows, hkv, slots, dv), elt)
    ek, ev = kv_append_ref(kc.stored(), vc.stored(), kn.stored(),
                           vn.stored(), starts,
                           None if table is None else table.value)
    checks = [Check("kc", elt, ek.shape, kind="exact", expect=ek),
              Check("vc", elt, ev.shape, kind="exact", expect=ev)]
    table_clause = " block_table(%s)" % operands([table]) if table else ""
    types = [kc.type, vc.type]
    op = ("%%r0, %%r1 = attn.kv_append ins(%s) at(%s)%s outs(%s) -> %s" %
          (operands([kn, vn]), operands([start]), table_clause,
           operands([kc, vc]), ", ".join(types)))
    args = [kn, vn, start] + ([table] if table else []) + [kc, vc]
    return Case(name, "kv_cache", args, op, checks)


# --- decode_attention -------------------------------------------------------

def decode_case(name, b, hq, hkv, sq, d, dv, lens, elt="f32", smax=None,
                paged=None, pad=None, causal=False, window=None,
                softcap=None, scale=None):
    """`paged` = (block_size, num_blocks, max_blocks) or None (then `smax`);
    `pad` fills block-table entries past each length (None: foreign ids)."""
    rng = rng_for(name)
    q = farg(rng, "q", (b, hq, sq, d), elt)
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
    kc = farg(rng, "kc", (rows, hkv, slots, d), elt)
    vc = farg(rng, "vc", (rows, hkv, slots, dv), elt)
    tval = None if table is None else table.value
    kl = logical_cache(kc.value, lens, tval, capacity)
    vl = logical_cache(vc.value, lens, tval, capacity)
    opts = dict(causal=causal, window=window, softcap=softcap, scale=scale)
    ref, full = attention_ref(q.value, kl, vl, lens=lens, **opts)
    out_shape = (b, hq, sq, dv)
    check = Check("o", elt, out_shape, ref=ref, zero=full[..., None])
    if elt != "f32":
        check.kind = "lowp"
        check.base = attention_lowp(q.value, kl, vl, elt, lens=lens, **opts)
    out_type = ttype(out_shape, elt)
    table_clause = " block_table(%s)" % operands([table]) if table else ""
    op = ("%%r0 = attn.decode_attention %sins(%s) seq_lens(%s)%s "
          "outs(%%o0 : %s) -> %s" % (
              score_attrs(**opts), operands([q, kc, vc]),
              operands([seq_lens]), table_clause, out_type, out_type))
    args = [q, kc, vc, seq_lens] + ([table] if table else [])
    return Case(name, "kv_cache", args, op, [check],
                inits=[("o0", out_type)])


def cases():
    return [
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
    ]
