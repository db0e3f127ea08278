#!/usr/bin/env python3
"""Checks tools/bench/llama_gguf.py's description of the GGUF file without
llama.cpp: for tiny Llama checkpoints (tiny_models.py: 2 layers, 4 heads,
2 KV heads, head dim 16) in F32, F16 and BF16,

- the tensors are llama.cpp's names in order, with the checkpoint's shapes;
  matrices keep the checkpoint's dtype and bits, norm gains are widened to
  F32 exactly, q/k rows are a per-head permutation of the checkpoint's;
- attention scores agree: q.k after Hugging Face's rotate_half RoPE on the
  checkpoint's weights equals q.k after llama.cpp's adjacent-pair RoPE on the
  GGUF's weights, in float64, to 1e-12 of the largest score (without the
  reordering they differ by more than 1% of it: the check can fail);
- the vocabulary has vocab_size unique tokens (padding as unused tokens),
  the tokenizer's merges, and its special tokens as control tokens;
- checkpoints it cannot describe are errors.

  check_gguf_plan.py WORKDIR
"""

import json
import os
import sys

import numpy as np

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "..")
sys.path.insert(0, os.path.join(SRC, "tools", "bench"))
sys.path.insert(0, os.path.join(SRC, "tools", "models"))
import llama_gguf  # noqa: E402
import tiny_models  # noqa: E402

LAYER = ["attn_norm", "attn_q", "attn_k", "attn_v", "attn_output",
         "ffn_norm", "ffn_gate", "ffn_up", "ffn_down"]


def as_f64(array, dtype):
    if dtype == "BF16":
        return llama_gguf.bf16_to_f32(array).astype(np.float64)
    return np.asarray(array, np.float64)


def rope_rotate_half(x, positions, theta):
    """Hugging Face Llama: pairs (j, j + d/2). x: [tokens, heads, d]."""
    d = x.shape[-1]
    inv = theta ** (-np.arange(0, d, 2, dtype=np.float64) / d)
    angle = positions[:, None, None] * inv[None, None, :]
    cos, sin = np.cos(angle), np.sin(angle)
    a, b = x[..., : d // 2], x[..., d // 2:]
    return np.concatenate([a * cos - b * sin, b * cos + a * sin], axis=-1)


def rope_adjacent(x, positions, theta):
    """llama.cpp's "llama" rope (normal mode): pairs (2i, 2i + 1)."""
    d = x.shape[-1]
    inv = theta ** (-np.arange(0, d, 2, dtype=np.float64) / d)
    angle = positions[:, None, None] * inv[None, None, :]
    cos, sin = np.cos(angle), np.sin(angle)
    a, b = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = a * cos - b * sin
    out[..., 1::2] = b * cos + a * sin
    return out


def scores(x, wq, wk, c, rope):
    heads, kv = c["num_attention_heads"], c["num_key_value_heads"]
    d = c["hidden_size"] // heads
    positions = np.arange(x.shape[0], dtype=np.float64) * 7.0
    q = rope((x @ wq.T).reshape(len(x), heads, d), positions, c["rope_theta"])
    k = rope((x @ wk.T).reshape(len(x), kv, d), positions, c["rope_theta"])
    k = np.repeat(k, heads // kv, axis=1)
    return np.einsum("qhd,khd->hqk", q, k)


def check(cond, message):
    if not cond:
        sys.exit("FAIL: " + message)


def check_dtype(workdir, dtype, rng):
    directory = os.path.join(workdir, dtype.lower())
    tiny_models.make_llama(directory, seed=3, dtype=dtype)
    with open(os.path.join(directory, "config.json")) as f:
        c = json.load(f)
    tensors = llama_gguf.read_safetensors(
        os.path.join(directory, "model.safetensors"))
    plan = llama_gguf.gguf_plan(c, tensors)

    names = [n for n, _, _ in plan]
    expected = ["token_embd.weight"] + [
        "blk.%d.%s.weight" % (layer, t)
        for layer in range(c["num_hidden_layers"]) for t in LAYER] + [
        "output_norm.weight", "output.weight"]
    check(names == expected, "%s: names %s" % (dtype, names))
    check(len(plan) == len(tensors), "%s: tensor count" % dtype)

    hf_of = {"token_embd": "model.embed_tokens", "output_norm": "model.norm",
             "output": "lm_head"}
    for layer in range(c["num_hidden_layers"]):
        for hf, gguf in llama_gguf.LAYER_NAMES.items():
            hf_of["blk.%d.%s" % (layer, gguf[:-len(".weight")])] = \
                "model.layers.%d.%s" % (layer, hf[:-len(".weight")])
    by_name = {}
    for name, array, kind in plan:
        hf_array, hf_dtype = tensors[hf_of[name[:-len(".weight")]] + ".weight"]
        check(hf_dtype == dtype, "%s: checkpoint dtype %s" % (name, hf_dtype))
        check(array.shape == hf_array.shape,
              "%s %s: shape %s, checkpoint %s" % (dtype, name, array.shape,
                                                  hf_array.shape))
        if array.ndim == 1:
            check(kind == "F32" and array.dtype == np.float32,
                  "%s %s: norm gain kept as %s" % (dtype, name, kind))
            check(np.array_equal(array.astype(np.float64),
                                 as_f64(hf_array, dtype)),
                  "%s %s: norm gain not widened exactly" % (dtype, name))
        else:
            check(kind == dtype, "%s %s: written as %s" % (dtype, name, kind))
            check(array.dtype == hf_array.dtype, "%s %s: numpy dtype %s"
                  % (dtype, name, array.dtype))
            if name.endswith(("attn_q.weight", "attn_k.weight")):
                heads = c["num_attention_heads"] if "attn_q" in name \
                    else c["num_key_value_heads"]
                d = array.shape[0] // heads
                a = np.asarray(array).reshape(heads, d, -1)
                h = np.asarray(hf_array).reshape(heads, d, -1)
                check(np.array_equal(a[:, 0::2], h[:, : d // 2]) and
                      np.array_equal(a[:, 1::2], h[:, d // 2:]),
                      "%s %s: rows not in adjacent-pair order" % (dtype, name))
            else:
                check(np.array_equal(np.asarray(array), np.asarray(hf_array)),
                      "%s %s: bits differ from the checkpoint" % (dtype, name))
        by_name[name] = (array, kind)

    # Attention scores of layer 0 on random activations, float64.
    x = rng.standard_normal((6, c["hidden_size"]))
    hf_q, _ = tensors["model.layers.0.self_attn.q_proj.weight"]
    hf_k, _ = tensors["model.layers.0.self_attn.k_proj.weight"]
    ref = scores(x, as_f64(hf_q, dtype), as_f64(hf_k, dtype), c,
                 rope_rotate_half)
    got = scores(x, as_f64(*by_name["blk.0.attn_q.weight"]),
                 as_f64(*by_name["blk.0.attn_k.weight"]), c, rope_adjacent)
    scale = np.abs(ref).max()
    error = np.abs(got - ref).max() / scale
    check(error <= 1e-12, "%s: scores differ by %.3g of the largest"
          % (dtype, error))
    unpermuted = scores(x, as_f64(hf_q, dtype), as_f64(hf_k, dtype), c,
                        rope_adjacent)
    check(np.abs(unpermuted - ref).max() / scale > 1e-2,
          "%s: scores agree even without the reordering" % dtype)

    # Vocabulary, padded as shaped_models.py pads it.
    with open(os.path.join(directory, "tokenizer.json")) as f:
        tokenizer = json.load(f)
    tokens, types, merges = llama_gguf.gguf_vocab(tokenizer, 300)
    check(len(tokens) == len(types) == 300 and len(set(tokens)) == 300,
          "vocab: %d tokens, %d types" % (len(tokens), len(types)))
    check(types[c["bos_token_id"]] == llama_gguf.TOKEN_CONTROL and
          types[c["eos_token_id"]] == llama_gguf.TOKEN_CONTROL,
          "bos/eos are not control tokens")
    real = len(tokenizer["model"]["vocab"]) + len(tokenizer["added_tokens"])
    check(all(t == llama_gguf.TOKEN_NORMAL for t in types[:256]) and
          all(t == llama_gguf.TOKEN_UNUSED for t in types[real:]) and
          tokens[299] == "[PAD299]", "token types or padding")
    check(merges == ["%s %s" % m for m in tiny_models.MERGES],
          "merges %s" % merges[:3])
    print("%s: %d tensors, scores agree to %.2g, vocab %d" %
          (dtype, len(plan), error, len(tokens)))
    return c, tensors


def expect_error(what, fn):
    try:
        fn()
    except ValueError as e:
        print("%s: error: %s" % (what, e))
        return
    sys.exit("FAIL: %s was accepted" % what)


def main():
    workdir = sys.argv[1]
    rng = np.random.default_rng(11)
    for dtype in ("F32", "F16", "BF16"):
        c, tensors = check_dtype(workdir, dtype, rng)
    qwen = dict(c, model_type="qwen2")
    expect_error("qwen2", lambda: llama_gguf.gguf_plan(qwen, tensors))
    missing = dict(tensors)
    del missing["model.layers.1.mlp.up_proj.weight"]
    expect_error("missing tensor", lambda: llama_gguf.gguf_plan(c, missing))
    odd = dict(c, num_attention_heads=3)
    expect_error("3 heads", lambda: llama_gguf.gguf_plan(odd, tensors))
    print("OK")


if __name__ == "__main__":
    main()
