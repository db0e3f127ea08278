"""Inputs and the bit-exact check of bf16_rounding.mlir.

  bf16_rounding.py inputs DIR          writes DIR/x.npy (4096 f32 values)
  bf16_rounding.py check DIR NAME...   compares DIR/NAME.npy with numpy
"""

import sys

import numpy as np


def inputs():
    rng = np.random.default_rng(7)
    edges = np.array([
        0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00008000,
        0x00018000, 0x3f808000, 0x3f818000, 0x3f807fff, 0x3f808001,
        0x7f7fffff, 0xff7fffff, 0x7f7f8000, 0x7f800000, 0xff800000,
        0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff,
        0xffffffff, 0x7fbfffff, 0x7f80ffff], dtype=np.uint32)
    bits = rng.integers(0, 2**32, 4096, dtype=np.uint64).astype(np.uint32)
    normal = rng.standard_normal(2048).astype(np.float32).view(np.uint32)
    bits[:2048] = normal
    bits[2048:2048 + edges.size] = edges
    return bits.view(np.float32)


def expected(x):
    """Round to nearest even on the bits; NaN -> a quiet NaN of its sign."""
    u = x.view(np.uint32).astype(np.uint64)
    rounded = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    return rounded, np.isnan(x)


def check(directory, names):
    x = np.load("%s/x.npy" % directory)
    want, nan = expected(x)
    for name in names:
        got = np.load("%s/%s.npy" % (directory, name)).view(np.uint16)
        got_nan = (got & 0x7F80) == 0x7F80
        got_nan &= (got & 0x007F) != 0
        same_sign = (got & 0x8000) == (x.view(np.uint32) >> 16 & 0x8000)
        differ = np.where(nan, ~(got_nan & same_sign), got != want)
        print("%s: %d values, %d differ" % (name, x.size, int(differ.sum())))
        for i in np.flatnonzero(differ)[:5]:
            print("  x = 0x%08x: got 0x%04x, expected 0x%04x%s" % (
                x.view(np.uint32)[i], got[i], want[i],
                " (a NaN)" if nan[i] else ""))


def main():
    if sys.argv[1] == "inputs":
        np.save("%s/x.npy" % sys.argv[2], inputs())
    else:
        check(sys.argv[2], sys.argv[3:])


if __name__ == "__main__":
    main()
