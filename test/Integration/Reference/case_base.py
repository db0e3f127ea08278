"""What a reference-check case is, and the registry the case modules fill.

A case function takes a seeded `random.Random` and returns a `Case`: the MLIR
module to run, the float64 reference of every printed result (with per-element
bit-exactness flags) and the relative-error tolerance of its element type.
"""

from tensors import round_f32

# Relative-error tolerances. f32: everything runs in f32, so the error is a
# few ulps of accumulation. f16/bf16: the result is rounded to the storage type
# once (2^-11 resp. 2^-8 relative), so the bound is a few of those ulps.
TOLERANCE = {"f32": 1e-5, "f16": 2e-3, "bf16": 1e-2}


class Output:
    def __init__(self, name, ref, exact=None, all_exact=False):
        self.name = name
        self.ref = ref
        # Per-element flags: True means the value must match bit for bit.
        self.exact = [all_exact] * len(ref) if exact is None else exact


class Case:
    def __init__(self, shape, dtype, module, outputs, tolerance=None):
        self.shape = shape
        self.dtype = dtype
        self.module = module
        self.outputs = outputs
        self.tolerance = TOLERANCE[dtype] if tolerance is None else tolerance


# name -> (case function, keyword parameters), in registration order.
CASES = {}


def case(name, **params):
    def register(fn):
        CASES[name] = (fn, params)
        return fn
    return register


def f32_options(softcap, scale):
    """softcap and scale as the op holds them: f32 attributes."""
    return (None if softcap is None else round_f32(softcap),
            None if scale is None else round_f32(scale))
