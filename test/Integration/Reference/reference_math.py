"""float64 reference implementations of the attn ops' documented math.

Independent of the lowering under test: written straight from AttnOps.td in
pure Python. Results are flat row-major lists of floats; where the math makes a
value exact (fully masked rows are zeros), a parallel list of flags says so.
"""

import math

from tensors import NEG_INF, Tensor, indices, round_f32


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


def weight_at(w, out_idx, in_idx, out_in):
    """Projection weight element: w[out, in] (out_in) or w[in, out] (in_out)."""
    return w[out_idx, in_idx] if out_in else w[in_idx, out_idx]


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
                        acc = sum(x[b, t, kk] * weight_at(w, col, kk, out_in)
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
                        acc += o[b, hh, t, e] * weight_at(w, m, row, out_in)
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


def kv_append_ref(kc, vc, kn, vn, starts, table=None, block_size=None):
    """The caches after writing rows [start, start + Snew) of every sequence.

    Contiguous caches [B, Hkv, Smax, D|Dv] when `table` is None, else paged
    [num_blocks, Hkv, bs, D|Dv] addressed through the block table.
    """
    b, hkv, snew, d = kn.shape
    dv = vn.shape[3]
    ek, ev = kc.copy(), vc.copy()
    for bb in range(b):
        for h in range(hkv):
            for t in range(snew):
                p = starts[bb] + t
                if table is not None:
                    blk, slot = table[bb, p // block_size], p % block_size
                else:
                    blk, slot = bb, p
                for c in range(d):
                    ek[blk, h, slot, c] = kn[bb, h, t, c]
                for c in range(dv):
                    ev[blk, h, slot, c] = vn[bb, h, t, c]
    return ek, ev


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
