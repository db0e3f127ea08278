"""Reference-check cases of attn.kv_append and attn.decode_attention.

Contiguous and paged KV caches. kv_append results are bit copies and must match
exactly; decode attention is checked against the attention reference on the
logical (unpaged) caches.
"""

from case_base import Case, Output, case, f32_options
from mlir_emit import Module, attention_attrs
from reference_math import attention_ref, kv_append_ref, paged_to_logical
from tensors import int_tensor, rand_float, rand_kv_caches, tensor_type


def cache_desc(table, block_size, num_blocks, smax):
    """The cache layout part of a case description."""
    if table is not None:
        return "paged bs=%d blocks=%d table=%s" % (block_size, num_blocks,
                                                   table.data)
    return "Smax=%d" % smax


def run_kv_append(rng, *, b=2, hkv=2, snew=3, d=4, dv=6, starts, smax=None,
                  block_size=None, max_blocks=None, num_blocks=None,
                  dtype="f32"):
    kn = rand_float(rng, (b, hkv, snew, d), dtype)
    vn = rand_float(rng, (b, hkv, snew, dv), dtype)
    start = int_tensor((b,), starts)
    table, kc, vc = rand_kv_caches(rng, b=b, hkv=hkv, d=d, dv=dv, dtype=dtype,
                                   smax=smax, block_size=block_size,
                                   max_blocks=max_blocks, num_blocks=num_blocks)
    m = Module()
    ck, cv, cs = m.const(kn, "k"), m.const(vn, "v"), m.const(start, "start")
    ckc, cvc = m.const(kc, "kcache"), m.const(vc, "vcache")
    text = "attn.kv_append ins(%s, %s : %s, %s) at(%s : %s)" % (
        ck, cv, kn.type, vn.type, cs, start.type)
    text += m.clause("block_table", table, "table")
    text += " outs(%s, %s : %s, %s) -> %s, %s" % (
        ckc, cvc, kc.type, vc.type, kc.type, vc.type)
    rk, rv = m.op(2, text)
    m.print_bits(rk, kc.shape, dtype)
    m.print_bits(rv, vc.shape, dtype)
    ek, ev = kv_append_ref(kc, vc, kn, vn, starts, table, block_size)
    desc = "B=%d Hkv=%d Snew=%d D=%d Dv=%d %s start=%s" % (
        b, hkv, snew, d, dv, cache_desc(table, block_size, num_blocks, smax),
        starts)
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
    table, kc, vc = rand_kv_caches(rng, b=b, hkv=hkv, d=d, dv=dv, dtype=dtype,
                                   smax=smax, block_size=block_size,
                                   max_blocks=max_blocks, num_blocks=num_blocks)
    if table is not None:
        klog = paged_to_logical(kc, table, block_size)
        vlog = paged_to_logical(vc, table, block_size)
    else:
        klog, vlog = kc, vc
    seq_lens = int_tensor((b,), lens)
    softcap, scale = f32_options(softcap, scale)
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
    text += m.clause("block_table", table, "table")
    text += " outs(%s : %s) -> %s" % (init, oty, oty)
    (res,) = m.op(1, text)
    m.print_bits(res, (b, hq, sq, dv), dtype)
    ref, zero = attention_ref(q, klog, vlog, causal=causal, window=window,
                              softcap=softcap, scale=scale, lens=lens)
    desc = "B=%d Hq=%d Hkv=%d Sq=%d D=%d Dv=%d lens=%s %s" % (
        b, hq, hkv, sq, d, dv, lens,
        cache_desc(table, block_size, num_blocks, smax))
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
