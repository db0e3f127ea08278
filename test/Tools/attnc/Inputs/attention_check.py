"""Inputs and a float64 reference for compile-and-run.mlir.

  attention_check.py inputs PREFIX         writes PREFIX.{q,k,v}.npy
  attention_check.py compare PREFIX A B    checks A.npy and B.npy (from the
                                           JIT and from the library) against
                                           each other and the reference
"""

import sys

import numpy as np

SHAPE = (1, 2, 4, 8)  # [B, H, S, D]
TOLERANCE = 1e-5  # f32 softmax over 4 keys, against float64


def reference(q, k, v):
    """Causal softmax(q k^T / sqrt(D)) v in float64."""
    q, k, v = (x.astype(np.float64) for x in (q, k, v))
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    s = scores.shape[-1]
    scores = np.where(np.tril(np.ones((s, s), dtype=bool)), scores, -np.inf)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ v


def main():
    command, prefix = sys.argv[1], sys.argv[2]
    if command == "inputs":
        rng = np.random.default_rng(0)
        for name in "qkv":
            np.save(f"{prefix}.{name}.npy",
                    rng.standard_normal(SHAPE).astype(np.float32))
        return
    q, k, v = (np.load(f"{prefix}.{name}.npy") for name in "qkv")
    jit, library = np.load(sys.argv[3]), np.load(sys.argv[4])
    expected = reference(q, k, v)
    for name, result in (("jit", jit), ("library", library)):
        error = np.abs(result.astype(np.float64) - expected).max()
        print(f"{name}: {result.dtype} {result.shape} "
              f"{'ok' if error <= TOLERANCE else f'max error {error}'}")
    print("jit == library" if np.array_equal(jit, library)
          else "jit != library")


if __name__ == "__main__":
    main()
