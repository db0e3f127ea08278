#!/usr/bin/env python3
"""float64 NumPy reference of the forward passes of attnc's model families.

Reads a Hugging Face model directory (config.json + model.safetensors, F32,
F16 or BF16) and computes the logits of every position of a token sequence
the way the Hugging Face implementations define them, in float64:

  reference.py DIR --tokens 1,2,3 [--output logits.npy] [--kv-type f16]

--kv-type f16/bf16 models a low-precision KV cache (attnc compile
--kv-type): attention sees every key (after RoPE) and value rounded to that
type, as the cache stores them (from f32, to nearest even).

Written from the models' definitions (GPT-2: learned positions, LayerNorm,
GELU with the tanh approximation, Conv1D [in, out] weights, tied lm_head;
Llama: RMSNorm, RoPE with rope_theta in the half-rotation layout, GQA,
SwiGLU; Qwen2, Qwen3, Mistral and Gemma 2 as decoder_logits says),
independently of attnc, to check attnc's logits against.
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


def causal_attention(q, k, v, scale=None, window=0, softcap=0.0):
    """q [H, S, D], k/v [Hkv, S, D]; query i sees keys j <= i, and with a
    sliding window only those with i - j < window. Scores are
    q.k * scale (default 1/sqrt(D)), soft-capped to softcap * tanh(s /
    softcap) when softcap is set, before the mask (as Gemma 2 does)."""
    heads, seq, dim = q.shape
    group = heads // k.shape[0]
    k = np.repeat(k, group, axis=0)
    v = np.repeat(v, group, axis=0)
    scale = 1 / math.sqrt(dim) if scale is None else scale
    scores = q @ k.transpose(0, 2, 1) * scale
    if softcap:
        scores = softcap * np.tanh(scores / softcap)
    i, j = np.arange(seq)[:, None], np.arange(seq)[None, :]
    keep = j <= i
    if window:
        keep &= i - j < window
    scores = np.where(keep, scores, -np.inf)
    scores -= scores.max(-1, keepdims=True)
    p = np.exp(scores)
    return (p / p.sum(-1, keepdims=True)) @ v


def gpt2_logits(config, w, tokens, prefix="", kv_type=None, act_type=None,
                kv_out=None):
    g = lambda name: w[prefix + name]
    mm = lambda a, b: round_array(a, act_type) @ b
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
        qkv = mm(h, g(p + "attn.c_attn.weight")) + g(p + "attn.c_attn.bias")
        q, k, v = (split(t) for t in np.split(qkv, 3, axis=-1))
        if kv_out is not None:
            kv_out.append((k, v))
        o = causal_attention(q, round_array(k, kv_type),
                             round_array(v, kv_type))
        o = o.transpose(1, 0, 2).reshape(seq, e)
        x = x + mm(o, g(p + "attn.c_proj.weight")) + \
            g(p + "attn.c_proj.bias")
        h = layer_norm(x, p + "ln_2")
        m = gelu(mm(h, g(p + "mlp.c_fc.weight")) + g(p + "mlp.c_fc.bias"))
        x = x + mm(m, g(p + "mlp.c_proj.weight")) + g(p + "mlp.c_proj.bias")
    x = layer_norm(x, "ln_f")
    head = w["lm_head.weight"] if "lm_head.weight" in w else g("wte.weight")
    return mm(x, head.T)


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


def round_to(value, dtype):
    """`value` as the type `dtype` ("F32", "F16", "BF16") holds it."""
    single = np.float32(value)
    if dtype == "F16":
        return float(np.float16(single))
    if dtype == "BF16":
        bits = np.array([single]).view(np.uint32)
        bits = ((bits + ((bits >> 16) & 1) + 0x7FFF) >> 16) << 16
        return float(bits.astype(np.uint32).view(np.float32)[0])
    return float(single)


def round_array(x, kv_type):
    """Array `x` as a cache of `kv_type` ("f32", "f16", "bf16") stores it:
    rounded to f32 (as attnc computes it), then to nearest even in
    kv_type; float64 again."""
    single = np.asarray(x, np.float32)
    if kv_type == "f16":
        return single.astype(np.float16).astype(np.float64)
    if kv_type == "bf16":
        bits = np.ascontiguousarray(single).view(np.uint32).astype(np.uint64)
        bits = ((bits + ((bits >> 16) & 1) + 0x7FFF) >> 16) << 16
        return bits.astype(np.uint32).view(np.float32).astype(np.float64)
    if kv_type in (None, "f32"):
        return np.asarray(x, np.float64)
    raise ValueError("kv_type %r" % kv_type)


def head_dim(config):
    """transformers' head_dim: the config's, else Qwen3's 128 and Gemma 2's
    256, else hidden_size / num_attention_heads."""
    if config.get("head_dim"):
        return config["head_dim"]
    default = {"qwen3": 128, "gemma2": 256}.get(config["model_type"])
    return default or config["hidden_size"] // config["num_attention_heads"]


def sliding_layers(config):
    """Which layers attend through the sliding window: every Mistral layer
    (with sliding_window set); Gemma 2's layers 0, 2, 4, ... (or as
    layer_types says)."""
    layers = config["num_hidden_layers"]
    family = config["model_type"]
    window = config.get("sliding_window",
                        4096 if family in ("mistral", "gemma2") else None)
    if family not in ("mistral", "gemma2") or not window:
        return [False] * layers, 0
    if "layer_types" in config:
        return [t == "sliding_attention" for t in config["layer_types"]], \
            window
    if family == "mistral":
        return [True] * layers, window
    return [layer % 2 == 0 for layer in range(layers)], window


def decoder_logits(config, w, tokens, embed_dtype="F32", kv_type=None,
                   act_type=None, kv_out=None):
    """Llama and the families built on it, as transformers defines them:
    Qwen2 (q/k/v biases), Qwen3 (RMSNorm of each q/k head before RoPE),
    Mistral (sliding window), Gemma 2 (embeddings times sqrt(hidden) in the
    embeddings' dtype, (1 + w) RMSNorms before and after attention and MLP,
    GeGLU with tanh GELU, query_pre_attn_scalar, attention and final logit
    soft-capping, alternating sliding-window layers). `kv_type`: the KV
    cache's element type (round_array); `kv_out`, a list, receives each
    layer's keys (after RoPE) and values, [Hkv, S, D] each, before the
    cache rounds them. `act_type`: the type the linear
    layers round their input activations to (round_array; "bf16" where
    attnc multiplies bf16 weights with AVX512-BF16 dot products)."""
    family = config["model_type"]
    gemma = family == "gemma2"
    e = config["hidden_size"]
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    dim = head_dim(config)
    eps = config.get("rms_norm_eps", 1e-6)
    sliding, window = sliding_layers(config)
    scale, softcap, final_softcap = None, 0.0, 0.0
    if gemma:
        scale = config.get("query_pre_attn_scalar", 256) ** -0.5
        softcap = config.get("attn_logit_softcapping", 50.0) or 0.0
        final_softcap = config.get("final_logit_softcapping", 30.0) or 0.0

    def rms_norm(x, name):
        gain = w[name] + 1 if gemma else w[name]
        return x / np.sqrt((x ** 2).mean(-1, keepdims=True) + eps) * gain

    seq = len(tokens)
    inv_freq = rope_inv_freq(config, dim)
    angles = np.arange(seq)[:, None] * inv_freq[None, :]
    cos = np.concatenate([np.cos(angles)] * 2, -1)
    sin = np.concatenate([np.sin(angles)] * 2, -1)

    def rope(t):  # [H, S, D], half-rotation pairing (i, i + D/2)
        rotated = np.concatenate([-t[..., dim // 2:], t[..., :dim // 2]], -1)
        return t * cos + rotated * sin

    def gelu_tanh(x):
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) *
                                      (x + 0.044715 * x ** 3)))

    split = lambda t, h: t.reshape(seq, h, dim).transpose(1, 0, 2)
    mm = lambda a, b: round_array(a, act_type) @ b
    x = w["model.embed_tokens.weight"][tokens]
    if gemma:
        x = x * round_to(math.sqrt(e), embed_dtype)
    for layer in range(config["num_hidden_layers"]):
        p = "model.layers.%d." % layer
        h = rms_norm(x, p + "input_layernorm.weight")
        # Biases where the checkpoint has them (Llama/Qwen3/Gemma 2
        # attention_bias: q/k/v/o; Qwen2: q/k/v), else zero.
        bias = lambda name: w.get(p + "self_attn." + name + ".bias", 0.0)
        q = split(mm(h, w[p + "self_attn.q_proj.weight"].T) +
                  bias("q_proj"), heads)
        k = split(mm(h, w[p + "self_attn.k_proj.weight"].T) +
                  bias("k_proj"), kv_heads)
        v = split(mm(h, w[p + "self_attn.v_proj.weight"].T) +
                  bias("v_proj"), kv_heads)
        if family == "qwen3":
            head_norm = lambda t, name: t / np.sqrt(
                (t ** 2).mean(-1, keepdims=True) + eps) * w[p + name]
            q = head_norm(q, "self_attn.q_norm.weight")
            k = head_norm(k, "self_attn.k_norm.weight")
        if kv_out is not None:
            kv_out.append((rope(k), v))
        o = causal_attention(rope(q), round_array(rope(k), kv_type),
                             round_array(v, kv_type), scale,
                             window if sliding[layer] else 0, softcap)
        o = o.transpose(1, 0, 2).reshape(seq, heads * dim)
        a = mm(o, w[p + "self_attn.o_proj.weight"].T) + bias("o_proj")
        if gemma:
            x = x + rms_norm(a, p + "post_attention_layernorm.weight")
            h = rms_norm(x, p + "pre_feedforward_layernorm.weight")
        else:
            x = x + a
            h = rms_norm(x, p + "post_attention_layernorm.weight")
        gate = mm(h, w[p + "mlp.gate_proj.weight"].T)
        up = mm(h, w[p + "mlp.up_proj.weight"].T)
        act = gelu_tanh(gate) if gemma else gate / (1 + np.exp(-gate))
        m = mm(act * up, w[p + "mlp.down_proj.weight"].T)
        if gemma:
            m = rms_norm(m, p + "post_feedforward_layernorm.weight")
        x = x + m
    x = rms_norm(x, "model.norm.weight")
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    result = mm(x, head.T)
    if final_softcap:
        result = final_softcap * np.tanh(result / final_softcap)
    return result


# The Llama forward pass is the decoder's with Llama's config.
llama_logits = decoder_logits

DECODERS = ("llama", "qwen2", "qwen3", "mistral", "gemma2")


def tensor_dtypes(directory):
    """The dtype ("F32", "F16", "BF16") of every tensor of the checkpoint."""
    with open(os.path.join(directory, "model.safetensors"), "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
    return {name: entry["dtype"] for name, entry in header.items()
            if name != "__metadata__"}


def logits(directory, tokens, kv_type=None, act_type=None, kv_out=None):
    """Logits [S, V]; see decoder_logits for `kv_type` and `kv_out`."""
    config, w = load_model(directory)
    tokens = np.asarray(tokens, np.int64)
    if config["model_type"] == "gpt2":
        prefix = "transformer." if "transformer.wte.weight" in w else ""
        return gpt2_logits(config, w, tokens, prefix, kv_type, act_type,
                           kv_out=kv_out)
    if config["model_type"] in DECODERS:
        dtype = tensor_dtypes(directory)["model.embed_tokens.weight"]
        return decoder_logits(config, w, tokens, dtype, kv_type, act_type,
                              kv_out=kv_out)
    raise ValueError("unsupported model_type " + config["model_type"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--tokens", required=True,
                        help="comma-separated token ids")
    parser.add_argument("--output", help="write the logits [S, V] as .npy")
    parser.add_argument("--kv-type", choices=["f32", "f16", "bf16"],
                        help="the KV cache's element type (default f32)")
    args = parser.parse_args()
    result = logits(args.directory, [int(t) for t in args.tokens.split(",")],
                    args.kv_type)
    if args.output:
        np.save(args.output, result)
    else:
        print(result)


if __name__ == "__main__":
    main()
