#!/usr/bin/env python3
"""Prefill and decode tokens/s of attnc against PyTorch eager, alternating.

Runs `attnc-run generate` on a compiled GPT-2 and `torch_gpt2.py` (the same
math in torch ops with a KV cache) in turns, `--rounds` times each, on the
same machine; measures the read bandwidth with attnc-bench in the same run;
prints the medians, the ratios, and decode tokens/s as a fraction of the
weight-bandwidth bound (weight bytes read per token over the bandwidth).

  compare_torch.py --attnc-run build/bin/attnc-run \\
      --attnc-bench build/bin/attnc-bench /tmp/gpt2s.attnc /tmp/gpt2s

The prompt is text with exactly --prompt tokens (found with
`attnc-run tokenize`); torch gets as many random token ids. PyTorch runs
with OMP_NUM_THREADS = --threads; point LD_LIBRARY_PATH at an OpenMP
OpenBLAS for the numbers in docs/performance.md.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SENTENCE = "The quick brown fox jumps over the lazy dog. "


def run(cmd, env=None):
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.exit("%s failed (%d):\n%s%s" % (" ".join(cmd), proc.returncode,
                                            proc.stdout, proc.stderr))
    return proc.stdout + proc.stderr


def prompt_with_tokens(attnc_run, model_dir, count):
    """Text of exactly `count` tokens: a prefix of a repeated sentence."""
    text = SENTENCE * (count // 4 + 1)

    def tokens(n):
        out = run([attnc_run, "tokenize", "--tokenizer", model_dir,
                   "--text", text[:n]])
        return len(out.split())

    lo, hi = 1, len(text)
    while lo < hi:  # the shortest prefix with at least `count` tokens
        mid = (lo + hi) // 2
        if tokens(mid) < count:
            lo = mid + 1
        else:
            hi = mid
    if tokens(lo) != count:
        sys.exit("no prefix of the sample text has exactly %d tokens" % count)
    return text[:lo]


def weight_bytes(model_dir):
    """Bytes of the safetensors files: what one decode step reads (every
    weight once; GPT-2's tied embedding twice, minus one row)."""
    names = [n for n in os.listdir(model_dir) if n.endswith(".safetensors")]
    return sum(os.path.getsize(os.path.join(model_dir, n)) for n in names)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("artifact")
    parser.add_argument("model_dir")
    parser.add_argument("--attnc-run", default="attnc-run")
    parser.add_argument("--attnc-bench", default="attnc-bench")
    parser.add_argument("--prompt", type=int, default=512)
    parser.add_argument("--steps", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    opts = parser.parse_args()

    env = dict(os.environ, OMP_NUM_THREADS=str(opts.threads))
    text = prompt_with_tokens(opts.attnc_run, opts.model_dir, opts.prompt)
    results = {"attnc": ([], []), "torch": ([], [])}
    for _ in range(opts.rounds):
        out = run([opts.attnc_run, "generate", opts.artifact, "--model-dir",
                   opts.model_dir, "--prompt", text, "-n",
                   str(opts.steps + 1)], env)
        m = re.search(r"([\d.]+) tokens/s prefill;.*?([\d.]+) tokens/s decode",
                      out)
        results["attnc"][0].append(float(m.group(1)))
        results["attnc"][1].append(float(m.group(2)))
        out = run([sys.executable, os.path.join(HERE, "torch_gpt2.py"),
                   opts.model_dir, "--prompt", str(opts.prompt), "--steps",
                   str(opts.steps), "--threads", str(opts.threads)], env)
        m = re.search(r"prefill_tok_s=([\d.]+) decode_tok_s=([\d.]+)", out)
        results["torch"][0].append(float(m.group(1)))
        results["torch"][1].append(float(m.group(2)))
    out = run([opts.attnc_bench, "--shapes=D1", "--no-reference", "--no-torch",
               "--repetitions=3", "--threads=%d" % opts.threads], env)
    m = re.search(r"memory read bandwidth \(measured[^)]*\): ([\d.]+) GB/s",
                  out)
    bandwidth = float(m.group(1)) * 1e9 if m else None

    med = {k: (statistics.median(p), statistics.median(d))
           for k, (p, d) in results.items()}
    print("%d rounds, prompt %d tokens, %d decode steps, %d threads" %
          (opts.rounds, opts.prompt, opts.steps, opts.threads))
    for k, (p, d) in results.items():
        print("%-6s prefill tok/s %s  decode tok/s %s" % (
            k, " ".join("%.0f" % v for v in p), " ".join("%.1f" % v for v in d)))
    print("median: prefill %.0f vs %.0f tok/s (%.2fx), decode %.1f vs %.1f "
          "tok/s (%.2fx)" % (med["attnc"][0], med["torch"][0],
                             med["attnc"][0] / med["torch"][0],
                             med["attnc"][1], med["torch"][1],
                             med["attnc"][1] / med["torch"][1]))
    if bandwidth:
        bound = bandwidth / weight_bytes(opts.model_dir)
        print("read bandwidth %.1f GB/s, %.0f MB of weights per token: bound "
              "%.1f tok/s; attnc decode at %.0f%% of it" % (
                  bandwidth / 1e9, weight_bytes(opts.model_dir) / 1e6, bound,
                  100 * med["attnc"][1] / bound))


if __name__ == "__main__":
    main()
