#!/usr/bin/env python3
"""Runs examples/attention.mlir through attnc-run on random inputs and checks
the result against a float64 NumPy reference.

Usage: attention_demo.py BUILD_DIR [--repeat N]
Prints, per function: the relative error ||out - ref|| / ||ref||, the median
time of attnc-run's call, and GFLOP/s with FLOPs = 4*B*H*Sq*Skv*D (half for
causal).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPE = (1, 12, 512, 64)
TOLERANCE = 1e-5


def reference(q, k, v, causal):
    q, k, v = (x.astype(np.float64) for x in (q, k, v))
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(q.shape[-1])
    if causal:
        sq, skv = scores.shape[-2:]
        rows = np.arange(sq)[:, None] + (skv - sq)
        scores = np.where(np.arange(skv)[None, :] <= rows, scores, -np.inf)
    scores -= scores.max(axis=-1, keepdims=True)
    p = np.exp(scores)
    return (p / p.sum(axis=-1, keepdims=True)) @ v


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("build_dir")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    runner = os.path.join(args.build_dir, "bin", "attnc-run")
    module = os.path.join(HERE, "attention.mlir")

    rng = np.random.default_rng(0)
    q, k, v = (rng.standard_normal(SHAPE, dtype=np.float32) for _ in range(3))
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        inputs = []
        for name, array in zip("qkv", (q, k, v)):
            path = os.path.join(tmp, name + ".npy")
            np.save(path, array)
            inputs += ["--input", "@" + path]
        for function, causal in (("attention", False), ("attention_causal", True)):
            out_path = os.path.join(tmp, function + ".npy")
            run = subprocess.run(
                [runner, "call", module, "--function", function, *inputs,
                 "--output", "@" + out_path, "--repeat", str(args.repeat)],
                capture_output=True, text=True)
            if run.returncode != 0:
                print(run.stderr, end="", file=sys.stderr)
                return 1
            ms = float(re.search(r"ran in ([0-9.]+) ms", run.stderr).group(1))
            out = np.load(out_path)
            ref = reference(q, k, v, causal)
            err = np.linalg.norm(out - ref) / np.linalg.norm(ref)
            ok = np.isfinite(out).all() and err < TOLERANCE
            failed |= not ok
            b, h, s, d = SHAPE
            flops = 4 * b * h * s * s * d / (2 if causal else 1)
            print(f"  {function:17} B={b} H={h} S={s} D={d}  "
                  f"rel_err={err:.2e} (tol {TOLERANCE:.0e}) "
                  f"{'PASS' if ok else 'FAIL'}  "
                  f"{ms:8.1f} ms  {flops / ms / 1e6:6.2f} GFLOP/s  "
                  f"(median of {args.repeat} after a warm-up run)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
