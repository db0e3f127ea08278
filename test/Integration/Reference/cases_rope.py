"""Reference-check cases of attn.rope.

Half and interleaved styles, rank-1 and per-sequence positions, partial
rotary dimensions; components past the rotary dimension must pass through bit
for bit.
"""

from case_base import Case, Output, case
from mlir_emit import Module, attr_float
from reference_math import rope_ref
from tensors import int_tensor, rand_float


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
