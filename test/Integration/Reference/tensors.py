"""Scalar rounding and a minimal dense tensor for the reference checks.

Storage-type rounding (f32, f16, bf16) of Python floats, decoding of printed
f32 bits, a row-major `Tensor` of Python scalars tagged with its MLIR element
type, and the seeded random input generators the cases draw from.
"""

import struct

NEG_INF = float("-inf")

# ----------------------------------------------------------------------------
# Scalar helpers
# ----------------------------------------------------------------------------


def round_f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def round_f16(x):
    return struct.unpack("<e", struct.pack("<e", x))[0]


def round_bf16(x):
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    if (bits & 0x7F800000) == 0x7F800000:  # inf / nan: truncate
        bits &= 0xFFFF0000
    else:  # round to nearest even
        bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return struct.unpack("<f", struct.pack("<I", bits & 0xFFFFFFFF))[0]


ROUND = {"f32": round_f32, "f16": round_f16, "bf16": round_bf16}


def bits_to_f32(v):
    return struct.unpack("<f", struct.pack("<I", v & 0xFFFFFFFF))[0]


# ----------------------------------------------------------------------------
# A minimal dense tensor
# ----------------------------------------------------------------------------


def prod(values):
    result = 1
    for v in values:
        result *= v
    return result


def indices(shape):
    """All index tuples of `shape` in row-major order."""
    if not shape:
        yield ()
        return
    for i in range(shape[0]):
        for rest in indices(shape[1:]):
            yield (i,) + rest


def tensor_type(shape, dtype):
    return "tensor<%sx%s>" % ("x".join(str(s) for s in shape), dtype)


class Tensor:
    """Row-major tensor of Python scalars with an MLIR element type."""

    def __init__(self, shape, data, dtype):
        self.shape = tuple(shape)
        self.data = list(data)
        self.dtype = dtype
        assert len(self.data) == prod(self.shape), (self.shape, len(self.data))
        strides, acc = [], 1
        for size in reversed(self.shape):
            strides.append(acc)
            acc *= size
        self.strides = tuple(reversed(strides))

    def offset(self, idx):
        return sum(i * s for i, s in zip(idx, self.strides))

    def __getitem__(self, idx):
        return self.data[self.offset(idx)]

    def __setitem__(self, idx, value):
        self.data[self.offset(idx)] = value

    def bcast(self, idx):
        """Element at `idx` with size-1 dimensions broadcast."""
        return self[tuple(0 if n == 1 else i for i, n in zip(idx, self.shape))]

    def copy(self):
        return Tensor(self.shape, self.data, self.dtype)

    @property
    def type(self):
        return tensor_type(self.shape, self.dtype)


# ----------------------------------------------------------------------------
# Random inputs
# ----------------------------------------------------------------------------


def rand_float(rng, shape, dtype="f32", lo=-1.0, hi=1.0):
    rnd = ROUND[dtype]
    return Tensor(shape, [rnd(rng.uniform(lo, hi)) for _ in range(prod(shape))],
                  dtype)


def rand_bool(rng, shape, p_true=0.6):
    """Random keep-mask with both values present."""
    while True:
        data = [rng.random() < p_true for _ in range(prod(shape))]
        if any(data) and not all(data):
            return Tensor(shape, data, "i1")


def int_tensor(shape, data, dtype="i32"):
    return Tensor(shape, data, dtype)


def rand_block_table(rng, batch, max_blocks, num_blocks):
    """Each sequence gets distinct physical blocks: a random permutation."""
    perm = list(range(num_blocks))
    rng.shuffle(perm)
    assert batch * max_blocks <= num_blocks
    return int_tensor((batch, max_blocks), perm[: batch * max_blocks])


def rand_kv_caches(rng, *, b, hkv, d, dv, dtype, smax=None, block_size=None,
                   max_blocks=None, num_blocks=None):
    """Random K/V caches, paged when `block_size` is given, else contiguous.

    Paged: (block table [B, max_blocks], caches [num_blocks, Hkv, bs, D|Dv]).
    Contiguous: (None, caches [B, Hkv, Smax, D|Dv]).
    """
    if block_size is not None:
        table = rand_block_table(rng, b, max_blocks, num_blocks)
        kc = rand_float(rng, (num_blocks, hkv, block_size, d), dtype)
        vc = rand_float(rng, (num_blocks, hkv, block_size, dv), dtype)
        return table, kc, vc
    kc = rand_float(rng, (b, hkv, smax, d), dtype)
    vc = rand_float(rng, (b, hkv, smax, dv), dtype)
    return None, kc, vc
