#!/usr/bin/env python3
"""Runs the attn-ops-gpu kernels in the emulator against float64 references.

  /usr/bin/python3 tools/gpu/emulate/run_ops.py --attnc-opt build/bin/attnc-opt \
      [--subset lit] [--only NAME-SUBSTRING] [--chip sm_80]

Each case: the op text -> attnc-opt -attn-ops-gpu -> the host function and
its kernels run in the emulator -> every result compared with its reference:
relative Frobenius error vs float64 (f32 1e-5, f16 2e-3, bf16 1e-2; no NaN,
every element of an out-of-place result written exactly once), or bit-exact
for the kv_append caches; the failed cf.asserts must be exactly the expected
ones (none for in-range cases). The emulator itself rejects out-of-bounds
global/shared accesses, shared-memory races and divergent syncs.
Exit status 1 if any case fails.
"""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import compare, compile_kernels, main, to_array, written_once  # noqa: E402
from emulator import Device  # noqa: E402
from ops_cases import case, prepare  # noqa: E402

LLAMA3 = ('llama3', 8.0, 1.0, 4.0, 8192.0)
C = case
CASES = [
    # rope: styles, partial rotary, positions rank 1/2 and i32/i64, scaling, dtypes
    C('rope half f32', 'rope', 'f32', B=2, Hq=3, Hkv=1, S=5, D=8),
    C('rope interleaved f32 partial pos2 i32', 'rope', 'f32', B=2, Hq=2, Hkv=1, S=3, D=12,
      style='interleaved', rotary=8, pos_rank=2, pos_type='i32'),
    C('rope half bf16 partial linear dyn', 'rope', 'bf16', Hq=2, Hkv=2, S=4, D=10, rotary=6,
      scaling=('linear', 4.0), dynamic=True, max_pos=4096),
    C('rope half f16 llama3 theta 5e5', 'rope', 'f16', S=6, D=64, theta=500000.0,
      scaling=LLAMA3, max_pos=8192),
    C('rope interleaved f32 llama3 pos2', 'rope', 'f32', B=2, Hq=1, S=3, D=32,
      style='interleaved', theta=500000.0, scaling=LLAMA3, pos_rank=2),
    C('rope interleaved f16 partial dyn', 'rope', 'f16', B=2, Hq=4, Hkv=2, S=7, D=16,
      style='interleaved', rotary=10, dynamic=True, max_pos=2048),
    C('rope half bf16 pos2 i64', 'rope', 'bf16', B=3, Hq=1, Hkv=1, S=2, D=32, pos_rank=2,
      max_pos=1000),
    # kv_append: contiguous and paged (shuffled blocks), in range and not
    C('kv_append contiguous f16', 'kv_append', 'f16', B=2, H=2, Snew=3, D=5, Dv=4, Smax=9,
      starts=[6, 0]),
    C('kv_append contiguous bf16 i64 static', 'kv_append', 'bf16', B=1, H=1, Snew=4, D=8,
      Smax=4, starts=[0], idx_type='i64', dynamic=False),
    C('kv_append paged bf16 i64', 'kv_append', 'bf16', B=2, H=2, Snew=5, D=3, Dv=6, page=4,
      starts=[2, 7], num_blocks=6, idx_type='i64'),
    C('kv_append paged f32 shuffled', 'kv_append', 'f32', B=3, H=1, Snew=2, D=4, page=2,
      starts=[0, 3, 5], num_blocks=12),
    C('kv_append contiguous errors', 'kv_append', 'f32', B=3, H=1, Snew=3, D=4, Smax=8,
      starts=[6, -1, 5]),
    C('kv_append paged errors', 'kv_append', 'f32', B=3, H=1, Snew=3, D=2, page=2,
      starts=[2, 5, -4], table=[[0, 1, 7], [2, 3, 4], [5, 5, 5]], num_blocks=6),
    # masked_softmax: causal, window, softcap, scale, masks, fully masked rows
    C('softmax plain f32 Skv=300', 'masked_softmax', 'f32', shape=(2, 3, 300)),
    C('softmax causal i1 bcast mask f32', 'masked_softmax', 'f32', shape=(2, 2, 5, 7),
      causal=True, scale=0.125, mask_shape=(2, 1, 1, 7), mask_type='i1', dead_row=True),
    C('softmax window softcap f16 mask dyn', 'masked_softmax', 'f16', shape=(2, 6, 9), window=3,
      softcap=5.0, mask_shape=(1, 6, 9), mask_type='f16', dynamic=True),
    C('softmax causal window bf16 rank2', 'masked_softmax', 'bf16', shape=(4, 6), causal=True,
      window=2),
    C('softmax bf16 f32 mask dead row', 'masked_softmax', 'bf16', shape=(2, 3, 4, 70),
      mask_shape=(2, 1, 4, 70), mask_type='f32', dead_row=True),
    C('softmax f32 causal Sq>Skv', 'masked_softmax', 'f32', shape=(1, 9, 4), causal=True),
    C('softmax f16 window non-causal Skv=65', 'masked_softmax', 'f16', shape=(3, 20, 65),
      window=16, scale=0.5),
    # qkv_proj: separate/fused, layouts, biases, rope epilogue, tails in M/N/K
    C('qkv separate in_out bias f32', 'qkv_proj', 'f32', B=2, S=37, Dm=40, Hq=3, Hkv=1, D=16,
      Dv=8, bias=True),
    C('qkv fused out_in bf16 weights rope f32', 'qkv_proj', 'f32', S=70, Dm=24, Hq=2, Hkv=1,
      D=12, Dv=20, layout='out_in', fused=True, bias=True, weight_type='bf16',
      rope=('interleaved', 10000.0, 8, None, 1), dynamic=True),
    C('qkv fused in_out f16 N tail', 'qkv_proj', 'f16', S=5, Dm=33, Hq=1, Hkv=1, D=72, Dv=4,
      fused=True),
    C('qkv separate out_in bf16 rope half llama3 pos2', 'qkv_proj', 'bf16', B=2, S=9, Dm=48,
      Hq=2, Hkv=2, D=16, layout='out_in', bias=True,
      rope=('half', 500000.0, None, LLAMA3, 2)),
    C('qkv separate in_out f16 rope partial K tail', 'qkv_proj', 'f16', S=65, Dm=17, Hq=4,
      Hkv=1, D=16, rope=('half', 10000.0, 12, ('linear', 2.0), 1)),
    C('qkv separate in_out f32 f16 weights', 'qkv_proj', 'f32', S=3, Dm=70, Hq=1, Hkv=1, D=8,
      weight_type='f16'),
    # out_proj
    C('out_proj in_out bias f32', 'out_proj', 'f32', B=2, H=3, S=35, Dv=6, Dm=70, bias=True),
    C('out_proj out_in bf16 dyn', 'out_proj', 'bf16', H=2, S=66, Dv=10, Dm=20, layout='out_in',
      dynamic=True),
    C('out_proj out_in f16 bias', 'out_proj', 'f16', B=1, H=4, S=7, Dv=16, Dm=65,
      layout='out_in', bias=True),
]

# A small, fast subset for the lit test.
LIT = ['rope interleaved f32 partial pos2 i32', 'rope half f16 llama3 theta 5e5',
       'kv_append paged bf16 i64', 'kv_append paged errors', 'softmax causal i1 bcast mask f32',
       'softmax window softcap f16 mask dyn', 'qkv fused out_in bf16 weights rope f32',
       'out_proj out_in f16 bias']

def _asserts_seen(device):
    """The failed cf.assert messages without their location prefix."""
    return {m.rsplit(': ', 1)[-1] for m in device.asserts}


def run_case(c, opt, chip):
    """Returns (ok, message)."""
    p = prepare(c)
    device = Device(compile_kernels(opt, 'attn-ops-gpu', chip, p.text))
    t0 = time.time()
    problems, errs = [], []
    try:
        results = device.call('f', *p.args)
    except Exception as e:  # noqa: BLE001 - report any emulation failure
        return False, f'{type(e).__name__}: {e}; asserts {sorted(_asserts_seen(device))}'
    elapsed = time.time() - t0
    seen = _asserts_seen(device)
    if seen != p.asserts:
        problems.append(f'asserts {sorted(seen)}, expected {sorted(p.asserts)}')
    for result, e in zip(results, p.expects):
        got = to_array(result)
        if e.out is not None:
            if result is not e.out:
                problems.append(f'{e.label}: result is not the outs buffer')
            problems.append(written_once(e.label, e.out, e.once))
        if e.tol == 0:
            if not np.array_equal(got, e.want, equal_nan=True):
                bad = np.argwhere(~((got == e.want) | (np.isnan(got) & np.isnan(e.want))))
                problems.append(f'{e.label}: {len(bad)} elements differ, first at '
                                f'{[tuple(int(i) for i in b) for b in bad[:3]]}')
            errs.append(f'{e.label} exact')
        else:
            err, bad = compare(e.label, got, e.want, e.tol)
            problems += bad
            errs.append(f'{e.label} {err:.1e}')
    problems = [q for q in problems if q]
    grid = ' '.join(f'{k}{g}' for k, g, _, _ in device.launches)
    msg = f'{", ".join(errs)} {elapsed:.1f}s launches {grid}'
    if p.asserts:
        msg += f' asserts {sorted(seen)}'
    if problems:
        msg += ' -- ' + '; '.join(problems)
    return not problems, msg


if __name__ == '__main__':
    sys.exit(main(__doc__, CASES, LIT, run_case))
