#!/usr/bin/env python3
"""Executes attn ops through the user-facing tools and checks them in numpy.

For every case: writes a module with one public function `@f` (tensor
arguments, `tensor.empty()` destinations, the op's results returned), saves
random inputs from a fixed seed as .npy, and runs it on each path (by
default jit and aot):

  jit:  attnc-run call module.mlir --function f --input @a.npy ... --output @o.npy
  aot:  attnc compile module.mlir --target=cpu -o lib.so
        attnc-run call lib.so --function f --input @a.npy ... --output @o.npy
  avx2: aot with --target-features=-avx512f (code for AVX2 without AVX-512,
        which an AVX-512 host runs); for attention and KV-cache cases (the
        checks of linear layers with bf16 weights assume the host's code)
  amx-refused: aot with AMX-TILE and AMX-BF16 added to the host's features
        (--target-features=+amx-tile,+amx-bf16), run in a process that
        Linux refuses the AMX state (refuse_amx.py): the kernels must take
        their AVX-512 form instead of their AMX one. A host without AMX runs
        the same library (its AMX branches compiled, never entered), so
        the dispatch and the fallback are tested on every AVX512-BF16 host

Each output is compared with a float64 numpy reference of the documented math
(npref.py):
  f32 results:  ||out - ref|| / ||ref|| < 1e-5 (case_def.F32_REL_TOL);
  f16/bf16:     FlashAttention's criterion: max|out - ref| <=
                2 * max|base - ref| + atol, where `base` is the same math at
                that precision (f32 accumulation, intermediates rounded) and
                atol = 2 * max|(ref + 0.3) - 0.3 - ref| evaluated at that
                precision (the output's own rounding step); and the same on
                norms: rel <= 2 * rel(base) + unit roundoff (2^-11, 2^-8);
  f32 results of linear layers with bf16 weights on an AVX512-BF16 host
                (activations rounded to bf16): the same criterion, `base`
                the same math on inputs rounded to bf16 with f32
                accumulation, unit roundoff 2^-24;
  KV caches:    bit-exact;
and in every case NaN/Inf never pass (NaN must be exactly where the float64
reference has it, in cases with NaN inputs) and fully masked rows must be
exactly 0.
With --expect-fused, both tools also get --report-fallbacks, and a case
fails if any of its ops takes the reference lowering instead of a fused
kernel (a "takes the reference lowering" remark, or "takes the loop
lowering" for a linear layer); a case meant to fall back names the reason
(Case.fallback), and then fails without that remark.

Usage:
  run_cases.py --attnc PATH --attnc-run PATH [--keep DIR] [--jobs N]
               [--paths jit,aot,avx2] [--expect-fused] [--list] (GROUP | CASE)...

Prints one line per case and path; exits 1 if anything fails. With --keep,
DIR/<case>/ holds module.mlir, the inputs, the outputs and repro.sh (the exact
commands), to rerun a case by hand.
"""

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

_HERE = os.path.dirname(os.path.realpath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import numpy as np  # noqa: E402

import cases_attention  # noqa: E402
import cases_kv  # noqa: E402
import cases_ops  # noqa: E402
import cases_tails  # noqa: E402
from case_def import NPY_DTYPE, shape_str  # noqa: E402
from npref import ROUND, bf16_bits_to_f32  # noqa: E402

UNIT_ROUNDOFF = {"f32": 2.0 ** -24, "f16": 2.0 ** -11, "bf16": 2.0 ** -8}
TOOL_WAIT_S = 120  # a tool being rebuilt may be missing for a moment
COMMAND_TIMEOUT_S = 300


def all_cases():
    return (cases_attention.cases() + cases_ops.cases() + cases_kv.cases() +
            cases_tails.cases())


# --- running the tools ------------------------------------------------------

def run_tool(argv, cwd):
    """Runs argv; waits for a tool that is briefly missing (being rebuilt)."""
    deadline = time.time() + TOOL_WAIT_S
    while True:
        try:
            proc = subprocess.run(argv, cwd=cwd, capture_output=True,
                                  text=True, timeout=COMMAND_TIMEOUT_S)
            return proc.returncode, proc.stdout + proc.stderr
        except subprocess.TimeoutExpired as err:
            return 1, str(err)
        except OSError as err:  # missing, or being written (ETXTBSY)
            if time.time() > deadline:
                return 1, str(err)
            time.sleep(1)


# The remarks of an op left to the unfused lowering: an attn op's reference
# lowering (attn-decompose), a linear layer's loops (attnc-matmul-cpu).
FALLBACK_REMARKS = ("takes the reference lowering", "takes the loop lowering")


def call_argv(tool, target, case, outs, report=False):
    argv = [tool, "call", target, "--function", "f"]
    if report and target.endswith(".mlir"):
        argv.append("--report-fallbacks")
    argv += ["--input=@%s.npy" % a.name for a in case.args]
    argv += ["--output=@%s" % o for o in outs]
    return argv


def execute(case, path, work, tools):
    """Runs one path; returns (error text or None, list of output files)."""
    outs = ["%s_%s.npy" % (path, c.label) for c in case.checks]
    steps = []
    report = tools.expect_fused
    if path == "jit":
        steps.append(call_argv(tools.attnc_run, "module.mlir", case, outs,
                               report))
    else:
        # aot: the host's code; avx2: code for AVX2 without AVX-512 (8-lane
        # vectors, 16 registers, no vdpbf16ps), which an AVX-512 host runs.
        lib = os.path.join(work, "lib.so")
        target = {"avx2": ["--target-features=-avx512f"],
                  "amx-refused": ["--target-features=+amx-tile,+amx-bf16"]
                  }.get(path, [])
        steps.append([tools.attnc, "compile", "module.mlir", "--target=cpu",
                      "-o", lib] + target +
                     (["--report-fallbacks"] if report else []))
        refuse = []
        if path == "amx-refused":
            refuse = [sys.executable,
                      os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                   "refuse_amx.py")]
        steps.append(refuse + call_argv(tools.attnc_run, lib, case, outs))
    with open(os.path.join(work, "repro.sh"), "a") as f:
        f.write("# %s\n" % path)
        f.writelines(shlex.join(s) + "\n" for s in steps)
    remarked = False
    for argv in steps:
        rc, text = run_tool(argv, work)
        if rc != 0:
            tail = " | ".join(text.strip().splitlines()[-6:])
            return "%s exited with %d: %s" % (os.path.basename(argv[0]), rc,
                                              tail), outs
        fallbacks = [l.strip() for l in text.splitlines()
                     if any(r in l for r in FALLBACK_REMARKS)]
        unexpected = [l for l in fallbacks
                      if not case.fallback or case.fallback not in l]
        if report and unexpected:
            return "%s: not fused: %s" % (os.path.basename(argv[0]),
                                          " | ".join(unexpected)), outs
        remarked = remarked or bool(fallbacks)
    if report and case.fallback and not remarked:
        return "expected a fallback remark: %s" % case.fallback, outs
    return None, outs


# --- comparison -------------------------------------------------------------

def load_output(path, check):
    """The output as float64 (floats) or raw array (exact), or an error."""
    arr = np.load(path)
    want = np.dtype(NPY_DTYPE[check.elt])
    if arr.dtype != want:
        return None, "%s: dtype %s, expected %s" % (check.label, arr.dtype,
                                                    want)
    if tuple(arr.shape) != tuple(check.shape):
        return None, "%s: shape %s, expected %s" % (
            check.label, shape_str(arr.shape), shape_str(check.shape))
    if check.kind == "exact":
        return arr, None
    if check.elt == "bf16":
        arr = bf16_bits_to_f32(arr)
    return arr.astype(np.float64), None


def bits(arr):
    return arr.view(np.uint32 if arr.itemsize == 4 else np.uint16)


def compare(check, got):
    """(max_abs, rel, tolerance text, problems) for one result."""
    problems = []
    if check.kind == "exact":
        diff = bits(got) != bits(check.expect)
        a, e = got.astype(np.float64), check.expect.astype(np.float64)
        if check.elt == "bf16":
            a, e = bf16_bits_to_f32(got), bf16_bits_to_f32(check.expect)
        max_abs = float(np.max(np.abs(a - e))) if a.size else 0.0
        if diff.any():
            first = tuple(int(i) for i in np.argwhere(diff)[0])
            problems.append("%s: %d elements differ in bits, first at %s" %
                            (check.label, int(diff.sum()), first))
        return max_abs, float(diff.mean()), "bit-exact", problems
    ref, base = check.ref, check.base
    # NaN inputs: the result must be NaN exactly where the float64 reference
    # is; the other elements are compared as usual.
    want_nan = np.isnan(ref)
    if want_nan.any():
        missing = want_nan & ~np.isnan(got)
        if missing.any():
            problems.append("%s: %d values are not NaN where the reference "
                            "is, first at %s" % (
                                check.label, int(missing.sum()),
                                tuple(int(i) for i in np.argwhere(missing)[0])))
        got, ref = np.where(want_nan, 0.0, got), np.where(want_nan, 0.0, ref)
        if base is not None:
            base = np.where(want_nan, 0.0, base)
    if not np.all(np.isfinite(got)):
        problems.append("%s: %d non-finite values" %
                        (check.label, int((~np.isfinite(got)).sum())))
    err = np.abs(got - ref)
    max_abs = float(np.nanmax(err)) if err.size else 0.0
    norm = float(np.linalg.norm(ref))
    rel = float(np.linalg.norm(got - ref)) / (norm if norm else 1.0)
    if check.zero is not None:
        zero = np.broadcast_to(check.zero, got.shape)
        bad = zero & (got != 0)
        if bad.any():
            problems.append("%s: %d values of fully masked rows are not 0 "
                            "(e.g. %r)" % (check.label, int(bad.sum()),
                                           float(got[bad][0])))
    if check.kind == "rel":
        tol = "rel<%.0e" % check.tol
        if not rel < check.tol:
            problems.append("%s: rel err %.3e >= %.0e" %
                            (check.label, rel, check.tol))
        return max_abs, rel, tol, problems
    rnd = ROUND[check.elt]
    r = rnd(ref.astype(np.float32))
    atol = 2.0 * float(np.max(np.abs(rnd(rnd(r + np.float32(0.3)) -
                                         np.float32(0.3)) - r)))
    base_err = float(np.max(np.abs(base - ref)))
    bound = 2.0 * base_err + atol
    tol = "max<=2*%.2e+%.2e" % (base_err, atol)
    if not max_abs <= bound:
        problems.append("%s: max abs err %.3e > 2 * %.3e (%s baseline) + "
                        "%.3e" % (check.label, max_abs, base_err, check.elt,
                                  atol))
    # The same rule on the norms, with the unit roundoff as the epsilon.
    base_rel = float(np.linalg.norm(base - ref)) / (norm or 1.0)
    rel_bound = 2.0 * base_rel + UNIT_ROUNDOFF[check.elt]
    tol += ",rel<=%.2e" % rel_bound
    if not rel <= rel_bound:
        problems.append("%s: rel err %.3e > 2 * %.3e (%s baseline) + %.1e" %
                        (check.label, rel, base_rel, check.elt,
                         UNIT_ROUNDOFF[check.elt]))
    return max_abs, rel, tol, problems


def check_path(case, path, work, tools):
    error, outs = execute(case, path, work, tools)
    if error:
        return float("nan"), float("nan"), "-", [error]
    worst_abs = worst_rel = 0.0
    tols, problems = [], []
    for check, out in zip(case.checks, outs):
        got, err = load_output(os.path.join(work, out), check)
        if err:
            problems.append(err)
            continue
        max_abs, rel, tol, probs = compare(check, got)
        worst_abs, worst_rel = max(worst_abs, max_abs), max(worst_rel, rel)
        if tol not in tols:
            tols.append(tol)
        problems += probs
    return worst_abs, worst_rel, ",".join(tols), problems


def run_case(case, paths, root, tools):
    work = os.path.join(root, case.name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    with open(os.path.join(work, "module.mlir"), "w") as f:
        f.write(case.module())
    for a in case.args:
        np.save(os.path.join(work, a.name + ".npy"), a.stored())
    shapes = " ".join("%s=%s" % (a.name, shape_str(a.value.shape))
                      for a in case.args)
    lines, ok = [], True
    for path in paths:
        max_abs, rel, tol, problems = check_path(case, path, work, tools)
        ok = ok and not problems
        lines.append("%s %s [%s] %s maxabs=%.3e rel=%.3e tol=%s" % (
            "FAIL" if problems else "PASS", case.name, path, shapes, max_abs,
            rel, tol))
        lines += ["    " + p for p in problems]
    if not ok:
        lines.append("    reproduce: sh %s" % os.path.join(work, "repro.sh"))
    return ok, lines


# --- command line -----------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attnc", default="attnc")
    parser.add_argument("--attnc-run", default="attnc-run")
    parser.add_argument("--keep", help="directory for the cases' files "
                        "(default: a temporary one, removed afterwards)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--paths", default="jit,aot",
                        help="jit, aot (the host), amx-refused (aot in a "
                        "process refused the AMX state), avx2 (AOT for AVX2 "
                        "without AVX-512)")
    parser.add_argument("--expect-fused", action="store_true",
                        help="fail cases whose ops take the reference "
                        "lowering (--report-fallbacks remarks)")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("selection", nargs="*", help="groups or case names")
    opts = parser.parse_args()

    cases = all_cases()
    if opts.list:
        for c in cases:
            print("%-18s %s" % (c.group, c.name))
        return 0
    wanted = set(opts.selection)
    unknown = wanted - {c.name for c in cases} - {c.group for c in cases}
    if unknown or not wanted:
        parser.error("unknown cases or groups: %s (see --list)" %
                     " ".join(sorted(unknown)) if unknown else
                     "name at least one group or case (see --list)")
    chosen = [c for c in cases if c.name in wanted or c.group in wanted]
    # Absolute: the commands run in each case's directory. shutil.which
    # returns a path with a slash as given, relative to this directory.
    opts.attnc = os.path.abspath(shutil.which(opts.attnc) or opts.attnc)
    opts.attnc_run = os.path.abspath(shutil.which(opts.attnc_run) or
                                     opts.attnc_run)
    paths = opts.paths.split(",")

    root = opts.keep or tempfile.mkdtemp(prefix="attnc-cpu-")
    os.makedirs(root, exist_ok=True)
    root = os.path.abspath(root)
    start = time.time()
    with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        results = list(pool.map(
            lambda c: run_case(c, paths, root, opts), chosen))
    failed = [c.name for c, (ok, _) in zip(chosen, results) if not ok]
    for _, lines in results:
        print("\n".join(lines))
    print("%d cases x %d paths, %d failed, %.1f s" % (
        len(chosen), len(paths), len(failed), time.time() - start))
    if failed:
        print("FAILED: " + " ".join(failed))
    if not opts.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
