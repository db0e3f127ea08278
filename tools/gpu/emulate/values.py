"""Numbers and memory of the SIMT emulator (emulator.py).

Rounding of f32/f16/bf16/f64 results, integer wrapping, bit casts, the
math functions evaluated in double, and the device's memory: bounds-checked
global `Buffer`s and the dynamic shared memory (`SharedMemory`, with race
checks through `SharedView`).
"""
import math
import re
import struct

# ----------------------------------------------------------------- numbers

_F32 = struct.Struct('<f')
_F16 = struct.Struct('<e')
_U32 = struct.Struct('<I')
_U16 = struct.Struct('<H')
INF = math.inf
NAN = math.nan


def to_f32(x):
    """x rounded to the nearest f32 (overflow to +-inf)."""
    try:
        return _F32.unpack(_F32.pack(x))[0]
    except OverflowError:
        return math.copysign(INF, x)


def to_f16(x):
    """x rounded to the nearest f16 (overflow to +-inf)."""
    try:
        return _F16.unpack(_F16.pack(x))[0]
    except OverflowError:
        return math.copysign(INF, x)


def bf16_bits(x):
    """The 16 bits of x rounded to bf16 (round to nearest even)."""
    bits = _U32.unpack(_F32.pack(to_f32(x)))[0]
    if (bits & 0x7F800000) == 0x7F800000 and bits & 0x7FFFFF:
        return (bits >> 16) | 0x40
    bits += 0x7FFF + ((bits >> 16) & 1)
    return (bits >> 16) & 0xFFFF


def bf16_from_bits(h):
    return _F32.unpack(_U32.pack((h & 0xFFFF) << 16))[0]


def to_bf16(x):
    return bf16_from_bits(bf16_bits(x))


def to_f64(x):
    return float(x)


ROUND = {'f32': to_f32, 'f16': to_f16, 'bf16': to_bf16, 'f64': to_f64}
FLOAT_TYPES = set(ROUND)


def int_bits(t):
    if t == 'index':
        return 64
    m = re.fullmatch(r'i(\d+)', t)
    if not m:
        raise ValueError(f'not an integer type: {t}')
    return int(m.group(1))


def wrap(x, bits):
    """x as a signed `bits`-bit integer (i1 stays 0/1)."""
    if bits == 1:
        return x & 1
    x &= (1 << bits) - 1
    return x - (1 << bits) if x >> (bits - 1) else x


def unsigned(x, bits):
    return x & ((1 << bits) - 1)


def element_bytes(t):
    if t in ('f16', 'bf16', 'i16'):
        return 2
    if t in ('f32', 'i32'):
        return 4
    if t in ('f64', 'i64', 'index'):
        return 8
    if t in ('i8', 'i1'):
        return 1
    raise ValueError(t)


def to_bits(t, v):
    """The raw bits of scalar v of type t."""
    if t == 'f32':
        return _U32.unpack(_F32.pack(to_f32(v)))[0]
    if t == 'f16':
        return _U16.unpack(_F16.pack(to_f16(v)))[0]
    if t == 'bf16':
        return bf16_bits(v)
    return unsigned(v, int_bits(t))


def from_bits(t, bits):
    if t == 'f32':
        return _F32.unpack(_U32.pack(bits))[0]
    if t == 'f16':
        return _F16.unpack(_U16.pack(bits))[0]
    if t == 'bf16':
        return bf16_from_bits(bits)
    return wrap(bits, int_bits(t))


def fdiv(x, y):
    try:
        return x / y
    except ZeroDivisionError:
        if x == 0 or math.isnan(x):
            return NAN
        return math.copysign(INF, x) * math.copysign(1.0, y)


def fmax(x, y):
    """arith.maximumf: NaN propagates."""
    if x != x or y != y:
        return NAN
    return x if x > y else y


def fmin(x, y):
    if x != x or y != y:
        return NAN
    return x if x < y else y


def _safe(f):
    def g(x):
        try:
            return f(x)
        except OverflowError:
            return INF
        except ValueError:
            return NAN
    return g


def _exp2(x):
    if x == -INF:
        return 0.0
    return 2.0 ** x


MATH = {'math.exp': _safe(math.exp), 'math.exp2': _safe(_exp2),
        'math.tanh': math.tanh, 'math.log': _safe(math.log),
        'math.sqrt': _safe(math.sqrt), 'math.cos': math.cos,
        'math.sin': math.sin, 'math.absf': abs,
        'math.rsqrt': _safe(lambda x: 1.0 / math.sqrt(x))}

# ----------------------------------------------------------------- memory


class Buffer:
    """A strided view of a flat list of scalars (a memref descriptor).

    Every access checks each index against its dimension and raises
    IndexError naming the buffer; `writes` counts stores when `track` is
    set (to check that every output element is written once)."""

    def __init__(self, shape, elem, data=None, strides=None, offset=0,
                 name='buffer'):
        self.shape = list(shape)
        self.elem = elem
        if strides is None:
            strides, acc = [], 1
            for s in reversed(self.shape):
                strides.insert(0, acc)
                acc *= s
        self.strides = list(strides)
        self.offset = offset
        span = offset + sum((s - 1) * st for s, st in zip(self.shape, self.strides)) + 1
        if any(s == 0 for s in self.shape):
            span = offset
        self.data = data if data is not None else [NAN] * max(span, 0)
        if len(self.data) < span:
            raise ValueError(f'{name}: storage of {len(self.data)} < span {span}')
        self.name = name
        self.writes = None

    def linear(self, idx):
        lin = self.offset
        for i, s, st in zip(idx, self.shape, self.strides):
            if not 0 <= i < s:
                raise IndexError(f'{self.name}: index {tuple(idx)} out of bounds of {self.shape}')
            lin += i * st
        return lin

    def load(self, idx):
        return self.data[self.linear(idx)]

    def store(self, v, idx):
        lin = self.linear(idx)
        self.data[lin] = v
        if self.writes is not None:
            self.writes[lin] = self.writes.get(lin, 0) + 1

    def vload(self, idx, n):
        """n consecutive elements along the last dimension."""
        last = list(idx)
        last[-1] += n - 1
        self.linear(last)
        lin = self.linear(idx)
        st = self.strides[-1]
        return tuple(self.data[lin + k * st] for k in range(n))

    def dim(self, d):
        return self.shape[d]

    def get(self, idx):
        """Read for checking (no bounds message needed)."""
        return self.data[self.linear(idx)]


class SharedMemory:
    """The dynamic shared memory of one block: raw bytes, plus a race check.

    Between two barriers (an epoch) a byte written by one thread must not be
    read or written by another, nor written after another thread read it:
    such accesses need a barrier between them (warp-collective ops do not
    order shared memory)."""

    def __init__(self, nbytes):
        self.nbytes = nbytes
        self.mem = bytearray(b'\xff' * nbytes)
        self.epoch = 0
        self.writer = {}   # byte address -> (epoch, thread)
        self.readers = {}  # byte address -> (epoch, set of threads)

    def check(self, addr, size, tid, write):
        epoch = self.epoch
        for b in range(addr, addr + size):
            w = self.writer.get(b)
            if w is not None and w[0] == epoch and w[1] != tid:
                raise RaceError(f'shared byte {b}: thread {tid} {"writes" if write else "reads"} '
                                f'what thread {w[1]} wrote since the last barrier')
            if write:
                r = self.readers.get(b)
                if r is not None and r[0] == epoch and r[1] - {tid}:
                    raise RaceError(f'shared byte {b}: thread {tid} overwrites what thread '
                                    f'{min(r[1] - {tid})} read since the last barrier')
                self.writer[b] = (epoch, tid)
            else:
                r = self.readers.get(b)
                if r is None or r[0] != epoch:
                    self.readers[b] = (epoch, {tid})
                else:
                    r[1].add(tid)


class RaceError(RuntimeError):
    pass


class SharedView:
    """A typed row-major view of shared memory (memref.view), as seen by
    thread `tid` (for the race check)."""

    def __init__(self, smem, byte_shift, shape, elem, tid=None):
        self.shape = list(shape)
        self.elem = elem
        self.esize = element_bytes(elem)
        n = 1
        for s in shape:
            n *= s
        if byte_shift < 0 or byte_shift + n * self.esize > smem.nbytes:
            raise IndexError(f'memref.view of {shape}x{elem} at byte {byte_shift} '
                             f'exceeds the {smem.nbytes} bytes of dynamic shared memory')
        self.strides, acc = [], 1
        for s in reversed(self.shape):
            self.strides.insert(0, acc)
            acc *= s
        self.smem = smem
        self.tid = tid
        self.mem = smem.mem
        self.base = byte_shift
        self.name = f'shared[{byte_shift}:{shape}x{elem}]'

    def linear(self, idx):
        lin = 0
        for i, s, st in zip(idx, self.shape, self.strides):
            if not 0 <= i < s:
                raise IndexError(f'{self.name}: index {tuple(idx)} out of bounds of {self.shape}')
            lin += i * st
        return self.base + lin * self.esize

    def _get(self, addr):
        e = self.elem
        if e == 'f32':
            return _F32.unpack_from(self.mem, addr)[0]
        if e == 'f16':
            return _F16.unpack_from(self.mem, addr)[0]
        if e == 'bf16':
            return bf16_from_bits(_U16.unpack_from(self.mem, addr)[0])
        raise NotImplementedError(f'shared {e}')

    def load(self, idx):
        addr = self.linear(idx)
        self.smem.check(addr, self.esize, self.tid, False)
        return self._get(addr)

    def store(self, v, idx):
        addr = self.linear(idx)
        self.smem.check(addr, self.esize, self.tid, True)
        e = self.elem
        if e == 'f32':
            _U32.pack_into(self.mem, addr, to_bits('f32', v))
        elif e in ('f16', 'bf16'):
            _U16.pack_into(self.mem, addr, to_bits(e, v))
        else:
            raise NotImplementedError(f'shared {e}')

    def vload(self, idx, n):
        last = list(idx)
        last[-1] += n - 1
        self.linear(last)
        addr = self.linear(idx)
        self.smem.check(addr, n * self.esize, self.tid, False)
        return tuple(self._get(addr + k * self.esize) for k in range(n))

    def dim(self, d):
        return self.shape[d]


def bitcast_vector(values, src_elem, dst_elem, dst_n):
    """vector.bitcast: reinterpret the little-endian concatenation."""
    sb = element_bytes(src_elem) * 8
    word = 0
    for k, v in enumerate(values):
        word |= to_bits(src_elem, v) << (k * sb)
    db = (len(values) * sb) // dst_n
    return tuple(from_bits(dst_elem, (word >> (k * db)) & ((1 << db) - 1))
                 for k in range(dst_n))
