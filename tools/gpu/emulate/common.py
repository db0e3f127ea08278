"""Pieces shared by the emulator drivers (run_attention.py, run_ops.py):
MLIR tensor types, rounded random inputs in padded strided buffers, the
attnc-opt invocation, reading a Buffer back, float64 comparison and the
command line."""
import argparse
import math
import subprocess

import numpy as np

from values import Buffer, ROUND


def tensor_type(shape, elem):
    """`tensor<2x?x8xf16>` for shape [2, None, 8] (None: dynamic)."""
    return 'tensor<' + 'x'.join('?' if s is None else str(s) for s in shape) + 'x' + elem + '>'


def rounded(rng, shape, elem, scale=1.0):
    """Standard normal values (times `scale`) rounded to `elem`, as float64."""
    r = ROUND[elem]
    return np.vectorize(r, otypes=[float])(scale * rng.standard_normal(shape))


def strided_buffer(array, elem, name, pad=3, offset=5):
    """`array` (already rounded) in a Buffer whose rows are padded and that
    starts at an offset; a stray read of the padding shows as NaN/None."""
    shape = list(array.shape)
    strides, acc = [], 1
    for i, s in enumerate(reversed(shape)):
        strides.insert(0, acc)
        acc *= s + (pad if i == 0 else 0)
    span = offset + sum((s - 1) * st for s, st in zip(shape, strides)) + 1 + pad
    is_int = elem.startswith('i')
    # Padding: NaN, or None for integers (arithmetic on it raises).
    buf = Buffer(shape, elem, data=[None if is_int else math.nan] * span, strides=strides,
                 offset=offset, name=name)
    for idx in np.ndindex(*shape):
        buf.data[buf.linear(idx)] = int(array[idx]) if is_int else float(array[idx])
    return buf


def output_buffer(shape, elem, name):
    """A dense output Buffer (NaN-filled) that counts its stores."""
    out = Buffer(shape, elem, name=name)
    out.writes = {}
    return out


def to_array(buf):
    """The logical contents of a Buffer as a float64 array (None -> NaN)."""
    vals = [buf.get(i) for i in np.ndindex(*buf.shape)]
    return np.array([math.nan if v is None else float(v) for v in vals]).reshape(buf.shape)


def compile_kernels(opt, pass_flag, chip, text):
    """`text` through `attnc-opt -<pass_flag>=chip=<chip>`, in generic form."""
    out = subprocess.run([opt, '-', f'-{pass_flag}=chip={chip}', '-mlir-print-op-generic'],
                         input=text, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr)
    return out.stdout


def rel_error(got, want):
    """Relative Frobenius error of `got` vs the float64 `want` (NaN in
    `got` counts as a huge error)."""
    norm = np.linalg.norm(want)
    return np.linalg.norm(np.nan_to_num(got, nan=1e9) - want) / (norm if norm else 1.0)


def compare(label, got, want, tol):
    """Problems (a list of strings, empty if none) of `got` vs `want`:
    NaNs, and a relative Frobenius error above `tol`; returns (err, problems)."""
    problems = []
    if np.isnan(got).any():
        problems.append(f'{label}: {int(np.isnan(got).sum())} NaN outputs')
    err = rel_error(got, want)
    if not err <= tol:
        dev = np.abs(np.nan_to_num(got, nan=1e9) - want)
        worst = np.unravel_index(np.argmax(dev), dev.shape)
        problems.append(f'{label}: error {err:.3g} > {tol:g}; worst at '
                        f'{tuple(int(i) for i in worst)}: {got[worst]!r} vs {want[worst]!r}')
    return err, problems


def written_once(label, buf, exactly=True):
    """A problem string unless every element of `buf` was stored exactly
    once (`exactly`) or at least once."""
    counts = set(buf.writes.values())
    size = int(np.prod(buf.shape))
    if len(buf.writes) != size or (exactly and counts != {1}):
        return f'{label}: {len(buf.writes)} of {size} outputs written, counts {sorted(counts)}'
    return None


def main(doc, cases, lit_names, run_case):
    """The drivers' command line: runs `cases` (or the `lit_names` subset,
    or those matching --only) with run_case(case, opt, chip) -> (ok, msg),
    prints PASS/FAIL lines and a summary; returns the exit status."""
    ap = argparse.ArgumentParser(description=doc.split('\n')[0])
    ap.add_argument('--attnc-opt', default='attnc-opt')
    ap.add_argument('--chip', default='sm_80')
    ap.add_argument('--subset', choices=['all', 'lit'], default='all')
    ap.add_argument('--only', action='append', default=[])
    opts = ap.parse_args()
    chosen = cases if opts.subset == 'all' else [c for c in cases if c.name in lit_names]
    if opts.only:
        chosen = [c for c in chosen if any(o in c.name for o in opts.only)]
    failed = 0
    for c in chosen:
        ok, msg = run_case(c, opts.attnc_opt, opts.chip)
        failed += not ok
        print(f'{"PASS" if ok else "FAIL"} {c.name}: {msg}', flush=True)
    print(f'{len(chosen) - failed} of {len(chosen)} cases pass')
    return 1 if failed else 0
