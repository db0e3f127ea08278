"""The MLIR text reader of the SIMT emulator (emulator.py).

Parses a module printed with -mlir-print-op-generic into `Module`s of
`Block`s of `Op`s (name, operands, results, attributes, regions), enough for
the ops emulator.py translates.
"""
import re

# ----------------------------------------------------------------- parsing


class Op:
    __slots__ = ('results', 'name', 'operands', 'attrs', 'regions', 'types',
                 'operand_types', 'line')


class Block:
    def __init__(self, args, arg_types):
        self.args = args
        self.arg_types = arg_types
        self.ops = []


def split_top(s, sep=','):
    """Splits s at top-level separators (outside <>, (), [], {})."""
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in '<([{':
            depth += 1
        elif ch in '>)]}':
            depth -= 1
        if ch == sep and depth == 0:
            out.append(''.join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if ''.join(cur).strip():
        out.append(''.join(cur).strip())
    return out


def parse_signature(text):
    """'(a, b) -> (c)' or '(a) -> c' at the end of a line -> ([a, b], [c])."""
    i = text.rfind(' : (')
    sig = text[i + 3:]
    depth = 0
    for j, ch in enumerate(sig):
        if ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
            if depth == 0:
                break
    ins = split_top(sig[1:j])
    res = sig[j + 1:].strip()
    assert res.startswith('->'), text
    res = res[2:].strip()
    res = split_top(res[1:-1]) if res.startswith('(') else [res]
    return ins, res


OP_RE = re.compile(r'^(?:(%[\w#:, %]+?) = )?"([\w.]+)"\(([^)]*)\)(.*)$')


def parse_results(s):
    if not s:
        return []
    out = []
    for part in s.split(','):
        m = re.fullmatch(r'(%\w+)(?::(\d+))?', part.strip())
        if m.group(2):
            out += [f'{m.group(1)}#{k}' for k in range(int(m.group(2)))]
        else:
            out.append(m.group(1))
    return out


def parse_block_header(line):
    inner = line[line.index('(') + 1:line.rindex(')')]
    args, types = [], []
    for a in split_top(inner):
        name, _, ty = a.partition(':')
        args.append(name.strip())
        types.append(ty.strip())
    return args, types


def parse_ops(lines, i, block):
    """Parses ops into `block` until a region end; returns the line index."""
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        if line.startswith('}') or line.startswith('^bb'):
            return i
        m = OP_RE.match(line)
        if not m:
            raise ValueError(f'cannot parse: {line[:200]}')
        op = Op()
        op.line = line
        op.results = parse_results(m.group(1))
        op.name = m.group(2)
        op.operands = [o.strip() for o in m.group(3).split(',') if o.strip()]
        op.attrs = m.group(4)
        op.regions = []
        i += 1
        if op.attrs.endswith('({'):
            while True:
                args, types = [], []
                if lines[i].strip().startswith('^bb'):
                    args, types = parse_block_header(lines[i].strip())
                    i += 1
                blk = Block(args, types)
                i = parse_ops(lines, i, blk)
                op.regions.append(blk)
                end = lines[i].strip()
                i += 1
                if end.startswith('}, {'):
                    continue
                assert end.startswith('})'), end
                op.attrs = op.attrs + ' ' + end
                break
        op.operand_types, op.types = parse_signature(op.line if not op.regions else op.attrs)
        block.ops.append(op)
    return i


class Module:
    """The functions of a generic-form module: {name: (op, body Block)}."""

    def __init__(self, text):
        self.funcs = {}
        self.kernels = {}
        self.globals = {}   # llvm.mlir.global string constants: {name: str}
        top = Block([], [])
        parse_ops(text.split('\n'), 0, top)
        self._collect(top)

    def _collect(self, block):
        for op in block.ops:
            if op.name in ('func.func', 'gpu.func'):
                name = re.search(r'sym_name = "([\w.$]+)"', op.attrs).group(1)
                (self.kernels if op.name == 'gpu.func' else self.funcs)[name] = op
            elif op.name == 'llvm.mlir.global':
                m = re.search(r'sym_name = "([\w.$]+)", value = "((?:[^"\\]|\\.)*)"', op.attrs)
                if m:
                    self.globals[m.group(1)] = mlir_string(m.group(2))
            for r in op.regions:
                self._collect(r)

def mlir_string(s):
    """The text of an MLIR string literal's body (escapes: two hex digits,
    or a backslash before any other character), up to a NUL."""
    out = re.sub(r'\\([0-9A-Fa-f]{2}|.)',
                 lambda m: chr(int(m.group(1), 16)) if len(m.group(1)) == 2 else m.group(1), s)
    return out.split('\0', 1)[0]
