#!/usr/bin/env python3
"""Times linear layers (the attnc-matmul-cpu kernels) per weight type.

Each layer is y[1, S, N] = x[1, S, K] @ W, written as the linalg.generic the
model IR emits (W [out, in] as in torch nn.Linear, or [in, out] as GPT-2's
Conv1D; f16/bf16 weights widened in the body), compiled with
`attnc compile` for the host, and timed with `attnc-call --repeat`
(the median of its runs) in a fresh process. Variants, in the same run:

  f32, f16          the weights in that type
  bf16              bf16 weights; on a host with AVX512-BF16 the prefill
                    kernel uses vdpbf16ps on activations rounded to bf16
  bf16-widened      the same, compiled with --target-features=-avx512bf16:
                    the weights widened to f32, f32 FMAs (the kernels before
                    the bf16 path)

The variants alternate within each round; a table gives the median over
rounds (min-max in parentheses). Prefill rows (S > 1) report GFLOP/s
(2 S K N / time); decode rows (S = 1) report GB/s of weights read and the
percentage of the machine's read bandwidth, measured in the same run with
attnc-bench (its "memory read bandwidth" line).

  linear_layers.py --attnc build/bin/attnc --attnc-call build/bin/attnc-call \\
      --attnc-bench build/bin/attnc-bench [--rounds 3] [--work DIR]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

import numpy as np

# (label, S, K, N, layout)
SHAPES = [
    ("prefill 512x768 . 768x2048", 512, 768, 2048, "out_in"),
    ("prefill 512x896 . 896x4864 (Qwen2-0.5B MLP)", 512, 896, 4864,
     "out_in"),
    ("prefill 512x768 . 768x2048 [in, out]", 512, 768, 2048, "in_out"),
    ("decode 1x4096 . 4096x8192", 1, 4096, 8192, "out_in"),
    ("decode 1x896 . 896x4864 (Qwen2-0.5B MLP)", 1, 896, 4864, "out_in"),
    ("decode 1x4096 . 4096x8192 [in, out]", 1, 4096, 8192, "in_out"),
]
VARIANTS = [("f32", "f32", []), ("f16", "f16", []), ("bf16", "bf16", []),
            ("bf16-widened", "bf16", ["--target-features=-avx512bf16"])]
BYTES = {"f32": 4, "f16": 2, "bf16": 2}


def module_text(s, k, n, layout, elt):
    w_type = "tensor<%dx%dx%s>" % ((k, n, elt) if layout == "in_out"
                                   else (n, k, elt))
    w_map = "(k, n)" if layout == "in_out" else "(n, k)"
    widen = ("    %%wf = arith.extf %%w : %s to f32\n" % elt
             if elt != "f32" else "")
    w_name = "%wf" if elt != "f32" else "%w"
    return """func.func @f(%%x: tensor<1x%dx%dxf32>, %%wt: %s) -> tensor<1x%dx%dxf32> {
  %%zero = arith.constant 0.0 : f32
  %%e = tensor.empty() : tensor<1x%dx%dxf32>
  %%init = linalg.fill ins(%%zero : f32) outs(%%e : tensor<1x%dx%dxf32>) -> tensor<1x%dx%dxf32>
  %%y = linalg.generic {indexing_maps = [
      affine_map<(b, s, n, k) -> (b, s, k)>,
      affine_map<(b, s, n, k) -> %s>,
      affine_map<(b, s, n, k) -> (b, s, n)>],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%%x, %%wt : tensor<1x%dx%dxf32>, %s) outs(%%init : tensor<1x%dx%dxf32>) {
  ^bb0(%%a: f32, %%w: %s, %%c: f32):
%s    %%p = arith.mulf %%a, %s : f32
    %%t = arith.addf %%c, %%p : f32
    linalg.yield %%t : f32
  } -> tensor<1x%dx%dxf32>
  return %%y : tensor<1x%dx%dxf32>
}
""" % (s, k, w_type, s, n, s, n, s, n, s, n, w_map, s, k, w_type, s, n, elt,
       widen, w_name, s, n, s, n)


def write_weights(path, shape, elt, rng):
    w = (rng.standard_normal(shape) * shape[-1] ** -0.5).astype(np.float32)
    if elt == "f16":
        np.save(path, w.astype(np.float16))
    elif elt == "bf16":
        bits = w.view(np.uint32)
        np.save(path, ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16)
                .astype("<u2"))
    else:
        np.save(path, w)


def run(argv):
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode:
        sys.exit("failed (%d): %s\n%s" % (proc.returncode, " ".join(argv),
                                          proc.stderr))
    return proc.stdout + proc.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attnc", required=True)
    parser.add_argument("--attnc-call", required=True)
    parser.add_argument("--attnc-bench", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--work", default=None)
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="linear-bench-")
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(0)

    cases = []
    for si, (label, s, k, n, layout) in enumerate(SHAPES):
        x = os.path.join(work, "x%d.npy" % si)
        np.save(x, rng.standard_normal((1, s, k)).astype(np.float32))
        for name, elt, flags in VARIANTS:
            d = os.path.join(work, "%d-%s" % (si, name))
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "module.mlir"), "w") as f:
                f.write(module_text(s, k, n, layout, elt))
            w = os.path.join(work, "w%d-%s.npy" % (si, elt))
            if not os.path.exists(w):
                write_weights(w, (k, n) if layout == "in_out" else (n, k),
                              elt, rng)
            lib = os.path.join(d, "lib.so")
            run([args.attnc, "compile", os.path.join(d, "module.mlir"),
                 "-o", lib] + flags)
            cases.append((label, s, k, n, name, elt, lib, x, w))

    times = {}
    bandwidths = []
    for _ in range(args.rounds):
        out = run([args.attnc_bench, "--shapes=D1", "--no-torch",
                   "--repetitions=1"])
        m = re.search(r"memory read bandwidth \(measured, (\d+) threads\): "
                      r"([0-9.]+)", out)
        if m:
            bandwidths.append(float(m.group(2)))
        for label, s, k, n, name, elt, lib, x, w in cases:
            out = run([args.attnc_call, lib, "--function", "f",
                       "--input=@" + x, "--input=@" + w,
                       "--repeat", str(args.repeat), "--warmup", "3"])
            m = re.search(r"ran in ([0-9.]+) ms", out)
            times.setdefault((label, name), []).append(float(m.group(1)))

    bw = statistics.median(bandwidths) if bandwidths else None
    load = os.getloadavg()
    print("load average before the table: %.2f %.2f %.2f" % load)
    if bw:
        print("read bandwidth (attnc-bench, median of %d): %.1f GB/s "
              "(%.1f-%.1f)" % (len(bandwidths), bw, min(bandwidths),
                               max(bandwidths)))
    print("| layer | weights | ms | GFLOP/s or GB/s | vs f32 | % of read "
          "bandwidth |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, s, k, n, layout in SHAPES:
        base = statistics.median(times[(label, "f32")])
        for name, elt, _ in VARIANTS:
            ts = times[(label, name)]
            t = statistics.median(ts)
            spread = "%.3f (%.3f-%.3f)" % (t, min(ts), max(ts))
            if s > 1:
                rate = "%.0f GFLOP/s" % (2.0 * s * k * n / t / 1e6)
                pct = ""
            else:
                gbs = k * n * BYTES[elt] / t / 1e6
                rate = "%.1f GB/s" % gbs
                pct = "%.0f%%" % (100 * gbs / bw) if bw else ""
            print("| %s | %s | %s | %s | %.2fx | %s |" % (
                label, name, spread, rate, base / t, pct))


if __name__ == "__main__":
    main()
