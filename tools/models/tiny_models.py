#!/usr/bin/env python3
"""Writes tiny Hugging Face model directories with random weights.

  tiny_models.py gpt2 DIR [--seed N]    config.json, model.safetensors,
                                        vocab.json, merges.txt
  tiny_models.py llama DIR [--seed N]   config.json, model.safetensors,
                                        tokenizer.json (Llama 3 style)
  tiny_models.py qwen2|qwen3|mistral|gemma2 DIR [--seed N]
                                        the same files for those families

The layouts, tensor names and shapes are those of the real checkpoints
(GPT-2: Conv1D weights [in, out], tied lm_head; Llama: nn.Linear weights
[out, in], GQA; Qwen2: q/k/v biases; Qwen3: q_norm/k_norm and an explicit
head_dim; Mistral: an 8-position sliding window; Gemma 2: 8-position
sliding window on layers 0 and 2, pre/post norms, small soft-caps so that
capping matters). The tokenizers are byte-level BPE with the 256 byte tokens
and a few merges, so any text encodes. Weights are normal random values
(std 0.2, LayerNorm/RMSNorm gains around 1) so that every layer matters to
the logits. Needs numpy (Debian's /usr/bin/python3).
"""

import argparse
import json
import os
import struct

import numpy as np

GPT2_CONFIG = dict(model_type="gpt2", vocab_size=262, n_positions=64,
                   n_embd=32, n_layer=2, n_head=4, n_inner=None,
                   activation_function="gelu_new", layer_norm_epsilon=1e-5,
                   bos_token_id=256, eos_token_id=256,
                   tie_word_embeddings=True)

LLAMA_CONFIG = dict(model_type="llama", vocab_size=264, hidden_size=64,
                    intermediate_size=96, num_hidden_layers=2,
                    num_attention_heads=4, num_key_value_heads=2,
                    max_position_embeddings=128, rms_norm_eps=1e-5,
                    rope_theta=10000.0, hidden_act="silu",
                    tie_word_embeddings=False, bos_token_id=256,
                    eos_token_id=257)

# Qwen2.5-style: q/k/v biases, rope_theta 1e6, Qwen2.5's sliding-window
# fields (off: use_sliding_window false).
QWEN2_CONFIG = dict(model_type="qwen2", vocab_size=264, hidden_size=64,
                    intermediate_size=96, num_hidden_layers=2,
                    num_attention_heads=4, num_key_value_heads=2,
                    max_position_embeddings=128, rms_norm_eps=1e-6,
                    rope_theta=1000000.0, hidden_act="silu",
                    tie_word_embeddings=False, use_sliding_window=False,
                    sliding_window=128, max_window_layers=2)

# Qwen3: head_dim 24 is not hidden_size / heads (16), as in Qwen3-0.6B
# (1024 / 16 heads, head_dim 128).
QWEN3_CONFIG = dict(model_type="qwen3", vocab_size=264, hidden_size=64,
                    intermediate_size=96, num_hidden_layers=2,
                    num_attention_heads=4, num_key_value_heads=2,
                    head_dim=24, max_position_embeddings=128,
                    rms_norm_eps=1e-6, rope_theta=1000000.0,
                    hidden_act="silu", attention_bias=False,
                    tie_word_embeddings=True, use_sliding_window=False,
                    sliding_window=None)

# Mistral: a sliding window of 8 positions, shorter than the tests'
# sequences.
MISTRAL_CONFIG = dict(model_type="mistral", vocab_size=264, hidden_size=64,
                      intermediate_size=96, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2,
                      max_position_embeddings=128, rms_norm_eps=1e-5,
                      rope_theta=10000.0, hidden_act="silu",
                      tie_word_embeddings=False, sliding_window=8)

# Gemma 2: hidden 48 (sqrt(48) rounds differently in bf16), head_dim 16
# with 4 heads (64 != 48), query_pre_attn_scalar 24 (not head_dim), caps
# small enough to bite, layers 0 and 2 sliding (window 8), 1 global.
GEMMA2_CONFIG = dict(model_type="gemma2", vocab_size=264, hidden_size=48,
                     intermediate_size=96, num_hidden_layers=3,
                     num_attention_heads=4, num_key_value_heads=2,
                     head_dim=16, max_position_embeddings=128,
                     rms_norm_eps=1e-6, rope_theta=10000.0,
                     hidden_act="gelu_pytorch_tanh",
                     hidden_activation="gelu_pytorch_tanh",
                     query_pre_attn_scalar=24, attn_logit_softcapping=2.0,
                     final_logit_softcapping=3.0, sliding_window=8,
                     attention_bias=False, tie_word_embeddings=True)

DECODER_CONFIGS = {"llama": None, "qwen2": QWEN2_CONFIG,
                   "qwen3": QWEN3_CONFIG, "mistral": MISTRAL_CONFIG,
                   "gemma2": GEMMA2_CONFIG}

# Each family's special tokens: beginning and end of sequence.
SPECIALS = {"llama": ["<|begin_of_text|>", "<|end_of_text|>"],
            "qwen2": ["<|im_start|>", "<|endoftext|>"],
            "qwen3": ["<|im_start|>", "<|endoftext|>"],
            "mistral": ["<s>", "</s>"],
            "gemma2": ["<bos>", "<eos>"]}

# A few merges of frequent English pairs, in the byte-level spelling (the
# space byte is "\u0120").
MERGES = [("t", "h"), ("\u0120", "t"), ("e", "r"), ("i", "n"), ("a", "n")]

LLAMA3_PATTERN = (
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
    "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+")


def bytes_to_unicode():
    """GPT-2's printable stand-in for every byte."""
    printable = (list(range(ord("!"), ord("~") + 1)) +
                 list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0x100)))
    table, extra = {}, 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def byte_vocab():
    table = bytes_to_unicode()
    vocab = {table[b]: b for b in range(256)}
    for a, b in MERGES:
        vocab[a + b] = len(vocab)
    return vocab


def to_bf16_bits(values):
    """float32 -> bfloat16 bits, rounded to nearest even."""
    bits = np.ascontiguousarray(values, np.float32).view(np.uint32)
    rounding = ((bits >> 16) & 1) + 0x7FFF
    return ((bits + rounding) >> 16).astype(np.uint16)


def write_safetensors(path, tensors, dtype="F32", data_offset=None):
    """Tensors in name order as `dtype` (F32, F16 or BF16), header padded to
    8 bytes, or so that the tensors' data start `data_offset` bytes past a
    64-byte boundary (each tensor of whole 64-byte lines keeps it)."""
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        values = np.asarray(tensors[name], np.float32)
        if dtype == "F32":
            data = np.ascontiguousarray(values)
        elif dtype == "F16":
            data = np.ascontiguousarray(values.astype(np.float16))
        elif dtype == "BF16":
            data = to_bf16_bits(values)
        else:
            raise ValueError("dtype " + dtype)
        header[name] = {"dtype": dtype, "shape": list(data.shape),
                        "data_offsets": [offset, offset + data.nbytes]}
        offset += data.nbytes
        blobs.append(data.tobytes())
    text = json.dumps(header, separators=(",", ":"))
    if data_offset is None:
        text += " " * (-(len(text) + 8) % 8)
    else:
        text += " " * ((data_offset - len(text) - 8) % 64)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for blob in blobs:
            f.write(blob)


def gpt2_weights(c, rng):
    e, i, v = c["n_embd"], 4 * c["n_embd"], c["vocab_size"]
    w = lambda *shape: rng.normal(0.0, 0.2, shape)
    gain = lambda n: 1.0 + rng.normal(0.0, 0.1, n)
    t = {"wte.weight": w(v, e), "wpe.weight": w(c["n_positions"], e),
         "ln_f.weight": gain(e), "ln_f.bias": w(e)}
    for layer in range(c["n_layer"]):
        p = "h.%d." % layer
        t.update({p + "ln_1.weight": gain(e), p + "ln_1.bias": w(e),
                  p + "attn.c_attn.weight": w(e, 3 * e),
                  p + "attn.c_attn.bias": w(3 * e),
                  p + "attn.c_proj.weight": w(e, e),
                  p + "attn.c_proj.bias": w(e),
                  p + "ln_2.weight": gain(e), p + "ln_2.bias": w(e),
                  p + "mlp.c_fc.weight": w(e, i), p + "mlp.c_fc.bias": w(i),
                  p + "mlp.c_proj.weight": w(i, e),
                  p + "mlp.c_proj.bias": w(e)})
    return t


def decoder_specs(c):
    """Llama's tensors and each family's additions, named as transformers
    names them, in a fixed order: (name, shape, is_gain) for each."""
    family = c["model_type"]
    e, i, v = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    d = c.get("head_dim") or e // c["num_attention_heads"]
    q, kv = c["num_attention_heads"] * d, c["num_key_value_heads"] * d
    specs = [("model.embed_tokens.weight", (v, e), False),
             ("model.norm.weight", (e,), True)]
    if not c.get("tie_word_embeddings"):
        specs.append(("lm_head.weight", (v, e), False))
    for layer in range(c["num_hidden_layers"]):
        p = "model.layers.%d." % layer
        specs += [(p + "input_layernorm.weight", (e,), True),
                  (p + "self_attn.q_proj.weight", (q, e), False),
                  (p + "self_attn.k_proj.weight", (kv, e), False),
                  (p + "self_attn.v_proj.weight", (kv, e), False),
                  (p + "self_attn.o_proj.weight", (e, q), False),
                  (p + "post_attention_layernorm.weight", (e,), True),
                  (p + "mlp.gate_proj.weight", (i, e), False),
                  (p + "mlp.up_proj.weight", (i, e), False),
                  (p + "mlp.down_proj.weight", (e, i), False)]
        if c.get("attention_bias") or family == "qwen2":
            specs += [(p + "self_attn.q_proj.bias", (q,), False),
                      (p + "self_attn.k_proj.bias", (kv,), False),
                      (p + "self_attn.v_proj.bias", (kv,), False)]
        if c.get("attention_bias"):
            specs.append((p + "self_attn.o_proj.bias", (e,), False))
        if family == "qwen3":
            specs += [(p + "self_attn.q_norm.weight", (d,), True),
                      (p + "self_attn.k_norm.weight", (d,), True)]
        if family == "gemma2":
            specs += [(p + "pre_feedforward_layernorm.weight", (e,), True),
                      (p + "post_feedforward_layernorm.weight", (e,), True)]
    return specs


def decoder_weights(c, rng):
    """decoder_specs' tensors with random values, drawn in its order."""
    w = lambda *shape: rng.normal(0.0, 0.2, shape)
    # Gemma's RMSNorm multiplies by (1 + w): its stored gains are near 0.
    gain = (lambda n: rng.normal(0.0, 0.1, n)) \
        if c["model_type"] == "gemma2" else \
        (lambda n: 1.0 + rng.normal(0.0, 0.1, n))
    return {name: gain(*shape) if is_gain else w(*shape)
            for name, shape, is_gain in decoder_specs(c)}


# Llama's tensors are the decoder's with Llama's config.
llama_weights = decoder_weights


def make_gpt2(directory, seed=0, data_offset=None):
    os.makedirs(directory, exist_ok=True)
    c = dict(GPT2_CONFIG)
    vocab = byte_vocab()
    vocab["<|endoftext|>"] = len(vocab)
    c["bos_token_id"] = c["eos_token_id"] = vocab["<|endoftext|>"]
    c["vocab_size"] = len(vocab)
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(c, f, indent=2)
    with open(os.path.join(directory, "vocab.json"), "w") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(directory, "merges.txt"), "w") as f:
        f.write("#version: 0.2\n")
        for a, b in MERGES:
            f.write("%s %s\n" % (a, b))
    write_safetensors(os.path.join(directory, "model.safetensors"),
                      gpt2_weights(c, np.random.default_rng(seed)),
                      data_offset=data_offset)


# Llama 3.1's rope_scaling, with the original context shrunk to the tiny
# model's size so that it matters within a few dozen positions: with head
# dim 16 the wavelengths run from 6 to ~20000 positions, and the thresholds
# (32 / 4 = 8 and 32 / 1 = 32) keep, blend and divide some of each.
LLAMA3_ROPE_SCALING = dict(rope_type="llama3", factor=8.0,
                           low_freq_factor=1.0, high_freq_factor=4.0,
                           original_max_position_embeddings=32)


def write_tokenizer(directory, c, vocab_size=None):
    """Writes config `c` with the tokenizer's bos/eos ids and vocab_size
    (or `vocab_size`, for embeddings padded past the tokenizer's tokens),
    and a byte-level BPE tokenizer.json for its family."""
    family = c["model_type"]
    vocab = byte_vocab()
    specials = SPECIALS[family]
    added = [{"id": len(vocab) + k, "content": s, "special": True}
             for k, s in enumerate(specials)]
    c["bos_token_id"], c["eos_token_id"] = added[0]["id"], added[1]["id"]
    c["vocab_size"] = vocab_size or len(vocab) + len(specials)
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(c, f, indent=2)
    tokenizer = {
        "version": "1.0", "added_tokens": added,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": LLAMA3_PATTERN},
             "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False,
             "trim_offsets": True, "use_regex": False}]},
        "model": {"type": "BPE", "vocab": vocab,
                  "merges": [[a, b] for a, b in MERGES]}}
    with open(os.path.join(directory, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, ensure_ascii=False)


def make_decoder(directory, family="llama", seed=0, rope_scaling=None,
                 dtype="F32", attention_bias=False, tied=None,
                 data_offset=None):
    """A tiny Llama-style model of `family` (tiny_models.DECODER_CONFIGS);
    `tied` overrides the config's tie_word_embeddings; `data_offset` as
    write_safetensors takes it."""
    os.makedirs(directory, exist_ok=True)
    c = dict(DECODER_CONFIGS[family] or LLAMA_CONFIG)
    if attention_bias:
        c["attention_bias"] = True
    if rope_scaling is not None:
        c["rope_scaling"] = rope_scaling
    if tied is not None:
        c["tie_word_embeddings"] = tied
    write_tokenizer(directory, c)
    write_safetensors(os.path.join(directory, "model.safetensors"),
                      decoder_weights(c, np.random.default_rng(seed)), dtype,
                      data_offset)


def make_llama(directory, seed=0, rope_scaling=None, dtype="F32",
               attention_bias=False):
    make_decoder(directory, "llama", seed, rope_scaling, dtype,
                 attention_bias)


def add_model_options(parser):
    """The family and its variants, as this script and the model tests
    take them."""
    parser.add_argument("family", choices=["gpt2"] + list(DECODER_CONFIGS))
    parser.add_argument("--rope-scaling", choices=["llama3"],
                        help="llama: add Llama 3.1's rope_scaling")
    parser.add_argument("--dtype", choices=["F32", "F16", "BF16"],
                        default="F32", help="not gpt2: the weights' dtype")
    parser.add_argument("--attention-bias", action="store_true",
                        help="llama, qwen3, gemma2: q/k/v/o projections "
                        "with biases")
    parser.add_argument("--tied", choices=["yes", "no"],
                        help="not gpt2: tie (or untie) lm_head to the "
                        "embeddings, whatever the family's tiny config says")
    parser.add_argument("--data-offset", type=int, choices=range(0, 64, 8),
                        metavar="{0,8,...,56}",
                        help="start the tensors' data this many bytes past "
                        "a 64-byte boundary (default: the header padded to "
                        "8 bytes, as safetensors writes it)")


def make_model(args, directory, seed):
    """The tiny model `args` (add_model_options) describes."""
    if args.family == "gpt2":
        make_gpt2(directory, seed, args.data_offset)
    else:
        make_decoder(directory, args.family, seed,
                     LLAMA3_ROPE_SCALING if args.rope_scaling else None,
                     args.dtype, args.attention_bias,
                     None if args.tied is None else args.tied == "yes",
                     args.data_offset)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_model_options(parser)
    parser.add_argument("directory")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    make_model(args, args.directory, args.seed)


if __name__ == "__main__":
    main()
