"""attn.rope / kv_append / masked_softmax / qkv_proj / out_proj cases for the
GPU emulator (the attn-ops-gpu kernels): for each case the op text, its
inputs in padded strided buffers, and float64 NumPy references written from
the op descriptions in AttnOps.td (not from the kernels).

A case is `Case(name, op, dtype, **params)`; `prepare(case)` returns a
`Prepared`: the text of `func.func @f`, the arguments of @f, and per result
of @f what it must equal (`Expect`), plus the cf.assert messages expected
(kv_append with out-of-range positions)."""
import dataclasses
import math
from typing import Optional

import numpy as np

from common import output_buffer, rounded, strided_buffer, tensor_type as tt
from values import ROUND, to_f32

TOLERANCE = {'f32': 1e-5, 'f16': 2e-3, 'bf16': 1e-2}


@dataclasses.dataclass
class Case:
    name: str
    op: str
    dtype: str = 'f32'
    params: dict = dataclasses.field(default_factory=dict)
    seed: int = 0


def case(name, op, dtype='f32', **params):
    return Case(name, op, dtype, params)


@dataclasses.dataclass
class Expect:
    label: str
    want: np.ndarray
    tol: float                       # 0: bit-exact
    out: Optional[object] = None     # the outs Buffer the result must be
    once: bool = True                # every element of `out` stored exactly once (else >= 1)


@dataclasses.dataclass
class Prepared:
    text: str
    args: list
    expects: list
    asserts: set = dataclasses.field(default_factory=set)


def _round(array, elem):
    return np.vectorize(ROUND[elem], otypes=[float])(array)


def _dims(shape, dynamic, keep=()):
    """`shape` with every dim not in `keep` dynamic when `dynamic`."""
    return [s if (not dynamic or i in keep) else None for i, s in enumerate(shape)]


def _func(args, results, body):
    """func.func @f(args) -> results { body; return }: args are (name, type)."""
    sig = ', '.join(f'%{n}: {t}' for n, t in args)
    rt = ', '.join(t for _, t in results)
    names = ', '.join(f'%{n}' for n, _ in results)
    return (f'func.func @f({sig}) -> ({rt}) {{\n  {names} = {body} -> {rt}\n'
            f'  return {names} : {rt}\n}}\n')

# ----------------------------------------------------------------- rope


def _scaling_clause(scaling):
    if scaling is None:
        return ''
    if scaling[0] == 'linear':
        return f' scaling(linear factor({scaling[1]:e}))'
    s, lo, hi, L = scaling[1:]
    return (f' scaling(llama3 factor({s:e}) low_freq_factor({lo:e}) high_freq_factor({hi:e}) '
            f'original_max_positions({L:e}))')


def rope_clause(style, theta, rotary, scaling):
    clause = f'{style} theta({theta:e})'
    if rotary:
        clause += f' rotary_dim({rotary})'
    return clause + _scaling_clause(scaling)


def inv_freqs(theta, R, scaling):
    """f_i for i < R/2, with the `scaling` clause ('linear', s) or
    ('llama3', s, low, high, L) applied."""
    out = []
    for i in range(R // 2):
        f = theta ** (-2.0 * i / R)
        if scaling and scaling[0] == 'linear':
            f /= scaling[1]
        elif scaling:
            s, lo, hi, L = scaling[1:]
            w = 2 * math.pi / f
            if w > L / lo:
                f /= s
            elif w >= L / hi:
                t = (L / w - lo) / (hi - lo)
                f = (1 - t) * f / s + t * f
        out.append(f)
    return out


def rope_reference(x, pos, style, theta, R, scaling):
    """attn.rope of x [B, H, S, D] (float64) with positions [S] or [B, S];
    angles rounded to f32 as the op says they are computed in f32."""
    B, H, S, D = x.shape
    out = x.copy()
    freqs = inv_freqs(theta, R, scaling)
    for b in range(B):
        for s in range(S):
            p = float(pos[s] if pos.ndim == 1 else pos[b, s])
            for i, f in enumerate(freqs):
                ang = to_f32(to_f32(p) * to_f32(f))
                c, sn = math.cos(ang), math.sin(ang)
                i1, i2 = (i, i + R // 2) if style == 'half' else (2 * i, 2 * i + 1)
                x1, x2 = x[b, :, s, i1], x[b, :, s, i2]
                out[b, :, s, i1] = x1 * c - x2 * sn
                out[b, :, s, i2] = x2 * c + x1 * sn
    return out


def _positions(rng, shape, max_pos):
    return rng.integers(0, max_pos, size=shape)


def prepare_rope(rng, t, B=1, Hq=2, Hkv=1, S=5, D=16, style='half', theta=10000.0,
                 rotary=None, pos_rank=1, pos_type='i64', scaling=None, max_pos=64,
                 dynamic=False):
    R = rotary or D
    q = rounded(rng, (B, Hq, S, D), t)
    k = rounded(rng, (B, Hkv, S, D), t)
    pos = _positions(rng, (S,) if pos_rank == 1 else (B, S), max_pos)
    qt, kt = tt(_dims(q.shape, dynamic, (1, 3)), t), tt(_dims(k.shape, dynamic, (1, 3)), t)
    pt = tt(_dims(pos.shape, dynamic), pos_type)
    qo, ko = output_buffer(q.shape, t, 'Qout'), output_buffer(k.shape, t, 'Kout')
    text = _func([('q', qt), ('k', kt), ('p', pt), ('q0', qt), ('k0', kt)],
                 [('a', qt), ('b', kt)],
                 f'attn.rope {rope_clause(style, theta, rotary, scaling)} '
                 f'ins(%q, %k, %p : {qt}, {kt}, {pt}) outs(%q0, %k0 : {qt}, {kt})')
    args = [strided_buffer(q, t, 'Q'), strided_buffer(k, t, 'K', pad=0, offset=1),
            strided_buffer(pos, pos_type, 'positions', pad=1, offset=2), qo, ko]
    tol = TOLERANCE[t]
    return Prepared(text, args, [
        Expect('Q', rope_reference(q, pos, style, theta, R, scaling), tol, qo),
        Expect('K', rope_reference(k, pos, style, theta, R, scaling), tol, ko)])

# ----------------------------------------------------------------- kv_append

NEGATIVE = 'negative start position'
PAST_CACHE = 'write past the end of the cache (start + Snew > Smax)'
PAST_TABLE = 'position past the end of the block table'
BAD_BLOCK = 'block id outside [0, num_blocks)'


def prepare_kv_append(rng, t, B=2, H=2, Snew=3, D=8, Dv=None, starts=(0, 0), Smax=None,
                      page=None, table=None, num_blocks=None, idx_type='i32', dynamic=True):
    """Contiguous caches [B, H, Smax, D] or, with `page`, paged caches
    [num_blocks, H, page, D] addressed through `table` (default: the blocks
    in shuffled order). The reference applies the writes that are in range;
    out-of-range ones are expected as failed cf.asserts instead."""
    Dv = Dv or D
    kn = rounded(rng, (B, H, Snew, D), t)
    vn = rounded(rng, (B, H, Snew, Dv), t)
    if page:
        if table is None:
            per_seq = -(-max(starts[b] + Snew for b in range(B)) // page)
            table = rng.permutation(num_blocks)[:B * per_seq].reshape(B, per_seq)
        table = np.array(table)
        kc = rounded(rng, (num_blocks, H, page, D), t)
        vc = rounded(rng, (num_blocks, H, page, Dv), t)
    else:
        kc = rounded(rng, (B, H, Smax, D), t)
        vc = rounded(rng, (B, H, Smax, Dv), t)
    want_k, want_v, asserts = kc.copy(), vc.copy(), set()
    for b in range(B):
        s0 = starts[b]
        if s0 < 0:
            asserts.add(NEGATIVE)
            continue
        if not page and s0 + Snew > Smax:
            asserts.add(PAST_CACHE)
            continue
        for j in range(Snew):
            p = s0 + j
            if page:
                if p // page >= table.shape[1]:
                    asserts.add(PAST_TABLE)
                    continue
                blk = table[b, p // page]
                if not 0 <= blk < num_blocks:
                    asserts.add(BAD_BLOCK)
                    continue
                dst = (blk, slice(None), p % page)
            else:
                dst = (b, slice(None), p)
            want_k[dst] = kn[b, :, j]
            want_v[dst] = vn[b, :, j]
    knt, vnt = (tt(_dims(a.shape, dynamic, (1, 3)), t) for a in (kn, vn))
    kct, vct = (tt(_dims(a.shape, dynamic, (1, 2, 3)), t) for a in (kc, vc))
    st = tt([None], idx_type)
    args = [('k', knt), ('v', vnt), ('s', st)]
    clause = f'at(%s : {st})'
    bufs = [strided_buffer(kn, t, 'Knew'), strided_buffer(vn, t, 'Vnew', pad=0, offset=0),
            strided_buffer(np.array(starts), idx_type, 'start', pad=0, offset=1)]
    if page:
        tabt = tt([None, None], idx_type)
        args.append(('t', tabt))
        clause += f' block_table(%t : {tabt})'
        bufs.append(strided_buffer(table, idx_type, 'block_table', pad=1, offset=0))
    args += [('kc', kct), ('vc', vct)]
    # The caches are updated in place: dense, no padding (their layout is the
    # identity after bufferization).
    bufs += [strided_buffer(kc, t, 'Kcache', pad=0, offset=0),
             strided_buffer(vc, t, 'Vcache', pad=0, offset=0)]
    text = _func(args, [('a', kct), ('b', vct)],
                 f'attn.kv_append ins(%k, %v : {knt}, {vnt}) {clause} '
                 f'outs(%kc, %vc : {kct}, {vct})')
    return Prepared(text, bufs, [Expect('Kcache', want_k, 0), Expect('Vcache', want_v, 0)],
                    asserts)

# ----------------------------------------------------------------- masked_softmax


def softmax_reference(x, mask, mask_type, causal, window, softcap, scale):
    """attn.masked_softmax of x [..., Sq, Skv] in float64."""
    Sq, Skv = x.shape[-2:]
    s = x * (1.0 if scale is None else scale)
    if softcap:
        s = softcap * np.tanh(s / softcap)
    if mask is not None:
        m = np.broadcast_to(mask, x.shape)
        s = np.where(m > 0, s, -math.inf) if mask_type == 'i1' else s + m
    pos = Skv - Sq + np.arange(Sq)[:, None]
    j = np.arange(Skv)[None, :]
    keep = np.ones((Sq, Skv), dtype=bool)
    if causal:
        keep &= j <= pos
    if window:
        keep &= pos - j < window
        if not causal:
            keep &= j - pos < window
    s = np.where(keep, s, -math.inf)
    mx = s.max(axis=-1, keepdims=True)
    alive = mx > -math.inf
    e = np.where(alive, np.exp(s - np.where(alive, mx, 0.0)), 0.0)
    total = e.sum(axis=-1, keepdims=True)
    return np.where(alive, e / np.where(total > 0, total, 1.0), 0.0)


def prepare_masked_softmax(rng, t, shape=(2, 3, 40), causal=False, window=None, softcap=None,
                           scale=None, mask_shape=None, mask_type=None, dead_row=False,
                           dynamic=False):
    """Scores ~ 3 N(0,1). `mask_shape`: the mask's dims (each 1 or full);
    `dead_row`: the last query row of the first slice is fully masked."""
    x = rounded(rng, shape, t, scale=3.0)
    st = tt(_dims(shape, dynamic), t)
    args = [('s', st)]
    bufs = [strided_buffer(x, t, 'S')]
    clause = ''
    mask = None
    if mask_shape:
        if mask_type == 'i1':
            mask = (rng.random(mask_shape) < 0.7).astype(float)
        else:
            mask = rng.uniform(-2, 2, mask_shape)
            mask[rng.random(mask_shape) < 0.2] = -math.inf
            mask = _round(mask, mask_type)
        if dead_row:
            mask[(0,) * (len(shape) - 2) + (-1,)] = 0.0 if mask_type == 'i1' else -math.inf
        # Broadcast (size-1) mask dims stay static: a dynamic dim must match.
        mt = tt(_dims(mask_shape, dynamic, [i for i, n in enumerate(mask_shape) if n == 1]),
                mask_type)
        args.append(('m', mt))
        clause = f' mask(%m : {mt})'
        bufs.append(strided_buffer(mask, mask_type, 'mask', pad=1, offset=2))
    attrs = ''.join([' causal' if causal else '', f' window({window})' if window else '',
                     f' softcap({softcap:e})' if softcap else '',
                     f' scale({scale:e})' if scale else ''])
    args.append(('o', st))
    out = output_buffer(shape, t, 'P')
    bufs.append(out)
    text = _func(args, [('r', st)],
                 f'attn.masked_softmax{attrs} ins(%s : {st}){clause} outs(%o : {st})')
    want = softmax_reference(x, mask, mask_type, causal, window, softcap, scale)
    expects = [Expect('P', want, TOLERANCE[t], out)]
    return Prepared(text, bufs, expects)

# ----------------------------------------------------------------- projections


def _weight(rng, K, N, layout, elem, name):
    """A [K, N] float64 weight (rounded to `elem`) and its buffer, stored
    [K, N] (in_out) or transposed [N, K] (out_in)."""
    w = rounded(rng, (K, N), elem, scale=1.0 / math.sqrt(K))
    stored = w if layout == 'in_out' else w.T.copy()
    return w, stored, strided_buffer(stored, elem, name, pad=1, offset=3)


def prepare_qkv_proj(rng, t, B=1, S=5, Dm=24, Hq=2, Hkv=1, D=8, Dv=None, layout='in_out',
                     fused=False, bias=False, weight_type=None, rope=None, dynamic=False):
    """`rope`: (style, theta, rotary_dim or None, scaling, pos_rank)."""
    Dv = Dv or D
    wt = weight_type or t
    x = rounded(rng, (B, S, Dm), t)
    widths = [Hq * D, Hkv * D, Hkv * Dv]
    xt = tt(_dims(x.shape, dynamic, (2,)), t)
    args, bufs = [('x', xt)], [strided_buffer(x, t, 'X')]
    if fused:
        w, stored, buf = _weight(rng, Dm, sum(widths), layout, wt, 'W')
        bounds = np.cumsum([0] + widths)
        ws = [w[:, bounds[i]:bounds[i + 1]] for i in range(3)]
        wargs, wbufs = [('w', tt(stored.shape, wt))], [buf]
    else:
        made = [_weight(rng, Dm, n, layout, wt, f'W{"qkv"[i]}') for i, n in enumerate(widths)]
        ws = [m[0] for m in made]
        wargs = [(f'w{"qkv"[i]}', tt(m[1].shape, wt)) for i, m in enumerate(made)]
        wbufs = [m[2] for m in made]
    args += wargs
    bufs += wbufs
    body = (f'attn.qkv_proj layout({layout}) ins(%x : {xt}) weights('
            f'{", ".join("%" + n for n, _ in wargs)} : {", ".join(ty for _, ty in wargs)})')
    bs = [np.zeros(n) for n in widths]
    if bias:
        if fused:
            fb = rounded(rng, (sum(widths),), t)
            bs = [fb[bounds[i]:bounds[i + 1]] for i in range(3)]
            bargs, bbufs = [('b', tt(fb.shape, t))], [strided_buffer(fb, t, 'bias', pad=0)]
        else:
            bs = [rounded(rng, (n,), t) for n in widths]
            bargs = [(f'b{"qkv"[i]}', tt(b.shape, t)) for i, b in enumerate(bs)]
            bbufs = [strided_buffer(b, t, f'bias{"qkv"[i]}', pad=0) for i, b in enumerate(bs)]
        args += bargs
        bufs += bbufs
        body += (f' biases({", ".join("%" + n for n, _ in bargs)} : '
                 f'{", ".join(ty for _, ty in bargs)})')
    shapes = [(B, Hq, S, D), (B, Hkv, S, D), (B, Hkv, S, Dv)]
    ref = []
    for w, b, shape in zip(ws, bs, shapes):
        y = x.reshape(B * S, Dm) @ w + b                       # [B*S, H*hd]
        ref.append(y.reshape(B, S, shape[1], shape[3]).transpose(0, 2, 1, 3))
    if rope:
        style, theta, rotary, scaling, pos_rank = rope
        pos = _positions(rng, (S,) if pos_rank == 1 else (B, S), 64)
        pt = tt(_dims(pos.shape, dynamic), 'i64')
        args.append(('p', pt))
        bufs.append(strided_buffer(pos, 'i64', 'positions', pad=0, offset=1))
        body += f' rope {rope_clause(style, theta, rotary, scaling)} positions(%p : {pt})'
        R = rotary or D
        ref[0] = rope_reference(ref[0], pos, style, theta, R, scaling)
        ref[1] = rope_reference(ref[1], pos, style, theta, R, scaling)
    ots = [tt(_dims(s, dynamic, (1, 3)), t) for s in shapes]
    outs = [output_buffer(s, t, 'QKV'[i]) for i, s in enumerate(shapes)]
    args += [(f'o{i}', ty) for i, ty in enumerate(ots)]
    bufs += outs
    body += f' outs(%o0, %o1, %o2 : {", ".join(ots)})'
    text = _func(args, [('q', ots[0]), ('k', ots[1]), ('v', ots[2])], body)
    # The RoPE epilogue rotates Q and K in place with the attn.rope kernel
    # (ProjectionGPU.cpp): their rotated components are stored twice.
    return Prepared(text, bufs, [Expect('QKV'[i], ref[i], TOLERANCE[t], outs[i],
                                        once=not (rope and i < 2)) for i in range(3)])


def prepare_out_proj(rng, t, B=1, H=2, S=5, Dv=8, Dm=24, layout='in_out', bias=False,
                     dynamic=False):
    o = rounded(rng, (B, H, S, Dv), t)
    w, stored, wbuf = _weight(rng, H * Dv, Dm, layout, t, 'Wo')
    ot = tt(_dims(o.shape, dynamic, (1, 3)), t)
    wty = tt(stored.shape, t)
    yt = tt(_dims((B, S, Dm), dynamic, (2,)), t)
    args, bufs = [('o', ot), ('w', wty)], [strided_buffer(o, t, 'O'), wbuf]
    body = f'attn.out_proj layout({layout}) ins(%o : {ot}) weight(%w : {wty})'
    b = np.zeros(Dm)
    if bias:
        b = rounded(rng, (Dm,), t)
        args.append(('b', tt(b.shape, t)))
        bufs.append(strided_buffer(b, t, 'bias', pad=0))
        body += f' bias(%b : {tt(b.shape, t)})'
    y = output_buffer((B, S, Dm), t, 'Y')
    args.append(('y0', yt))
    bufs.append(y)
    body += f' outs(%y0 : {yt})'
    want = o.transpose(0, 2, 1, 3).reshape(B, S, H * Dv) @ w + b
    return Prepared(_func(args, [('y', yt)], body), bufs,
                    [Expect('Y', want, TOLERANCE[t], y)])


PREPARE = {'rope': prepare_rope, 'kv_append': prepare_kv_append,
           'masked_softmax': prepare_masked_softmax, 'qkv_proj': prepare_qkv_proj,
           'out_proj': prepare_out_proj}


def prepare(c):
    return PREPARE[c.op](np.random.default_rng(c.seed), c.dtype, **c.params)
