#!/usr/bin/env python3
"""Collects the runs of tools/bench/compare_llamacpp.sh and prints its table.

  compare_table.py llamacpp SAMPLES ROUND DTYPE TEST < llama-bench -o jsonl
  compare_table.py attnc_run SAMPLES ROUND DTYPE TEST < attnc-run bench output
      append one line per configuration to the tab-separated file SAMPLES:
      side, dtype, test, flash-attn setting ("-" for attnc), round, and
      that round's median tokens/s (llama-bench: the median of its
      samples_ts; attnc-run bench: its "t/s (median)" column)
  compare_table.py table SAMPLES [--markdown FILE] [--header LINE]...
      one row per dtype and test: llama.cpp's best flash-attention setting
      (the higher median over rounds), attnc's median over rounds, and
      attnc / llama.cpp

  compare_table.py logits ATTNC.npy LLAMACPP.npy DTYPE
      the largest difference of the two logits arrays over the largest
      |logit| of llama.cpp's; an error when it exceeds the dtype's
      tolerance (LOGIT_TOLERANCE)

Only the standard library (numpy for `logits`): the lit test feeds it
recorded outputs.
"""

import argparse
import json
import re
import statistics
import sys


# How far attnc's logits may be from llama.cpp's, relative to the largest
# |logit|, with f32 caches on both sides and llama.cpp's flash attention off
# (its CPU flash attention rounds to f16 even with an f32 cache: 1e-3 on
# the 134M Llama). f32: the same f32 math in another order. f16/bf16: llama.cpp rounds the activations to the weights' type
# before each matrix product (ggml's vec_dot types), attnc widens f16
# weights and keeps f32 activations, and rounds activations to bf16 only in
# its bf16 prefill kernels; one rounding to 8 (bf16) or 11 (f16) bits per
# product, through 12 layers.
LOGIT_TOLERANCE = {"f32": 1e-4, "f16": 5e-3, "bf16": 3e-2}


def fail(message):
    sys.exit("compare_table.py: error: " + message)


def parse_test(test):
    """"pp512" -> ("pp", 512, 0); "tg32@d4096" -> ("tg", 32, 4096)."""
    match = re.fullmatch(r"(pp|tg)(\d+)(?:@d(\d+))?", test)
    if not match or int(match.group(2)) == 0:
        fail("test %r: expected ppN, tgN or either with @dD (e.g. tg32@d4096)"
             % test)
    return match.group(1), int(match.group(2)), int(match.group(3) or 0)


def test_label(test):
    kind, n, depth = parse_test(test)
    return "%s%d" % (kind, n) + (" @ d%d" % depth if depth else "")


def llama_medians(text, test):
    """{flash-attn setting: median t/s} from llama-bench's jsonl output,
    for the records of `test`."""
    kind, n, depth = parse_test(test)
    medians = {}
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        record = json.loads(line)
        prompt, gen = record.get("n_prompt"), record.get("n_gen")
        if (kind, n) != (("pp", prompt) if gen == 0 else ("tg", gen)) or \
                record.get("n_depth", 0) != depth:
            continue
        samples = record.get("samples_ts") or []
        if not samples:
            fail("llama-bench record without samples_ts")
        medians[str(record.get("flash_attn"))] = statistics.median(samples)
    if not medians:
        fail("no llama-bench record of %s in its output" % test)
    return medians


def attnc_median(text, test):
    """The "t/s (median)" column of attnc-run bench's row for `test`."""
    label = test_label(test)
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) > 2 and cells[0] == label:
            try:
                return float(cells[1])
            except ValueError:
                fail("attnc-run bench row %r: no tokens/s" % line.strip())
    fail("no attnc-run bench row %r in its output" % label)


def compare_logits(ours_path, theirs_path, dtype):
    import numpy as np
    ours, theirs = np.load(ours_path), np.load(theirs_path)
    if ours.ndim == 3:
        ours = ours.reshape(-1, ours.shape[-1])
    if ours.shape != theirs.shape:
        fail("logits of shapes %s (attnc) and %s (llama.cpp)"
             % (ours.shape, theirs.shape))
    scale = float(np.abs(theirs).max())
    error = float(np.abs(ours.astype(np.float64) - theirs).max()) / scale
    agree = float(np.mean(ours.argmax(-1) == theirs.argmax(-1)))
    print("%s: logits [%d, %d], max |attnc - llama.cpp| / max |logit| = "
          "%.2g (tolerance %g), same argmax at %.0f%% of positions"
          % (dtype, theirs.shape[0], theirs.shape[1], error,
             LOGIT_TOLERANCE[dtype], 100 * agree))
    if error > LOGIT_TOLERANCE[dtype]:
        fail("%s: attnc and llama.cpp compute different functions" % dtype)


def append(path, rows):
    with open(path, "a") as f:
        for row in rows:
            f.write("\t".join(str(x) for x in row) + "\n")


def table(path):
    """Rows (label, llama t/s, fa, attnc t/s, ratio, rounds) in the order the
    samples first name each dtype and test."""
    runs, order = {}, []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 6:
                fail("%s:%d: expected 6 tab-separated fields" % (path, number))
            side, dtype, test, fa, _, ts = fields
            if side not in ("llama", "attnc"):
                fail("%s:%d: side %r" % (path, number, side))
            if (dtype, test) not in order:
                order.append((dtype, test))
            runs.setdefault((dtype, test, side, fa), []).append(float(ts))
    rows = []
    for dtype, test in order:
        llama = {fa: statistics.median(v) for (d, t, s, fa), v in runs.items()
                 if (d, t, s) == (dtype, test, "llama")}
        attnc = [v for (d, t, s, _), v in runs.items()
                 if (d, t, s) == (dtype, test, "attnc")]
        best_fa = max(llama, key=llama.get) if llama else None
        best = llama[best_fa] if llama else None
        ours = statistics.median(attnc[0]) if attnc else None
        ratio = ours / best if best and ours is not None else None
        rounds = max([len(v) for (d, t, _, _), v in runs.items()
                      if (d, t) == (dtype, test)])
        rows.append(("%s %s" % (test_label(test), dtype), best, best_fa,
                     ours, ratio, rounds))
    return rows


def markdown(rows, headers):
    fmt = lambda x, spec: "-" if x is None else spec % x
    lines = list(headers)
    if headers:
        lines.append("")
    lines.append("| test | llama.cpp t/s (flash-attn) | attnc t/s | "
                 "attnc / llama.cpp | rounds |")
    lines.append("|---|---:|---:|---:|---:|")
    for label, best, fa, ours, ratio, rounds in rows:
        llama = "-" if best is None else "%.1f (fa %s)" % (best, fa)
        lines.append("| %s | %s | %s | %s | %d |" % (
            label, llama, fmt(ours, "%.1f"), fmt(ratio, "%.2fx"), rounds))
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for side in ("llamacpp", "attnc_run"):
        p = sub.add_parser(side)
        for name in ("samples", "round", "dtype", "test"):
            p.add_argument(name)
    p = sub.add_parser("logits")
    p.add_argument("ours")
    p.add_argument("theirs")
    p.add_argument("dtype", choices=sorted(LOGIT_TOLERANCE))
    p = sub.add_parser("table")
    p.add_argument("samples")
    p.add_argument("--markdown", help="also write the table to this file")
    p.add_argument("--header", action="append", default=[],
                   help="a line above the table (repeatable)")
    args = parser.parse_args()
    try:
        if args.command in ("llamacpp", "attnc_run"):
            parse_test(args.test)
            text = sys.stdin.read()
            if args.command == "llamacpp":
                rows = [("llama", args.dtype, args.test, fa, args.round, ts)
                        for fa, ts in sorted(llama_medians(text, args.test)
                                             .items())]
            else:
                rows = [("attnc", args.dtype, args.test, "-", args.round,
                         attnc_median(text, args.test))]
            append(args.samples, rows)
        elif args.command == "logits":
            compare_logits(args.ours, args.theirs, args.dtype)
        else:
            text = markdown(table(args.samples), args.header)
            sys.stdout.write(text)
            if args.markdown:
                with open(args.markdown, "w") as f:
                    f.write(text)
    except (OSError, ValueError) as e:
        fail(str(e))


if __name__ == "__main__":
    main()
