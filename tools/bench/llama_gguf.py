#!/usr/bin/env python3
"""Writes one set of random Llama weights twice: as a Hugging Face directory
for attnc and as a GGUF file for llama.cpp (tools/bench/compare_llamacpp.sh).

  llama_gguf.py write SHAPE OUTDIR --dtype F32|F16|BF16 [--seed N]
      OUTDIR/hf-<dtype>/     config.json, tokenizer.json, model.safetensors
                             (tools/models/shaped_models.py)
      OUTDIR/<dtype>.gguf    the same tensors, read back from that
                             model.safetensors, as llama.cpp reads them
  llama_gguf.py convert HF_DIR OUT.gguf
      a Llama-family directory these scripts write (any size, GQA) to GGUF

The GGUF needs the `gguf` package of a llama.cpp checkout (its gguf-py
folder on PYTHONPATH; it needs numpy and, at import, PyYAML). Nothing else
here does: gguf_plan() and gguf_vocab() describe the file in plain numpy,
which is what test/Tools/compare-llamacpp checks without llama.cpp.

What the file holds, so that llama.cpp computes the function attnc computes
from the directory:
- arch "llama" with the config's sizes, rms_norm_eps and rope_theta;
- every weight bit for bit in the checkpoint's dtype (F32, F16, or BF16
  as raw bits), except the RMSNorm gains, which are widened to F32 exactly
  (llama.cpp's CPU multiply takes F32 for them);
- q_proj and k_proj rows reordered within each head: Hugging Face's Llama
  rotates the pairs (j, j + d/2) of a head (rotate_half) while llama.cpp's
  "llama" rope rotates the adjacent pairs (2i, 2i + 1), so row j goes to
  2j and row j + d/2 to 2j + 1 (the same order for Q and K, so every q.k
  score, and with it the attention, is unchanged);
- the tokenizer.json's byte-level BPE as tokenizer model "gpt2" with
  pre-tokenizer "llama-bpe" (the Llama 3 split pattern tiny_models.py
  writes), its merges, the special tokens as control tokens, and the
  embedding rows past the tokenizer's tokens as unused "[PAD<id>]" tokens,
  so the vocabulary has vocab_size entries.
"""

import argparse
import json
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "models"))
import shaped_models  # noqa: E402

# llama.cpp's general.file_type values (llama_ftype) and token types.
FILE_TYPES = {"F32": 0, "F16": 1, "BF16": 32}
TOKEN_NORMAL, TOKEN_CONTROL, TOKEN_UNUSED = 1, 3, 5

# Hugging Face tensor name (after "model.layers.N.") -> GGUF name (after
# "blk.N.").
LAYER_NAMES = {"input_layernorm.weight": "attn_norm.weight",
               "self_attn.q_proj.weight": "attn_q.weight",
               "self_attn.k_proj.weight": "attn_k.weight",
               "self_attn.v_proj.weight": "attn_v.weight",
               "self_attn.o_proj.weight": "attn_output.weight",
               "post_attention_layernorm.weight": "ffn_norm.weight",
               "mlp.gate_proj.weight": "ffn_gate.weight",
               "mlp.up_proj.weight": "ffn_up.weight",
               "mlp.down_proj.weight": "ffn_down.weight"}
GLOBAL_NAMES = {"model.embed_tokens.weight": "token_embd.weight",
                "model.norm.weight": "output_norm.weight",
                "lm_head.weight": "output.weight"}


def read_safetensors(path):
    """{name: (array, dtype)}, arrays mapped from the file: F32 as float32,
    F16 as float16, BF16 as its uint16 bits."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
    kinds = {"F32": np.float32, "F16": np.float16, "BF16": np.uint16}
    data = np.memmap(path, np.uint8, "r", offset=8 + length)
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in kinds:
            raise ValueError("%s: %s has dtype %s; expected F32, F16 or BF16"
                             % (path, name, info["dtype"]))
        begin, end = info["data_offsets"]
        array = data[begin:end].view(kinds[info["dtype"]])
        tensors[name] = (array.reshape(info["shape"]), info["dtype"])
    return tensors


def bf16_to_f32(bits):
    return (np.asarray(bits, np.uint32) << 16).view(np.float32)


def rope_pairs_adjacent(weight, heads):
    """Rows of `weight` [heads * d, in] reordered within each head from
    rotate_half's pairs (j, j + d/2) to adjacent pairs (2j, 2j + 1)."""
    rows, cols = weight.shape
    d = rows // heads
    if heads * d != rows or d % 2:
        raise ValueError("%d rows do not split into %d heads of an even "
                         "size" % (rows, heads))
    return np.ascontiguousarray(
        weight.reshape(heads, 2, d // 2, cols).swapaxes(1, 2)
        .reshape(rows, cols))


def gguf_plan(config, tensors):
    """The GGUF tensors for a Llama checkpoint: [(gguf name, array, dtype)]
    in the file's order, dtype one of F32, F16, BF16 (arrays of BF16 hold
    the bits as uint16)."""
    if config.get("model_type") != "llama":
        raise ValueError("model_type %r: only llama checkpoints are written "
                         "as GGUF" % config.get("model_type"))
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    expected = set(GLOBAL_NAMES)
    if config.get("tie_word_embeddings"):
        expected.discard("lm_head.weight")
    for layer in range(config["num_hidden_layers"]):
        expected |= {"model.layers.%d.%s" % (layer, n) for n in LAYER_NAMES}
    if set(tensors) != expected:
        missing, extra = expected - set(tensors), set(tensors) - expected
        raise ValueError("unexpected tensors: missing %s, extra %s"
                         % (sorted(missing)[:3], sorted(extra)[:3]))
    plan = []

    def add(hf_name, gguf_name):
        array, dtype = tensors[hf_name]
        if array.ndim == 1 and dtype != "F32":
            # Norm gains: widened exactly.
            array = bf16_to_f32(array) if dtype == "BF16" else \
                array.astype(np.float32)
            dtype = "F32"
        if hf_name.endswith("q_proj.weight"):
            array = rope_pairs_adjacent(array, heads)
        elif hf_name.endswith("k_proj.weight"):
            array = rope_pairs_adjacent(array, kv_heads)
        plan.append((gguf_name, array, dtype))

    add("model.embed_tokens.weight", "token_embd.weight")
    for layer in range(config["num_hidden_layers"]):
        for hf, gguf in LAYER_NAMES.items():
            add("model.layers.%d.%s" % (layer, hf), "blk.%d.%s" % (layer, gguf))
    add("model.norm.weight", "output_norm.weight")
    if not config.get("tie_word_embeddings"):
        add("lm_head.weight", "output.weight")
    return plan


def gguf_vocab(tokenizer, vocab_size):
    """(tokens, token types, merges) for a byte-level BPE tokenizer.json,
    padded with unused tokens to `vocab_size` entries."""
    model = tokenizer["model"]
    if model.get("type") != "BPE":
        raise ValueError("tokenizer model %r: expected BPE" % model.get("type"))
    tokens = [None] * vocab_size
    types = [TOKEN_UNUSED] * vocab_size
    for text, index in model["vocab"].items():
        tokens[index], types[index] = text, TOKEN_NORMAL
    for added in tokenizer.get("added_tokens", []):
        index = added["id"]
        tokens[index] = added["content"]
        types[index] = TOKEN_CONTROL if added.get("special") else TOKEN_NORMAL
    for index in range(vocab_size):
        if tokens[index] is None:
            tokens[index] = "[PAD%d]" % index
    if len(set(tokens)) != vocab_size:
        raise ValueError("the tokenizer's tokens are not unique")
    merges = [m if isinstance(m, str) else " ".join(m)
              for m in model.get("merges", [])]
    return tokens, types, merges


def write_gguf(hf_dir, out_path):
    """Writes the checkpoint in `hf_dir` as the GGUF file `out_path`;
    returns its dtype."""
    with open(os.path.join(hf_dir, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(hf_dir, "tokenizer.json")) as f:
        tokenizer = json.load(f)
    tensors = read_safetensors(os.path.join(hf_dir, "model.safetensors"))
    plan = gguf_plan(config, tensors)
    try:
        import gguf  # the llama.cpp checkout's gguf-py
    except ImportError as e:
        raise ValueError("cannot import gguf (%s): put <llama.cpp>/gguf-py "
                         "on PYTHONPATH" % e)
    dtypes = {dtype for _, _, dtype in plan if dtype != "F32"} or {"F32"}
    if len(dtypes) != 1:
        raise ValueError("mixed weight dtypes %s" % sorted(dtypes))
    dtype = dtypes.pop()

    heads = config["num_attention_heads"]
    hidden = config["hidden_size"]
    head_dim = config.get("head_dim") or hidden // heads
    writer = gguf.GGUFWriter(out_path + ".tmp", "llama")
    writer.add_name(os.path.basename(os.path.normpath(hf_dir)))
    writer.add_file_type(FILE_TYPES[dtype])
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(hidden)
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(config.get("num_key_value_heads", heads))
    writer.add_key_length(head_dim)
    writer.add_value_length(head_dim)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(config["rope_theta"])
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    writer.add_vocab_size(config["vocab_size"])

    tokens, types, merges = gguf_vocab(tokenizer, config["vocab_size"])
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("llama-bpe")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(config["bos_token_id"])
    writer.add_eos_token_id(config["eos_token_id"])
    writer.add_add_bos_token(False)

    kinds = {"F32": gguf.GGMLQuantizationType.F32,
             "F16": gguf.GGMLQuantizationType.F16,
             "BF16": gguf.GGMLQuantizationType.BF16}
    for name, array, kind in plan:
        writer.add_tensor(name, np.asarray(array), raw_dtype=kinds[kind])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    os.replace(out_path + ".tmp", out_path)
    return dtype


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    write = sub.add_parser("write", help="an HF directory and its GGUF")
    write.add_argument("shape", choices=sorted(shaped_models.SHAPES))
    write.add_argument("outdir")
    write.add_argument("--dtype", choices=sorted(FILE_TYPES), default="F32")
    write.add_argument("--seed", type=int, default=0)
    convert = sub.add_parser("convert", help="an HF directory to GGUF")
    convert.add_argument("hf_dir")
    convert.add_argument("gguf")
    args = parser.parse_args()
    try:
        if args.command == "write":
            hf_dir = os.path.join(args.outdir, "hf-" + args.dtype.lower())
            params = shaped_models.write_shaped(hf_dir, args.shape,
                                                args.dtype, args.seed)
            path = os.path.join(args.outdir, args.dtype.lower() + ".gguf")
            write_gguf(hf_dir, path)
            print("%s, %s: %s, %.1fM parameters, %s" %
                  (hf_dir, path, args.shape, params / 1e6, args.dtype))
        else:
            dtype = write_gguf(args.hf_dir, args.gguf)
            print("%s: %s" % (args.gguf, dtype))
    except (ValueError, OSError, KeyError) as e:
        sys.exit("llama_gguf.py: error: %s" % e)


if __name__ == "__main__":
    main()
