#!/usr/bin/env python3
"""Executes the reference lowering of attn ops and checks it against float64.

Every case generates random inputs from a fixed seed, writes an MLIR module
whose `@main` holds them as constants, calls one attn op and prints the bits of
every result (f32, or f16/bf16 extended to f32) with `printMemrefI32`. The
module goes through `attnc-opt --attn-decompose` plus the upstream lowering to
LLVM and runs in `mlir-runner`. The printed bits are compared with an
independent float64 implementation of the math documented in AttnOps.td,
written in pure Python (no numpy): the relative error ||out - ref|| / ||ref||
must stay under the case's tolerance, every output must be finite, and outputs
the documented math makes exact (fully masked rows: zeros; KV cache writes:
bit copies, untouched rows unchanged) must match bit for bit.

Usage:
  check_reference.py --attnc-opt PATH --mlir-runner PATH --mlir-lib-dir DIR
                     [--keep DIR] [--list] CASE... | all

Prints one line per case; exits non-zero if any case fails or a pipeline step
errors out.

This file is the command-line entry point and the comparison; the rest lives
in sibling modules: tensors.py (rounding, Tensor, random inputs),
reference_math.py (the float64 references), mlir_emit.py (module text),
runner.py (attnc-opt | mlir-runner and parsing its output), case_base.py and
cases*.py (the cases).
"""

import argparse
import math
import os
import random
import sys
import time

# The sibling modules below. Python puts the script's directory on sys.path
# already, except under -P / PYTHONSAFEPATH; add it explicitly for that case.
_HERE = os.path.dirname(os.path.realpath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from cases import CASES  # noqa: E402
from runner import default_mlir_lib_dir, parse_printed, run_module  # noqa: E402


def compare(c, printed):
    """(max_abs_err, rel_err, problems) of the printed results of case `c`."""
    problems = []
    max_abs = rel = float("nan")
    if len(printed) != len(c.outputs):
        problems.append("expected %d printed results, got %d" %
                        (len(c.outputs), len(printed)))
        return max_abs, rel, problems
    num = den = 0.0
    max_abs = 0.0
    for out, got in zip(c.outputs, printed):
        if len(got) != len(out.ref):
            problems.append("%s: expected %d values, got %d" %
                            (out.name, len(out.ref), len(got)))
            continue
        bad_exact = []
        nonfinite = 0
        for idx, (g, r, exact) in enumerate(zip(got, out.ref, out.exact)):
            if not math.isfinite(g):
                nonfinite += 1
                continue
            err = abs(g - r)
            max_abs = max(max_abs, err)
            num += err * err
            den += r * r
            if exact and g != r:
                bad_exact.append((idx, g, r))
        if nonfinite:
            problems.append("%s: %d non-finite values" % (out.name, nonfinite))
        if bad_exact:
            problems.append(
                "%s: %d values that must be exact differ, first "
                "(flat index, got, expected): %s" % (
                    out.name, len(bad_exact), bad_exact[:4]))
    rel = math.sqrt(num) / math.sqrt(den) if den > 0 else math.sqrt(num)
    if not rel <= c.tolerance:
        problems.append("relative error %.3e above tolerance %.1e" %
                        (rel, c.tolerance))
    return max_abs, rel, problems


def check(name, args, seed):
    """Builds, runs and compares one case; prints its report line."""
    start = time.time()
    fn, params = CASES[name]
    c = fn(random.Random(seed), **params)
    output, error = run_module(name, c.module.text(), args)
    elapsed = time.time() - start
    if error is not None:
        max_abs = rel = float("nan")
        problems = [error]
    else:
        max_abs, rel, problems = compare(c, parse_printed(output))
    status = "FAIL" if problems else "PASS"
    num_exact = sum(sum(out.exact) for out in c.outputs)
    print("%-6s %-36s %-5s max_abs_err=%.3e rel_err=%.3e tol=%.0e "
          "bit_exact_checked=%d time=%.2fs  [%s]" % (
              status, name, c.dtype, max_abs, rel, c.tolerance, num_exact,
              elapsed, c.shape))
    for p in problems:
        print("       " + p.replace("\n", "\n       "))
    sys.stdout.flush()
    return not problems


def case_seed(base, name):
    """Each case gets its own seed, stable under reordering."""
    return base + sum((i + 1) * ord(ch) for i, ch in enumerate(name))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attnc-opt", default="attnc-opt")
    parser.add_argument("--mlir-runner", default="mlir-runner")
    parser.add_argument("--mlir-lib-dir", default="",
                        help="directory of libmlir_(c_)runner_utils.so "
                             "(default: ../lib next to mlir-runner)")
    parser.add_argument("--seed", type=int, default=20240607)
    parser.add_argument("--keep", help="write the generated modules here")
    parser.add_argument("--list", action="store_true", help="list the cases")
    parser.add_argument("cases", nargs="*")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    if not args.mlir_lib_dir:
        args.mlir_lib_dir = default_mlir_lib_dir(args.mlir_runner)
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    names = list(CASES) if args.cases in ([], ["all"]) else args.cases
    unknown = [n for n in names if n not in CASES]
    if unknown:
        print("unknown case(s): %s" % ", ".join(unknown), file=sys.stderr)
        return 2
    start = time.time()
    failed = []
    for name in names:
        if not check(name, args, case_seed(args.seed, name)):
            failed.append(name)
    print("%d case(s), %d failed, %.2fs%s" % (
        len(names), len(failed), time.time() - start,
        (": " + " ".join(failed)) if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
