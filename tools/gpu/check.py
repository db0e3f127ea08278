#!/usr/bin/env python3
"""Runs a device check bundle (see make_bundle.py): every kernel against its
float64 reference, compute-sanitizer on a few small cases, and prefill and
decode attention timings beside PyTorch's scaled_dot_product_attention.
Prints one table last; exits 1 if any case failed.

Reads nothing outside the bundle; needs numpy, and torch for the baselines
(without torch, as on a CPU-only machine, the baseline columns stay empty
and bench inputs are drawn with numpy).

A correctness case FAILs on a non-zero exit of the runner, a missing or
mis-shaped output, any NaN/Inf, a fully masked row that is not exactly 0,
or ||out - ref|| / ||ref|| over the element type's tolerance (f32 1e-5,
f16 2e-3, bf16 1e-2); KV caches must match bit for bit. On CUDA every run
sets ATTNC_CUDA_POISON=1 (buffers the library allocates start as NaN); on
the CPU, MALLOC_PERTURB_ fills fresh malloc memory with 0x7f bytes.

Usage: check.py [BUNDLE] [--out DIR] [--jobs N] [--chips C,...]
                [--cases NAME|GROUP,...] [--no-bench] [--no-sanitize]
                [--deadline SECONDS] [--keep-scratch]
"""

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

BUNDLE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, BUNDLE)

import numpy as np  # noqa: E402

import npref  # noqa: E402  (copied into the bundle)

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # CPU mode on a machine without torch
    torch = None

RUN_TIMEOUT_S = 60
BENCH_TIMEOUT_S = 90
SANITIZE_TIMEOUT_S = 150
NPY = {"f32": "<f4", "f16": "<f2", "bf16": "<u2", "i1": "|b1", "i32": "<i4",
       "i64": "<i8"}
TIME_RE = re.compile(r"ran in ([0-9.]+) ms")
START = time.time()


TIME_LIMIT = 440.0  # --time-limit


def elapsed():
    return time.time() - START


def time_left():
    """Seconds a run started now may take: runs end by --time-limit."""
    return TIME_LIMIT - elapsed()


def say(msg):
    print("[%5.0fs] %s" % (elapsed(), msg), flush=True)


def to_f64(arr, elt):
    if elt == "bf16":
        return npref.bf16_bits_to_f32(arr).astype(np.float64)
    return np.asarray(arr).astype(np.float64)


def rel_err(got, ref):
    norm = float(np.linalg.norm(ref))
    return float(np.linalg.norm(got - ref)) / (norm if norm else 1.0)


# --- running the runner ------------------------------------------------------------

class Runner:
    def __init__(self, manifest, bundle):
        r = manifest["runner"]
        self.path = r["path"] if os.path.isabs(r["path"]) else \
            os.path.join(bundle, r["path"])
        self.kind = r["kind"]
        self.device = manifest["device"]
        self.env = dict(os.environ)
        deps = os.path.join(bundle, "deps")
        if os.path.isdir(deps):
            self.env["LD_LIBRARY_PATH"] = deps + (
                ":" + self.env["LD_LIBRARY_PATH"]
                if self.env.get("LD_LIBRARY_PATH") else "")

    def argv(self, entry, chip, inputs, outputs, repeat=1, warmup=0):
        """The command that runs `entry` (a case or bench shape) of `chip`."""
        argv = [self.path] + (["call"] if self.kind == "attnc-run" else [])
        argv += [os.path.join(BUNDLE_DIR, entry["libs"][chip]),
                 "--function", entry.get("function", "f")]
        if self.kind == "attnc-call":
            argv += ["--device", self.device]
        for i in inputs:
            argv += ["--input", "@" + i]
        for o in outputs:
            argv += ["--output", "@" + o]
        if repeat > 1:
            argv += ["--repeat", str(repeat)]
        if warmup and self.kind == "attnc-call":
            argv += ["--warmup", str(warmup)]
        return argv

    def run(self, argv, timeout=RUN_TIMEOUT_S, poison=True, prefix=()):
        env = dict(self.env)
        if poison:
            if self.device == "cuda":
                env["ATTNC_CUDA_POISON"] = "1"
            else:
                env["MALLOC_PERTURB_"] = "128"  # fresh memory reads 0x7f
        try:
            p = subprocess.run(list(prefix) + argv, capture_output=True,
                               text=True, timeout=timeout, env=env)
            return p.returncode, p.stdout + p.stderr
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"") + (e.stderr or b"")
            if isinstance(out, bytes):
                out = out.decode(errors="replace")
            return 124, out + "\ntimed out after %d s" % timeout
        except OSError as e:
            return 127, str(e)


def tail(text, n=4):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return " | ".join(lines[-n:])[:400]


# --- correctness ----------------------------------------------------------------------

def compare(entry, path):
    """(rel err or None, problems) of one output file against its check."""
    want = np.dtype(NPY[entry["elt"]])
    try:
        got = np.load(path)
    except (OSError, ValueError) as e:
        return None, ["%s: cannot read output: %s" % (entry["label"], e)]
    if got.dtype != want:
        return None, ["%s: dtype %s, expected %s" % (entry["label"],
                                                     got.dtype, want)]
    if list(got.shape) != entry["shape"]:
        return None, ["%s: shape %s, expected %s" % (
            entry["label"], list(got.shape), entry["shape"])]
    if entry["kind"] == "exact":
        expect = np.load(os.path.join(BUNDLE_DIR, entry["expect"]))
        diff = got.view(np.uint8).reshape(got.shape + (-1,)) != \
            expect.view(np.uint8).reshape(expect.shape + (-1,))
        diff = diff.any(axis=-1)
        if diff.any():
            first = tuple(int(i) for i in np.argwhere(diff)[0])
            return float(diff.mean()), [
                "%s: %d elements differ in bits, first at %s" % (
                    entry["label"], int(diff.sum()), first)]
        return 0.0, []
    ref = np.load(os.path.join(BUNDLE_DIR, entry["ref"]))
    val = to_f64(got, entry["elt"])
    problems = []
    bad = ~np.isfinite(val)
    if bad.any():
        problems.append("%s: %d NaN/Inf values, first at %s" % (
            entry["label"], int(bad.sum()),
            tuple(int(i) for i in np.argwhere(bad)[0])))
    if entry.get("zero"):
        zero = np.broadcast_to(np.load(os.path.join(BUNDLE_DIR,
                                                    entry["zero"])),
                               val.shape)
        nz = zero & (val != 0)
        if nz.any():
            problems.append("%s: %d values of fully masked rows are not 0" %
                            (entry["label"], int(nz.sum())))
    err = rel_err(np.where(bad, 0.0, val), ref)
    if bad.any():
        err = float("nan")
    elif not err <= entry["tol"]:
        problems.append("%s: rel err %.3e > %.0e" % (entry["label"], err,
                                                     entry["tol"]))
    return err, problems


def run_case(case, chip, runner, scratch):
    """{status, err, msg} of one case on one chip."""
    if chip not in case["libs"]:
        return dict(status="FAIL", err=None, msg="compile failed: " +
                    case["compile_errors"].get(chip, "no library"))
    work = os.path.join(scratch, chip, case["name"])
    os.makedirs(work, exist_ok=True)
    outs = [os.path.join(work, "out_%s.npy" % o["label"])
            for o in case["outputs"]]
    for o in outs:
        if os.path.exists(o):
            os.remove(o)
    argv = runner.argv(case, chip, [os.path.join(BUNDLE_DIR, i["file"])
                                    for i in case["inputs"]], outs)
    with open(os.path.join(work, "repro.sh"), "w") as f:
        f.write(" ".join(argv) + "\n")
    if time_left() < 15:
        return dict(status="FAIL", err=None, msg="not run: out of time")
    t0 = time.time()
    rc, text = runner.run(argv, timeout=min(RUN_TIMEOUT_S, time_left()))
    wall = time.time() - t0
    if rc != 0:
        return dict(status="FAIL", err=None, wall=wall,
                    msg="runner exit %d: %s" % (rc, tail(text)))
    worst, problems = 0.0, []
    for o, path in zip(case["outputs"], outs):
        err, probs = compare(o, path)
        problems += probs
        if err is None or (isinstance(err, float) and math.isnan(err)):
            worst = float("nan")
        elif not math.isnan(worst):
            worst = max(worst, err)
    return dict(status="FAIL" if problems else "PASS", err=worst, wall=wall,
                msg="; ".join(problems))


# --- the same math in low precision, for context -------------------------------------

TORCH_DT, TDEV = {}, "cpu"
if torch is not None:
    TORCH_DT = {"f32": torch.float32, "f16": torch.float16,
                "bf16": torch.bfloat16}
    TDEV = "cuda" if torch.cuda.is_available() else "cpu"


def load_inputs(case):
    return {i["name"]: (np.load(os.path.join(BUNDLE_DIR, i["file"])),
                        i["elt"]) for i in case["inputs"]}


def lowp_context(case):
    """Relative error against float64 of the same attention math done in the
    case's element type by torch (scores and probabilities rounded to it,
    f32 accumulation); numpy's version (npref.attention_lowp) without torch.
    Returns (error, who) or (None, reason)."""
    ctx = case.get("context")
    if not ctx or len(case["outputs"]) != 1:
        return None, ""
    out = case["outputs"][0]
    elt = out["elt"]
    args = load_inputs(case)
    f32 = {n: to_f64(a, e).astype(np.float32) if e in NPY and e not in
           ("i1", "i32", "i64") else a for n, (a, e) in args.items()}
    q = f32["q"]
    if ctx["op"] == "decode":
        lens = [int(x) for x in args["lens"][0]]
        table = args[ctx["table"]][0] if ctx.get("table") else None
        k = npref.logical_cache(f32["kc"], lens, table, ctx["capacity"])
        v = npref.logical_cache(f32["vc"], lens, table, ctx["capacity"])
    else:
        lens, k, v = None, f32["k"], f32["v"]
    mask = f32.get(ctx["mask"]) if ctx.get("mask") else None
    opts = {n: ctx.get(n) for n in ("causal", "window", "softcap", "scale")}
    opts["causal"] = bool(opts["causal"])
    ref = np.load(os.path.join(BUNDLE_DIR, out["ref"]))
    if torch is not None:
        try:
            return rel_err(torch_attention(q, k, v, elt, mask, lens, opts),
                           ref), "torch"
        except RuntimeError:  # e.g. f16 matmul on an old torch's CPU
            pass
    if elt == "f32":
        return None, ""
    base = npref.attention_lowp(q, k, v, elt, mask=mask, lens=lens, **opts)
    return rel_err(base, ref), "numpy"


def torch_attention(q, k, v, elt, mask, lens, opts):
    """Attention done by torch in `elt` (on the GPU when there is one):
    matmuls and softmax in that type, as an eager PyTorch model computes."""
    dt = TORCH_DT[elt]
    nb, hq, sq, d = q.shape
    hkv, skv = k.shape[1], k.shape[2]
    t = lambda x: torch.from_numpy(np.ascontiguousarray(x)).to(TDEV)
    qt, kt, vt = (t(x).to(dt) for x in (q, k, v))
    kt = kt.repeat_interleave(hq // hkv, dim=1)
    vt = vt.repeat_interleave(hq // hkv, dim=1)
    scale = npref.default_scale(d) if opts["scale"] is None else \
        opts["scale"]
    s = torch.matmul(qt * scale, kt.transpose(-1, -2))
    if opts["softcap"] is not None:
        s = opts["softcap"] * torch.tanh(s / opts["softcap"])
    keep = t(npref.position_keep(lens if lens else [skv] * nb, sq, skv,
                                 opts["causal"], opts["window"]))
    if mask is not None:
        if mask.dtype == np.bool_:
            keep = keep & t(mask)
        else:
            s = s + t(mask).to(dt)
    s = s.masked_fill(~keep, float("-inf"))
    p = torch.softmax(s, dim=-1)
    p = torch.where(keep.any(dim=-1, keepdim=True), p, torch.zeros_like(p))
    return torch.matmul(p, vt).double().cpu().numpy()


# --- compute-sanitizer -------------------------------------------------------------

def sanitize(case, chip, tool, runner, scratch):
    exe = shutil.which("compute-sanitizer") or next(
        (p for p in ("/usr/local/cuda/bin/compute-sanitizer",)
         if os.path.exists(p)), None)
    if exe is None:
        return dict(status="SKIP", msg="compute-sanitizer not found")
    if chip not in case["libs"]:
        return dict(status="FAIL", msg="compile failed")
    work = os.path.join(scratch, "sanitize", tool, case["name"])
    os.makedirs(work, exist_ok=True)
    argv = runner.argv(case, chip, [os.path.join(BUNDLE_DIR, i["file"])
                                    for i in case["inputs"]],
                       [os.path.join(work, "out_%s.npy" % o["label"])
                        for o in case["outputs"]])
    prefix = [exe, "--tool", tool, "--error-exitcode", "99",
              "--print-limit", "20"]
    if time_left() < 60:
        return dict(status="SKIP", msg="not run: out of time")
    t0 = time.time()
    rc, text = runner.run(argv, poison=False, prefix=prefix,
                          timeout=min(SANITIZE_TIMEOUT_S, time_left() - 30))
    with open(os.path.join(work, "log.txt"), "w") as f:
        f.write(text)
    m = re.search(r"ERROR SUMMARY: (\d+) error", text)
    wall = time.time() - t0
    if m is None or "Device not supported" in text:
        return dict(status="SKIP", wall=wall,
                    msg="sanitizer did not run: " + tail(text, 2))
    errors = int(m.group(1))
    if errors or rc != 0:
        return dict(status="FAIL", wall=wall, errors=errors,
                    msg="%d errors, exit %d: %s" % (errors, rc,
                                                    first_error(text)))
    return dict(status="PASS", wall=wall, errors=0, msg="")


def first_error(text):
    for line in text.splitlines():
        if "=========" in line and ("Invalid" in line or "hazard" in line
                                    or "Error" in line or "error" in line):
            return line.replace("=========", "").strip()[:200]
    return tail(text, 2)


# --- benchmarks ---------------------------------------------------------------------

def draw_inputs(bench, folder, seed):
    """Random bench inputs (normal; lens = Skv), drawn on the GPU with torch
    when there is one, saved as .npy for the runner. Returns the paths and
    the tensors (torch on the GPU, else numpy float32)."""
    paths, tensors = [], {}
    use_torch = torch is not None
    gen = torch.Generator(device=TDEV).manual_seed(seed) if use_torch \
        else np.random.default_rng(seed)
    for i in bench["inputs"]:
        path = os.path.join(folder, i["name"] + ".npy")
        shape = tuple(i["shape"])
        if i["elt"] == "i32":
            arr = np.full(shape, bench["skv"], np.int32)
            np.save(path, arr)
            tensors[i["name"]] = arr
        elif use_torch:
            x = torch.randn(shape, generator=gen, device=TDEV,
                            dtype=torch.float32).to(TORCH_DT[i["elt"]])
            host = x.cpu()
            if i["elt"] == "bf16":
                np.save(path, host.view(torch.int16).numpy().view("<u2"))
            else:
                np.save(path, host.numpy())
            tensors[i["name"]] = x
        else:
            x = gen.standard_normal(shape, dtype=np.float32)
            if i["elt"] == "bf16":
                np.save(path, npref.f32_to_bf16_bits(x))
                x = npref.round_bf16(x)
            else:
                x = x.astype(NPY[i["elt"]])
                np.save(path, x)
            tensors[i["name"]] = np.asarray(x, np.float32)
        paths.append(path)
    return paths, tensors


def time_torch(fn, warmup=3, repeat=20):
    """Median of per-call CUDA-event times, in ms."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeat):
        a = torch.cuda.Event(enable_timing=True)
        b = torch.cuda.Event(enable_timing=True)
        a.record()
        fn()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b))
    return float(np.median(times))


SDPA_BACKENDS = ["FLASH_ATTENTION", "EFFICIENT_ATTENTION", "CUDNN_ATTENTION",
                 "MATH"]


def sdpa_times(bench, tensors):
    """{backend: ms or error text} of torch SDPA on the same inputs."""
    try:
        from torch.nn.attention import SDPBackend, sdpa_kernel
    except ImportError:  # torch older than 2.3
        return {name: "absent" for name in SDPA_BACKENDS}
    q, k, v = tensors["q"], tensors["k"], tensors["v"]
    gqa = bench["hq"] != bench["hkv"]
    causal = bench["causal"]
    res = {}
    for name in SDPA_BACKENDS:
        backend = getattr(SDPBackend, name, None)
        if backend is None:
            res[name] = "absent"
            continue
        # The math backend materializes B*H*Sq*Skv scores (and more): skip
        # it when that is over ~8 GB.
        if name == "MATH" and bench["b"] * bench["hq"] * bench["sq"] * \
                bench["skv"] * 4 > 8e9:
            res[name] = "skipped (size)"
            continue

        def fn():
            with sdpa_kernel([backend]):
                return F.scaled_dot_product_attention(
                    q, k, v, is_causal=causal, enable_gqa=gqa)
        try:
            with warnings.catch_warnings():  # "no kernel" explanations
                warnings.simplefilter("ignore")
                res[name] = time_torch(fn, repeat=10 if name == "MATH"
                                       else 20)
        except Exception as e:  # the backend does not take this shape
            lines = str(e).strip().splitlines() or [type(e).__name__]
            res[name] = "n/a: " + lines[0][:80]
        torch.cuda.empty_cache()
    return res


def bench_reference(bench, tensors):
    """float64 attention of the bench inputs (torch, on the GPU when there
    is one; numpy without torch), or None when it would not fit easily."""
    b, hq, hkv, sq, skv, d = (bench[n] for n in ("b", "hq", "hkv", "sq",
                                                  "skv", "d"))
    scores, kv = b * hq * sq * skv * 8, 2 * b * hkv * skv * d * 8
    if isinstance(tensors["q"], np.ndarray):
        if scores > 4e8:
            return None
        ref, _ = npref.attention_ref(tensors["q"], tensors["k"],
                                     tensors["v"], causal=bench["causal"])
        return ref
    if scores > 4e9 or scores + kv > 16e9:
        return None
    rep = hq // hkv
    # Query head h reads KV head h // rep: group the query heads instead of
    # repeating K and V.
    q = tensors["q"].double().reshape(b, hkv, rep, sq, d)
    k = tensors["k"].double()[:, :, None]
    s = torch.matmul(q, k.transpose(-1, -2)) * npref.default_scale(d)
    del q, k
    if bench["causal"]:
        i = torch.arange(sq, device=s.device)[:, None] + (skv - sq)
        j = torch.arange(skv, device=s.device)[None, :]
        s = s.masked_fill(j > i, float("-inf"))
    p = torch.softmax(s, dim=-1)
    del s
    ref = torch.matmul(p, tensors["v"].double()[:, :, None])
    ref = ref.reshape(b, hq, sq, d).cpu().numpy()
    del p
    if TDEV == "cuda":
        torch.cuda.empty_cache()
    return ref


def run_bench(bench, chips, runner, scratch, seed, time_left):
    """Times one shape on every chip, checks its output, times torch SDPA.
    `time_left()` is the seconds any one run may still take."""
    folder = os.path.join(scratch, "bench", bench["name"])
    os.makedirs(folder, exist_ok=True)
    paths, tensors = draw_inputs(bench, folder, seed)
    row = {"name": bench["name"], "chips": {}, "torch": {}}
    big = bench["flops"] > 5e11
    ref, ref_done, tol = None, False, TOLERANCE_BY_ELT[bench["elt"]]
    for chip in chips:
        if chip not in bench["libs"]:
            row["chips"][chip] = dict(status="FAIL", msg="compile failed: " +
                                      bench["compile_errors"].get(chip, ""))
            continue
        if time_left() < 10:
            row["chips"][chip] = dict(status="SKIP", msg="out of time")
            continue
        out = os.path.join(folder, "out_%s.npy" % chip)
        argv = runner.argv(bench, chip, paths, [out],
                           repeat=10 if big else 20, warmup=2 if big else 3)
        rc, text = runner.run(argv, poison=False,
                              timeout=min(BENCH_TIMEOUT_S, time_left()))
        m = TIME_RE.search(text)
        if rc != 0 or m is None:
            row["chips"][chip] = dict(status="FAIL", msg="runner exit %d: %s"
                                      % (rc, tail(text)))
            continue
        if not ref_done:  # once, after the first run that worked
            ref, ref_done = bench_reference(bench, tensors), True
        err = None
        if ref is not None:
            try:
                err = rel_err(to_f64(np.load(out), bench["elt"]), ref)
            except (OSError, ValueError) as e:
                row["chips"][chip] = dict(status="FAIL", ms=float(m.group(1)),
                                          msg="cannot read output: %s" % e)
                continue
        bad = err is not None and not err <= tol
        row["chips"][chip] = dict(status="FAIL" if bad else "PASS",
                                  ms=float(m.group(1)), err=err,
                                  msg=("rel err %.2e > %.0e" % (err, tol))
                                  if bad else "")
    if torch is not None and torch.cuda.is_available() and time_left() > 30:
        row["torch"] = sdpa_times(bench, tensors)
    del tensors, ref
    shutil.rmtree(folder, ignore_errors=True)
    return row


# --- the table ----------------------------------------------------------------------

def fmt_err(x):
    if x is None:
        return "-"
    return "nan" if isinstance(x, float) and math.isnan(x) else "%.1e" % x


def print_tables(manifest, results, lowp, sanitized, bench_rows, chips,
                 summary):
    lines = []
    head = "%-44s %-5s %6s %8s" % ("case", "elt", "tol", "lowp")
    for c in chips:
        head += "  %-14s" % c
    lines += ["", "=" * len(head), "correctness (rel Frobenius error vs "
              "float64; lowp = same math in the element type by torch "
              "(t) or numpy (n))", head, "-" * len(head)]
    for case in manifest["cases"]:
        name = case["name"]
        e, who = lowp.get(name, (None, ""))
        exact = all(o["kind"] == "exact" for o in case["outputs"])
        tols = [o["tol"] for o in case["outputs"] if "tol" in o]
        row = "%-44s %-5s %6s %8s" % (
            name[:44], case["elt"][:5],
            "exact" if exact else "%.0e" % max(tols) if tols else "-",
            (fmt_err(e) + ("t" if who == "torch" else "n")) if e is not None
            else "-")
        for c in chips:
            r = results.get((name, c))
            if r is None:
                row += "  %-14s" % "not run"
            elif r["status"] == "PASS":
                row += "  %-14s" % ("PASS exact" if exact else
                                    "PASS " + fmt_err(r["err"]))
            else:
                row += "  %-14s" % ("FAIL " + fmt_err(r.get("err")))
        lines.append(row)
    if sanitized:
        lines += ["", "compute-sanitizer (%s)" % chips[0],
                  "%-44s %-10s %s" % ("case", "tool", "result")]
        for (name, tool), r in sanitized.items():
            lines.append("%-44s %-10s %s%s" % (name[:44], tool, r["status"],
                                               " " + r["msg"][:70]
                                               if r["msg"] else ""))
    if bench_rows:
        bh = "%-42s %-7s %9s %11s %8s" % ("bench (median ms)", "chip",
                                          "attnc", "rate", "err")
        for b in SDPA_BACKENDS:
            bh += " %9s" % b.split("_")[0].lower()[:9]
        bh += " %7s" % "best/us"
        lines += ["", bh, "-" * len(bh)]
        by_name = {b["name"]: b for b in manifest["bench"]}
        for row in bench_rows:
            b = by_name[row["name"]]
            torch_ms = {k: v for k, v in row["torch"].items()
                        if isinstance(v, float)}
            best = min(torch_ms.values()) if torch_ms else None
            for c in chips:
                r = row["chips"].get(c, {"status": "not run"})
                ms = r.get("ms")
                if ms:
                    rate = rate_text(b, ms)
                    cell = "%9.3f %11s %8s" % (ms, rate, fmt_err(r.get("err")))
                else:
                    cell = "%9s %11s %8s" % (r["status"], "-", "-")
                line = "%-42s %-7s %s" % (row["name"][:42], c[:7], cell)
                for name in SDPA_BACKENDS:
                    v = row["torch"].get(name)
                    line += " %9s" % ("%.3f" % v if isinstance(v, float)
                                      else "-" if v is None else
                                      "n/a" if v.startswith("n/a") else
                                      "skip")
                line += " %7s" % ("%.2f" % (best / ms) if best and ms
                                  else "-")
                lines.append(line)
        lines.append("rate: FLOP/s (4*B*H*Sq*Skv*D, half for causal) for "
                     "prefill, GB/s of K+V read for decode; torch SDPA "
                     "backends in ms; best/us = fastest torch time / attnc "
                     "time (>1: attnc faster); err = rel err vs float64 at "
                     "that shape (- where too big)")
    lines += ["=" * len(head)] + summary
    print("\n".join(lines), flush=True)
    return lines


TOLERANCE_BY_ELT = {}


def rate_text(bench, ms):
    """TFLOP/s (GFLOP/s under 1 TFLOP/s) or GB/s of K+V read."""
    if bench["kind"] == "decode":
        return "%.1f GB/s" % (bench["kv_bytes"] / ms / 1e6)
    gflops = bench["flops"] / ms / 1e6
    return "%.1f TF/s" % (gflops / 1e3) if gflops >= 1e3 else \
        "%.1f GF/s" % gflops


def keep_failures(scratch, failures, sanitized, out, limit=12 * 2 ** 20):
    """out/failures.tar.gz: the outputs and repro.sh of failed cases and
    the sanitizer logs, up to `limit` bytes of files."""
    paths = [os.path.join(scratch, "sanitize", tool, name, "log.txt")
             for (name, tool) in sanitized]
    paths += [os.path.join(scratch, chip, name, f)
              for name, chip, _ in failures
              if os.path.isdir(os.path.join(scratch, chip, name))
              for f in sorted(os.listdir(os.path.join(scratch, chip, name)))]
    paths = [p for p in paths if os.path.isfile(p)]
    if not paths:
        return
    total = 0
    with tarfile.open(os.path.join(out, "failures.tar.gz"), "w:gz") as tar:
        for p in paths:
            total += os.path.getsize(p)
            if total > limit:
                break
            tar.add(p, arcname=os.path.relpath(p, scratch))


# --- main ---------------------------------------------------------------------------

def main():
    global BUNDLE_DIR, TOLERANCE_BY_ELT, TIME_LIMIT
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundle", nargs="?", default=BUNDLE)
    parser.add_argument("--out", help="folder for results.json and the "
                        "table (e.g. $OUT on the GPU machine)")
    parser.add_argument("--jobs", type=int, default=0,
                        help="parallel correctness runs (default: 8 on "
                        "CUDA, 2 on the CPU)")
    parser.add_argument("--chips", default="")
    parser.add_argument("--cases", default="")
    parser.add_argument("--no-bench", action="store_true")
    parser.add_argument("--no-sanitize", action="store_true")
    parser.add_argument("--deadline", type=float, default=330.0,
                        help="seconds after which no new bench shape starts")
    parser.add_argument("--time-limit", type=float, default=440.0,
                        help="seconds by which every run must have ended "
                        "(runs are stopped then; the table still prints)")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--keep-scratch", action="store_true")
    opts = parser.parse_args()

    BUNDLE_DIR = os.path.abspath(opts.bundle)
    TIME_LIMIT = opts.time_limit
    with open(os.path.join(BUNDLE_DIR, "manifest.json")) as f:
        manifest = json.load(f)
    TOLERANCE_BY_ELT = manifest["tolerance"]
    device = manifest["device"]
    chips = [c for c in manifest["chips"]
             if not opts.chips or c in opts.chips.split(",")]
    wanted = set(w for w in opts.cases.split(",") if w)
    cases = [c for c in manifest["cases"]
             if not wanted or c["name"] in wanted or c["group"] in wanted]
    manifest["cases"] = cases
    runner = Runner(manifest, BUNDLE_DIR)
    scratch = os.path.join(BUNDLE_DIR, "scratch")
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)

    say("bundle %s (%s, source %s): target %s, chips %s, runner %s, "
        "%d cases, %d bench shapes" % (
            BUNDLE_DIR, manifest["created"], manifest["source"],
            manifest["target"], ",".join(chips), manifest["runner"]["kind"],
            len(cases), len(manifest["bench"])))
    if torch is not None:
        say("torch %s, CUDA %s, device %s" % (
            torch.__version__, torch.version.cuda,
            torch.cuda.get_device_name(0) if torch.cuda.is_available()
            else "none"))
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    else:
        say("no torch: baselines and the torch low-precision context are "
            "left out")
    if device == "cuda" and (torch is None or not torch.cuda.is_available()):
        say("WARNING: a CUDA bundle, but torch sees no GPU")

    # 1. Correctness, in parallel.
    jobs = opts.jobs or (8 if device == "cuda" else 2)
    # First one case of each library: loading a library JIT-compiles its
    # PTX where there is no cubin for the chip (sm_80 code on an H200), and
    # the driver caches that; then everything else.
    work = [(c, chip) for chip in chips for c in cases]
    first, seen = [], set()
    for c, chip in work:
        lib = c["libs"].get(chip)
        if lib and lib not in seen:
            seen.add(lib)
            first.append((c, chip))
    work = first + [w for w in work if w not in first]
    results = {}
    for phase in (work[:len(first)], work[len(first):]):
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for (c, chip), r in zip(phase, pool.map(
                    lambda cc: run_case(cc[0], cc[1], runner, scratch),
                    phase)):
                results[(c["name"], chip)] = r
    failures = [(n, c, r) for (n, c), r in results.items()
                if r["status"] != "PASS"]
    say("correctness: %d runs, %d failed" % (len(results), len(failures)))
    for n, c, r in failures:
        say("  FAIL %s [%s]: %s" % (n, c, r["msg"]))
    lowp = {}
    for c in cases:
        try:
            e, who = lowp_context(c)
        except Exception as ex:  # context only: never fails a case
            e, who = None, "error: %s" % ex
            say("  lowp context of %s: %s" % (c["name"], ex))
        if e is not None:
            lowp[c["name"]] = (e, who)

    # 2. compute-sanitizer on small cases (CUDA only).
    sanitized = {}
    if device == "cuda" and not opts.no_sanitize:
        by_name = {c["name"]: c for c in cases}
        runs = [(name, tool) for name in manifest["sanitize"]
                if name in by_name for tool in ("memcheck", "racecheck")]
        with ThreadPoolExecutor(max_workers=4) as pool:
            for key, r in zip(runs, pool.map(
                    lambda nt: sanitize(by_name[nt[0]], chips[0], nt[1],
                                        runner, scratch), runs)):
                sanitized[key] = r
                say("sanitizer %s %s: %s %s" % (key[1], key[0], r["status"],
                                                 r["msg"]))

    # 3. Benchmarks, one at a time, until the deadline.
    bench_rows, skipped = [], []
    if not opts.no_bench:
        for i, b in enumerate(manifest["bench"]):
            if elapsed() > opts.deadline:
                skipped.append(b["name"])
                continue
            t0 = time.time()
            row = run_bench(b, chips, runner, scratch, opts.seed + i,
                            time_left)
            bench_rows.append(row)
            say("bench %s: %s (%.0f s)" % (b["name"], ", ".join(
                "%s %s" % (c, "%.3f ms" % r["ms"] if "ms" in r else
                           r["status"] + " " + r.get("msg", ""))
                for c, r in row["chips"].items()), time.time() - t0))
    if skipped:
        say("bench shapes skipped at the %.0f s deadline: %s" % (
            opts.deadline, " ".join(skipped)))

    bench_fail = [(row["name"], c) for row in bench_rows
                  for c, r in row["chips"].items() if r["status"] != "PASS"]
    san_fail = [k for k, r in sanitized.items() if r["status"] == "FAIL"]
    ok = not failures and not bench_fail and not san_fail
    summary = [
        "%d correctness runs (%d cases x %d chips): %d passed, %d failed" % (
            len(results), len(cases), len(chips),
            len(results) - len(failures), len(failures)),
        "sanitizer: %d runs, %d failed, %d skipped" % (
            len(sanitized), len(san_fail),
            sum(r["status"] == "SKIP" for r in sanitized.values()))
        if sanitized else "sanitizer: not run",
        "bench: %d shapes run, %d failed, %d skipped" % (
            len(bench_rows), len(bench_fail), len(skipped)),
        "%s in %.0f s" % ("ALL PASSED" if ok else "FAILED", elapsed())]
    lines = print_tables(manifest, results, lowp, sanitized, bench_rows,
                         chips, summary)
    if opts.out:
        os.makedirs(opts.out, exist_ok=True)
        with open(os.path.join(opts.out, "table.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(opts.out, "results.json"), "w") as f:
            json.dump({"correctness": [
                dict(case=n, chip=c, **r) for (n, c), r in results.items()],
                "lowp": {n: {"err": e, "by": w} for n, (e, w) in lowp.items()},
                "sanitizer": [dict(case=n, tool=t, **r)
                              for (n, t), r in sanitized.items()],
                "bench": bench_rows, "skipped": skipped}, f, indent=1)
        keep_failures(scratch, failures, sanitized, opts.out)
    if not opts.keep_scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0 if ok else 1


BUNDLE_DIR = BUNDLE

if __name__ == "__main__":
    sys.exit(main())
