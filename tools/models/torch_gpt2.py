#!/usr/bin/env python3
"""PyTorch (eager) baseline of GPT-2 inference on a model directory.

Runs the same math as attnc's compiled model (tools/models/reference.py
defines it) with torch ops and a KV cache: a prefill of --prompt random
tokens, then --steps greedy decode steps, and prints tokens/s of each:

  torch_gpt2.py DIR --prompt 512 --steps 32 --threads 2

For a fair baseline run it as attnc-bench runs PyTorch: with Debian's
OpenMP OpenBLAS, LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp
OPENBLAS_CORETYPE=SkylakeX. Prints "prefill_tok_s=<x> decode_tok_s=<y>".
"""

import argparse
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import reference  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--prompt", type=int, default=512)
    parser.add_argument("--steps", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    config, weights = reference.load_model(args.directory)
    w = {k: torch.from_numpy(v.astype(np.float32)) for k, v in weights.items()}
    e, heads, layers = config["n_embd"], config["n_head"], config["n_layer"]
    dim = e // heads
    eps = config.get("layer_norm_epsilon", 1e-5)
    caches = [[None, None] for _ in range(layers)]

    def forward(tokens, start):
        s = tokens.shape[0]
        x = w["wte.weight"][tokens] + w["wpe.weight"][start:start + s]
        for layer in range(layers):
            p = "h.%d." % layer
            h = torch.nn.functional.layer_norm(
                x, (e,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
            qkv = torch.addmm(w[p + "attn.c_attn.bias"], h,
                              w[p + "attn.c_attn.weight"])
            q, k, v = (t.view(s, heads, dim).transpose(0, 1)
                       for t in qkv.split(e, dim=1))
            kc, vc = caches[layer]
            k = k if kc is None else torch.cat([kc, k], 1)
            v = v if vc is None else torch.cat([vc, v], 1)
            caches[layer] = [k, v]
            scores = q @ k.transpose(1, 2) / math.sqrt(dim)
            total = k.shape[1]
            if s > 1:
                rows = torch.arange(s)[:, None] + (total - s)
                scores = scores.masked_fill(torch.arange(total)[None] > rows,
                                            float("-inf"))
            o = torch.softmax(scores, -1) @ v
            o = o.transpose(0, 1).reshape(s, e)
            x = x + torch.addmm(w[p + "attn.c_proj.bias"], o,
                                w[p + "attn.c_proj.weight"])
            h = torch.nn.functional.layer_norm(
                x, (e,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
            f = torch.nn.functional.gelu(
                torch.addmm(w[p + "mlp.c_fc.bias"], h, w[p + "mlp.c_fc.weight"]),
                approximate="tanh")
            x = x + torch.addmm(w[p + "mlp.c_proj.bias"], f,
                                w[p + "mlp.c_proj.weight"])
        x = torch.nn.functional.layer_norm(x, (e,), w["ln_f.weight"],
                                           w["ln_f.bias"], eps)
        return x[-1:] @ w["wte.weight"].T

    tokens = torch.from_numpy(np.random.default_rng(0).integers(
        0, config["vocab_size"], args.prompt))
    with torch.no_grad():
        forward(tokens[:8], 0)  # warm-up
        for c in caches:
            c[0] = c[1] = None
        t0 = time.perf_counter()
        logits = forward(tokens, 0)
        prefill = time.perf_counter() - t0
        position = args.prompt
        t0 = time.perf_counter()
        for _ in range(args.steps):
            token = logits.argmax(-1)
            logits = forward(token, position)
            position += 1
        decode = time.perf_counter() - t0
    print("prefill_tok_s=%.1f decode_tok_s=%.1f" %
          (args.prompt / prefill, args.steps / decode))


if __name__ == "__main__":
    main()
