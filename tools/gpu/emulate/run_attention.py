#!/usr/bin/env python3
"""Runs attn-attention-gpu kernels in the emulator against float64 references.

  /usr/bin/python3 tools/gpu/emulate/run_attention.py --attnc-opt build/bin/attnc-opt \
      [--subset lit] [--only NAME-SUBSTRING] [--chip sm_80]

Each case: the op text -> attnc-opt -attn-attention-gpu -> the host function
and its kernels run in the emulator (grid, split count and launches as the
host code computes them) -> relative Frobenius error vs float64, plus: every
output element written exactly once, no failed cf.assert, no NaN, and (by the
emulator) no out-of-bounds global/shared access and no divergent sync.
Exit status 1 if any case fails.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from attention_cases import Case, Inputs, op_text, reference  # noqa: E402
from common import compare, compile_kernels, main, to_array, written_once  # noqa: E402
from emulator import Device  # noqa: E402

C = Case
CASES = [
    # attention: dtypes, causal with Sq < Skv and Sq > Skv, Sq not a multiple of 64
    C('f16 causal Sq=65 Skv=70', 'f16', Sq=65, Skv=70, causal=True),
    C('bf16 plain Sq=5 Skv=100 B=2', 'bf16', B=2, Sq=5, Skv=100, D=32),
    C('f32 plain Sq=65 Skv=40', 'f32', Sq=65, Skv=40, Hq=1, Hkv=1),
    C('f16 causal Sq>Skv (70 > 20)', 'f16', Sq=70, Skv=20, causal=True, Hq=1, Hkv=1),
    C('f32 causal Sq>Skv (9 > 4)', 'f32', Sq=9, Skv=4, causal=True, Hq=1, Hkv=1),
    C('bf16 causal Sq=3 Skv=100', 'bf16', Sq=3, Skv=100, causal=True),
    # windows
    C('f16 window 7 Sq=65 Skv=70', 'f16', Sq=65, Skv=70, window=7, Hq=1, Hkv=1),
    C('f16 causal window 9 Sq=33 Skv=100', 'f16', Sq=33, Skv=100, causal=True, window=9),
    C('f32 causal window 5 Sq=12 Skv=10', 'f32', Sq=12, Skv=10, causal=True, window=5, Hq=1, Hkv=1),
    # softcap, scale, Dv != D
    C('f32 softcap Dv!=D', 'f32', Sq=20, Skv=45, D=32, Dv=16, softcap=2.0),
    C('f16 softcap scale Dv!=D', 'f16', Sq=17, Skv=70, D=32, Dv=16, softcap=3.0, scale=0.5),
    C('bf16 Dv>D', 'bf16', Sq=6, Skv=30, D=16, Dv=32, causal=True),
    # masks
    C('f16 i1 mask bcast', 'f16', B=2, Sq=10, Skv=70, mask='i1', mask_shape='bcast'),
    C('f16 i1 mask full causal', 'f16', B=1, Sq=12, Skv=40, mask='i1', causal=True),
    C('f32 f16 mask full', 'f32', Sq=8, Skv=33, mask='f16', Hq=1, Hkv=1),
    C('bf16 f16 mask bcast window', 'bf16', B=2, Sq=7, Skv=50, mask='f16', mask_shape='bcast',
      window=20),
    # GQA / MQA, dynamic shapes
    C('bf16 GQA window+i1 mask', 'bf16', Hq=4, Hkv=2, Sq=9, Skv=80, window=16, mask='i1'),
    C('f16 MQA causal dyn', 'f16', B=2, Hq=4, Hkv=1, Sq=5, Skv=37, causal=True, dynamic=True),
    C('f32 GQA dyn mask bcast', 'f32', B=2, Hq=4, Hkv=2, Sq=3, Skv=19, mask='i1',
      mask_shape='bcast', dynamic=True),
    # decode: contiguous and paged, lengths 0 and = capacity, Sq 1 and 3
    C('decode f16 contiguous Sq=1', 'f16', decode=True, B=2, Sq=1, Skv=40, lens=[0, 40]),
    C('decode bf16 contiguous Sq=3 causal', 'bf16', decode=True, B=2, Sq=3, Skv=64, lens=[64, 2],
      causal=True),
    C('decode f16 paged Sq=3 causal window', 'f16', decode=True, B=2, Hq=4, Hkv=2, Sq=3, Skv=96,
      lens=[96, 37], page=16, causal=True, window=20),
    C('decode f32 paged Sq=1 lens 0', 'f32', decode=True, B=2, Sq=1, Skv=48, lens=[0, 33], page=16,
      D=32, Dv=16),
    C('decode f16 dyn contiguous window', 'f16', decode=True, B=2, Sq=3, Skv=50, lens=[50, 7],
      window=4, dynamic=True),
    # decode with several splits: capacity > 256 makes the host choose 3
    C('decode f16 contiguous 3 splits', 'f16', decode=True, B=1, Hq=2, Hkv=1, Sq=1, Skv=600,
      lens=[100]),
    C('decode bf16 paged 3 splits causal', 'bf16', decode=True, B=2, Hq=2, Hkv=2, Sq=3, Skv=640,
      lens=[100, 70], page=16, causal=True),
    C('decode f16 contiguous 3 splits window', 'f16', decode=True, B=2, Hq=2, Hkv=1, Sq=3,
      Skv=520, lens=[100, 520], window=30, causal=True),
    C('decode bf16 paged 3 splits Sq>len', 'bf16', decode=True, B=2, Hq=2, Hkv=2, Sq=3, Skv=640,
      lens=[2, 99], page=16, causal=True, dynamic=True),
    C('decode f32 paged 2 splits softcap', 'f32', decode=True, B=1, Hq=2, Hkv=1, Sq=1, Skv=512,
      lens=[90], page=16, softcap=4.0),
]

# A small, fast subset for the lit test.
LIT = ['f16 causal Sq=65 Skv=70', 'bf16 GQA window+i1 mask', 'f32 softcap Dv!=D',
       'decode bf16 paged 3 splits causal', 'f32 causal Sq>Skv (9 > 4)']


def run_case(c, opt, chip):
    """Returns (ok, message)."""
    x = Inputs(c)
    device = Device(compile_kernels(opt, 'attn-attention-gpu', chip, op_text(c)))
    args, out = x.buffers(c)
    t0 = time.time()
    problems = []
    try:
        (result,) = device.call('f', *args)
    except Exception as e:  # noqa: BLE001 - report any emulation failure
        return False, f'{type(e).__name__}: {e}'
    elapsed = time.time() - t0
    got = to_array(result)
    if device.asserts:
        problems.append(f'asserts {sorted(set(device.asserts))}')
    problems.append(written_once('O', out))
    err, bad = compare('O', got, reference(c, x), c.tolerance())
    problems = [p for p in problems + bad if p]
    grid = ' '.join(f'{k}{g}' for k, g, _, _ in device.launches)
    msg = f'err {err:.2e} (tol {c.tolerance():g}) {elapsed:.1f}s launches {grid}'
    if problems:
        msg += ' -- ' + '; '.join(problems)
    return not problems, msg


if __name__ == '__main__':
    sys.exit(main(__doc__, CASES, LIT, run_case))
