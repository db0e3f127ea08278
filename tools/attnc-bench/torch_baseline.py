#!/usr/bin/env python3
"""PyTorch baseline for attnc-bench: times fp32 attention on one shape.

attnc-bench runs this with /usr/bin/python3, OMP_NUM_THREADS and, where
Debian's OpenMP OpenBLAS is installed, LD_LIBRARY_PATH and OPENBLAS_CORETYPE
set as DESIGN.md section 6 describes. It computes what attn.attention does:
O = softmax(scale * Q K^T + mask) V with scale = 1/sqrt(D), GQA (query head h
reads K/V head h // (Hq/Hkv)) and a causal mask aligned bottom-right (query i
sees keys j <= Skv - Sq + i). torch >= 2.0 runs scaled_dot_product_attention
where it computes exactly that; otherwise (torch 1.13, GQA, Sq != Skv causal)
an explicit matmul + softmax + matmul into preallocated buffers.

Prints one line: "median_ms=<ms> method=<sdpa|matmul-softmax>".
"""

import argparse
import math
import statistics
import time

import torch


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--q-heads", type=int, required=True)
    parser.add_argument("--kv-heads", type=int, required=True)
    parser.add_argument("--q-len", type=int, required=True)
    parser.add_argument("--kv-len", type=int, required=True)
    parser.add_argument("--head-dim", type=int, required=True)
    parser.add_argument("--causal", action="store_true")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def make_attention(q, k, v, causal):
    """Returns (method, a function computing the attention output)."""
    batch, q_heads, q_len, head_dim = q.shape
    kv_heads, kv_len = k.shape[1], k.shape[2]
    group = q_heads // kv_heads
    scale = 1.0 / math.sqrt(head_dim)

    sdpa = getattr(torch.nn.functional, "scaled_dot_product_attention", None)
    if sdpa is not None and group == 1 and (not causal or q_len == kv_len):
        return "sdpa", lambda: sdpa(q, k, v, is_causal=causal)

    # The `group` query heads of K/V head g are rows of one [group * Sq, D]
    # matrix, so each K/V head is multiplied once and never copied.
    q_rows = q.reshape(batch, kv_heads, group * q_len, head_dim)
    k_t = k.transpose(-1, -2)
    q_scaled = torch.empty_like(q_rows)
    scores = torch.empty(batch, kv_heads, group * q_len, kv_len)
    out = torch.empty(batch, kv_heads, group * q_len, head_dim)
    mask = None
    if causal:
        rows = torch.arange(q_len).view(q_len, 1) + (kv_len - q_len)
        cols = torch.arange(kv_len).view(1, kv_len)
        mask = torch.zeros(q_len, kv_len).masked_fill_(cols > rows,
                                                       float("-inf"))
        mask = mask.repeat(group, 1)

    def run():
        torch.mul(q_rows, scale, out=q_scaled)
        torch.matmul(q_scaled, k_t, out=scores)
        if mask is not None:
            scores.add_(mask)
        probs = torch.softmax(scores, dim=-1)
        torch.matmul(probs, v, out=out)
        return out.view(batch, q_heads, q_len, head_dim)

    return "matmul-softmax", run


def main():
    args = parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(args.seed)
    q = torch.randn(args.batch, args.q_heads, args.q_len, args.head_dim,
                    generator=generator)
    k = torch.randn(args.batch, args.kv_heads, args.kv_len, args.head_dim,
                    generator=generator)
    v = torch.randn(args.batch, args.kv_heads, args.kv_len, args.head_dim,
                    generator=generator)
    method, attention = make_attention(q, k, v, args.causal)
    milliseconds = []
    with torch.no_grad():
        for _ in range(args.warmup):
            attention()
        for _ in range(max(args.repetitions, 1)):
            start = time.perf_counter()
            attention()
            milliseconds.append((time.perf_counter() - start) * 1e3)
    print("median_ms=%.6f method=%s" % (statistics.median(milliseconds),
                                       method))


if __name__ == "__main__":
    main()
