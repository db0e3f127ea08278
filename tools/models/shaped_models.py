#!/usr/bin/env python3
"""Writes Hugging Face model directories with random weights in the shapes
of real checkpoints, for benchmarks (attnc-run bench, docs/performance.md).

  shaped_models.py SHAPE DIR [--dtype F32|F16|BF16] [--seed N]

SHAPE is one of:
  llama-134m     Llama: 12 layers, hidden 768, 12 heads, ff 2048, vocab 32000
                 (the model of issue 14's llama.cpp comparison)
  qwen2.5-0.5b   Qwen2.5-0.5B's shape: 24 layers, hidden 896, 14 heads (2 KV),
                 ff 4864, vocab 151936, q/k/v biases, tied head (494M)
  qwen3-0.6b     Qwen3-0.6B's shape: 28 layers, hidden 1024, 16 heads (8 KV)
                 of head_dim 128, ff 3072, vocab 151936, q/k norms, tied (596M)
  mistral-0.5b   Mistral 7B scaled down: 32 layers, hidden 1024, 8 heads
                 (2 KV) of head_dim 128, ff 3584, vocab 32000, sliding
                 window 4096, untied head (503M)
  gemma2-0.5b    Gemma 2 2B scaled down: 14 layers, hidden 1024, 8 heads
                 (4 KV) of head_dim 128, ff 4096, vocab 256000, alternating
                 sliding (4096) and global layers, soft-caps 50 and 30,
                 tied head (482M)

The tensors are those tiny_models.py writes for the family (the same
names and order), drawn one at a time in float32 and streamed to the file,
so a 0.5B model needs about one tensor of memory: weights N(0, 0.02), norm
gains 1 + N(0, 0.1) (Gemma: N(0, 0.1), its norms multiply by 1 + w). The
tokenizer is tiny_models.py's byte-level BPE; the embeddings past its 263
tokens are padding, as in real checkpoints whose vocab_size rounds up.
"""

import argparse
import json
import os
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiny_models  # noqa: E402

COMMON = dict(max_position_embeddings=32768, hidden_act="silu",
              bos_token_id=256, eos_token_id=257)

SHAPES = {
    "llama-134m": dict(COMMON, model_type="llama", vocab_size=32000,
                       hidden_size=768, intermediate_size=2048,
                       num_hidden_layers=12, num_attention_heads=12,
                       num_key_value_heads=12, rms_norm_eps=1e-5,
                       rope_theta=10000.0, tie_word_embeddings=False),
    "qwen2.5-0.5b": dict(COMMON, model_type="qwen2", vocab_size=151936,
                         hidden_size=896, intermediate_size=4864,
                         num_hidden_layers=24, num_attention_heads=14,
                         num_key_value_heads=2, rms_norm_eps=1e-6,
                         rope_theta=1000000.0, tie_word_embeddings=True,
                         use_sliding_window=False, sliding_window=32768,
                         max_window_layers=24),
    "qwen3-0.6b": dict(COMMON, model_type="qwen3", vocab_size=151936,
                       hidden_size=1024, intermediate_size=3072,
                       num_hidden_layers=28, num_attention_heads=16,
                       num_key_value_heads=8, head_dim=128,
                       rms_norm_eps=1e-6, rope_theta=1000000.0,
                       attention_bias=False, tie_word_embeddings=True,
                       use_sliding_window=False, sliding_window=None),
    "mistral-0.5b": dict(COMMON, model_type="mistral", vocab_size=32000,
                         hidden_size=1024, intermediate_size=3584,
                         num_hidden_layers=32, num_attention_heads=8,
                         num_key_value_heads=2, head_dim=128,
                         rms_norm_eps=1e-5, rope_theta=1000000.0,
                         tie_word_embeddings=False, sliding_window=4096),
    "gemma2-0.5b": dict(COMMON, model_type="gemma2", vocab_size=256000,
                        hidden_size=1024, intermediate_size=4096,
                        num_hidden_layers=14, num_attention_heads=8,
                        num_key_value_heads=4, head_dim=128,
                        rms_norm_eps=1e-6, rope_theta=10000.0,
                        hidden_act="gelu_pytorch_tanh",
                        hidden_activation="gelu_pytorch_tanh",
                        query_pre_attn_scalar=128,
                        attn_logit_softcapping=50.0,
                        final_logit_softcapping=30.0, sliding_window=4096,
                        attention_bias=False, tie_word_embeddings=True),
}

ITEM_SIZES = {"F32": 4, "F16": 2, "BF16": 2}


def encode(values, dtype):
    if dtype == "F32":
        return values.astype(np.float32).tobytes()
    if dtype == "F16":
        return values.astype(np.float16).tobytes()
    return tiny_models.to_bf16_bits(values).tobytes()


def write_shaped(directory, shape, dtype="F32", seed=0):
    """Writes SHAPES[shape] with random weights to `directory`; returns the
    number of parameters."""
    os.makedirs(directory, exist_ok=True)
    c = dict(SHAPES[shape])
    tiny_models.write_tokenizer(directory, c, vocab_size=c["vocab_size"])
    specs = sorted(tiny_models.decoder_specs(c))
    header, offset = {}, 0
    for name, dims, _ in specs:
        size = int(np.prod(dims)) * ITEM_SIZES[dtype]
        header[name] = {"dtype": dtype, "shape": list(dims),
                        "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":"))
    text += " " * (-(len(text) + 8) % 8)
    rng = np.random.default_rng(seed)
    gemma = c["model_type"] == "gemma2"
    path = os.path.join(directory, "model.safetensors")
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for name, dims, is_gain in specs:
            values = rng.standard_normal(dims, dtype=np.float32)
            values *= np.float32(0.1 if is_gain else 0.02)
            if is_gain and not gemma:
                values += np.float32(1.0)
            f.write(encode(values, dtype))
    os.replace(path + ".tmp", path)
    return sum(int(np.prod(dims)) for _, dims, _ in specs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shape", choices=sorted(SHAPES))
    parser.add_argument("directory")
    parser.add_argument("--dtype", choices=sorted(ITEM_SIZES), default="F32")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    params = write_shaped(args.directory, args.shape, args.dtype, args.seed)
    print("%s: %s, %.1fM parameters, %s" %
          (args.directory, args.shape, params / 1e6, args.dtype))


if __name__ == "__main__":
    main()
