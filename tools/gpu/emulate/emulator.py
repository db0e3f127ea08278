#!/usr/bin/env python3
"""A SIMT emulator for MLIR GPU kernels in generic form, on the CPU.

The module text (printed with -mlir-print-op-generic) is parsed and every
function -- host `func.func` and device `gpu.func` -- is translated into
Python source: SSA values become locals, scf.for/scf.if become loops and
branches. A device function becomes a generator per thread that yields at
every synchronization point:

  gpu.barrier                 the whole block meets
  gpu.shuffle xor,            the 32 lanes of a warp meet and exchange values
  nvvm.shfl.sync bfly
  nvvm.mma.sync m16n8k16      the 32 lanes of a warp meet; the 16x8x16 product
                              is formed from the lanes' fragments (PTX ISA
                              9.7.14.5.8) with f32 accumulation

A scheduler runs the threads of one block to their next sync point and
resumes them when their whole warp / block is there; divergence (lanes of a
warp at different collectives, a barrier some threads never reach) raises.

Memory: global buffers are `Buffer`s (shape, strides, offset over a flat
list), every access is bounds-checked per dimension (IndexError). Dynamic
shared memory is a bytearray filled with 0xFF (NaN in every float type, so a
read of never-written shared memory shows up as NaN) and `memref.view`s of it
are checked to lie inside the launch's dynamic_shared_memory_size.

Arithmetic: f32/f16/bf16 results are rounded to their type after every op;
math functions are evaluated in double and rounded. Integers are Python
ints; non-index integer results wrap to their width.

Nothing here knows about attnc: it is a generic interpreter of the ops listed
in `Translator.EMITTERS` (plus the structured ops), enough for the attnc
kernels; an unknown op raises NotImplementedError at translation time.

The numbers and memory live in values.py, the MLIR text reader in
mlir_text.py; this file translates the functions and runs them.
"""
import math
import re

from mlir_text import Module
from values import (FLOAT_TYPES, MATH, NAN, ROUND, Buffer, SharedMemory,
                    SharedView, bitcast_vector, fdiv, fmax, fmin, from_bits,
                    int_bits, to_bf16, to_f16, to_f32, to_f64, unsigned, wrap)


# ----------------------------------------------------------------- translation


def attr(op, key):
    m = re.search(r'\b' + key + r' = ([^,}>]+(?:<[^>]*>)?)', op.attrs)
    return m.group(1).strip() if m else None


def dense_array(op, key):
    m = re.search(key + r' = array<i\d+(?:: ([^>]*))?>', op.attrs)
    if not m:
        return None
    return [int(x) for x in m.group(1).split(',')] if m.group(1) else []


def shape_of(t):
    """'memref<2x?x4xf16, ...>' -> ([2, None, 4], 'f16')."""
    m = re.match(r'(?:memref|tensor|vector)<([^,>]*)', t)
    parts = m.group(1).split('x')
    elem = parts[-1].strip()
    dims = [None if p == '?' else int(p) for p in parts[:-1]]
    return dims, elem


def constant_value(op):
    # `value = 3 : i32`; a bool prints bare (`value = true`), typed by the result.
    m = re.search(r'value = (.*?)(?: : (\w+))?\}>', op.attrs)
    raw, t = m.group(1).strip(), m.group(2) or op.types[0]
    if raw == 'true':
        return 1
    if raw == 'false':
        return 0
    if t in FLOAT_TYPES:
        if raw.startswith('0x'):
            return from_bits(t, int(raw, 16))
        return ROUND[t](float(raw))
    return wrap(int(raw), int_bits(t))


CMPI = {0: '{a} == {b}', 1: '{a} != {b}', 2: '{a} < {b}', 3: '{a} <= {b}',
        4: '{a} > {b}', 5: '{a} >= {b}'}
CMPF_ORDERED = {1: '==', 2: '>', 3: '>=', 4: '<', 5: '<=', 6: '!='}


class Translator:
    """Emits the Python source of one function."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.lines = []
        self.consts = []
        self.temp = 0
        self.sync_ids = 0

    # -- helpers
    @staticmethod
    def v(name):
        return 'v_' + name[1:].replace('#', '_')

    def const(self, value):
        self.consts.append(value)
        return f'_K[{len(self.consts) - 1}]'

    def fresh(self):
        self.temp += 1
        return f'_t{self.temp}'

    def emit(self, ind, text):
        self.lines.append('    ' * ind + text)

    def block(self, blk, ind, args=()):
        for name, val in zip(blk.args, args):
            self.emit(ind, f'{self.v(name)} = {val}')
        wrote = False
        for op in blk.ops:
            self.op(op, ind)
            wrote = True
        if not wrote:
            self.emit(ind, 'pass')

    def yields(self, blk):
        last = blk.ops[-1] if blk.ops else None
        if last is not None and last.name == 'scf.yield':
            return [self.v(o) for o in last.operands]
        return []

    # -- ops
    def op(self, op, ind):
        n = op.name
        a = [self.v(o) for o in op.operands]
        r = [self.v(x) for x in op.results]
        t = op.types[0] if op.types else None
        E = lambda s: self.emit(ind, s)
        if n == 'scf.yield':
            return  # handled by the parent
        if n in ('func.return', 'gpu.return'):
            E(f'return ({", ".join(a)}{"," if a else ""})' if n == 'func.return' else 'return')
            return
        if n == 'scf.for':
            carried = [self.fresh() for _ in op.operands[3:]]
            iv = self.fresh()
            E(f'{iv} = {a[0]}')
            for c, init in zip(carried, a[3:]):
                E(f'{c} = {init}')
            E(f'while {iv} < {a[1]}:')
            body = op.regions[0]
            self.block(body, ind + 1, [iv] + carried)
            ys = self.yields(body)
            if carried:
                self.emit(ind + 1, f'{", ".join(carried)}, = {", ".join(ys)},')
            self.emit(ind + 1, f'{iv} += {a[2]}')
            for res, c in zip(r, carried):
                E(f'{res} = {c}')
            return
        if n == 'scf.if':
            E(f'if {a[0]}:')
            self.block(op.regions[0], ind + 1)
            ys = self.yields(op.regions[0])
            for res, y in zip(r, ys):
                self.emit(ind + 1, f'{res} = {y}')
            if len(op.regions) > 1 and op.regions[1].ops:
                E('else:')
                self.block(op.regions[1], ind + 1)
                for res, y in zip(r, self.yields(op.regions[1])):
                    self.emit(ind + 1, f'{res} = {y}')
            return
        if n == 'arith.constant':
            E(f'{r[0]} = {self.const(constant_value(op))}')
            return
        emitter = Translator.EMITTERS.get(n)
        if emitter is None:
            raise NotImplementedError(f'op {n}: {op.line[:160]}')
        emitter(self, op, a, r, t, E)

    # Integer arithmetic.
    def _int_binary(self, op, a, r, t, E):
        sym = {'arith.addi': '+', 'arith.subi': '-', 'arith.muli': '*',
               'arith.andi': '&', 'arith.ori': '|', 'arith.xori': '^'}[op.name]
        expr = f'{a[0]} {sym} {a[1]}'
        if t == 'index' and sym in '&|':
            E(f'{r[0]} = {expr}')
        else:
            E(f'{r[0]} = _wrap({expr}, {int_bits(t)})')

    def _int_unsigned(self, op, a, r, t, E):
        bits = int_bits(t)
        f = {'arith.divui': '_u({x}) // _u({y})', 'arith.remui': '_u({x}) % _u({y})',
             'arith.ceildivui': '-(-_u({x}) // _u({y}))',
             'arith.maxui': 'max(_u({x}), _u({y}))', 'arith.minui': 'min(_u({x}), _u({y}))'}[op.name]
        expr = f.format(x=a[0], y=a[1]).replace('_u(', f'_un({bits}, ')
        E(f'{r[0]} = _wrap({expr}, {bits})')

    def _int_signed(self, op, a, r, t, E):
        f = {'arith.maxsi': 'max({x}, {y})', 'arith.minsi': 'min({x}, {y})',
             'arith.divsi': '_divsi({x}, {y})', 'arith.remsi': '_remsi({x}, {y})',
             'arith.ceildivsi': '-_floordiv(-{x}, {y})',
             'arith.floordivsi': '_floordiv({x}, {y})'}[op.name]
        E(f'{r[0]} = {f.format(x=a[0], y=a[1])}')

    def _cmpi(self, op, a, r, t, E):
        pred = int(attr(op, 'predicate').split()[0])
        if pred <= 5:
            E(f'{r[0]} = 1 if {CMPI[pred].format(a=a[0], b=a[1])} else 0')
        else:
            bits = int_bits(op.operand_types[0])
            sym = {6: '<', 7: '<=', 8: '>', 9: '>='}[pred]
            E(f'{r[0]} = 1 if _un({bits}, {a[0]}) {sym} _un({bits}, {a[1]}) else 0')

    def _cmpf(self, op, a, r, t, E):
        pred = int(attr(op, 'predicate').split()[0])
        x, y = a
        if pred == 0:
            E(f'{r[0]} = 0')
        elif pred == 15:
            E(f'{r[0]} = 1')
        elif pred == 7:
            E(f'{r[0]} = 1 if ({x} == {x} and {y} == {y}) else 0')
        elif pred == 14:
            E(f'{r[0]} = 1 if ({x} != {x} or {y} != {y}) else 0')
        elif pred <= 6:
            E(f'{r[0]} = 1 if {x} {CMPF_ORDERED[pred]} {y} and {x} == {x} and {y} == {y} else 0')
        else:
            E(f'{r[0]} = 1 if ({x} != {x} or {y} != {y} or {x} {CMPF_ORDERED[pred - 7]} {y}) else 0')

    def _select(self, op, a, r, t, E):
        E(f'{r[0]} = {a[1]} if {a[0]} else {a[2]}')

    def _int_cast(self, op, a, r, t, E):
        src = int_bits(op.operand_types[0])
        dst = int_bits(t)
        if op.name in ('arith.index_castui', 'arith.extui'):
            E(f'{r[0]} = _wrap(_un({src}, {a[0]}), {dst})')
        else:
            E(f'{r[0]} = _wrap({a[0]}, {dst})')

    def _int_to_float(self, op, a, r, t, E):
        if op.name == 'arith.uitofp':
            E(f'{r[0]} = _R_{t}(float(_un({int_bits(op.operand_types[0])}, {a[0]})))')
        else:
            E(f'{r[0]} = _R_{t}(float({a[0]}))')

    def _float_to_int(self, op, a, r, t, E):
        E(f'{r[0]} = _wrap(int({a[0]}), {int_bits(t)})')

    def _float_cast(self, op, a, r, t, E):
        E(f'{r[0]} = _R_{t}({a[0]})')

    def _float_binary(self, op, a, r, t, E):
        x, y = a
        expr = {'arith.addf': f'{x} + {y}', 'arith.subf': f'{x} - {y}',
                'arith.mulf': f'{x} * {y}', 'arith.divf': f'_fdiv({x}, {y})',
                'arith.maximumf': f'_fmax({x}, {y})', 'arith.minimumf': f'_fmin({x}, {y})',
                'arith.maxnumf': f'max({x}, {y})', 'arith.minnumf': f'min({x}, {y})',
                'math.powf': f'_pow({x}, {y})'}[op.name]
        E(f'{r[0]} = _R_{t}({expr})')

    def _negf(self, op, a, r, t, E):
        E(f'{r[0]} = -{a[0]}')

    def _fma(self, op, a, r, t, E):
        E(f'{r[0]} = _R_{t}({a[0]} * {a[1]} + {a[2]})')

    def _math_unary(self, op, a, r, t, E):
        E(f'{r[0]} = _R_{t}(_MATH["{op.name}"]({a[0]}))')

    # Memory.
    def _load(self, op, a, r, t, E):
        E(f'{r[0]} = {a[0]}.load(({", ".join(a[1:])},))')

    def _store(self, op, a, r, t, E):
        E(f'{a[1]}.store({a[0]}, ({", ".join(a[2:])},))')

    def _dim(self, op, a, r, t, E):
        E(f'{r[0]} = {a[0]}.dim({a[1]})')

    def _identity(self, op, a, r, t, E):
        E(f'{r[0]} = {a[0]}')

    def _view(self, op, a, r, t, E):
        dims, elem = shape_of(t)
        if None in dims or len(a) != 2:
            raise NotImplementedError('memref.view with dynamic sizes')
        E(f'{r[0]} = _SharedView({a[0]}, {a[1]}, {dims!r}, "{elem}", _tid)')

    def _vector_load(self, op, a, r, t, E):
        dims, _ = shape_of(t)
        E(f'{r[0]} = {a[0]}.vload(({", ".join(a[1:])},), {dims[0]})')

    def _from_elements(self, op, a, r, t, E):
        E(f'{r[0]} = ({", ".join(a)},)')

    def _bitcast(self, op, a, r, t, E):
        _, src = shape_of(op.operand_types[0])
        dims, dst = shape_of(t)
        E(f'{r[0]} = _bitcast_vector({a[0]}, "{src}", "{dst}", {dims[0]})')

    def _extract(self, op, a, r, t, E):
        pos = dense_array(op, 'static_position')
        if len(pos) != 1 or len(a) != 1:
            raise NotImplementedError('vector.extract beyond one static position')
        E(f'{r[0]} = {a[0]}[{pos[0]}]')

    def _extractvalue(self, op, a, r, t, E):
        pos = dense_array(op, 'position')
        E(f'{r[0]} = {a[0]}[{pos[0]}]')

    # Threads.
    def _thread_id(self, op, a, r, t, E):
        d = attr(op, 'dimension')
        E(f'{r[0]} = _tid[{"xyz".index(d.strip("<>")[-1])}]')

    def _block_id(self, op, a, r, t, E):
        d = attr(op, 'dimension')
        E(f'{r[0]} = _bid[{"xyz".index(d.strip("<>")[-1])}]')

    def _block_dim(self, op, a, r, t, E):
        d = attr(op, 'dimension')
        E(f'{r[0]} = _bdim[{"xyz".index(d.strip("<>")[-1])}]')

    def _grid_dim(self, op, a, r, t, E):
        d = attr(op, 'dimension')
        E(f'{r[0]} = _gdim[{"xyz".index(d.strip("<>")[-1])}]')

    def _shared(self, op, a, r, t, E):
        E(f'{r[0]} = _ctx.smem')

    def _sync_id(self):
        self.sync_ids += 1
        return self.sync_ids

    def _barrier(self, op, a, r, t, E):
        E(f'yield ("bar", {self._sync_id()})')

    def _gpu_shuffle(self, op, a, r, t, E):
        mode = attr(op, 'mode')
        if 'xor' not in mode:
            raise NotImplementedError(f'gpu.shuffle {mode}')
        E(f'{r[0]} = yield ("shfl", {self._sync_id()}, {a[0]}, {a[1]}, {a[2]}, -1)')
        E(f'{r[1]} = 1')

    def _shfl_sync(self, op, a, r, t, E):
        kind = attr(op, 'kind')
        if 'bfly' not in kind:
            raise NotImplementedError(f'nvvm.shfl.sync {kind}')
        if 'return_value_and_is_valid' in op.attrs:
            raise NotImplementedError('shfl.sync with a validity result')
        # operands: thread mask, value, lane offset, clamp/segment mask
        E(f'{r[0]} = yield ("shfl", {self._sync_id()}, {a[1]}, {a[2]}, 32, {a[0]}, {a[3]})')

    def _mma(self, op, a, r, t, E):
        shape = re.search(r'm = (\d+), n = (\d+), k = (\d+)', op.attrs).groups()
        seg = dense_array(op, 'operandSegmentSizes')
        la = re.search(r'layoutA = #nvvm.mma_layout<(\w+)>', op.attrs).group(1)
        lb = re.search(r'layoutB = #nvvm.mma_layout<(\w+)>', op.attrs).group(1)
        ta = re.search(r'multiplicandAPtxType = #nvvm.mma_type<(\w+)>', op.attrs).group(1)
        tb = re.search(r'multiplicandBPtxType = #nvvm.mma_type<(\w+)>', op.attrs).group(1)
        spec = (tuple(int(s) for s in shape), la, lb, ta, tb, tuple(seg),
                tuple(op.operand_types), t)
        A = a[:seg[0]]
        B = a[seg[0]:seg[0] + seg[1]]
        C = a[seg[0] + seg[1]:]
        E(f'{r[0]} = yield ("mma", {self._sync_id()}, {self.const(spec)}, '
          f'({", ".join(A)},), ({", ".join(B)},), ({", ".join(C)},))')

    def _assert(self, op, a, r, t, E):
        msg = re.search(r'msg = "((?:[^"\\]|\\.)*)"', op.attrs).group(1)
        E(f'if not {a[0]}: _ctx.fail({msg!r})')

    # Host.
    def _addressof(self, op, a, r, t, E):
        name = re.search(r'global_name = @([\w.$]+)', op.attrs).group(1)
        E(f'{r[0]} = _ctx.globals[{name!r}]')

    def _null(self, op, a, r, t, E):
        E(f'{r[0]} = None')

    def _llvm_call(self, op, a, r, t, E):
        """The C library calls of host-side checks: printf, fflush, abort."""
        callee = re.search(r'callee = @([\w.$]+)', op.attrs).group(1)
        if callee == 'printf':
            call = f'_ctx.printf({a[0]}, ({", ".join(a[1:])}{"," if len(a) > 1 else ""}))'
        elif callee == 'fflush':
            call = '0'
        elif callee == 'abort':
            call = '_ctx.abort()'
        else:
            raise NotImplementedError(f'llvm.call @{callee}')
        E(f'{r[0]} = {call}' if r else call)

    def _empty(self, op, a, r, t, E):
        dims, elem = shape_of(t)
        it = iter(a)
        sizes = [str(d) if d is not None else next(it) for d in dims]
        E(f'{r[0]} = _Buffer([{", ".join(sizes)}], "{elem}", name="{op.results[0]}")')

    def _launch(self, op, a, r, t, E):
        seg = dense_array(op, 'operandSegmentSizes')
        kernel = re.search(r'kernel = @[\w]+::@(\w+)', op.attrs).group(1)
        vals, k = [], 0
        for size in seg:
            vals.append(a[k:k + size])
            k += size
        grid = vals[1] + vals[2] + vals[3]
        block = vals[4] + vals[5] + vals[6]
        smem = vals[10][0] if vals[10] else '0'
        E(f'_ctx.launch("{kernel}", ({", ".join(grid)}), ({", ".join(block)}), {smem}, '
          f'[{", ".join(vals[11])}])')


    def function(self, fop, name):
        body = fop.regions[0]
        params = ', '.join(self.v(x) for x in body.args)
        if self.kernel:
            self.emit(0, f'def {name}(_ctx, _tid, _bid, _bdim, _gdim, {params}):')
        else:
            self.emit(0, f'def {name}(_ctx, {params}):')
        for op in body.ops:
            self.op(op, 1)
        if self.kernel:
            self.emit(1, 'return')
            self.emit(1, 'yield')  # always a generator
        return '\n'.join(self.lines)


_T = Translator
Translator.EMITTERS = {
    **{k: _T._int_binary for k in ('arith.addi', 'arith.subi', 'arith.muli',
                                'arith.andi', 'arith.ori', 'arith.xori')},
    **{k: _T._int_unsigned for k in ('arith.divui', 'arith.remui', 'arith.ceildivui',
                                  'arith.maxui', 'arith.minui')},
    **{k: _T._int_signed for k in ('arith.maxsi', 'arith.minsi', 'arith.divsi',
                                'arith.remsi', 'arith.ceildivsi', 'arith.floordivsi')},
    'arith.cmpi': _T._cmpi, 'arith.cmpf': _T._cmpf, 'arith.select': _T._select,
    **{k: _T._int_cast for k in ('arith.index_cast', 'arith.index_castui', 'arith.extsi',
                              'arith.extui', 'arith.trunci')},
    'arith.sitofp': _T._int_to_float, 'arith.uitofp': _T._int_to_float,
    'arith.fptosi': _T._float_to_int,
    'arith.extf': _T._float_cast, 'arith.truncf': _T._float_cast,
    **{k: _T._float_binary for k in ('arith.addf', 'arith.subf', 'arith.mulf', 'arith.divf',
                                  'arith.maximumf', 'arith.minimumf', 'arith.maxnumf',
                                  'arith.minnumf', 'math.powf')},
    'arith.negf': _T._negf, 'math.fma': _T._fma,
    **{k: _T._math_unary for k in MATH},
    'memref.load': _T._load, 'memref.store': _T._store, 'memref.dim': _T._dim,
    'tensor.dim': _T._dim, 'memref.cast': _T._identity, 'memref.view': _T._view,
    'bufferization.to_buffer': _T._identity, 'bufferization.to_tensor': _T._identity,
    'tensor.empty': _T._empty, 'bufferization.alloc_tensor': _T._empty, 'gpu.launch_func': _T._launch,
    'vector.load': _T._vector_load, 'vector.from_elements': _T._from_elements,
    'vector.bitcast': _T._bitcast, 'vector.extract': _T._extract,
    'llvm.extractvalue': _T._extractvalue,
    'gpu.thread_id': _T._thread_id, 'gpu.block_id': _T._block_id,
    'gpu.block_dim': _T._block_dim, 'gpu.grid_dim': _T._grid_dim,
    'gpu.dynamic_shared_memory': _T._shared, 'gpu.barrier': _T._barrier,
    'gpu.shuffle': _T._gpu_shuffle, 'nvvm.shfl.sync': _T._shfl_sync,
    'nvvm.mma.sync': _T._mma, 'cf.assert': _T._assert,
    'llvm.mlir.addressof': _T._addressof, 'llvm.mlir.zero': _T._null,
    'llvm.call': _T._llvm_call,
}


def _floordiv(x, y):
    return x // y


def _divsi(x, y):
    q = abs(x) // abs(y)
    return q if (x >= 0) == (y >= 0) else -q


def _remsi(x, y):
    return x - _divsi(x, y) * y


def _pow(x, y):
    try:
        return math.pow(x, y)
    except (OverflowError, ValueError):
        return NAN


RUNTIME = {
    '_wrap': wrap, '_un': lambda bits, x: x & ((1 << bits) - 1),
    '_divsi': _divsi, '_remsi': _remsi, '_floordiv': _floordiv, '_pow': _pow,
    '_fdiv': fdiv, '_fmax': fmax, '_fmin': fmin, '_MATH': MATH,
    '_R_f32': to_f32, '_R_f16': to_f16, '_R_bf16': to_bf16, '_R_f64': to_f64,
    '_SharedView': SharedView, '_bitcast_vector': bitcast_vector, '_Buffer': Buffer,
}


def compile_function(fop, name, kernel):
    tr = Translator(kernel)
    src = tr.function(fop, 'fn')
    scope = dict(RUNTIME)
    scope['_K'] = tr.consts
    try:
        exec(compile(src, f'<{name}>', 'exec'), scope)
    except SyntaxError:
        print(src)
        raise
    return scope['fn'], src

# ----------------------------------------------------------------- warp ops


def mma_lane_layout(lane):
    """Element coordinates of one lane's fragments for mma.m16n8k16 with
    f16/bf16 multiplicands and f32 accumulators, from the PTX ISA
    ("Matrix Fragments for mma.m16n8k16 with floating point type"):

      groupID = laneid >> 2, threadID_in_group = laneid % 4
      A (16x16, row major), a0..a7 (two per .f16x2 register, low half first):
        row = groupID      for ai where 0 <= i < 2 || 4 <= i < 6
              groupID + 8  otherwise
        col = threadID_in_group * 2 + (i & 1)      for i < 4
              threadID_in_group * 2 + (i & 1) + 8  for i >= 4
      B (16x8, column major), b0..b3:
        row = threadID_in_group * 2 + (i & 1)      for i < 2
              threadID_in_group * 2 + (i & 1) + 8  for i >= 2
        col = groupID
      C/D (16x8), c0..c3:
        row = groupID for i < 2, groupID + 8 otherwise
        col = threadID_in_group * 2 + (i & 1)
    Returns (a_coords[8], b_coords[4], c_coords[4]) as (row, col).
    """
    g, t = lane >> 2, lane % 4
    a = [(g if (i < 2 or 4 <= i < 6) else g + 8, t * 2 + (i & 1) + (8 if i >= 4 else 0))
         for i in range(8)]
    b = [(t * 2 + (i & 1) + (8 if i >= 2 else 0), g) for i in range(4)]
    c = [(g if i < 2 else g + 8, t * 2 + (i & 1)) for i in range(4)]
    return a, b, c


_LAYOUT = [mma_lane_layout(lane) for lane in range(32)]


def _unpack_pairs(regs, ptx_type, operand_type):
    """Two multiplicand elements per 32-bit register, low half first."""
    out = []
    for reg, ty in zip(regs, operand_type):
        if ty.startswith('vector<2x'):
            out.extend(reg)
        elif ty == 'i32':
            bits = unsigned(reg, 32)
            elem = 'bf16' if ptx_type == 'bf16' else 'f16'
            out += [from_bits(elem, bits & 0xFFFF), from_bits(elem, bits >> 16)]
        else:
            raise NotImplementedError(f'mma operand {ty}')
    return out


def execute_mma(spec, lanes):
    """One warp-wide mma.sync; lanes: 32 (A regs, B regs, C values)."""
    shape, la, lb, ta, tb, seg, operand_types, result_type = spec
    if shape != (16, 8, 16) or la != 'row' or lb != 'col':
        raise NotImplementedError(f'mma {shape} {la}/{lb}')
    if ta not in ('f16', 'bf16') or ta != tb:
        raise NotImplementedError(f'mma types {ta}/{tb}')
    if 'f32, f32, f32, f32' not in result_type:
        raise NotImplementedError(f'mma result {result_type}')
    A = [[None] * 16 for _ in range(16)]
    B = [[None] * 8 for _ in range(16)]
    C = [[None] * 8 for _ in range(16)]
    a_types = operand_types[:seg[0]]
    b_types = operand_types[seg[0]:seg[0] + seg[1]]
    for lane, (ar, br, cr) in enumerate(lanes):
        ac, bc, cc = _LAYOUT[lane]
        for (row, col), v in zip(ac, _unpack_pairs(ar, ta, a_types)):
            assert A[row][col] is None
            A[row][col] = v
        for (row, col), v in zip(bc, _unpack_pairs(br, tb, b_types)):
            assert B[row][col] is None
            B[row][col] = v
        for (row, col), v in zip(cc, cr):
            assert C[row][col] is None
            C[row][col] = v
    # Products of 16-bit floats are exact in double; sum in double, round
    # once to f32 (the hardware's internal order and width are unspecified).
    D = [[to_f32(math.fsum([C[i][j]] + [A[i][k] * B[k][j] for k in range(16)]))
          for j in range(8)] for i in range(16)]
    return [tuple(D[row][col] for row, col in _LAYOUT[lane][2]) for lane in range(32)]


def execute_shuffle(events):
    """One warp-wide xor shuffle; events[lane] = (kind, id, value, offset,
    width, mask, clamp)."""
    out = []
    for lane, ev in enumerate(events):
        _, _, value, offset, width, mask, *clamp = ev
        if unsigned(mask, 32) != 0xFFFFFFFF:
            raise NotImplementedError('shfl.sync with a partial thread mask')
        if clamp and clamp[0] != 31:
            raise NotImplementedError('shfl.sync clamp != 31')
        src = lane ^ offset
        if width != 32 or src >= 32:
            raise NotImplementedError('shuffle width/offset')
        out.append(events[src][2])
    return out

# ----------------------------------------------------------------- runtime


class EmulationError(RuntimeError):
    pass


class HostAbort(EmulationError):
    """A host function called abort(); the message is what it printed."""


class Device:
    """Runs kernels of a Module: host functions call `launch` through
    gpu.launch_func; failed cf.asserts are collected in `asserts`."""

    def __init__(self, text):
        self.module = Module(text)
        self.compiled = {}
        self.asserts = []
        self.launches = []
        self.globals = self.module.globals
        self.stdout = []    # what host printf calls printed

    def function(self, name, kernel):
        if name not in self.compiled:
            table = self.module.kernels if kernel else self.module.funcs
            self.compiled[name] = compile_function(table[name], name, kernel)[0]
        return self.compiled[name]

    def fail(self, msg):
        self.asserts.append(msg)

    def printf(self, fmt, args):
        """C printf of a host function (%d/%lld/%ld/%s/%f conversions)."""
        self.stdout.append(re.sub(r'%(-?\d*)(?:ll|l|z)?([dius])', r'%\1\2', fmt) % args)
        return 0

    def abort(self):
        raise HostAbort(''.join(self.stdout).strip() or 'abort()')

    def call(self, name, *args):
        """Runs host function `name` (its gpu.launch_funcs run the kernels)."""
        return self.function(name, False)(self, *args)

    def launch(self, kernel, grid, block, smem_bytes, args):
        self.launches.append((kernel, tuple(grid), tuple(block), smem_bytes))
        fn = self.function(kernel, True)
        nthreads = block[0] * block[1] * block[2]
        for bz in range(grid[2]):
            for by in range(grid[1]):
                for bx in range(grid[0]):
                    self._run_block(fn, (bx, by, bz), tuple(grid), tuple(block),
                                    nthreads, smem_bytes, args, kernel)

    def _run_block(self, fn, bid, grid, block, nthreads, smem_bytes, args, kernel):
        ctx = _BlockContext(self, SharedMemory(smem_bytes))
        gens = []
        for t in range(nthreads):
            tid = (t % block[0], (t // block[0]) % block[1], t // (block[0] * block[1]))
            gens.append(fn(ctx, tid, bid, block, grid, *args))
        state = [None] * nthreads   # the event a thread waits at, or DONE
        DONE = ('done',)

        def resume(t, value):
            try:
                state[t] = gens[t].send(value)
            except StopIteration:
                state[t] = DONE

        for t in range(nthreads):
            resume(t, None)
        nwarps = (nthreads + 31) // 32
        where = f'{kernel} block {bid}'
        while True:
            progress = True
            while progress:
                progress = False
                for w in range(nwarps):
                    lanes = range(32 * w, min(32 * w + 32, nthreads))
                    while True:
                        evs = [state[t] for t in lanes]
                        kinds = {e[0] for e in evs}
                        if not kinds & {'shfl', 'mma'}:
                            break
                        ids = {e[1] for e in evs}
                        if len(kinds) != 1 or len(ids) != 1 or len(evs) != 32:
                            raise EmulationError(
                                f'{where}: warp {w} diverges at a warp collective '
                                f'({sorted(kinds)}, ops {sorted(i for i in ids if i)})')
                        if 'mma' in kinds:
                            res = execute_mma(evs[0][2], [e[3:] for e in evs])
                        else:
                            res = execute_shuffle(evs)
                        for t, v in zip(lanes, res):
                            resume(t, v)
                        progress = True
            kinds = {s[0] for s in state}
            if kinds == {'done'}:
                return
            if kinds == {'bar'}:
                ids = {s[1] for s in state}
                if len(ids) != 1:
                    raise EmulationError(f'{where}: threads wait at different barriers {sorted(ids)}')
                ctx.smem.epoch += 1
                for t in range(nthreads):
                    resume(t, None)
                continue
            raise EmulationError(f'{where}: some threads exited while others wait '
                                 f'at a barrier ({sorted(kinds)})')


class _BlockContext:
    def __init__(self, device, smem):
        self.device = device
        self.smem = smem

    def fail(self, msg):
        self.device.fail(msg)
