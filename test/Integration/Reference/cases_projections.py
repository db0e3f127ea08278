"""Reference-check cases of attn.qkv_proj and attn.out_proj.

Separate and fused weights, with and without biases, in both weight layouts.
"""

from case_base import Case, Output, case
from mlir_emit import Module, layout_attr
from reference_math import out_proj_ref, qkv_proj_ref
from tensors import Tensor, rand_float, tensor_type


def weight_shape(n_out, n_in, out_in):
    """[N_out, N_in] for layout(out_in), else [N_in, N_out]."""
    return (n_out, n_in) if out_in else (n_in, n_out)


def layout_desc(out_in):
    return " out_in" if out_in else " in_out"


def run_qkv_proj(rng, *, b=2, s=3, dm=8, hq=4, hkv=2, d=4, dv=6, fused=False,
                 bias=False, out_in=False, dtype="f32"):
    x = rand_float(rng, (b, s, dm), dtype)
    nq, nk, nv = hq * d, hkv * d, hkv * dv

    def weight(n):
        return rand_float(rng, weight_shape(n, dm, out_in), dtype)

    m = Module()
    cx = m.const(x, "x")
    if fused:
        w = weight(nq + nk + nv)
        # Split the fused weight into the three separate ones for the ref.
        def cols(lo, n):
            if out_in:
                return Tensor((n, dm), [w[lo + c, kk] for c in range(n)
                                        for kk in range(dm)], dtype)
            return Tensor((dm, n), [w[kk, lo + c] for kk in range(dm)
                                    for c in range(n)], dtype)
        wq, wk, wv = cols(0, nq), cols(nq, nk), cols(nq + nk, nv)
        weights = [w]
        if bias:
            bf = rand_float(rng, (nq + nk + nv,), dtype)
            bq = Tensor((nq,), bf.data[:nq], dtype)
            bk = Tensor((nk,), bf.data[nq:nq + nk], dtype)
            bv = Tensor((nv,), bf.data[nq + nk:], dtype)
            biases = [bf]
    else:
        wq, wk, wv = weight(nq), weight(nk), weight(nv)
        weights = [wq, wk, wv]
        if bias:
            bq = rand_float(rng, (nq,), dtype)
            bk = rand_float(rng, (nk,), dtype)
            bv = rand_float(rng, (nv,), dtype)
            biases = [bq, bk, bv]
    if not bias:
        bq = bk = bv = None
        biases = []
    wnames = [m.const(w_, "w") for w_ in weights]
    bnames = [m.const(b_, "bias") for b_ in biases]
    shapes = [(b, hq, s, d), (b, hkv, s, d), (b, hkv, s, dv)]
    types = [tensor_type(sh, dtype) for sh in shapes]
    inits = [m.empty(sh, dtype) for sh in shapes]
    text = "attn.qkv_proj %sins(%s : %s) weights(%s : %s)" % (
        layout_attr(out_in), cx, x.type, ", ".join(wnames),
        ", ".join(w_.type for w_ in weights))
    if bias:
        text += " biases(%s : %s)" % (", ".join(bnames),
                                      ", ".join(b_.type for b_ in biases))
    text += " outs(%s : %s) -> %s" % (", ".join(inits), ", ".join(types),
                                      ", ".join(types))
    results = m.op(3, text)
    for r, sh in zip(results, shapes):
        m.print_bits(r, sh, dtype)
    rq, rk, rv = qkv_proj_ref(x, wq, wk, wv, bq, bk, bv, hq, hkv, d, dv,
                              out_in)
    desc = "B=%d S=%d Dm=%d Hq=%d Hkv=%d D=%d Dv=%d %s%s%s" % (
        b, s, dm, hq, hkv, d, dv, "fused" if fused else "separate",
        " +bias" if bias else "", layout_desc(out_in))
    return Case(desc, dtype, m,
                [Output("Q", rq), Output("K", rk), Output("V", rv)])


@case("qkv_proj_separate_bias")
def _(rng):
    return run_qkv_proj(rng, bias=True)


@case("qkv_proj_separate_nobias")
def _(rng):
    return run_qkv_proj(rng, hq=2, hkv=2, d=4, dv=4)


@case("qkv_proj_fused")
def _(rng):
    return run_qkv_proj(rng, fused=True)


@case("qkv_proj_fused_bias")
def _(rng):
    return run_qkv_proj(rng, fused=True, bias=True)


@case("qkv_proj_out_in")
def _(rng):
    return run_qkv_proj(rng, out_in=True)


@case("qkv_proj_out_in_bias")
def _(rng):
    return run_qkv_proj(rng, out_in=True, bias=True, hq=4, hkv=1)


@case("qkv_proj_fused_out_in_bias")
def _(rng):
    return run_qkv_proj(rng, fused=True, out_in=True, bias=True)


@case("qkv_proj_bf16")
def _(rng):
    return run_qkv_proj(rng, fused=True, bias=True, dtype="bf16")


def run_out_proj(rng, *, b=2, h=3, s=4, dv=4, dm=6, bias=False, out_in=False,
                 dtype="f32"):
    o = rand_float(rng, (b, h, s, dv), dtype)
    w = rand_float(rng, weight_shape(dm, h * dv, out_in), dtype)
    bvec = rand_float(rng, (dm,), dtype) if bias else None
    m = Module()
    co, cw = m.const(o, "o"), m.const(w, "w")
    init = m.empty((b, s, dm), dtype)
    ty = tensor_type((b, s, dm), dtype)
    text = "attn.out_proj %sins(%s : %s) weight(%s : %s)" % (
        layout_attr(out_in), co, o.type, cw, w.type)
    text += m.clause("bias", bvec, "bias")
    text += " outs(%s : %s) -> %s" % (init, ty, ty)
    (res,) = m.op(1, text)
    m.print_bits(res, (b, s, dm), dtype)
    ref = out_proj_ref(o, w, bvec, out_in)
    desc = "B=%d H=%d S=%d Dv=%d Dm=%d%s%s" % (
        b, h, s, dv, dm, " +bias" if bias else "",
        layout_desc(out_in))
    return Case(desc, dtype, m, [Output("Y", ref)])


@case("out_proj_bias")
def _(rng):
    return run_out_proj(rng, bias=True)


@case("out_proj_nobias")
def _(rng):
    return run_out_proj(rng)


@case("out_proj_out_in_bias")
def _(rng):
    return run_out_proj(rng, bias=True, out_in=True)


@case("out_proj_out_in_nobias")
def _(rng):
    return run_out_proj(rng, out_in=True, h=2, dv=5, dm=7)
