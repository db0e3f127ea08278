#!/usr/bin/env python3
"""Runs a compiled tiny model through its entry points and checks its logits.

Writes a tiny model directory with random weights (tools/models/
tiny_models.py: GPT-2, Llama, Qwen2, Qwen3, Mistral, Gemma 2), compiles it
with `attnc compile <dir>`, and drives the compiled @embed, @block or
@block_sliding (once per layer, each with its own weights and KV cache) and
@head with `attnc-run call` on .npy files:

  1. prefill of 7 tokens: logits of every position vs. the float64 NumPy
     reference of the model (tools/models/reference.py);
  2. 16 decode steps, each appending one token to the caches in place:
     logits vs. the reference over the whole sequence so far;
  3. consistency: the last decode step's logits vs. attnc's own prefill of
     the same 23 tokens at once;
  4. a prompt of 20 tokens, then a chunk of CHUNK_ROWS tokens at position
     20 (the model IR's flash kernel on the cache's first 20 + CHUNK_ROWS
     positions): the chunk's logits vs. the reference (CHUNK_REL_TOL, see
     there) and vs. attnc's own prefill of all 280 tokens at once (the
     tolerance of step 3).

f32 tolerance: ||attnc - ref|| / ||ref|| < 1e-5 per position (stated in
case_def.F32_REL_TOL of the CPU tests); NaN/Inf never pass.

With --dtype BF16/F16 the checkpoint's matrices are passed in that type
(as the runtime passes them); the reference computes with the same rounded
weights, in float64, so the tolerance is the f32 one.

The KV caches have the type --kv-type names (compiled with attnc compile
--kv-type), or, without it, attnc compile's default: the checkpoint's type
(f32 for an F32 checkpoint). With f16/bf16 caches the reference rounds
every key and value to the cache's type as attnc stores them (from f32, to
nearest even), and the caches attnc wrote are compared with the
reference's rounded keys and values element by element (layer 0, whose
inputs agree to f32 precision): attnc rounds its
f32 keys, the reference its float64 ones, so an element near a rounding
boundary may land one ulp apart (at most MAX_ONE_ULP_SHARE of them, and
none beyond what an f32 error of F32_SLACK * max|value| explains; rounding
by truncation would move about half). Such an element
moves the logits by up to ~1e-4 (f16) in a tiny model, so the logits'
tolerance is LOWP_KV_REL_TOL; the same holds for incremental decoding vs
one prefill of the whole sequence: a decode step's projections (GEMV) and a
prefill's (GEMM) sum in another order. A second check bounds the
distance to the f32-cache reference, what rounding the cache costs (in
these tiny models up to 1.5e-3 with f16 and 1.4e-2 with bf16):
LOWP_KV_QUALITY_TOL.

A BF16 checkpoint compiled for a CPU with AVX512-BF16 (this host, when
/proc/cpuinfo lists avx512_bf16) multiplies its bf16 weights with
activations rounded to bf16 (vdpbf16ps or AMX tiles, f32 accumulation):
the reference rounds the input of every linear layer the same way
(reference.py act_type), and, as with a low-precision cache, an element
near a rounding boundary may land one ulp apart: the tolerance is
LOWP_ACT_REL_TOL, and LOWP_ACT_QUALITY_TOL bounds the distance to the
unrounded reference.

Usage: run_model.py FAMILY --attnc PATH --attnc-run PATH --work DIR
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.realpath(__file__))
TOOLS = os.path.join(HERE, "..", "..", "..", "tools", "models")
sys.path.insert(0, TOOLS)
# The host probe the kernel tests use: where attnc compile's default target
# (the host) has AVX512-BF16, bf16 weights multiply activations rounded to
# bf16.
sys.path.insert(0, os.path.join(HERE, "..", "CPU"))

import reference  # noqa: E402
import tiny_models  # noqa: E402
from case_def import HOST_AVX512_BF16  # noqa: E402

REL_TOL = 1e-5
# Logits of an f16/bf16-cache model vs the reference with the same rounded
# keys and values (see the docstring), and vs the f32-cache reference.
LOWP_KV_REL_TOL = {"f16": 5e-4, "bf16": 3e-3}
MAX_ONE_ULP_SHARE = 0.01
F32_SLACK = 1e-5
LOWP_KV_QUALITY_TOL = {"f16": 5e-3, "bf16": 3e-2}
# Logits of a model whose linear layers round their inputs to bf16 vs the
# reference that rounds them too, and vs the unrounded reference (measured
# up to 1.8e-2, Qwen2). An input near a rounding boundary may land one bf16
# ulp (2^-8 relative) apart, and through attention it moves every later
# position: up to 2.4e-3 measured on the tiny Gemma 2 with vdpbf16ps, 4.4e-3
# with AMX tiles (whose sums are no less exact: 4.6e-8 against 7.3e-8 of
# the rounded-input products on linear_bf16_out_in_tails, but a different
# activation landed on the other side of a boundary). Two ulps.
LOWP_ACT_REL_TOL = 2 * 2.0**-8
LOWP_ACT_QUALITY_TOL = 3e-2
GPT2_BLOCK_WEIGHTS = ["h.%d." + n for n in [
    "ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias",
    "attn.c_proj.weight", "attn.c_proj.bias", "ln_2.weight", "ln_2.bias",
    "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight",
    "mlp.c_proj.bias"]]


class Model:
    def __init__(self, args, directory, library, max_seq):
        self.args, self.dir, self.lib = args, directory, library
        self.config, weights = reference.load_model(directory)
        self.npy = os.path.join(args.work, "weights")
        os.makedirs(self.npy, exist_ok=True)
        for name, value in weights.items():
            np.save(os.path.join(self.npy, name + ".npy"),
                    self.stored(value))
        c = self.config
        self.family = c["model_type"]
        if self.family == "gpt2":
            self.layers = c["n_layer"]
            shape = (1, c["n_head"], max_seq, c["n_embd"] // c["n_head"])
            self.sliding = [False] * self.layers
        else:
            self.layers = c["num_hidden_layers"]
            shape = (1, c["num_key_value_heads"], max_seq,
                     reference.head_dim(c))
            self.sliding = reference.sliding_layers(c)[0]
        rng = np.random.default_rng(1)
        # Garbage, not zeros: nothing past a sequence's length may be read.
        # In the cache's type (bf16 as raw '<u2' bits).
        self.caches = []
        for layer in range(self.layers):
            paths = []
            for kind in "kv":
                path = os.path.join(args.work, "%sc%d.npy" % (kind, layer))
                garbage = rng.normal(0, 10, shape).astype(np.float32)
                if args.kv_type == "f16":
                    garbage = garbage.astype(np.float16)
                elif args.kv_type == "bf16":
                    garbage = (garbage.view(np.uint32) >> 16).astype(
                        np.uint16)
                np.save(path, garbage)
                paths.append(path)
            self.caches.append(paths)

    def block_weights(self):
        """The @block weight arguments, in order (getLayerWeightSpecs'
        order: attention biases follow o_proj, then Qwen3's q/k norms; Gemma
        2's pre_feedforward_layernorm precedes the MLP and its
        post_feedforward_layernorm follows it)."""
        if self.family == "gpt2":
            return GPT2_BLOCK_WEIGHTS
        c, family = self.config, self.family
        names = ["input_layernorm.weight", "self_attn.q_proj.weight",
                 "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                 "self_attn.o_proj.weight"]
        if c.get("attention_bias") or family == "qwen2":
            names += ["self_attn.%s_proj.bias" % n for n in "qkv"]
        if c.get("attention_bias") and family != "qwen2":
            names.append("self_attn.o_proj.bias")
        if family == "qwen3":
            names += ["self_attn.q_norm.weight", "self_attn.k_norm.weight"]
        names.append("post_attention_layernorm.weight")
        if family == "gemma2":
            names.append("pre_feedforward_layernorm.weight")
        names += ["mlp.gate_proj.weight", "mlp.up_proj.weight",
                  "mlp.down_proj.weight"]
        if family == "gemma2":
            names.append("post_feedforward_layernorm.weight")
        return ["model.layers.%d." + n for n in names]

    def stored(self, value):
        """A weight as the compiled functions take it: matrices in the
        checkpoint's f16/bf16 (attnc compile reads them in place; bf16 as
        raw '<u2' bits in .npy), everything else f32."""
        value = np.asarray(value, np.float32)
        if value.ndim != 2 or self.args.dtype == "F32":
            return value
        if self.args.dtype == "F16":
            return value.astype(np.float16)
        return (np.ascontiguousarray(value).view(np.uint32) >> 16).astype(
            np.uint16)

    def call(self, function, inputs, outputs):
        command = [self.args.attnc_run, "call", self.lib, "--function",
                   function]
        for value in inputs:
            command += ["--input", value]
        for path in outputs:
            command += ["--output", "@" + path]
        subprocess.run(command, check=True, capture_output=True, timeout=300)

    def weight(self, name):
        return "@" + os.path.join(self.npy, name + ".npy")

    def forward(self, tokens, start):
        """Logits [S, V] of `tokens` placed at positions start, start+1..."""
        work = self.args.work
        s = len(tokens)
        np.save(os.path.join(work, "tokens.npy"),
                np.asarray([tokens], np.int64))
        np.save(os.path.join(work, "positions.npy"),
                np.arange(start, start + s, dtype=np.int64)[None])
        np.save(os.path.join(work, "start.npy"), np.array([start], np.int32))
        np.save(os.path.join(work, "lens.npy"),
                np.array([start + s], np.int32))
        x = os.path.join(work, "x.npy")
        tokens_arg = "@" + os.path.join(work, "tokens.npy")
        positions_arg = "@" + os.path.join(work, "positions.npy")
        if self.family == "gpt2":
            self.call("embed", [tokens_arg, positions_arg,
                                self.weight("wte.weight"),
                                self.weight("wpe.weight")], [x])
        else:
            self.call("embed", [tokens_arg,
                                self.weight("model.embed_tokens.weight")],
                      [x])
        for layer in range(self.layers):
            kc, vc = self.caches[layer]
            inputs = ["@" + x]
            if self.family != "gpt2":
                inputs.append(positions_arg)
            inputs += ["@" + os.path.join(work, "start.npy"),
                       "@" + os.path.join(work, "lens.npy")]
            inputs += [self.weight(name % layer)
                       for name in self.block_weights()]
            inputs += ["@" + kc, "@" + vc]
            self.call("block_sliding" if self.sliding[layer] else "block",
                      inputs, [x, kc, vc])
        logits = os.path.join(work, "logits.npy")
        if self.family == "gpt2":
            head = [self.weight("ln_f.weight"), self.weight("ln_f.bias"),
                    self.weight("wte.weight")]
        else:
            lm_head = ("model.embed_tokens.weight"
                       if self.config.get("tie_word_embeddings")
                       else "lm_head.weight")
            head = [self.weight("model.norm.weight"), self.weight(lm_head)]
        self.call("head", ["@" + x] + head, [logits])
        return np.load(logits)[0].astype(np.float64)


def ordered_bits(bits):
    """16-bit float patterns as integers in the order of their values, so
    that neighbouring values differ by 1 (-0 and +0 are both 0)."""
    b = np.asarray(bits).view(np.uint16).astype(np.int64)
    return np.where(b & 0x8000, -(b & 0x7FFF), b)


def kv_bits(values, kv):
    """ordered_bits of `values` rounded to nearest even in `kv`."""
    rounded = np.asarray(reference.round_array(values, kv), np.float32)
    if kv == "f16":
        return ordered_bits(rounded.astype(np.float16))
    return ordered_bits((rounded.view(np.uint32) >> 16).astype(np.uint16))


def check_caches(model, expected, kv):
    """The f16/bf16 caches of layer 0 `model` wrote vs the reference's keys
    and values `expected` (reference.logits' kv_out, unrounded), positions
    0..S-1 (later layers see inputs that an element rounded the other way
    has already moved by an ulp's effect, beyond f32 slack). attnc
    rounds f32 values that are within F32_SLACK * max|value| of the
    reference's (f32 sums of products; near 0 that slack spans many ulps of
    the small values): each cached element must be the rounding of a value
    that close, and at most MAX_ONE_ULP_SHARE of them may differ from the
    rounding of the reference's value at all."""
    moved, total = 0, 0
    for layer, pair in enumerate(expected[:1]):
        for path, ref in zip(model.caches[layer], pair):
            seq = ref.shape[1]
            got = ordered_bits(np.load(path)[0, :, :seq, :])
            slack = F32_SLACK * np.abs(ref).max()
            low, high = kv_bits(ref - slack, kv), kv_bits(ref + slack, kv)
            outside = (got < low) | (got > high)
            if outside.any():
                sys.exit("FAIL the %s cache of layer %d (%s) holds %d "
                         "elements that are not the reference's rounded "
                         "keys/values" % (kv, layer, os.path.basename(path),
                                          np.count_nonzero(outside)))
            moved += int(np.count_nonzero(got != kv_bits(ref, kv)))
            total += got.size
    if moved > MAX_ONE_ULP_SHARE * total:
        sys.exit("FAIL %d of %d cached elements differ from the reference's "
                 "rounded keys/values" % (moved, total))
    print("PASS the %s caches hold the keys and values rounded to nearest "
          "even (layer 0): %d of %d elements differ by f32 rounding (slack "
          "%.0e), none further" % (kv, moved, total, F32_SLACK))


# Step 4: a chunk this long after a prompt of CHUNK_PROMPT tokens takes the
# flash kernel on the cache (kFlashChunkRows in lib/Models/
# ModelIRTemplates.cpp; fewer rows take the decode kernel, as steps 1-3).
CHUNK_PROMPT = 20
CHUNK_ROWS = 260
# Up to position 279 the reference's float64 RoPE angles and attnc's f32
# ones (as transformers computes them: position times inverse frequency in
# f32) differ by up to 279 * 2^-24 ~ 1.7e-5 radians, which moves the tiny
# models' logits by up to ~1.5e-5 relative at the latest positions (the same
# with the decode kernel on that chunk): the chunk's tolerance against the
# reference. Against attnc's own one-call prefill (the same angles) the
# tolerance is that of steps 1-3.
CHUNK_REL_TOL = 4e-5


def check(what, got, expected, tol=REL_TOL):
    worst = 0.0
    for row, (g, e) in enumerate(zip(got, expected)):
        if not np.all(np.isfinite(g)):
            sys.exit("FAIL %s: position %d has NaN/Inf" % (what, row))
        rel = np.linalg.norm(g - e) / np.linalg.norm(e)
        worst = max(worst, rel)
        if not rel < tol:
            sys.exit("FAIL %s: position %d rel error %.3e >= %.0e" %
                     (what, row, rel, tol))
    print("PASS %s: max rel error %.3e (tol %.0e)" % (what, worst, tol))


def check_chunk(args, directory, library, max_seq, rng, tol,
                reference_logits):
    """Step 4: a prompt, then a chunk long enough for the flash kernel on
    the cache."""
    chunked = Model(args, directory, library, max_seq)
    vocab = chunked.config["vocab_size"]
    prompt = [int(t) for t in rng.integers(0, vocab, CHUNK_PROMPT)]
    chunk = [int(t) for t in rng.integers(0, vocab, CHUNK_ROWS)]
    chunked.forward(prompt, 0)
    got = chunked.forward(chunk, len(prompt))
    check("a chunk of %d tokens after %d (flash kernel on the cache)" %
          (len(chunk), len(prompt)), got,
          reference_logits(prompt + chunk)[len(prompt):],
          max(tol, CHUNK_REL_TOL))
    whole = Model(args, directory, library, max_seq)
    check("the chunk vs one prefill of all %d tokens" %
          (len(prompt) + len(chunk)), got,
          whole.forward(prompt + chunk, 0)[len(prompt):], tol)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    tiny_models.add_model_options(parser)
    parser.add_argument("--attnc", required=True)
    parser.add_argument("--attnc-run", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--kv-type", choices=["f32", "f16", "bf16"],
                        help="attnc compile --kv-type (default: not given; "
                        "attnc's default, the checkpoint's type)")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    directory = os.path.join(args.work, "tiny-" + args.family)
    tiny_models.make_model(args, directory, seed=3)
    library = os.path.join(args.work, "model.so")
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    # GPT-2's learned positions bound its cache; RoPE models take any.
    max_seq = min(CHUNK_PROMPT + CHUNK_ROWS,
                  config.get("n_positions", CHUNK_PROMPT + CHUNK_ROWS))
    command = [args.attnc, "compile", directory, "--max-seq", str(max_seq),
               "-o", library]
    if args.kv_type:
        command.append("--kv-type=" + args.kv_type)
    else:
        args.kv_type = args.dtype.lower()
    subprocess.run(command, check=True, timeout=600)
    kv = args.kv_type
    tol = REL_TOL if kv == "f32" else LOWP_KV_REL_TOL[kv]
    act = "bf16" if args.dtype == "BF16" and HOST_AVX512_BF16 else None
    if act:
        tol = max(tol, LOWP_ACT_REL_TOL)
    reference_logits = lambda toks: reference.logits(directory, toks, kv,
                                                     act)

    model = Model(args, directory, library, max_seq)
    rng = np.random.default_rng(5)
    vocab = model.config["vocab_size"]
    tokens = [int(t) for t in rng.integers(0, vocab, 7)]
    check("prefill of %d tokens" % len(tokens), model.forward(tokens, 0),
          reference_logits(tokens), tol)

    decoded = []
    for step in range(16):
        token = int(rng.integers(0, vocab))
        got = model.forward([token], len(tokens))
        tokens.append(token)
        decoded.append(got[-1])
        expected = reference_logits(tokens)[-1:]
        check("decode step %d (position %d)" % (step + 1, len(tokens) - 1),
              got, expected, tol)

    if kv != "f32":
        expected_kv = []
        reference.logits(directory, tokens, kv, act, kv_out=expected_kv)
        check_caches(model, expected_kv, kv)

    fresh = Model(args, directory, library, max_seq)
    full = fresh.forward(tokens, 0)
    check("incremental decode vs one prefill of all %d tokens" % len(tokens),
          np.asarray(decoded), full[-16:], tol)
    if act:
        check("bf16 activations of the linear layers vs the unrounded "
              "reference", full, reference.logits(directory, tokens, kv),
              LOWP_ACT_QUALITY_TOL)
    if kv != "f32":
        check("%s cache vs the f32-cache reference" % kv, full,
              reference.logits(directory, tokens), LOWP_KV_QUALITY_TOL[kv])

    if max_seq < CHUNK_PROMPT + CHUNK_ROWS:
        print("SKIP a chunk of %d tokens after %d: the model has %d learned "
              "positions" % (CHUNK_ROWS, CHUNK_PROMPT, max_seq))
    else:
        check_chunk(args, directory, library, max_seq, rng, tol,
                    reference_logits)

    # Each option under test must be visible: the same model without it    # Each option under test must be visible: the same model without it
    # gives logits well outside the tolerance.
    options = []
    if args.rope_scaling:
        options.append(("rope scaling", {"rope_scaling": None}))
    if model.family != "gpt2" and reference.sliding_layers(model.config)[1]:
        options.append(("the sliding window", {"sliding_window": None}))
    if model.config.get("attn_logit_softcapping"):
        options.append(("attention soft-capping",
                        {"attn_logit_softcapping": None}))
    if model.config.get("final_logit_softcapping"):
        options.append(("final soft-capping",
                        {"final_logit_softcapping": None}))
    for what, change in options:
        plain, weights = reference.load_model(directory)
        plain.update(change)
        dtype = reference.tensor_dtypes(directory)["model.embed_tokens.weight"]
        without = reference.decoder_logits(
            plain, weights, np.asarray(tokens, np.int64), dtype, kv, act)
        rel = np.linalg.norm(full - without) / np.linalg.norm(without)
        if rel < 1e-3:
            sys.exit("FAIL %s has no visible effect (relative difference "
                     "%.2e from the model without it)" % (what, rel))
        print("PASS %s changes the logits (relative difference %.2e from "
              "the model without it)" % (what, rel))


if __name__ == "__main__":
    main()
