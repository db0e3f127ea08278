#!/usr/bin/env python3
"""Writes a device check bundle: one folder holding everything
device-check.sh needs, and nothing it must look for elsewhere.

  manifest.json            what is in the bundle (check.py reads only this)
  cases/<case>/            module.mlir, the inputs (.npy, in their storage
                           types), ref_<result>.npy (float64),
                           zero_<result>.npy (rows the math makes exactly 0),
                           expect_<result>.npy (bit-exact results: KV caches)
  bench/<shape>/module.mlir  benchmark kernels (inputs are drawn on the device)
  modules/<chunk>.mlir     up to --chunk-size cases of one group, one function
                           each (named after its case)
  lib/<chip>/<chunk>.so    those compiled into one library per chip (the CUDA
                           runtime is linked once per library); a chunk that
                           does not compile is compiled case by case instead
                           (lib/<chip>/<case>.so), so only failing cases fail
  bin/                     the runner (attnc-call, or attnc-run in CPU mode)
  deps/                    shared libraries the runner or kernels need that
                           are not system libraries
  check.py, npref.py, device-check.sh   the device side

Usage (bundle.sh calls this; lit tests call it on a few cases):
  make_bundle.py --target cuda|cpu --out DIR --attnc PATH --runner PATH
                 [--chips sm_90a,sm_80] [--cases NAME|GROUP,...] [--no-bench]
                 [--runner-in-place] [--jobs N] [--max-mib 40] [--keep-going]
                 [--chunk-size 12] [--list]

Exits 1 when a kernel fails to compile (the bundle is still written, and
device-check reports those cases as failed) unless --keep-going; 2 when the
bundle is over --max-mib.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, _HERE)

import numpy as np  # noqa: E402

import gpu_cases  # noqa: E402
from gpu_cases import NPREF_PATH, SANITIZE, TOLERANCE  # noqa: E402

SYSTEM_LIB_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")
COMPILE_TIMEOUT_S = 600


def named(module, name):
    """The module with its one function `@f` renamed `@name`."""
    text, n = re.subn(r"func\.func @f\(", "func.func @%s(" % name, module)
    assert n == 1, "%s: expected one function @f" % name
    return text


def log(msg):
    print("make_bundle: " + msg, flush=True)


def tree_bytes(root):
    return sum(os.path.getsize(os.path.join(d, f))
               for d, _, files in os.walk(root) for f in files)


# --- cases ------------------------------------------------------------------------

def select(items, wanted, key_names):
    if not wanted:
        return items
    chosen = [it for it in items if any(k in wanted for k in key_names(it))]
    known = {k for it in items for k in key_names(it)}
    unknown = set(wanted) - known
    if unknown:
        sys.exit("make_bundle: unknown cases or groups: %s" %
                 " ".join(sorted(unknown)))
    return chosen


def write_case(gc, out):
    """Writes one correctness case; returns its manifest entry."""
    case = gc.case
    rel = os.path.join("cases", case.name)
    folder = os.path.join(out, rel)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "module.mlir"), "w") as f:
        f.write(named(gc.module, case.name))
    inputs = []
    for a in case.args:
        np.save(os.path.join(folder, a.name + ".npy"), a.stored())
        inputs.append({"name": a.name, "elt": a.elt,
                       "file": os.path.join(rel, a.name + ".npy"),
                       "shape": list(a.value.shape)})
    outputs = []
    elts = sorted({c.elt for c in case.checks})
    for c in case.checks:
        entry = {"label": c.label, "elt": c.elt, "shape": list(c.shape)}
        if c.kind == "exact":
            entry.update(kind="exact",
                         expect=os.path.join(rel, "expect_%s.npy" % c.label))
            np.save(os.path.join(out, entry["expect"]), c.expect)
        else:
            entry.update(kind="rel", tol=TOLERANCE[c.elt],
                         ref=os.path.join(rel, "ref_%s.npy" % c.label))
            np.save(os.path.join(out, entry["ref"]),
                    np.asarray(c.ref, np.float64))
            if c.zero is not None and np.any(c.zero):
                entry["zero"] = os.path.join(rel, "zero_%s.npy" % c.label)
                np.save(os.path.join(out, entry["zero"]),
                        np.asarray(c.zero, bool))
            if c.base is not None:  # same math at low precision, in numpy
                norm = float(np.linalg.norm(c.ref)) or 1.0
                entry["np_lowp_rel"] = float(
                    np.linalg.norm(c.base - c.ref)) / norm
        outputs.append(entry)
    return {"name": case.name, "function": case.name, "group": case.group,
            "elt": "/".join(elts),
            "module": os.path.join(rel, "module.mlir"), "inputs": inputs,
            "outputs": outputs, "context": gc.context, "libs": {},
            "compile_errors": {}}


def write_bench(bench, out):
    rel = os.path.join("bench", bench.name)
    os.makedirs(os.path.join(out, rel), exist_ok=True)
    with open(os.path.join(out, rel, "module.mlir"), "w") as f:
        f.write(named(bench.module(), bench.name))
    entry = {k: getattr(bench, k) for k in ("name", "kind", "b", "hq", "hkv",
                                            "sq", "skv", "d", "elt",
                                            "causal")}
    entry.update(module=os.path.join(rel, "module.mlir"), function=bench.name,
                 group="bench", inputs=[{"name": n, "shape": list(s), "elt": e}
                         for n, s, e in bench.inputs()],
                 flops=bench.flops(), kv_bytes=bench.kv_bytes(), libs={},
                 compile_errors={})
    return entry


# --- compiling --------------------------------------------------------------------

def compile_argv(attnc, target, chip, module, lib):
    argv = [attnc, "compile", module, "--target=" + target, "-o", lib]
    if target == "cuda":
        argv.append("--gpu-chip=" + chip)
    return argv


def compile_lib(attnc, target, chip, out, module_rel, lib_rel):
    """(ok, error summary) of compiling one module into lib_rel."""
    argv = compile_argv(attnc, target, chip, os.path.join(out, module_rel),
                        os.path.join(out, lib_rel))
    try:
        proc = subprocess.run(argv, capture_output=True, text=True,
                              timeout=COMPILE_TIMEOUT_S)
        ok, text = proc.returncode == 0, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired:
        ok, text = False, "timed out after %d s" % COMPILE_TIMEOUT_S
    return ok, "" if ok else error_summary(text)


def compile_chunk(job):
    """Compiles a chunk of cases (one group, a few cases) for one chip into
    one library: the CUDA runtime that every library links is then carried
    once per chunk, not once per case. When the chunk does not compile,
    each case is compiled alone, so that only the cases that fail do.
    Returns the number of cases that failed."""
    attnc, target, chip, out, chunk_name, entries = job
    module_rel = os.path.join("modules", chunk_name + ".mlir")
    with open(os.path.join(out, module_rel), "w") as f:
        for e in entries:
            with open(os.path.join(out, e["module"])) as m:
                f.write(m.read() + "\n")
    lib_rel = os.path.join("lib", chip, chunk_name + ".so")
    ok, _ = compile_lib(attnc, target, chip, out, module_rel, lib_rel)
    if ok:
        for e in entries:
            e["libs"][chip] = lib_rel
        return 0
    failed = 0
    for e in entries:
        lib_rel = os.path.join("lib", chip, e["name"] + ".so")
        ok, error = compile_lib(attnc, target, chip, out, e["module"],
                                lib_rel)
        if ok:
            e["libs"][chip] = lib_rel
        else:
            e["compile_errors"][chip] = error
            failed += 1
    return failed


def chunks(entries, size):
    """[(name, entries)]: consecutive entries of one group, `size` at most."""
    out, by_group = [], {}
    for e in entries:
        by_group.setdefault(e["group"], []).append(e)
    for group, items in by_group.items():
        for i in range(0, len(items), size):
            out.append(("%s_%d" % (group, i // size), items[i:i + size]))
    return out


def error_summary(text):
    """The compiler's error lines (without the file name), else its last
    lines: one line for logs and the table."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    errors = [l.split(": error: ", 1)[-1] for l in lines if "error" in l]
    return " | ".join(errors[:2] or lines[-3:])[:300] or "no output"


# --- the runner and the libraries it needs ----------------------------------------

def ldd_deps(path):
    """Resolved non-system shared libraries `path` needs, and missing ones."""
    try:
        text = subprocess.run(["ldd", path], capture_output=True, text=True,
                              timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return [], []
    found, missing = [], []
    for line in text.splitlines():
        if "=>" not in line:
            continue
        name, _, rest = line.strip().partition(" => ")
        if rest.startswith("not found"):
            missing.append(name)
            continue
        target = rest.split(" (")[0].strip()
        if target and not target.startswith(SYSTEM_LIB_DIRS):
            found.append(target)
    return found, missing


def copy_runner(runner, kind, target, out):
    os.makedirs(os.path.join(out, "bin"), exist_ok=True)
    dest = os.path.join(out, "bin", os.path.basename(runner))
    shutil.copy2(runner, dest)
    if target == "cuda":
        text = subprocess.run(["ldd", runner], capture_output=True,
                              text=True).stdout
        bad = [l.split()[0] for l in text.splitlines()
               if "libMLIR" in l or "libLLVM" in l]
        if bad:
            sys.exit("make_bundle: %s links %s: the GPU machine has no "
                     "LLVM/MLIR" % (runner, ", ".join(bad)))
    return os.path.relpath(dest, out)


def copy_deps(paths, out):
    """Copies the non-system libraries the runner and kernels need into
    deps/ (device-check puts it on LD_LIBRARY_PATH)."""
    copied, missing = set(), set()
    for p in paths:
        found, miss = ldd_deps(p)
        missing.update(miss)
        for lib in found:
            name = os.path.basename(lib)
            if name in copied:
                continue
            os.makedirs(os.path.join(out, "deps"), exist_ok=True)
            shutil.copy2(lib, os.path.join(out, "deps", name))
            copied.add(name)
    return sorted(copied), sorted(missing)


# --- main -------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", choices=["cuda", "cpu"], required=True)
    parser.add_argument("--chips", help="comma-separated (cuda default: "
                        "sm_90a,sm_80; cpu: host)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--attnc", required=True)
    parser.add_argument("--runner", required=True,
                        help="attnc-call (or attnc-run in CPU mode)")
    parser.add_argument("--runner-in-place", action="store_true",
                        help="use --runner where it is instead of copying it "
                        "into the bundle (lit tests)")
    parser.add_argument("--cases", default="",
                        help="comma-separated case names or groups "
                        "(default: all; 'none' for no correctness cases)")
    parser.add_argument("--bench", default="",
                        help="comma-separated bench shapes (default: all)")
    parser.add_argument("--no-bench", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--max-mib", type=float, default=40.0)
    parser.add_argument("--chunk-size", type=int, default=12,
                        help="cases per library (1: one library per case)")
    parser.add_argument("--keep-going", action="store_true",
                        help="exit 0 even when some kernels fail to compile")
    parser.add_argument("--list", action="store_true")
    opts = parser.parse_args()

    cases = gpu_cases.correctness_cases()
    benches = gpu_cases.bench_shapes(opts.target)
    if opts.list:
        for c in cases:
            print("%-16s %s" % (c.group, c.name))
        for b in benches:
            print("%-16s %s" % ("bench", b.name))
        return 0
    wanted = [w for w in opts.cases.split(",") if w]
    cases = [] if wanted == ["none"] else select(
        cases, wanted, lambda c: (c.name, c.group))
    benches = [] if opts.no_bench else select(
        benches, [w for w in opts.bench.split(",") if w],
        lambda b: (b.name, b.kind))
    chips = (opts.chips.split(",") if opts.chips else
             ["sm_90a", "sm_80"] if opts.target == "cuda" else ["host"])
    kind = "attnc-run" if os.path.basename(opts.runner) == "attnc-run" \
        else "attnc-call"
    if opts.target == "cuda" and kind != "attnc-call":
        sys.exit("make_bundle: a CUDA bundle needs attnc-call (LLVM-free), "
                 "not %s" % opts.runner)

    out = os.path.abspath(opts.out)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    start = time.time()
    log("writing %d cases and %d bench kernels to %s" % (
        len(cases), len(benches), out))
    entries = [write_case(c, out) for c in cases]
    bench_entries = [write_bench(b, out) for b in benches]
    log("inputs and references: %.1f MiB (%.0f s)" % (
        tree_bytes(out) / 2 ** 20, time.time() - start))

    os.makedirs(os.path.join(out, "modules"))
    for chip in chips:
        os.makedirs(os.path.join(out, "lib", chip))
    jobs = [(opts.attnc, opts.target, chip, out, name, items)
            for chip in chips
            for name, items in chunks(entries + bench_entries,
                                      opts.chunk_size)]
    t0 = time.time()
    with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        failed = sum(pool.map(compile_chunk, jobs))
    log("compiled %d kernels for %s into %d libraries in %.0f s, "
        "%d failed" % (len(entries + bench_entries) * len(chips),
                       ",".join(chips), len(os.listdir(os.path.join(
                           out, "lib", chips[0]))) * len(chips),
                       time.time() - t0, failed))
    for e in entries + bench_entries:
        for chip, err in e["compile_errors"].items():
            log("  compile failed: %s [%s]: %s" % (e["name"], chip, err))

    # The device side, and the runner with what it links.
    for src in (os.path.join(_HERE, "check.py"), NPREF_PATH,
                os.path.join(_HERE, "device-check.sh")):
        shutil.copy2(src, out)
    runner = os.path.abspath(opts.runner)
    runner_path = runner if opts.runner_in_place else \
        copy_runner(runner, kind, opts.target, out)
    libs = [os.path.join(out, e["libs"][c]) for e in entries + bench_entries
            for c in e["libs"]]
    deps, missing = copy_deps([runner] + libs, out)
    if deps:
        log("copied into deps/: " + " ".join(deps))
    if missing:
        log("not found here (must be on the device): " + " ".join(missing))

    sanitize = [n for n in SANITIZE if any(e["name"] == n for e in entries)]
    manifest = {
        "format": "attnc-device-bundle", "version": 1,
        "target": opts.target, "device": opts.target, "chips": chips,
        "runner": {"path": runner_path, "kind": kind},
        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
        "source": git_describe(),
        "tolerance": TOLERANCE,
        "cases": entries, "sanitize": sanitize, "bench": bench_entries,
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)

    size = tree_bytes(out) / 2 ** 20
    log("bundle: %s, %.1f MiB (limit %.0f MiB), %.0f s" % (
        out, size, opts.max_mib, time.time() - start))
    if size > opts.max_mib:
        biggest = sorted(((tree_bytes(os.path.join(out, d)) / 2 ** 20, d)
                          for d in os.listdir(out)
                          if os.path.isdir(os.path.join(out, d))),
                         reverse=True)
        log("ERROR: the bundle is %.1f MiB, over the %.0f MiB limit (%s); "
            "drop cases, bench shapes or chips" % (
                size, opts.max_mib,
                ", ".join("%s %.1f MiB" % (d, s) for s, d in biggest)))
        return 2
    if failed and not opts.keep_going:
        log("%d kernels failed to compile (the bundle is written; those "
            "cases will FAIL on the device; --keep-going exits 0)" % failed)
        return 1
    return 0


def git_describe():
    try:
        return subprocess.run(
            ["git", "-C", _HERE, "describe", "--always", "--dirty"],
            capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


if __name__ == "__main__":
    sys.exit(main())
