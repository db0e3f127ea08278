"""attn.attention / attn.decode_attention cases for the GPU emulator: the op
text of a case, its inputs and a float64 NumPy reference written from the op
descriptions in AttnOps.td (not from the kernels)."""
import dataclasses
import math
from typing import Optional

import numpy as np

from common import rounded, strided_buffer, tensor_type
from values import Buffer, ROUND


@dataclasses.dataclass
class Case:
    name: str
    dtype: str = 'f16'
    B: int = 1
    Hq: int = 2
    Hkv: int = 2
    Sq: int = 5
    Skv: int = 20            # attention: keys; decode: cache positions (Smax)
    D: int = 16
    Dv: Optional[int] = None
    causal: bool = False
    window: Optional[int] = None
    softcap: Optional[float] = None
    scale: Optional[float] = None
    mask: Optional[str] = None      # element type of the mask operand
    mask_shape: str = 'full'        # 'full' or 'bcast' ([B, 1, 1, Skv])
    dynamic: bool = False           # B, Sq, Skv dynamic
    decode: bool = False
    lens: Optional[list] = None     # decode: seq_lens
    page: Optional[int] = None      # decode: paged with this block size
    seed: int = 0

    @property
    def dv(self):
        return self.Dv or self.D

    def tolerance(self):
        return {'f32': 1e-5, 'f16': 2e-3, 'bf16': 1e-2}[self.dtype]

# ----------------------------------------------------------------- MLIR


def op_text(c):
    """The function @f wrapping one attn op of case c."""
    dyn = (lambda s: None) if c.dynamic else (lambda s: s)
    q = tensor_type([dyn(c.B), c.Hq, dyn(c.Sq), c.D], c.dtype)
    o = tensor_type([dyn(c.B), c.Hq, dyn(c.Sq), c.dv], c.dtype)
    attrs = ''
    if c.causal:
        attrs += ' causal'
    if c.window:
        attrs += f' window({c.window})'
    if c.softcap:
        attrs += f' softcap({c.softcap:e})'
    if c.scale:
        attrs += f' scale({c.scale:e})'
    if not c.decode:
        k = tensor_type([dyn(c.B), c.Hkv, dyn(c.Skv), c.D], c.dtype)
        v = tensor_type([dyn(c.B), c.Hkv, dyn(c.Skv), c.dv], c.dtype)
        args = [f'%q: {q}', f'%k: {k}', f'%v: {v}']
        clause = ''
        if c.mask:
            m = tensor_type(mask_dims(c, dynamic=c.dynamic), c.mask)
            args.append(f'%m: {m}')
            clause = f' mask(%m : {m})'
        args.append(f'%o: {o}')
        return (f'func.func @f({", ".join(args)}) -> {o} {{\n'
                f'  %r = attn.attention{attrs} ins(%q, %k, %v : {q}, {k}, {v}){clause}\n'
                f'      outs(%o : {o}) -> {o}\n'
                f'  return %r : {o}\n}}\n')
    if c.page:
        k = tensor_type([None, c.Hkv, c.page, c.D], c.dtype)
        v = tensor_type([None, c.Hkv, c.page, c.dv], c.dtype)
    else:
        k = tensor_type([dyn(c.B), c.Hkv, dyn(c.Skv), c.D], c.dtype)
        v = tensor_type([dyn(c.B), c.Hkv, dyn(c.Skv), c.dv], c.dtype)
    lens = tensor_type([dyn(c.B)], 'i32')
    args = [f'%q: {q}', f'%k: {k}', f'%v: {v}', f'%l: {lens}']
    clause = f' seq_lens(%l : {lens})'
    if c.page:
        table = tensor_type([dyn(c.B), None], 'i32')
        args.append(f'%t: {table}')
        clause += f' block_table(%t : {table})'
    args.append(f'%o: {o}')
    return (f'func.func @f({", ".join(args)}) -> {o} {{\n'
            f'  %r = attn.decode_attention{attrs} ins(%q, %k, %v : {q}, {k}, {v}){clause}\n'
            f'      outs(%o : {o}) -> {o}\n'
            f'  return %r : {o}\n}}\n')


def mask_dims(c, dynamic=False):
    """The mask operand's type dims. Dynamic shapes make the full-size dims
    dynamic; broadcast dims stay a static 1, as the op requires (a dynamic
    mask dim must have the full size at run time)."""
    if c.mask_shape == 'bcast':
        return [None if dynamic else c.B, 1, 1, None if dynamic else c.Skv]
    return [None if dynamic else c.B, c.Hq, None if dynamic else c.Sq,
            None if dynamic else c.Skv]

# ----------------------------------------------------------------- inputs


class Inputs:
    """The arrays of a case (float64, rounded to the element type) and the
    emulator buffers holding them."""

    def __init__(self, c):
        rng = np.random.default_rng(c.seed)
        self.q = rounded(rng, (c.B, c.Hq, c.Sq, c.D), c.dtype)
        self.mask = None
        if not c.decode:
            self.k = rounded(rng, (c.B, c.Hkv, c.Skv, c.D), c.dtype)
            self.v = rounded(rng, (c.B, c.Hkv, c.Skv, c.dv), c.dtype)
            if c.mask:
                self.mask = self._mask(rng, c)
            return
        self.lens = np.array(c.lens)
        if not c.page:
            self.k = rounded(rng, (c.B, c.Hkv, c.Skv, c.D), c.dtype)
            self.v = rounded(rng, (c.B, c.Hkv, c.Skv, c.dv), c.dtype)
            return
        # Paged: logical caches of Skv positions spread over shuffled blocks;
        # table entries past a sequence's length point outside the pool.
        per_seq = -(-c.Skv // c.page)
        used = [-(-n // c.page) for n in c.lens]
        num_blocks = sum(used) + 2
        ids = rng.permutation(num_blocks)
        self.table = np.full((c.B, per_seq), 1_000_000, dtype=np.int64)
        self.kpool = rounded(rng, (num_blocks, c.Hkv, c.page, c.D), c.dtype)
        self.vpool = rounded(rng, (num_blocks, c.Hkv, c.page, c.dv), c.dtype)
        self.k = np.zeros((c.B, c.Hkv, per_seq * c.page, c.D))
        self.v = np.zeros((c.B, c.Hkv, per_seq * c.page, c.dv))
        nxt = 0
        for b in range(c.B):
            for lb in range(used[b]):
                blk = ids[nxt]
                nxt += 1
                self.table[b, lb] = blk
                sl = slice(lb * c.page, (lb + 1) * c.page)
                self.k[b, :, sl] = self.kpool[blk]
                self.v[b, :, sl] = self.vpool[blk]

    @staticmethod
    def _mask(rng, c):
        shape = [c.B, 1, 1, c.Skv] if c.mask_shape == 'bcast' else [c.B, c.Hq, c.Sq, c.Skv]
        if c.mask == 'i1':
            m = (rng.random(shape) < 0.7).astype(float)
            m[..., -1, :] = 0          # a fully masked row (all of them if bcast)
            if c.mask_shape == 'bcast':
                m[0, ..., :] = 1       # keep batch 0 alive
                m[-1, ..., 0] = 0
            return m
        m = rng.uniform(-2, 2, shape)
        m[rng.random(shape) < 0.2] = -math.inf
        m[rng.random(shape) < 0.2] = 0.0
        if c.mask_shape == 'full':
            m[..., -1, :] = -math.inf
        return np.vectorize(ROUND[c.mask], otypes=[float])(m)

    def buffers(self, c):
        """The host function's arguments, in order, and the output buffer."""
        args = [strided_buffer(self.q, c.dtype, 'Q')]
        if c.decode and c.page:
            args += [strided_buffer(self.kpool, c.dtype, 'Kpool'),
                     strided_buffer(self.vpool, c.dtype, 'Vpool', pad=0, offset=0)]
        else:
            args += [strided_buffer(self.k, c.dtype, 'K'),
                     strided_buffer(self.v, c.dtype, 'V', pad=0, offset=0)]
        if self.mask is not None:
            args.append(strided_buffer(self.mask, c.mask, 'mask', pad=1, offset=2))
        if c.decode:
            args.append(strided_buffer(self.lens, 'i32', 'seq_lens', pad=0, offset=1))
            if c.page:
                args.append(strided_buffer(self.table, 'i32', 'block_table', pad=2, offset=0))
        out = Buffer([c.B, c.Hq, c.Sq, c.dv], c.dtype, name='O')
        out.writes = {}
        args.append(out)
        return args, out

# ----------------------------------------------------------------- reference


def reference(c, x):
    """O in float64 from the op description."""
    out = np.zeros((c.B, c.Hq, c.Sq, c.dv))
    scale = c.scale if c.scale is not None else 1.0 / math.sqrt(c.D)
    G = c.Hq // c.Hkv
    for b in range(c.B):
        nk = int(x.lens[b]) if c.decode else c.Skv
        for h in range(c.Hq):
            k = x.k[b, h // G, :nk]
            v = x.v[b, h // G, :nk]
            s = x.q[b, h] @ k.T * scale
            if c.softcap:
                s = c.softcap * np.tanh(s / c.softcap)
            if x.mask is not None:
                m = x.mask[b if x.mask.shape[0] > 1 else 0, h if x.mask.shape[1] > 1 else 0]
                m = np.broadcast_to(m, (c.Sq, c.Skv))[:, :nk]
                s = np.where(m > 0, s, -math.inf) if c.mask == 'i1' else s + m
            pos = nk - c.Sq + np.arange(c.Sq)[:, None]
            j = np.arange(nk)[None, :]
            keep = np.ones((c.Sq, nk), dtype=bool)
            if c.causal:
                keep &= j <= pos
            if c.window:
                keep &= pos - j < c.window
                if not c.causal:
                    keep &= j - pos < c.window
            s = np.where(keep, s, -math.inf)
            for i in range(c.Sq):
                row = s[i]
                mx = row.max() if nk else -math.inf
                if mx == -math.inf:
                    continue
                p = np.exp(row - mx)
                out[b, h, i] = p @ v / p.sum()
    return out
