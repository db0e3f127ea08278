#!/usr/bin/env python3
"""Tile-boundary shapes of the fused CPU attention kernel (attn-flash-cpu).

The fused kernel tiles queries in blocks of Br = 8 rows and keys in blocks of
Bc = 2 * VL (32 with AVX-512, 16 with AVX2), narrows the key range of each
query block for causal and sliding-window masks and masks only the blocks
that straddle an edge. This driver runs f32 attention on shapes around those
boundaries (Sq, Skv just below, at and above multiples of Br and Bc, Sq > Skv,
windows that leave whole query blocks without a key, dynamic sizes, many
tiles). Each case is a module with one public function `@f` (see --groups),
saved with its random inputs (fixed seeds) and run through the tools:

  fused:  attnc-run call module.mlir --input=@q.npy ... --output=@o.npy
  ref:    attnc-run call module.mlir --reference ...   (attn-decompose only)
  avx2:   attnc compile module.mlir --target=cpu --target-features=-avx512f
          -o avx2.so, then attnc-run call avx2.so ...  (VL = 8, Bc = 16)

Every output is checked:
  - against the float64 NumPy reference (npref.attention_ref):
      ||out - ref||_2 / ||ref||_2 < 1e-5 (case_def.F32_REL_TOL);
  - fused against the `--reference` output: the same relative bound;
  - no NaN/Inf; rows that see no key must be exactly 0;
  - a case marked `dead_block` must, by its shape, have at least one whole
    block of Br query rows of one (b, h) without any key (the test's own
    premise).

Usage:
  flash_boundaries.py --attnc-run PATH [--attnc PATH] [--keep DIR]
                      [--jobs N] [--groups N] [--paths P,...] [--list]
                      [CASE...]

Prints one line per case (relative errors per path, `fused~ref` for fused vs
--reference), the worst errors, and exits 1 if anything fails. With --keep,
DIR/group<N>/ holds the module, the inputs, the outputs and repro_<path>.sh
(the exact commands).
"""

import argparse
import os
import shlex
import shutil
import signal
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Optional

_HERE = os.path.dirname(os.path.realpath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import numpy as np  # noqa: E402

from case_def import F32_REL_TOL, farg, rng_for, score_attrs, \
    shape_str, ttype  # noqa: E402
from npref import attention_ref  # noqa: E402

BLOCK_Q = 8  # the pipeline's default block-q
COMMAND_TIMEOUT_S = 300


@dataclass
class FlashCase:
    name: str
    b: int
    hq: int
    hkv: int
    sq: int
    skv: int
    d: int
    dv: int
    causal: bool = False
    window: Optional[int] = None
    scale: Optional[float] = None
    spread: float = 1.0  # scales Q and K: larger logits, more rescaling
    dead_block: bool = False  # premise: some Br-row query block sees no key
    dynamic: bool = False  # B, Sq and Skv dynamic in the function signature
    alone: bool = False  # in a module of its own (large, or may crash)

    def shape_text(self):
        attrs = score_attrs(self.causal, self.window, None, self.scale)
        return "B%d H%d:%d Sq%d Skv%d D%d Dv%d %s%s" % (
            self.b, self.hq, self.hkv, self.sq, self.skv, self.d, self.dv,
            attrs.strip() or "full", " dyn" if self.dynamic else "")


def C(name, shape, **kw):
    return FlashCase(name, *shape, **kw)


def cases():
    """shape = (B, Hq, Hkv, Sq, Skv, D, Dv)."""
    return [
        # --- no mask: partial query and key blocks --------------------------
        C("full_sq1_skv1", (2, 2, 2, 1, 1, 16, 16)),
        C("full_sq7_skv5", (2, 2, 2, 7, 5, 64, 48)),
        C("full_sq8_skv32_gqa2", (2, 4, 2, 8, 32, 80, 64)),
        C("full_sq9_skv33_mqa", (2, 4, 1, 9, 33, 128, 16)),
        C("full_sq31_skv63_gqa4", (2, 4, 1, 31, 63, 16, 64)),
        C("full_sq33_skv64", (2, 2, 2, 33, 64, 64, 64)),
        C("full_sq129_skv65", (2, 2, 2, 129, 65, 80, 48)),
        C("full_sq1_skv200_spread", (2, 2, 1, 1, 200, 128, 64), spread=3.0),
        C("full_sq31_skv200_scale", (2, 2, 2, 31, 200, 64, 48), scale=0.3,
          spread=2.0),
        # --- causal (bottom-right), Sq <= Skv and Sq > Skv --------------------
        C("causal_sq1_skv1", (2, 2, 2, 1, 1, 16, 16), causal=True),
        C("causal_sq1_skv65", (2, 4, 2, 1, 65, 128, 64), causal=True),
        C("causal_sq7_skv5", (2, 2, 2, 7, 5, 16, 16), causal=True),
        C("causal_sq8_skv32_gqa4", (2, 8, 2, 8, 32, 64, 16), causal=True),
        C("causal_sq9_skv33", (2, 2, 2, 9, 33, 80, 48), causal=True),
        C("causal_sq31_skv32", (2, 2, 2, 31, 32, 16, 64), causal=True),
        C("causal_sq33_skv33_mqa", (2, 4, 1, 33, 33, 64, 64), causal=True),
        C("causal_sq33_skv32", (2, 2, 2, 33, 32, 128, 16), causal=True),
        C("causal_sq31_skv5", (2, 2, 2, 31, 5, 80, 16), causal=True,
          dead_block=True),
        C("causal_sq129_skv65", (2, 2, 2, 129, 65, 16, 48), causal=True,
          dead_block=True),
        C("causal_sq129_skv200_gqa2", (2, 4, 2, 129, 200, 64, 64),
          causal=True, spread=2.0),
        # --- sliding window with causal ---------------------------------------
        C("cwin1_sq33_skv33", (2, 2, 2, 33, 33, 16, 16), causal=True,
          window=1),
        C("cwin3_sq9_skv64_gqa2", (2, 4, 2, 9, 64, 64, 48), causal=True,
          window=3),
        C("cwin32_sq129_skv200", (2, 2, 2, 129, 200, 80, 64), causal=True,
          window=32),
        C("cwin100_sq33_skv200_mqa", (2, 2, 1, 33, 200, 128, 16),
          causal=True, window=100),
        C("cwin3_sq33_skv5", (2, 2, 2, 33, 5, 16, 16), causal=True, window=3,
          dead_block=True),
        C("cwin32_sq63_skv65", (2, 2, 2, 63, 65, 64, 64), causal=True,
          window=32),
        # --- symmetric sliding window (no causal) -----------------------------
        C("swin1_sq31_skv63", (2, 2, 2, 31, 63, 16, 16), window=1),
        C("swin3_sq129_skv65", (2, 2, 2, 129, 65, 64, 64), window=3,
          dead_block=True),
        C("swin32_sq7_skv200_mqa", (2, 4, 1, 7, 200, 80, 48), window=32),
        C("swin100_sq33_skv200_gqa4", (2, 4, 1, 33, 200, 64, 16),
          window=100),
        C("swin32_sq33_skv1", (2, 2, 2, 33, 1, 16, 16), window=32),
        C("swin3_sq64_skv32", (2, 2, 2, 64, 32, 16, 48), window=3,
          dead_block=True),
        C("swin32_sq9_skv65", (2, 2, 2, 9, 65, 128, 64), window=32),
        # --- key ranges at block granularity: each of these shapes puts an
        # edge of a tile's key range (first key of the window, last key of the
        # causal or symmetric range, end of the unmasked blocks) exactly on a
        # key block boundary for Bc = 32 and Bc = 16, where an off-by-one in
        # the range would drop or wrongly unmask a key.
        C("cwin2_sq1_skv33", (2, 2, 2, 1, 33, 64, 16), causal=True,
          window=2),
        C("causal_sq10_skv40", (2, 2, 2, 10, 40, 16, 48), causal=True),
        C("swin33_sq65_skv130_gqa2", (2, 4, 2, 65, 130, 80, 64),
          window=33),
        # --- query blocks of several register tiles (the qt<N> paths; the
        # fused path takes them where K and V of a head exceed half of L2):
        # Sq around multiples of 8, 16 and 24 and odd Skv, so that whole
        # tiles of a block are past Sq or see no key of a visited block.
        C("full_sq17_skv47", (2, 2, 2, 17, 47, 64, 48)),
        C("causal_sq16_skv31_gqa2", (2, 4, 2, 16, 31, 16, 16), causal=True),
        C("causal_sq25_skv25", (2, 2, 2, 25, 25, 64, 64), causal=True),
        C("causal_sq47_skv99_mqa", (2, 4, 1, 47, 99, 80, 48), causal=True),
        C("cwin5_sq41_skv97", (2, 2, 2, 41, 97, 64, 16), causal=True,
          window=5),
        C("swin9_sq23_skv71", (2, 2, 2, 23, 71, 16, 64), window=9),
        # --- dynamic B, Sq, Skv (sizes read at run time) ----------------------
        C("dyn_causal_sq9_skv33", (2, 4, 2, 9, 33, 64, 48), causal=True,
          dynamic=True),
        C("dyn_swin3_sq33_skv5", (2, 2, 2, 33, 5, 64, 16), window=3,
          dynamic=True, dead_block=True),
        # --- many tiles: B * Hq * ceil(Sq / Br) = 4096 tiles, whose L1 tiles
        # (Br x Bc and Br x Dv f32, 5 KiB) must not pile up on the stack (8
        # MiB by default): a B=1, Hq=32, Sq=512, Dv=128 prefill is 2048.
        C("many_tiles_sq1024_skv33_gqa4", (2, 16, 4, 1024, 33, 16, 128),
          alone=True),
    ]


# Cases per module: by default every case gets a module (one function, one
# attnc-run process per path) of its own. Batching several ops into one
# function was measured to be slower, not faster: 35 cases x 2 paths took
# 30 s of CPU one per module, 39 s in 9 functions and 41 s in 4 (the JIT
# time of a function grows faster than its op count), and a crash would
# fail every case of its function. --groups N batches them into N anyway.
NUM_GROUPS = 0


# --- per case data ----------------------------------------------------------

class Prepared:
    def __init__(self, case, index):
        self.case = case
        rng = rng_for("flash_boundaries/" + case.name)
        c = case
        self.q = farg(rng, "q%d" % index, (c.b, c.hq, c.sq, c.d), "f32",
                      c.spread)
        self.k = farg(rng, "k%d" % index, (c.b, c.hkv, c.skv, c.d), "f32",
                      c.spread)
        self.v = farg(rng, "v%d" % index, (c.b, c.hkv, c.skv, c.dv), "f32")
        self.ref, self.full = attention_ref(
            self.q.value, self.k.value, self.v.value, causal=c.causal,
            window=c.window, scale=c.scale)
        self.out_shape = (c.b, c.hq, c.sq, c.dv)
        self.index = index

    def arg_types(self):
        c = self.case
        if not c.dynamic:
            return [a.type for a in (self.q, self.k, self.v)]
        return [ttype(("?", c.hq, "?", c.d), "f32"),
                ttype(("?", c.hkv, "?", c.d), "f32"),
                ttype(("?", c.hkv, "?", c.dv), "f32")]

    def out_type(self):
        c = self.case
        if c.dynamic:
            return ttype(("?", c.hq, "?", c.dv), "f32")
        return ttype(self.out_shape, "f32")

    def body(self):
        """The function body lines computing %r<index>."""
        c, i = self.case, self.index
        tq, tk, tv = self.arg_types()
        to = self.out_type()
        lines = []
        if c.dynamic:
            lines += [
                "%%c0_%d = arith.constant 0 : index" % i,
                "%%c2_%d = arith.constant 2 : index" % i,
                "%%nb%d = tensor.dim %%q%d, %%c0_%d : %s" % (i, i, i, tq),
                "%%nq%d = tensor.dim %%q%d, %%c2_%d : %s" % (i, i, i, tq),
                "%%o%d = tensor.empty(%%nb%d, %%nq%d) : %s" % (i, i, i, to)]
        else:
            lines.append("%%o%d = tensor.empty() : %s" % (i, to))
        lines.append(
            "%%r%d = attn.attention %sins(%%q%d, %%k%d, %%v%d : %s, %s, %s) "
            "outs(%%o%d : %s) -> %s" % (
                i, score_attrs(c.causal, c.window, None, c.scale), i, i, i,
                tq, tk, tv, i, to, to))
        return lines

    def dead_blocks(self):
        """Number of (b, h, query block) tiles of Br rows without any key."""
        full = self.full  # [B, Hq, Sq]
        count = 0
        for q0 in range(0, self.case.sq, BLOCK_Q):
            rows = full[:, :, q0:q0 + BLOCK_Q]
            if rows.shape[-1] == BLOCK_Q:
                count += int(np.all(rows, axis=-1).sum())
        return count


def group_module(group):
    args, types, res, body = [], [], [], []
    for p in group:
        for a, t in zip((p.q, p.k, p.v), p.arg_types()):
            args.append("%%%s: %s" % (a.name, t))
        types.append(p.out_type())
        res.append("%%r%d" % p.index)
        body += p.body()
    lines = ["// flash_boundaries.py: " + ", ".join(p.case.name
                                                    for p in group),
             "func.func @f(%s)\n    -> (%s) {" % (",\n    ".join(args),
                                              ", ".join(types))]
    lines += ["  " + l for l in body]
    lines += ["  return %s : %s" % (", ".join(res), ", ".join(types)), "}",
              ""]
    return "\n".join(lines)


# --- running ----------------------------------------------------------------

def run(argv, cwd):
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                              timeout=COMMAND_TIMEOUT_S)
        return proc.returncode, proc.stdout + proc.stderr
    except (subprocess.TimeoutExpired, OSError) as err:
        return 1, str(err)


def call_argv(tool, target, group, path, extra=()):
    argv = [tool, "call", target, "--function", "f"] + list(extra)
    for p in group:
        argv += ["--input=@%s.npy" % a.name for a in (p.q, p.k, p.v)]
    argv += ["--output=@%s_r%d.npy" % (path, p.index) for p in group]
    return argv


def host_vector_width():
    """f32 lanes of the host's vectors, as attnc-run picks them."""
    try:
        with open("/proc/cpuinfo") as f:
            return 16 if " avx512f" in f.read() else 8
    except OSError:
        return 8


def run_path(path, group, work, tools):
    """Runs one path of one group; returns an error text or None."""
    if path == "fused":
        steps = [call_argv(tools.attnc_run, "module.mlir", group, path)]
    elif path == "ref":
        steps = [call_argv(tools.attnc_run, "module.mlir", group, path,
                           ["--reference"])]
    elif path.startswith("qt"):  # N register tiles per pass over the keys
        flash = "--attn-flash-cpu=query-tiles=%s vector-width=%d" % (
            path[2:], host_vector_width())
        steps = [[tools.attnc_opt, "module.mlir", flash, "-o", path + ".mlir"],
                 call_argv(tools.attnc_run, path + ".mlir", group, path)]
    else:  # avx2: AOT with VL = 8
        steps = [[tools.attnc, "compile", "module.mlir", "--target=cpu",
                  "--target-features=-avx512f", "-o", "avx2.so"],
                 call_argv(tools.attnc_run, "avx2.so", group, path)]
    with open(os.path.join(work, "repro_%s.sh" % path), "w") as f:
        f.write("cd %s\n" % shlex.quote(work))
        f.writelines(shlex.join(s) + "\n" for s in steps)
    for argv in steps:
        rc, text = run(argv, work)
        if rc != 0:
            lines = text.strip().splitlines()
            how = "exited with %d" % rc
            if rc < 0:
                how = "was killed by signal %d (%s)" % (
                    -rc, signal.Signals(-rc).name)
                lines = lines[:2]
            return "%s %s: %s" % (os.path.basename(argv[0]), how,
                                  " | ".join(lines[-6:]))
    return None


def rel_err(got, want):
    norm = float(np.linalg.norm(want))
    return float(np.linalg.norm(got - want)) / (norm if norm else 1.0)


def check_case(p, outs, errors):
    """Checks one case; returns (line, problems, stats)."""
    c = p.case
    problems = []
    stats = {}
    zero = np.broadcast_to(p.full[..., None], p.out_shape)
    got = {}
    for path, arr in outs.items():
        if path in errors:
            problems.append("%s: %s" % (path, errors[path]))
            continue
        if arr is None:
            problems.append("%s: no output" % path)
            continue
        if arr.dtype != np.float32 or tuple(arr.shape) != p.out_shape:
            problems.append("%s: got %s %s, expected float32 %s" % (
                path, arr.dtype, shape_str(arr.shape),
                shape_str(p.out_shape)))
            continue
        a = arr.astype(np.float64)
        if not np.all(np.isfinite(a)):
            problems.append("%s: %d non-finite values" %
                            (path, int((~np.isfinite(a)).sum())))
        bad = zero & (a != 0)
        if bad.any():
            where = tuple(int(x) for x in np.argwhere(bad)[0])
            problems.append("%s: %d values of rows without keys are not 0 "
                            "(first at %s: %r)" % (path, int(bad.sum()),
                                                   where, float(a[where])))
        r = rel_err(a, p.ref)
        stats[path] = r
        if not r < F32_REL_TOL:
            row_err = np.abs(a - p.ref).max(axis=-1)
            where = tuple(int(x) for x in np.unravel_index(
                np.nanargmax(np.where(np.isfinite(row_err), row_err, np.inf)),
                row_err.shape))
            problems.append("%s: rel err vs f64 %.3e >= %.0e (worst row "
                            "[b,h,i]=%s, max abs %.3e)" % (
                                path, r, F32_REL_TOL, where,
                                float(row_err[where])))
        got[path] = a
    if "fused" in got and "ref" in got:
        r = rel_err(got["fused"], got["ref"])
        stats["fused~ref"] = r
        if not r < F32_REL_TOL:
            problems.append("fused vs --reference: rel err %.3e >= %.0e" %
                            (r, F32_REL_TOL))
    if c.dead_block and p.dead_blocks() == 0:
        problems.append("test premise: no query block of %d rows is fully "
                        "masked" % BLOCK_Q)
    line = "%s %-26s [%s] %s" % (
        "FAIL" if problems else "PASS", c.name, c.shape_text(),
        " ".join("%s=%.2e" % kv for kv in stats.items()))
    if c.dead_block:
        line += " dead_blocks=%d" % p.dead_blocks()
    if int(p.full.sum()):
        line += " zero_rows=%d" % int(p.full.sum())
    return line, problems, stats


def run_group(gi, group, paths, root, tools):
    work = os.path.join(root, "group%d" % gi)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    with open(os.path.join(work, "module.mlir"), "w") as f:
        f.write(group_module(group))
    for p in group:
        for a in (p.q, p.k, p.v):
            np.save(os.path.join(work, a.name + ".npy"), a.stored())
    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        errs = dict(zip(paths, pool.map(
            lambda path: run_path(path, group, work, tools), paths)))
    errors = {k: v for k, v in errs.items() if v}
    results = []
    for p in group:
        outs = {}
        for path in paths:
            f = os.path.join(work, "%s_r%d.npy" % (path, p.index))
            outs[path] = np.load(f) if os.path.exists(f) and \
                path not in errors else None
        results.append(check_case(p, outs, errors))
    return work, results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attnc", default="attnc")
    parser.add_argument("--attnc-run", default="attnc-run")
    parser.add_argument("--attnc-opt", default="attnc-opt")
    parser.add_argument("--keep")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--groups", type=int, default=NUM_GROUPS,
                        help="functions (modules) to spread the cases over "
                        "(default 0: one per case)")
    parser.add_argument("--paths", default="fused,ref",
                        help="comma-separated: fused, ref, avx2, qt<N> "
                        "(attn-flash-cpu with N query tiles per pass, "
                        "through attnc-opt)")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("selection", nargs="*")
    opts = parser.parse_args()

    chosen = cases()
    if opts.list:
        for c in chosen:
            print("%-26s %s" % (c.name, c.shape_text()))
        return 0
    if opts.selection:
        unknown = set(opts.selection) - {c.name for c in chosen}
        if unknown:
            parser.error("unknown cases: " + " ".join(sorted(unknown)))
        chosen = [c for c in chosen if c.name in opts.selection]
    opts.attnc = os.path.abspath(shutil.which(opts.attnc) or opts.attnc)
    opts.attnc_run = os.path.abspath(shutil.which(opts.attnc_run) or
                                     opts.attnc_run)
    opts.attnc_opt = os.path.abspath(shutil.which(opts.attnc_opt) or
                                     opts.attnc_opt)
    paths = opts.paths.split(",")
    if not paths or any(p not in ("fused", "ref", "avx2") and
                        not re.fullmatch(r"qt[1-9]", p) for p in paths):
        parser.error("--paths: expected fused, ref, avx2 and/or qt<N>")

    prepared = [Prepared(c, i) for i, c in enumerate(chosen)]
    shared = [p for p in prepared if not p.case.alone]
    ngroups = max(1, min(opts.groups or len(shared), len(shared)))
    groups = [shared[g::ngroups] for g in range(ngroups)]
    groups = [g for g in groups if g]
    groups += [[p] for p in prepared if p.case.alone]

    root = opts.keep or tempfile.mkdtemp(prefix="attnc-flash-")
    os.makedirs(root, exist_ok=True)
    root = os.path.abspath(root)
    start = time.time()
    with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        done = list(pool.map(
            lambda g: run_group(g[0], g[1], paths, root, opts),
            enumerate(groups)))
    failed, worst = [], {}
    by_name = {}
    for work, results in done:
        for line, problems, stats in results:
            name = line.split()[1]
            by_name[name] = (work, line, problems)
            for k, v in stats.items():
                worst[k] = max(worst.get(k, 0.0), v)
    for c in chosen:
        work, line, problems = by_name[c.name]
        print(line)
        for pr in problems:
            print("    " + pr)
        if problems:
            failed.append(c.name)
            print("    reproduce: sh %s/repro_fused.sh (module.mlir, "
                  "r%d)" % (work, [p.case.name for p in prepared].index(
                      c.name)))
    print("max rel err: " + " ".join("%s=%.3e" % kv
                                     for kv in sorted(worst.items())))
    print("%d cases x %d paths in %d groups, %d failed, %.1f s" % (
        len(chosen), len(paths), len(groups), len(failed),
        time.time() - start))
    if failed:
        print("FAILED: " + " ".join(failed))
    if not opts.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
