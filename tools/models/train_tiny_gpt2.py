#!/usr/bin/env python3
"""Trains a tiny GPT-2 on text, saved in the Hugging Face layout.

  train_tiny_gpt2.py OUTPUT_DIR --text FILE... [--minutes 6] [--seed 0]

The model (n_embd 96, 4 layers, 4 heads, context 64) uses the byte-level
tokenizer of tiny_models.py (256 byte tokens + a few merges + <|endoftext|>)
and the same tensor names, shapes and config as GPT-2, so attnc compiles it
like any GPT-2 directory. Training is plain next-token cross-entropy with
AdamW on random windows of the text, on the CPU, for a fixed time. Needs
Debian's python3-torch; the result (about 2 MB) is what examples/ ships for
`tools/dev.sh demo`, so that the demo prints text rather than noise.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import tiny_models  # noqa: E402

CONFIG = dict(tiny_models.GPT2_CONFIG, n_embd=96, n_layer=4, n_head=4,
              n_positions=64)


def encode(text, vocab):
    """Byte-level BPE with the tiny merge list (greedy by rank)."""
    table = tiny_models.bytes_to_unicode()
    symbols = [table[b] for b in text.encode("utf-8")]
    for a, b in tiny_models.MERGES:
        merged, i = [], 0
        while i < len(symbols):
            if i + 1 < len(symbols) and symbols[i] == a and \
                    symbols[i + 1] == b:
                merged.append(a + b)
                i += 2
            else:
                merged.append(symbols[i])
                i += 1
        symbols = merged
    return [vocab[s] for s in symbols]


class Block(torch.nn.Module):
    def __init__(self, e, heads):
        super().__init__()
        self.heads = heads
        self.ln_1 = torch.nn.LayerNorm(e)
        self.c_attn = torch.nn.Parameter(torch.randn(e, 3 * e) * 0.02)
        self.c_attn_b = torch.nn.Parameter(torch.zeros(3 * e))
        self.c_proj = torch.nn.Parameter(torch.randn(e, e) * 0.02)
        self.c_proj_b = torch.nn.Parameter(torch.zeros(e))
        self.ln_2 = torch.nn.LayerNorm(e)
        self.c_fc = torch.nn.Parameter(torch.randn(e, 4 * e) * 0.02)
        self.c_fc_b = torch.nn.Parameter(torch.zeros(4 * e))
        self.c_fc_proj = torch.nn.Parameter(torch.randn(4 * e, e) * 0.02)
        self.c_fc_proj_b = torch.nn.Parameter(torch.zeros(e))

    def forward(self, x):
        bsz, seq, e = x.shape
        d = e // self.heads
        qkv = self.ln_1(x) @ self.c_attn + self.c_attn_b
        q, k, v = (t.view(bsz, seq, self.heads, d).transpose(1, 2)
                   for t in qkv.split(e, dim=-1))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(d)
        mask = torch.triu(torch.ones(seq, seq, dtype=torch.bool), 1)
        att = torch.softmax(att.masked_fill(mask, float("-inf")), -1)
        o = (att @ v).transpose(1, 2).reshape(bsz, seq, e)
        x = x + o @ self.c_proj + self.c_proj_b
        h = torch.nn.functional.gelu(self.ln_2(x) @ self.c_fc + self.c_fc_b,
                                     approximate="tanh")
        return x + h @ self.c_fc_proj + self.c_fc_proj_b


class TinyGpt2(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        e = c["n_embd"]
        self.wte = torch.nn.Parameter(torch.randn(c["vocab_size"], e) * 0.02)
        self.wpe = torch.nn.Parameter(torch.randn(c["n_positions"], e) * 0.01)
        self.blocks = torch.nn.ModuleList(
            Block(e, c["n_head"]) for _ in range(c["n_layer"]))
        self.ln_f = torch.nn.LayerNorm(e)

    def forward(self, tokens):
        x = self.wte[tokens] + self.wpe[:tokens.shape[1]]
        for block in self.blocks:
            x = block(x)
        return self.ln_f(x) @ self.wte.T

    def tensors(self):
        t = {"wte.weight": self.wte, "wpe.weight": self.wpe,
             "ln_f.weight": self.ln_f.weight, "ln_f.bias": self.ln_f.bias}
        for i, b in enumerate(self.blocks):
            p = "h.%d." % i
            t.update({p + "ln_1.weight": b.ln_1.weight,
                      p + "ln_1.bias": b.ln_1.bias,
                      p + "attn.c_attn.weight": b.c_attn,
                      p + "attn.c_attn.bias": b.c_attn_b,
                      p + "attn.c_proj.weight": b.c_proj,
                      p + "attn.c_proj.bias": b.c_proj_b,
                      p + "ln_2.weight": b.ln_2.weight,
                      p + "ln_2.bias": b.ln_2.bias,
                      p + "mlp.c_fc.weight": b.c_fc,
                      p + "mlp.c_fc.bias": b.c_fc_b,
                      p + "mlp.c_proj.weight": b.c_fc_proj,
                      p + "mlp.c_proj.bias": b.c_fc_proj_b})
        return {k: v.detach().numpy() for k, v in t.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--text", nargs="+", required=True)
    parser.add_argument("--minutes", type=float, default=6.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)

    # The tokenizer files and config of tiny_models, with this model's sizes.
    tiny_models.GPT2_CONFIG = CONFIG
    tiny_models.make_gpt2(args.output, seed=args.seed)
    with open(os.path.join(args.output, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(args.output, "vocab.json")) as f:
        vocab = json.load(f)
    text = "".join(open(p, encoding="utf-8", errors="replace").read()
                   for p in args.text)
    data = torch.tensor(encode(text, vocab))
    print("%d tokens of text, %d-token vocabulary" % (len(data), len(vocab)))

    model = TinyGpt2(config)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    context, batch = config["n_positions"], 16
    start, step = time.time(), 0
    while time.time() - start < args.minutes * 60:
        idx = torch.randint(0, len(data) - context - 1, (batch,))
        x = torch.stack([data[i:i + context] for i in idx])
        y = torch.stack([data[i + 1:i + context + 1] for i in idx])
        loss = torch.nn.functional.cross_entropy(
            model(x).reshape(-1, config["vocab_size"]), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 200 == 0:
            print("step %d loss %.3f" % (step, loss.item()), flush=True)
    tiny_models.write_safetensors(os.path.join(args.output,
                                               "model.safetensors"),
                                  model.tensors())
    print("saved %s after %d steps, loss %.3f" % (args.output, step,
                                                  loss.item()))


if __name__ == "__main__":
    main()
