#!/usr/bin/env python3
"""Calls a library compiled by attnc from Python with ctypes and numpy.

    attnc compile examples/attention.mlir --target=cpu -o libattention.so
    python3 examples/python/attention_ctypes.py ./libattention.so

It reads the function's signature from the library, builds memref
descriptors over numpy arrays, calls @attention_causal through its C
interface (_mlir_ciface_attention_causal), checks the result against numpy
and frees it. docs/abi.md describes the ABI; runtime/include/attnc/attnc_abi.h
declares it for C.
"""

import ctypes
import re
import sys

import numpy as np


def memref_type(rank):
    """MLIR's StridedMemRefType<T, rank> (attnc_memref_<rank>d in C)."""
    fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
              ("offset", ctypes.c_int64)]
    if rank > 0:
        fields += [("sizes", ctypes.c_int64 * rank),
                   ("strides", ctypes.c_int64 * rank)]
    return type("Memref%dD" % rank, (ctypes.Structure,), {"_fields_": fields})


def descriptor(array):
    """A descriptor of a C-contiguous numpy array (which must outlive it)."""
    assert array.flags["C_CONTIGUOUS"]
    desc = memref_type(array.ndim)()
    desc.allocated = desc.aligned = array.ctypes.data
    desc.offset = 0
    for i in range(array.ndim):
        desc.sizes[i] = array.shape[i]
        desc.strides[i] = array.strides[i] // array.itemsize
    return desc


def string_symbol(lib, name):
    """A NUL-terminated `const char name[]` of the library, or None.

    attnc_signature_f, attnc_inplace_f and attnc_target are char ARRAYS:
    c_char_p.in_dll would read their first 8 characters as a pointer and
    crash. Take the array's address instead."""
    try:
        first = ctypes.c_char.in_dll(lib, name)
    except ValueError:  # no such symbol
        return None
    return ctypes.string_at(ctypes.addressof(first)).decode()


DTYPES = {"f32": np.float32, "f64": np.float64, "i64": np.int64,
          "i32": np.int32, "i8": np.int8, "i1": np.bool_, "f16": np.float16}


def parse_tensor_types(types):
    """[(shape, dtype)] of "tensor<1x2xf32>, tensor<f32>" (static shapes)."""
    result = []
    for dims, elem in re.findall(r"tensor<((?:\d+x)*)(\w+)>", types):
        shape = tuple(int(d) for d in dims.split("x") if d)
        result.append((shape, DTYPES[elem]))
    return result


def reference(q, k, v):
    """softmax(q k^T / sqrt(D), causal) v in float64."""
    q, k, v = (t.astype(np.float64) for t in (q, k, v))
    s = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    n = s.shape[-1]
    s = np.where(np.tril(np.ones((n, n), dtype=bool)), s, -np.inf)
    p = np.exp(s - s.max(axis=-1, keepdims=True))
    return (p / p.sum(axis=-1, keepdims=True)) @ v


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "./libattention.so"
    lib = ctypes.CDLL(path)
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]
    name = "attention_causal"

    print("target:", string_symbol(lib, "attnc_target") or "cpu")
    signature = string_symbol(lib, "attnc_signature_" + name)
    print("signature:", signature)
    if string_symbol(lib, "attnc_inplace_" + name) is not None:
        sys.exit("this example does not handle in-place results")
    args_text, results_text = signature.split("->")
    arg_types = parse_tensor_types(args_text)
    (result_shape, result_dtype), = parse_tensor_types(results_text)

    rng = np.random.default_rng(0)
    args = [rng.uniform(-1, 1, shape).astype(dtype) for shape, dtype in arg_types]
    arg_descs = [descriptor(a) for a in args]
    out = memref_type(len(result_shape))()

    # One result: a pointer to its descriptor comes first, then the args'.
    function = getattr(lib, "_mlir_ciface_" + name)
    function.restype = None
    function.argtypes = [ctypes.c_void_p] * (1 + len(args))
    function(ctypes.byref(out), *(ctypes.byref(d) for d in arg_descs))

    # Copy the result out (data at aligned + offset elements, row-major
    # contiguous strides), then free its buffer: the caller owns it.
    sizes = tuple(out.sizes)
    itemsize = np.dtype(result_dtype).itemsize
    assert tuple(out.strides) == tuple(
        s // itemsize for s in np.empty(sizes, result_dtype).strides)
    count = int(np.prod(sizes))
    data = (ctypes.c_char * (count * itemsize)).from_address(
        out.aligned + out.offset * itemsize)
    result = np.frombuffer(data, dtype=result_dtype).reshape(sizes).copy()
    libc.free(out.allocated)

    print("result:", "x".join(str(s) for s in result.shape), result.dtype)
    error = np.abs(result - reference(*args)).max()
    print("max abs error vs numpy: %.2e" % error)
    if not error <= 1e-4:
        print("FAILED")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
