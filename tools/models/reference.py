#!/usr/bin/env python3
"""float64 NumPy reference of the GPT-2 and Llama forward passes.

Reads a Hugging Face model directory (config.json + model.safetensors, F32,
F16 or BF16) and computes the logits of every position of a token sequence
the way the Hugging Face implementations define them, in float64:

  reference.py DIR --tokens 1,2,3 [--output logits.npy]

Written from the models' definitions (GPT-2: learned positions, LayerNorm,
GELU with the tanh approximation, Conv1D [in, out] weights, tied lm_head;
Llama: RMSNorm, RoPE with rope_theta in the half-rotation layout, GQA,
SwiGLU), independently of attnc, to check attnc's logits against.
"""

import argparse
import json
import math
import os
import struct

import numpy as np


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + size])
    data = raw[8 + size:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        chunk = data[begin:end]
        if entry["dtype"] == "F32":
            array = np.frombuffer(chunk, np.float32)
        elif entry["dtype"] == "F16":
            array = np.frombuffer(chunk, np.float16)
        elif entry["dtype"] == "BF16":
            bits = np.frombuffer(chunk, np.uint16).astype(np.uint32) << 16
            array = bits.view(np.float32)
        else:
            raise ValueError("%s: unsupported dtype %s" % (name,
                                                           entry["dtype"]))
        tensors[name] = array.astype(np.float64).reshape(entry["shape"])
    return tensors


def load_model(directory):
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    return config, load_safetensors(os.path.join(directory,
                                                 "model.safetensors"))


def causal_attention(q, k, v):
    """q [H, S, D], k/v [Hkv, S, D]; query i sees keys j <= i."""
    heads, seq, dim = q.shape
    group = heads // k.shape[0]
    k = np.repeat(k, group, axis=0)
    v = np.repeat(v, group, axis=0)
    scores = q @ k.transpose(0, 2, 1) / math.sqrt(dim)
    scores = np.where(np.tril(np.ones((seq, seq), bool)), scores, -np.inf)
    scores -= scores.max(-1, keepdims=True)
    p = np.exp(scores)
    return (p / p.sum(-1, keepdims=True)) @ v


def gpt2_logits(config, w, tokens, prefix=""):
    g = lambda name: w[prefix + name]
    e, heads = config["n_embd"], config["n_head"]
    eps = config.get("layer_norm_epsilon", 1e-5)

    def layer_norm(x, name):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + eps) * g(name + ".weight") + \
            g(name + ".bias")

    def gelu(x):
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) *
                                      (x + 0.044715 * x ** 3)))

    seq = len(tokens)
    x = g("wte.weight")[tokens] + g("wpe.weight")[np.arange(seq)]
    split = lambda t: t.reshape(seq, heads, e // heads).transpose(1, 0, 2)
    for layer in range(config["n_layer"]):
        p = "h.%d." % layer
        h = layer_norm(x, p + "ln_1")
        qkv = h @ g(p + "attn.c_attn.weight") + g(p + "attn.c_attn.bias")
        q, k, v = (split(t) for t in np.split(qkv, 3, axis=-1))
        o = causal_attention(q, k, v).transpose(1, 0, 2).reshape(seq, e)
        x = x + o @ g(p + "attn.c_proj.weight") + g(p + "attn.c_proj.bias")
        h = layer_norm(x, p + "ln_2")
        m = gelu(h @ g(p + "mlp.c_fc.weight") + g(p + "mlp.c_fc.bias"))
        x = x + m @ g(p + "mlp.c_proj.weight") + g(p + "mlp.c_proj.bias")
    x = layer_norm(x, "ln_f")
    head = w["lm_head.weight"] if "lm_head.weight" in w else g("wte.weight")
    return x @ head.T


def rope_inv_freq(config, dim):
    """Inverse frequencies of the rotary pairs, rescaled as the config's
    rope_scaling says (transformers' rope initialisation functions)."""
    theta = config.get("rope_theta", 10000.0)
    inv_freq = 1.0 / theta ** (np.arange(0, dim, 2) / dim)
    scaling = config.get("rope_scaling")
    if not scaling:
        return inv_freq
    kind = scaling.get("rope_type", scaling.get("type"))
    factor = scaling["factor"]
    if kind == "linear":
        return inv_freq / factor
    if kind != "llama3":
        raise ValueError("rope_scaling type %r" % kind)
    low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
    original = scaling["original_max_position_embeddings"]
    wavelength = 2 * np.pi / inv_freq
    scaled = np.where(wavelength > original / low, inv_freq / factor,
                      inv_freq)
    smooth = (original / wavelength - low) / (high - low)
    blended = (1 - smooth) * scaled / factor + smooth * scaled
    medium = ~(wavelength < original / high) & ~(wavelength > original / low)
    return np.where(medium, blended, scaled)


def llama_logits(config, w, tokens):
    e = config["hidden_size"]
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    dim = config.get("head_dim", e // heads)
    eps = config.get("rms_norm_eps", 1e-6)

    def rms_norm(x, name):
        return x / np.sqrt((x ** 2).mean(-1, keepdims=True) + eps) * w[name]

    seq = len(tokens)
    inv_freq = rope_inv_freq(config, dim)
    angles = np.arange(seq)[:, None] * inv_freq[None, :]
    cos = np.concatenate([np.cos(angles)] * 2, -1)
    sin = np.concatenate([np.sin(angles)] * 2, -1)

    def rope(t):  # [H, S, D], half-rotation pairing (i, i + D/2)
        rotated = np.concatenate([-t[..., dim // 2:], t[..., :dim // 2]], -1)
        return t * cos + rotated * sin

    split = lambda t, h: t.reshape(seq, h, dim).transpose(1, 0, 2)
    x = w["model.embed_tokens.weight"][tokens]
    for layer in range(config["num_hidden_layers"]):
        p = "model.layers.%d." % layer
        h = rms_norm(x, p + "input_layernorm.weight")
        # attention_bias: q/k/v/o projections with biases (absent: zero).
        bias = lambda name: w.get(p + "self_attn." + name + ".bias", 0.0)
        q = split(h @ w[p + "self_attn.q_proj.weight"].T + bias("q_proj"),
                  heads)
        k = split(h @ w[p + "self_attn.k_proj.weight"].T + bias("k_proj"),
                  kv_heads)
        v = split(h @ w[p + "self_attn.v_proj.weight"].T + bias("v_proj"),
                  kv_heads)
        o = causal_attention(rope(q), rope(k), v)
        o = o.transpose(1, 0, 2).reshape(seq, heads * dim)
        x = x + o @ w[p + "self_attn.o_proj.weight"].T + bias("o_proj")
        h = rms_norm(x, p + "post_attention_layernorm.weight")
        gate = h @ w[p + "mlp.gate_proj.weight"].T
        up = h @ w[p + "mlp.up_proj.weight"].T
        x = x + (gate / (1 + np.exp(-gate)) * up) @ \
            w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, "model.norm.weight")
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return x @ head.T


def logits(directory, tokens):
    config, w = load_model(directory)
    tokens = np.asarray(tokens, np.int64)
    if config["model_type"] == "gpt2":
        prefix = "transformer." if "transformer.wte.weight" in w else ""
        return gpt2_logits(config, w, tokens, prefix)
    if config["model_type"] == "llama":
        return llama_logits(config, w, tokens)
    raise ValueError("unsupported model_type " + config["model_type"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--tokens", required=True,
                        help="comma-separated token ids")
    parser.add_argument("--output", help="write the logits [S, V] as .npy")
    args = parser.parse_args()
    result = logits(args.directory, [int(t) for t in args.tokens.split(",")])
    if args.output:
        np.save(args.output, result)
    else:
        print(result)


if __name__ == "__main__":
    main()
