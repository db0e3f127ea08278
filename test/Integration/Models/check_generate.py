#!/usr/bin/env python3
"""End to end: `attnc compile <model-dir> -o model.attnc`, then the runtime.

For a tiny model with random weights (tools/models/tiny_models.py: GPT-2,
Llama, Qwen2, Qwen3, Mistral, Gemma 2):
  - `attnc-run logits` of a token sequence vs the float64 NumPy reference
    (tools/models/reference.py): ||attnc - ref|| / ||ref|| < 1e-5 per row;
  - `attnc-run generate --temperature 0` from a prompt: the token ids must be
    the reference's greedy continuation (argmax of the float64 logits at
    every step, stopping at end-of-sequence like the runtime), 16 tokens.

The logits' sequence (20 tokens) and the prompt plus continuation are
longer than the 8-position sliding windows of the tiny Mistral and Gemma 2.

With --dtype BF16/F16 (not gpt2) the checkpoint is stored in that type: the
artifact must read its matrices in place (manifest weight_type), and the
reference computes with the same rounded weights.

--attention-bias (llama, qwen3, gemma2) adds q/k/v/o projection biases;
--tied yes|no ties or unties lm_head.

--grow-cache also compiles the model for 32768 positions, whose KV caches
(a mapping each, 4 MiB for the tiny Llama) the runtime faults in as the
sequence grows (512 positions, then doubling): greedy generation of 8
tokens from a prompt of 1020 random ids, which crosses from 1024 to 2048
populated positions in its decode steps, must equal the reference's.

--kv-type f32|f16|bf16 compiles with that KV cache type (default: none
given, attnc's default, the checkpoint's type); the manifest's kv_type and
generate's summary must say it. With f16/bf16 caches the reference rounds
each key and value to the cache's type (reference.round_array), and the
logits' tolerance is run_model.py's LOWP_KV_REL_TOL (attnc rounds its f32
keys, the reference its float64 ones).

A BF16 checkpoint compiled for a host with AVX512-BF16 multiplies
activations rounded to bf16 in its linear layers: the reference rounds them
too (reference.py act_type) and the logits' tolerance is at least
run_model.py's LOWP_ACT_REL_TOL.

Usage: check_generate.py FAMILY --attnc PATH --attnc-run PATH --work DIR
                         [--dtype F32|F16|BF16] [--attention-bias]
                         [--kv-type f32|f16|bf16] [--grow-cache]
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tools", "models"))

import reference  # noqa: E402
import tiny_models  # noqa: E402
from run_model import HOST_AVX512_BF16, LOWP_ACT_REL_TOL  # noqa: E402

REL_TOL = 1e-5
LOWP_KV_REL_TOL = {"f16": 5e-4, "bf16": 3e-3}
PROMPT = "the weather in Paris is"
NEW_TOKENS = 16
LOGITS_TOKENS = 20
GROW_MAX_SEQ = 32768
GROW_PROMPT_TOKENS = 1020
GROW_NEW_TOKENS = 8


def run(command):
    return subprocess.run(command, check=True, capture_output=True,
                          timeout=600).stdout.decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    tiny_models.add_model_options(parser)
    parser.add_argument("--attnc", required=True)
    parser.add_argument("--attnc-run", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--kv-type", choices=["f32", "f16", "bf16"])
    parser.add_argument("--grow-cache", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    model = os.path.join(args.work, "model")
    tiny_models.make_model(args, model, seed=7)
    artifact = os.path.join(args.work, "model.attnc")
    command = [args.attnc, "compile", model, "--max-seq", "48", "-o",
               artifact]
    if args.kv_type:
        command.append("--kv-type=" + args.kv_type)
    run(command)
    # GPT-2 reads f32 matrices; its cache defaults to the checkpoint's type
    # all the same.
    kv = args.kv_type or args.dtype.lower()
    tol = REL_TOL if kv == "f32" else LOWP_KV_REL_TOL[kv]
    act = "bf16" if args.dtype == "BF16" and HOST_AVX512_BF16 else None
    if act:
        tol = max(tol, LOWP_ACT_REL_TOL)
    manifest = json.load(open(os.path.join(artifact, "manifest.json")))
    if manifest.get("weight_type") != args.dtype.lower():
        sys.exit("FAIL the artifact reads its matrices as %s, the checkpoint "
                 "stores %s" % (manifest.get("weight_type"), args.dtype))
    print("PASS the artifact reads the %s matrices in place" % args.dtype)
    if manifest.get("kv_type") != kv:
        sys.exit("FAIL the artifact's KV cache is %s, expected %s" %
                 (manifest.get("kv_type"), kv))
    print("PASS the artifact's KV cache is %s" % kv)

    # Logits of every position.
    config = json.load(open(os.path.join(model, "config.json")))
    rng = np.random.default_rng(2)
    tokens = [int(t) for t in rng.integers(0, config["vocab_size"],
                                           LOGITS_TOKENS)]
    out = os.path.join(args.work, "logits.npy")
    run([args.attnc_run, "logits", artifact, "--model-dir", model,
         "--tokens", ",".join(map(str, tokens)), "--output", "@" + out])
    got, expected = np.load(out), reference.logits(model, tokens, kv, act)
    rel = max(np.linalg.norm(g - e) / np.linalg.norm(e)
              for g, e in zip(got, expected))
    if not (np.all(np.isfinite(got)) and rel < tol):
        sys.exit("FAIL logits: max rel error %.3e" % rel)
    print("PASS logits of %d tokens: max rel error %.3e (tol %.0e)" %
          (len(tokens), rel, tol))

    # Greedy generation.
    prompt = [int(t) for t in run([args.attnc_run, "tokenize", "--tokenizer",
                                   model, "--text", PROMPT]).split()]
    if args.family == "llama":
        prompt = [config["bos_token_id"]] + prompt
    check_greedy(args, artifact, model, config, ["--prompt", PROMPT], prompt,
                 NEW_TOKENS, kv, act)

    if args.grow_cache:
        grown = os.path.join(args.work, "model-32k.attnc")
        command = [args.attnc, "compile", model, "--max-seq",
                   str(GROW_MAX_SEQ), "-o", grown]
        if args.kv_type:
            command.append("--kv-type=" + args.kv_type)
        run(command)
        prompt = [int(t) for t in rng.integers(0, config["vocab_size"],
                                               GROW_PROMPT_TOKENS)]
        check_greedy(args, grown, model, config,
                     ["--tokens", ",".join(map(str, prompt))], prompt,
                     GROW_NEW_TOKENS, kv, act)


def check_greedy(args, artifact, model, config, prompt_options, prompt,
                 new_tokens, kv, act):
    """`attnc-run generate --temperature 0` of `artifact` from the prompt
    `prompt_options` give (the ids `prompt`) vs. the reference's greedy
    continuation."""
    result = subprocess.run(
        [args.attnc_run, "generate", artifact, "--model-dir", model] +
        prompt_options + ["-n", str(new_tokens), "--print-ids"],
        check=True, capture_output=True, timeout=600)
    output = result.stdout.decode()
    if "; KV cache %s]" % kv not in result.stderr.decode():
        sys.exit("FAIL generate does not report its %s KV cache: %s" %
                 (kv, result.stderr.decode()))
    ids_line = [l for l in output.splitlines() if l.startswith("ids:")][-1]
    generated = [int(t) for t in ids_line[4:].split()]
    eos = config["eos_token_id"]
    eos = eos if isinstance(eos, list) else [eos]
    sequence, expected_ids = list(prompt), []
    while len(expected_ids) < new_tokens:
        next_id = int(np.argmax(reference.logits(model, sequence, kv,
                                                 act)[-1]))
        if next_id in eos:
            break
        expected_ids.append(next_id)
        sequence.append(next_id)
    if generated != expected_ids:
        sys.exit("FAIL greedy generation: attnc %s, reference %s" %
                 (generated, expected_ids))
    print("PASS greedy generation of %d tokens equals the reference's "
          "(prompt: %d tokens)" % (len(generated), len(prompt)))


if __name__ == "__main__":
    main()
