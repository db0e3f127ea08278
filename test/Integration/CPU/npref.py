"""NumPy references of the attn ops' documented math (AttnOps.td).

Everything here is written from the op descriptions, independently of the
lowering under test and of test/Integration/Reference. The main references
compute in float64 from the (exactly converted) input values. The `*_lowp`
functions compute "the same math at low precision" the way FlashAttention's
tests build their baseline: products accumulate in f32 and every intermediate
tensor is rounded to the input precision (f16 or bf16).
"""

import numpy as np


# --- element types ----------------------------------------------------------

def f32(x):
    """`x` rounded to f32 (attributes and default scales are f32)."""
    return float(np.float32(x))


def f32_to_bf16_bits(x):
    """Round-to-nearest-even f32 -> bf16, as raw uint16 bit patterns."""
    u = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    rounded = (u + np.uint32(0x7FFF) + ((u >> np.uint32(16)) & np.uint32(1)))
    return (rounded >> np.uint32(16)).astype("<u2")


def bf16_bits_to_f32(bits):
    return (np.asarray(bits, dtype=np.uint32) << np.uint32(16)).view(
        np.float32)


def round_bf16(x):
    return bf16_bits_to_f32(f32_to_bf16_bits(x))


def round_f16(x):
    return np.asarray(x, np.float32).astype(np.float16).astype(np.float32)


def round_f32(x):
    return np.asarray(x, np.float32)


ROUND = {"f32": round_f32, "f16": round_f16, "bf16": round_bf16}


# --- attention --------------------------------------------------------------

def default_scale(head_dim):
    """1/sqrt(D), computed in f32 as the op does."""
    return f32(np.float32(1.0) / np.sqrt(np.float32(head_dim)))


def position_keep(lens, sq, skv, causal, window):
    """keep[b, 1, i, j] from key existence, causal and window rules.

    `lens[b]` is the number of existing keys (Skv for attention); query row
    `i` sits at p(i) = lens[b] - sq + i (bottom-right alignment).
    """
    lens = np.asarray(lens, np.int64)
    p = lens[:, None, None] - sq + np.arange(sq)[None, :, None]  # [B, Sq, 1]
    j = np.arange(skv)[None, None, :]
    keep = j < lens[:, None, None]
    if causal:
        keep = keep & (j <= p)
    if window is not None:
        keep = keep & (p - j < window)
        if not causal:
            keep = keep & (j - p < window)
    return keep[:, None]


def masked_softmax_rows(s, keep):
    """Softmax over the last axis with exp(-inf) = 0; fully masked -> 0."""
    keep = np.broadcast_to(keep, s.shape)
    s = np.where(keep, s, -np.inf)
    top = np.max(s, axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    e = np.where(keep, np.exp(s - top), 0.0)
    den = e.sum(axis=-1, keepdims=True)
    full = ~keep.any(axis=-1)
    return e / np.where(den == 0, 1.0, den), full


def _scores_rules(s, mask, softcap):
    """softcap, then the mask operand; returns (scores, keep-from-mask)."""
    if softcap is not None:
        s = softcap * np.tanh(s / softcap)
    keep = True
    if mask is not None:
        if mask.dtype == np.bool_:
            keep = mask
        else:
            s = s + mask
    return s, keep


def _scores_rules_lowp(s, mask, softcap, rnd):
    """_scores_rules at a low precision: every step rounded by `rnd`."""
    if softcap is not None:
        c = np.float32(softcap)
        s = rnd(c * np.tanh(s / c))
    keep = True
    if mask is not None:
        if mask.dtype == np.bool_:
            keep = mask
        else:
            s = rnd(s + np.asarray(mask, np.float32))
    return s, keep


def attention_ref(q, k, v, mask=None, causal=False, window=None,
                  softcap=None, scale=None, lens=None):
    """float64 O [B, Hq, Sq, Dv] and the fully-masked-row flags [B, Hq, Sq]."""
    q, k, v = (np.asarray(t, np.float64) for t in (q, k, v))
    nb, hq, sq, d = q.shape
    hkv, skv = k.shape[1], k.shape[2]
    kk = np.repeat(k, hq // hkv, axis=1)
    vv = np.repeat(v, hq // hkv, axis=1)
    scale = default_scale(d) if scale is None else f32(scale)
    s = scale * np.einsum("bhid,bhjd->bhij", q, kk)
    s, keep = _scores_rules(s, mask, None if softcap is None else f32(softcap))
    lens = np.full(nb, skv) if lens is None else lens
    keep = keep & position_keep(lens, sq, skv, causal, window)
    p, full = masked_softmax_rows(s, keep)
    return np.einsum("bhij,bhje->bhie", p, vv), full


def attention_lowp(q, k, v, elt, mask=None, causal=False, window=None,
                   softcap=None, scale=None, lens=None):
    """The same math at precision `elt`: f32 accumulation, each intermediate
    (scaled Q, scores, probabilities, output) rounded to `elt`."""
    rnd = ROUND[elt]
    q, k, v = (np.asarray(t, np.float32) for t in (q, k, v))
    nb, hq, sq, d = q.shape
    hkv, skv = k.shape[1], k.shape[2]
    kk = np.repeat(k, hq // hkv, axis=1)
    vv = np.repeat(v, hq // hkv, axis=1)
    scale = np.float32(default_scale(d) if scale is None else scale)
    s = rnd(np.matmul(rnd(q * scale), np.swapaxes(kk, -1, -2)))
    s, keep = _scores_rules_lowp(s, mask, softcap, rnd)
    lens = np.full(nb, skv) if lens is None else lens
    keep = keep & position_keep(lens, sq, skv, causal, window)
    p, _ = masked_softmax_rows(s.astype(np.float32), keep)
    p = rnd(p.astype(np.float32))
    return rnd(np.matmul(p, vv)).astype(np.float64)


def masked_softmax_ref(x, mask=None, causal=False, window=None, softcap=None,
                       scale=None):
    """float64 softmax of [..., Sq, Skv] and fully-masked-row flags."""
    x = np.asarray(x, np.float64)
    sq, skv = x.shape[-2:]
    s = (1.0 if scale is None else f32(scale)) * x
    s, keep = _scores_rules(s, mask, None if softcap is None else f32(softcap))
    pos = position_keep([skv], sq, skv, causal, window)[0, 0]  # [Sq, Skv]
    return masked_softmax_rows(s, keep & pos)


def masked_softmax_lowp(x, elt, mask=None, causal=False, window=None,
                        softcap=None, scale=None):
    rnd = ROUND[elt]
    x = np.asarray(x, np.float32)
    sq, skv = x.shape[-2:]
    s = rnd(np.float32(1.0 if scale is None else scale) * x)
    s, keep = _scores_rules_lowp(s, mask, softcap, rnd)
    pos = position_keep([skv], sq, skv, causal, window)[0, 0]
    p, _ = masked_softmax_rows(s, keep & pos)
    return rnd(p.astype(np.float32)).astype(np.float64)


# --- projections and rope ---------------------------------------------------

def split_heads(y, heads, hd):
    """[B, S, heads*hd] -> [B, heads, S, hd]."""
    nb, s, _ = y.shape
    return y.reshape(nb, s, heads, hd).transpose(0, 2, 1, 3)


def qkv_proj_ref(x, weights, biases, hq, hkv, d, dv, out_in):
    """(Q, K, V) in float64; `weights` holds one fused or three matrices."""
    x = np.asarray(x, np.float64)
    ws = [np.asarray(w, np.float64) for w in weights]
    ws = [w.T if out_in else w for w in ws]  # now [Dm, N]
    bs = [np.asarray(b, np.float64) for b in biases]
    widths = [hq * d, hkv * d, hkv * dv]
    if len(ws) == 1:
        cuts = np.cumsum(widths)[:-1]
        ws = np.split(ws[0], cuts, axis=1)
        bs = np.split(bs[0], cuts) if bs else []
    ys = [x @ w for w in ws]
    if bs:
        ys = [y + b for y, b in zip(ys, bs)]
    return (split_heads(ys[0], hq, d), split_heads(ys[1], hkv, d),
            split_heads(ys[2], hkv, dv))


def out_proj_ref(o, w, bias, out_in):
    o = np.asarray(o, np.float64)
    nb, h, s, dv = o.shape
    w = np.asarray(w, np.float64)
    w = w.T if out_in else w  # [H*Dv, Dm]
    y = o.transpose(0, 2, 1, 3).reshape(nb, s, h * dv) @ w
    return y if bias is None else y + np.asarray(bias, np.float64)


def rope_scale_inv_freq(inv_freq, scaling):
    """Hugging Face's rope_scaling of f32 inverse frequencies: `scaling` is
    None, ("linear", [factor]) or ("llama3", [factor, low_freq_factor,
    high_freq_factor, original_max_positions]) (transformers'
    _compute_llama3_parameters, in f32)."""
    if scaling is None:
        return inv_freq
    kind, params = scaling
    f32 = np.float32
    factor = f32(params[0])
    scaled = inv_freq / factor
    if kind == "linear":
        return scaled
    low, high, original = f32(params[1]), f32(params[2]), f32(params[3])
    wavelength = f32(2 * np.pi) / inv_freq
    smooth = (original / wavelength - low) / (high - low)
    blended = (f32(1) - smooth) * (inv_freq / factor) + smooth * inv_freq
    out = np.where(wavelength > original / low, scaled, blended)
    return np.where(wavelength < original / high, inv_freq, out).astype(f32)


def rope_angles(positions, nb, seq, theta, rotary_dim, scaling=None):
    """f32 angles [B, S, R/2], as Hugging Face computes them."""
    r = rotary_dim
    exponent = np.arange(0, r, 2).astype(np.float32) / np.float32(r)
    # theta ** exponent correctly rounded to f32: evaluated in f64 and then
    # rounded (numpy's own float32 power can be off by an ulp, which a
    # position of ~8000 turns into a 5e-4 error in the angle).
    power = np.power(np.float64(np.float32(theta)),
                     exponent.astype(np.float64)).astype(np.float32)
    inv_freq = rope_scale_inv_freq(np.float32(1.0) / power, scaling)
    pos = np.asarray(positions)
    pos = np.broadcast_to(pos, (nb, seq)) if pos.ndim == 1 else pos
    return pos.astype(np.float32)[:, :, None] * inv_freq[None, None, :]


def rope_ref(x, positions, style, theta, rotary_dim, scaling=None):
    """float64 rotation of x [B, H, S, D]; angles rounded to f32."""
    x = np.asarray(x, np.float64)
    nb, _, seq, _ = x.shape
    r = rotary_dim
    ang = rope_angles(positions, nb, seq, theta, r,
                      scaling).astype(np.float64)
    cos, sin = np.cos(ang)[:, None], np.sin(ang)[:, None]  # [B, 1, S, R/2]
    if style == "half":
        first, second = slice(0, r // 2), slice(r // 2, r)
    else:
        first, second = slice(0, r, 2), slice(1, r, 2)
    out = x.copy()
    x1, x2 = x[..., first], x[..., second]
    out[..., first] = x1 * cos - x2 * sin
    out[..., second] = x2 * cos + x1 * sin
    return out


# --- KV cache ---------------------------------------------------------------

def cache_slot(b, pos, table, block_size):
    """(block, slot) of logical position `pos` of sequence `b`."""
    if table is None:
        return b, pos
    return int(table[b, pos // block_size]), pos % block_size


def kv_append_ref(kc, vc, kn, vn, starts, table=None):
    """Expected caches (same dtype and bits as the inputs) after the write."""
    ek, ev = kc.copy(), vc.copy()
    block_size = kc.shape[2]
    nb, _, snew, _ = kn.shape
    for b in range(nb):
        for t in range(snew):
            blk, slot = cache_slot(b, int(starts[b]) + t, table, block_size)
            ek[blk, :, slot, :] = kn[b, :, t, :]
            ev[blk, :, slot, :] = vn[b, :, t, :]
    return ek, ev


def logical_cache(cache, lens, table, capacity):
    """[B, H, capacity, D]: positions < lens[b] gathered, the rest zero."""
    cache = np.asarray(cache)
    nb = len(lens)
    out = np.zeros((nb, cache.shape[1], capacity, cache.shape[3]), cache.dtype)
    block_size = cache.shape[2]
    for b in range(nb):
        for p in range(int(lens[b])):
            blk, slot = cache_slot(b, p, table, block_size)
            out[b, :, p, :] = cache[blk, :, slot, :]
    return out
