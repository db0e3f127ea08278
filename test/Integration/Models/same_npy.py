#!/usr/bin/env python3
"""Exits 0 when two .npy files hold the same array bit for bit (same shape,
dtype and bytes; NaNs compare by their bits), else prints where they differ
and exits 1.

Usage: same_npy.py A.npy B.npy
"""

import sys

import numpy as np


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
    if a.shape != b.shape or a.dtype != b.dtype:
        sys.exit("FAIL %s is %s %s, %s is %s %s" % (
            sys.argv[1], a.dtype, a.shape, sys.argv[2], b.dtype, b.shape))
    differ = np.frombuffer(a.tobytes(), np.uint8) != np.frombuffer(
        b.tobytes(), np.uint8)
    if differ.any():
        sys.exit("FAIL %d of %d bytes differ" % (differ.sum(), differ.size))
    print("PASS %s and %s are identical" % (sys.argv[1], sys.argv[2]))


if __name__ == "__main__":
    main()
