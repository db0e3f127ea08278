"""Cases of the ops around attention: attn.masked_softmax (group
'masked_softmax'), attn.qkv_proj and attn.out_proj (group 'projections'),
attn.rope (group 'rope'), and the linalg linear layers that
attnc-matmul-cpu lowers (group 'linear')."""

import numpy as np

from case_def import HOST_AVX512_BF16, Arg, Case, Check, expect_fallback, \
    farg, fattr, operands, randn, rng_for, score_attrs, ttype
from npref import masked_softmax_lowp, masked_softmax_ref, out_proj_ref, \
    qkv_proj_ref, round_bf16, rope_ref


# --- masked_softmax ---------------------------------------------------------

def softmax_case(name, shape, elt="f32", mask=None, causal=False, window=None,
                 softcap=None, scale=None, spread=3.0):
    """`mask` = (elt, mask shape, dead rows as index tuples) or None."""
    rng = rng_for(name)
    x = farg(rng, "s", shape, elt, spread)
    m = None
    if mask:
        melt, mshape, dead = mask
        if melt == "i1":
            value = rng.random(mshape) < 0.7
            for row in dead:
                value[row] = False
        else:
            value = randn(rng, mshape, melt, 2.0)
        m = Arg("mask", melt, value)
    opts = dict(causal=causal, window=window, softcap=softcap, scale=scale)
    mval = None if m is None else m.value
    ref, full = masked_softmax_ref(x.value, mask=mval, **opts)
    check = Check("p", elt, shape, ref=ref, zero=full[..., None])
    if elt != "f32":
        check.kind = "lowp"
        check.base = masked_softmax_lowp(x.value, elt, mask=mval, **opts)
    t = ttype(shape, elt)
    mask_clause = " mask(%s)" % operands([m]) if m else ""
    op = "%%r0 = attn.masked_softmax %sins(%s)%s outs(%%p0 : %s) -> %s" % (
        score_attrs(**opts), operands([x]), mask_clause, t, t)
    return Case(name, "masked_softmax", [x] + ([m] if m else []), op,
                [check], inits=[("p0", t)])


def softmax_cases():
    return [
        softmax_case("masked_softmax_basic", (2, 3, 8, 16)),
        softmax_case("masked_softmax_causal_scale", (1, 4, 12, 20),
                     causal=True, scale=0.125, spread=8.0),
        softmax_case("masked_softmax_i1_broadcast_masked_row", (2, 3, 10, 10),
                     mask=("i1", (2, 1, 10, 10), [(1, 0, 3)])),
        softmax_case("masked_softmax_additive_softcap_window", (3, 9, 17),
                     mask=("f32", (1, 9, 17), []), causal=True, window=5,
                     softcap=4.0),
        softmax_case("masked_softmax_window_symmetric", (1, 2, 16, 16),
                     window=4),
        softmax_case("masked_softmax_f16_causal", (2, 2, 16, 24), "f16",
                     causal=True, scale=0.5),
    ]


# --- qkv_proj and out_proj --------------------------------------------------

def qkv_case(name, b, s, dm, hq, hkv, d, dv, fused=False, bias=False,
             out_in=False, rope=None, w_elt="f32"):
    """`rope` = (style, theta, rotary_dim, pos_shape, spelling): rotate Q and
    K, spelled as the qkv_proj epilogue ("epilogue") or as a separate
    attn.rope that attn-fuse-rope folds in ("separate")."""
    rng = rng_for(name)
    x = farg(rng, "x", (b, s, dm), scale=1.0)
    widths = [hq * d, hkv * d, hkv * dv]
    names = ["w"] if fused else ["wq", "wk", "wv"]
    cols = [sum(widths)] if fused else widths
    w_scale = dm ** -0.5
    weights = [farg(rng, n, (c, dm) if out_in else (dm, c), elt=w_elt,
                    scale=w_scale)
               for n, c in zip(names, cols)]
    biases = [farg(rng, "b" + n[1:], (c,)) for n, c in zip(names, cols)] \
        if bias else []
    refs = list(qkv_proj_ref(x.value, [w.value for w in weights],
                             [bb.value for bb in biases], hq, hkv, d, dv,
                             out_in))
    extra_args, rope_clause, rope_op = [], "", ""
    if rope:
        style, theta, rotary_dim, pos_shape, spelling = rope[:5]
        scaling = rope[5] if len(rope) > 5 else None
        # Scaled frequencies: small positions (see rope_case).
        pos = rng.integers(0, 64 if scaling else 4096, size=pos_shape)
        extra_args = [Arg("pos", "i64", pos.astype(np.int64))]
        refs[0] = rope_ref(refs[0], pos, style, theta, rotary_dim, scaling)
        refs[1] = rope_ref(refs[1], pos, style, theta, rotary_dim, scaling)
        attrs = "%s theta(%.9e) rotary_dim(%d)" % (style, theta, rotary_dim)
        if scaling:
            attrs += rope_scaling_clause(scaling)
    shapes = [(b, hq, s, d), (b, hkv, s, d), (b, hkv, s, dv)]
    checks = [Check(lbl, "f32", shp, ref=r)
              for lbl, shp, r in zip("qkv", shapes, refs)]
    if w_elt == "bf16" and HOST_AVX512_BF16:
        # Activations rounded to bf16 (see linear_case); the baseline
        # accumulates the rounded products in float64 (their rounding
        # dominates f32 accumulation by orders of magnitude).
        bases = list(qkv_proj_ref(round_bf16(x.value),
                                  [w.value for w in weights],
                                  [bb.value for bb in biases], hq, hkv, d, dv,
                                  out_in))
        if rope:
            for i in (0, 1):
                bases[i] = rope_ref(bases[i], pos, style, theta, rotary_dim,
                                    scaling)
        for check, base in zip(checks, bases):
            check.kind, check.base = "lowp", base
    types = [c.type for c in checks]
    inits = list(zip(["q0", "k0", "v0"], types))
    results = "%r0, %r1, %r2"
    if rope and spelling == "epilogue":
        rope_clause = " rope %s positions(%s)" % (attrs,
                                                  operands(extra_args))
    elif rope:
        results = "%p0, %p1, %r2"
        inits += [("q1", types[0]), ("k1", types[1])]
        rope_op = ("\n  %%r0, %%r1 = attn.rope %s ins(%%p0, %%p1, %%pos : "
                   "%s, %s) outs(%%q1, %%k1 : %s) -> %s") % (
            attrs, ", ".join(types[:2]), extra_args[0].type,
            ", ".join(types[:2]), ", ".join(types[:2]))
    bias_clause = " biases(%s)" % operands(biases) if biases else ""
    op = ("%s = attn.qkv_proj %sins(%s) weights(%s)%s%s "
          "outs(%%q0, %%k0, %%v0 : %s) -> %s%s") % (
        results, "layout(out_in) " if out_in else "", operands([x]),
        operands(weights), bias_clause, rope_clause, ", ".join(types),
        ", ".join(types), rope_op)
    return Case(name, "projections", [x] + weights + biases + extra_args, op,
                checks, inits=inits)


def out_proj_case(name, b, h, s, dv, dm, bias=False, out_in=False):
    rng = rng_for(name)
    o = farg(rng, "o", (b, h, s, dv))
    w = farg(rng, "w", (dm, h * dv) if out_in else (h * dv, dm),
             scale=(h * dv) ** -0.5)
    bb = farg(rng, "bias", (dm,)) if bias else None
    ref = out_proj_ref(o.value, w.value, None if bb is None else bb.value,
                       out_in)
    check = Check("y", "f32", (b, s, dm), ref=ref)
    bias_clause = " bias(%s)" % operands([bb]) if bb else ""
    op = "%%r0 = attn.out_proj %sins(%s) weight(%s)%s outs(%%y0 : %s) -> %s" % (
        "layout(out_in) " if out_in else "", operands([o]), operands([w]),
        bias_clause, check.type, check.type)
    return Case(name, "projections", [o, w] + ([bb] if bb else []), op,
                [check], inits=[("y0", check.type)])


def projection_cases():
    return [
        qkv_case("qkv_proj_separate_bias", 2, 5, 48, 4, 2, 16, 16, bias=True),
        qkv_case("qkv_proj_fused_bias", 1, 7, 64, 4, 4, 16, 16, fused=True,
                 bias=True),
        qkv_case("qkv_proj_out_in_mqa_dv", 1, 9, 64, 4, 1, 16, 24,
                 out_in=True),
        qkv_case("qkv_proj_fused_out_in", 2, 3, 40, 2, 2, 20, 20, fused=True,
                 out_in=True),
        # Shapes the vector kernels of attn-projection-cpu take (head dims
        # multiples of the vector width): full 8-row blocks plus tail rows,
        # both weight layouts, fused and separate weights.
        qkv_case("qkv_kernel_in_out_gqa_bias", 2, 11, 48, 4, 2, 32, 32,
                 bias=True),
        qkv_case("qkv_kernel_in_out_fused_d64", 1, 19, 32, 2, 1, 64, 64,
                 fused=True, bias=True),
        qkv_case("qkv_kernel_out_in_gqa", 1, 13, 64, 4, 2, 32, 32,
                 out_in=True),
        qkv_case("qkv_kernel_out_in_fused_bias_decode", 3, 1, 96, 2, 2, 16,
                 16, fused=True, bias=True, out_in=True),
        qkv_case("qkv_kernel_dv_differs", 1, 9, 32, 2, 2, 16, 48),
        # Separate [out, in] weights with fewer rows than a register block
        # (decode): one loop over the column blocks of Q, K and V (64, 32
        # and 48 columns: partial blocks), each written at its offset of
        # one result; with bias, RoPE, bf16 weights and 3 rows.
        qkv_case("qkv_kernel_out_in_separate_decode_bias", 2, 1, 64, 4, 2,
                 16, 24, bias=True, out_in=True),
        qkv_case("qkv_kernel_out_in_separate_decode_rope", 1, 1, 64, 4, 2,
                 32, 32, out_in=True,
                 rope=("half", 10000.0, 32, (1,), "epilogue")),
        qkv_case("qkv_kernel_out_in_separate_three_rows", 1, 3, 48, 2, 1, 16,
                 16, out_in=True),
        qkv_case("qkv_bf16_weights_separate_decode", 1, 1, 64, 4, 2, 16, 16,
                 out_in=True, w_elt="bf16"),
        # RoPE epilogue, spelled on qkv_proj and as a separate attn.rope.
        qkv_case("qkv_rope_epilogue_half", 2, 10, 64, 4, 2, 32, 32,
                 out_in=True, rope=("half", 10000.0, 32, (2, 10),
                                    "epilogue")),
        qkv_case("qkv_rope_epilogue_interleaved_partial", 1, 9, 48, 2, 2, 32,
                 32, bias=True, rope=("interleaved", 500000.0, 16, (9,),
                                      "epilogue")),
        qkv_case("qkv_rope_fused_from_separate_op", 1, 12, 64, 4, 1, 64, 64,
                 fused=True, out_in=True,
                 rope=("half", 500000.0, 64, (12,), "separate")),
        qkv_case("qkv_rope_reference_shape", 1, 5, 40, 2, 2, 20, 20,
                 rope=("half", 10000.0, 20, (5,), "epilogue")),
        # Llama 3.1 frequency scaling, written on attn.rope and folded into
        # the epilogue by attn-fuse-rope (the kernel's angle tables), and on
        # a shape the kernels do not take (the reference lowering).
        qkv_case("qkv_rope_llama3_scaling_fused", 1, 9, 64, 4, 2, 32, 32,
                 out_in=True, rope=("half", 500000.0, 32, (9,), "separate",
                                    ("llama3", [8.0, 1.0, 4.0, 128.0]))),
        # Weights stored in bf16/f16 with f32 activations: the kernels read
        # them in place (a Llama checkpoint), the reference widens them.
        qkv_case("qkv_bf16_weights_llama", 1, 11, 64, 4, 2, 16, 16,
                 out_in=True, w_elt="bf16",
                 rope=("half", 500000.0, 16, (11,), "epilogue")),
        qkv_case("qkv_f16_weights_decode", 2, 1, 64, 2, 2, 32, 32,
                 fused=True, w_elt="f16"),
        expect_fallback(
            qkv_case("qkv_bf16_weights_reference_shape", 1, 5, 40, 2, 2, 20,
                     20, w_elt="bf16"),
            "bf16 [in, out] weights need whole blocks of columns"),
        qkv_case("qkv_rope_linear_scaling_reference", 1, 5, 40, 2, 2, 20, 20,
                 rope=("half", 10000.0, 20, (5,), "epilogue",
                       ("linear", [2.0]))),
        out_proj_case("out_proj_bias", 2, 4, 6, 16, 40, bias=True),
        out_proj_case("out_proj_out_in", 1, 3, 7, 24, 56, out_in=True),
        out_proj_case("out_proj_out_in_bias", 1, 2, 5, 40, 32, bias=True,
                      out_in=True),
        # Shapes attn-projection-cpu takes (head dims multiples of the
        # vector width): heads merged, then the linear kernels (blocked with
        # row tails, and one-row decode, both layouts).
        out_proj_case("out_proj_kernel_in_out_bias", 2, 4, 70, 32, 96,
                      bias=True),
        out_proj_case("out_proj_kernel_out_in_decode", 3, 2, 1, 64, 48,
                      out_in=True),
        out_proj_case("out_proj_kernel_out_in_bias", 1, 3, 9, 16, 40,
                      bias=True, out_in=True),
    ]


# --- rope -------------------------------------------------------------------

ROPE_SCALING_NAMES = {"linear": ["factor"],
                      "llama3": ["factor", "low_freq_factor",
                                 "high_freq_factor",
                                 "original_max_positions"]}


def rope_scaling_clause(scaling):
    kind, params = scaling
    return " scaling(%s%s)" % (kind, "".join(
        " %s(%s)" % (n, fattr(v))
        for n, v in zip(ROPE_SCALING_NAMES[kind], params)))


def rope_case(name, b, hq, hkv, s, d, style, pos_shape, pos_elt="i64",
              theta=None, rotary_dim=None, max_pos=2048, scaling=None):
    """`scaling`: None or (kind, params) as npref.rope_scale_inv_freq takes.
    Scaled cases keep positions small: an f32 rounding of a blended
    frequency that differs by an ulp between numpy and the kernel moves the
    angle by position * ulp."""
    rng = rng_for(name)
    q = farg(rng, "q", (b, hq, s, d))
    k = farg(rng, "k", (b, hkv, s, d))
    pos = rng.integers(0, max_pos, size=pos_shape)
    positions = Arg("pos", pos_elt, pos.astype(np.int64))
    r = d if rotary_dim is None else rotary_dim
    th = 10000.0 if theta is None else theta
    checks = [Check(lbl, "f32", x.value.shape,
                    ref=rope_ref(x.value, pos, style, th, r, scaling))
              for lbl, x in (("q", q), ("k", k))]
    attrs = style
    if theta is not None:
        attrs += " theta(%.9e)" % theta
    if rotary_dim is not None:
        attrs += " rotary_dim(%d)" % rotary_dim
    if scaling is not None:
        attrs += rope_scaling_clause(scaling)
    types = [q.type, k.type]
    op = ("%%r0, %%r1 = attn.rope %s ins(%s) outs(%%q0, %%k0 : %s) -> %s" %
          (attrs, operands([q, k, positions]), ", ".join(types),
           ", ".join(types)))
    return Case(name, "rope", [q, k, positions], op, checks,
                inits=list(zip(["q0", "k0"], types)))


def rope_cases():
    return [
        rope_case("rope_half_rank1", 1, 4, 2, 9, 32, "half", (9,)),
        rope_case("rope_interleaved_rank2_i32", 2, 2, 2, 7, 32, "interleaved",
                  (2, 7), pos_elt="i32"),
        rope_case("rope_half_partial", 2, 3, 1, 6, 40, "half", (2, 6),
                  rotary_dim=16),
        rope_case("rope_interleaved_partial", 1, 2, 2, 5, 40, "interleaved",
                  (5,), rotary_dim=24),
        rope_case("rope_half_theta_500000", 1, 2, 2, 11, 64, "half", (11,),
                  theta=500000.0, max_pos=8192),
        rope_case("rope_interleaved_theta_500000_rank2", 2, 2, 1, 4, 64,
                  "interleaved", (2, 4), theta=500000.0, max_pos=8192),
        # Frequency scaling. With theta 10000 and D 64 the wavelengths run
        # from 6 to ~47000 positions: llama3 with an original context of
        # 256 (thresholds 64 and 256) keeps, blends and divides some of each.
        rope_case("rope_scaling_linear", 1, 2, 1, 9, 32, "half", (9,),
                  max_pos=64, scaling=("linear", [4.0])),
        rope_case("rope_scaling_llama3", 2, 4, 2, 7, 64, "half", (2, 7),
                  max_pos=64, scaling=("llama3", [8.0, 1.0, 4.0, 256.0])),
        rope_case("rope_scaling_llama3_partial_interleaved", 1, 2, 2, 5, 48,
                  "interleaved", (5,), rotary_dim=32, max_pos=64,
                  scaling=("llama3", [4.0, 2.0, 8.0, 512.0])),
    ]


# --- linear layers (attnc-matmul-cpu) ----------------------------------------

LINEAR_MAPS = {
    "x": "affine_map<(b, s, n, k) -> (b, s, k)>",
    "in_out": "affine_map<(b, s, n, k) -> (k, n)>",
    "out_in": "affine_map<(b, s, n, k) -> (n, k)>",
    "y": "affine_map<(b, s, n, k) -> (b, s, n)>",
}


def linear_text(result, x, w, init, y_type, layout):
    """`result` = `init` + `x` @ `w` (Args; `init` an SSA name of type
    `y_type`) as the model IR's linalg.generic: narrow weights are widened
    in the body."""
    widen, w_name = "", "%bw"
    if w.elt != "f32":
        widen = "    %%wf = arith.extf %%bw : %s to f32\n" % w.elt
        w_name = "%wf"
    return (
        "%s = linalg.generic {indexing_maps = [%s, %s, %s], "
        "iterator_types = [\"parallel\", \"parallel\", \"parallel\", "
        "\"reduction\"]} ins(%%%s, %%%s : %s, %s) outs(%s : %s) {\n"
        "  ^bb0(%%a: f32, %%bw: %s, %%c: f32):\n%s"
        "    %%p = arith.mulf %%a, %s : f32\n"
        "    %%t = arith.addf %%c, %%p : f32\n"
        "    linalg.yield %%t : f32\n"
        "  } -> %s") % (result, LINEAR_MAPS["x"], LINEAR_MAPS[layout],
                        LINEAR_MAPS["y"], x.name, w.name, x.type, w.type, init,
                        y_type, w.elt, widen, w_name, y_type)


def linear_case(name, b, s, k, n, layout, init, w_elt="f32"):
    """out[b, s, :] = init + x[b, s, :] @ W as the linalg.generic the model
    IR emits; `init` is "bias" (a broadcast of a [N] vector), "acc" (an
    argument accumulated into) or "zero" (a fill). `w_elt` f16/bf16: the
    weights stay in that type and the body widens them (arith.extf).

    bf16 weights on an AVX512-BF16 host multiply activations rounded to
    bf16 (vdpbf16ps in prefill, rounded f32 vectors in decode): checked by
    the 'lowp' criterion, max|out - ref| <= 2 max|base - ref| + atol and
    rel <= 2 rel(base) + 2^-24, `base` the same math in float32 on x
    rounded to bf16 (to nearest even). Elsewhere rel < 1e-5."""
    rng = rng_for(name)
    x = farg(rng, "x", (b, s, k))
    w = farg(rng, "w", (k, n) if layout == "in_out" else (n, k),
             elt=w_elt, scale=k ** -0.5)
    w_kn = w.value if layout == "in_out" else w.value.T
    ref = x.value.astype(np.float64) @ w_kn.astype(np.float64)
    rounded = w_elt == "bf16" and HOST_AVX512_BF16
    base = round_bf16(x.value) @ w_kn.astype(np.float32) if rounded else None
    args = [x, w]
    y_type = ttype((b, s, n), "f32")
    if init == "bias":
        bias = farg(rng, "bias", (n,))
        args.append(bias)
        ref = ref + bias.value.astype(np.float64)
        if rounded:
            base = base + bias.value
        init_text = (
            "%%init = linalg.generic {indexing_maps = ["
            "affine_map<(b, s, n) -> (n)>, affine_map<(b, s, n) -> (b, s, n)>"
            "], iterator_types = [\"parallel\", \"parallel\", \"parallel\"]} "
            "ins(%%bias : %s) outs(%%y0 : %s) {\n"
            "  ^bb0(%%in: f32, %%out: f32):\n    linalg.yield %%in : f32\n"
            "  } -> %s\n  " % (bias.type, y_type, y_type))
    elif init == "acc":
        acc = farg(rng, "acc", (b, s, n))
        args.append(acc)
        ref = ref + acc.value.astype(np.float64)
        if rounded:
            base = base + acc.value
        init_text = "%%init = tensor.insert_slice %%acc into %%y0[0, 0, 0] " \
            "[%d, %d, %d] [1, 1, 1] : %s into %s\n  " % (b, s, n, y_type,
                                                         y_type)
    else:
        init_text = ("%%zero = arith.constant 0.0 : f32\n  %%init = "
                     "linalg.fill ins(%%zero : f32) outs(%%y0 : %s) -> %s\n  "
                     % (y_type, y_type))
    op = init_text + linear_text("%r0", x, w, "%init", y_type, layout)
    check = Check("y", "f32", (b, s, n), ref=ref)
    if rounded:
        check.kind, check.base = "lowp", base.astype(np.float64)
    return Case(name, "linear", args, op, [check], inits=[("y0", y_type)])


def linear_cases():
    return [
        # Fewer than 6 rows: the streaming split-K kernel (several 64-row
        # chunks, the last one partial; N not a multiple of the vector
        # width; two column blocks when N * 6 rows exceed its buffer).
        linear_case("linear_in_out_decode_bias", 1, 1, 200, 100, "in_out",
                    "bias"),
        linear_case("linear_in_out_5rows_acc", 5, 1, 72, 48, "in_out", "acc"),
        linear_case("linear_in_out_wide_decode", 1, 2, 24, 4200, "in_out",
                    "zero"),
        # 6 rows and more: the blocked kernel (6-row blocks plus one-row
        # tails, several 96-row tasks, 128-row panels plus a partial one,
        # a partial last column block).
        linear_case("linear_in_out_7rows_bias", 1, 7, 48, 64, "in_out",
                    "bias"),
        linear_case("linear_in_out_blocked_tails", 2, 203, 300, 100,
                    "in_out", "acc"),
        linear_case("linear_in_out_blocked_zero", 1, 96, 130, 192, "in_out",
                    "zero"),
        # K over 512: the input is packed in two chunks of k.
        linear_case("linear_in_out_blocked_long_k", 1, 13, 600, 64, "in_out",
                    "bias"),
        # [out, in] weights: the dot-product kernel, 8-row blocks and tails.
        # A decode step reads one weight row at a time, two cache lines per
        # iteration. Rows of whole lines (K = 64: 256 bytes) are read in
        # 16-lane vectors where the weight starts on a line (this harness's
        # buffers do; test/Integration/Models/generate.mlir runs the other
        # form on checkpoints that do not).
        linear_case("linear_out_in_decode_bias", 1, 1, 64, 100, "out_in",
                    "bias"),
        # Rows of 468 bytes are read in 8-lane vectors (half lines): K = 117
        # is three iterations of four vectors (96), two whole vectors (112)
        # and a masked one (112 + 5).
        linear_case("linear_out_in_decode_tails", 1, 1, 117, 70, "out_in",
                    "acc"),
        linear_case("linear_out_in_blocked_acc", 2, 139, 48, 70, "out_in",
                    "acc"),
        # Three weight panels (128 + 128 + 44 k), the last vector of each
        # weight row a masked read (300 = 18 * 16 + 12), a column tail.
        linear_case("linear_out_in_blocked_panels_tails", 1, 20, 300, 70,
                    "out_in", "bias"),
        # f16/bf16 weights read in their stored type by each kernel.
        linear_case("linear_bf16_in_out_decode", 1, 1, 200, 128, "in_out",
                    "bias", w_elt="bf16"),
        # bf16 [in, out] with a partial column block: left to the loops.
        expect_fallback(
            linear_case("linear_bf16_in_out_partial_columns", 1, 9, 24, 100,
                        "in_out", "bias", w_elt="bf16"),
            "bf16 [in, out] weights need whole blocks of columns"),
        linear_case("linear_f16_in_out_blocked", 1, 50, 72, 100, "in_out",
                    "acc", w_elt="f16"),
        linear_case("linear_bf16_out_in_blocked", 1, 21, 64, 70, "out_in",
                    "zero", w_elt="bf16"),
        linear_case("linear_f16_out_in_decode", 2, 1, 48, 33, "out_in",
                    "bias", w_elt="f16"),
        # f16 decode reads a weight row four vectors (two cache lines) per
        # iteration of K: N = 70 ends in a partial column block (clamped
        # columns), K = 77 in a masked vector after one iteration and one
        # whole vector; K = 88 in one whole vector after one iteration,
        # then a masked one.
        linear_case("linear_f16_out_in_decode_tails", 1, 1, 77, 70, "out_in",
                    "acc", w_elt="f16"),
        linear_case("linear_f16_out_in_decode_odd_vector", 1, 1, 88, 21,
                    "out_in", "bias", w_elt="f16"),
        # bf16 weights through the AVX512-BF16 pair kernel (on hosts that
        # have it): an odd K (the last pair padded with zeros) over two
        # 256-row panels, 6-row blocks plus a partial one, two batches.
        linear_case("linear_bf16_in_out_blocked_odd_k", 2, 203, 301, 128,
                    "in_out", "acc", w_elt="bf16"),
        linear_case("linear_bf16_in_out_7rows_bias", 1, 7, 48, 64, "in_out",
                    "bias", w_elt="bf16"),
        # [out, in]: K = 2 * 32 + 16 (whole 32-k vectors, then single
        # pairs), a partial column block (N = 70), two 516-row tasks.
        linear_case("linear_bf16_out_in_tails", 1, 530, 80, 70, "out_in",
                    "bias", w_elt="bf16"),
        # K over 512: the input is packed in two chunks, three panels
        # (624 = 19 * 32 + 16: a pair tail in the last one).
        linear_case("linear_bf16_out_in_long_k", 1, 13, 624, 64, "out_in",
                    "zero", w_elt="bf16"),
        # Decode with bf16 weights: the dot-product kernel (one row), on
        # rows of whole lines (K = 64: 128 bytes, vdpbf16ps on the aligned
        # buffers of this harness), of 160 bytes (K = 80: the weights
        # widened for FMAs, half a line per vector), and two rows in each
        # of two batches.
        linear_case("linear_bf16_out_in_decode_half_step", 1, 1, 80, 70,
                    "out_in", "bias", w_elt="bf16"),
        linear_case("linear_bf16_out_in_decode_rows", 2, 2, 624, 130,
                    "out_in", "acc", w_elt="bf16"),
        # f16 weights through the blocked kernels, with tails.
        linear_case("linear_f16_out_in_blocked_tails", 1, 50, 77, 70,
                    "out_in", "bias", w_elt="f16"),
        # Short prompts through the dot-product kernel, one row at a time
        # (8-lane vectors: a block of 4, then one): 5 rows of f32 weight
        # rows of whole lines, 3 rows of bf16 ones (vdpbf16ps pairs on an
        # AVX512-BF16 host), 5 rows of f16 with tails.
        linear_case("linear_out_in_5rows_bias", 1, 5, 64, 100, "out_in",
                    "bias"),
        linear_case("linear_bf16_out_in_3rows", 3, 1, 128, 70, "out_in",
                    "zero", w_elt="bf16"),
        linear_case("linear_f16_out_in_5rows_tails", 1, 5, 77, 70,
                    "out_in", "acc", w_elt="f16"),
    ]


def gated_mlp_case(name, b, s, k, n, layout="out_in", elts=("f32", "f32"),
                   up_bias=False):
    """An MLP's gate and up projections of one input, as the model IR
    writes them (zero fills; `up_bias`: up starts from a broadcast bias),
    and their product: attnc-matmul-cpu computes both layers as one kernel
    into one [B, S, 2N] result (a decode step's blocks in one forall, a
    prefill's input packed once) whose halves the results and the product
    read. Weights of `elts` (f16/bf16 read in place); checks as in
    linear_case, gate * up against the product of the references (and of
    the baselines)."""
    rng = rng_for(name)
    x = farg(rng, "x", (b, s, k))
    shape = (k, n) if layout == "in_out" else (n, k)
    wg = farg(rng, "wg", shape, elt=elts[0], scale=k ** -0.5)
    wu = farg(rng, "wu", shape, elt=elts[1], scale=k ** -0.5)
    args = [x, wg, wu]
    y_type = ttype((b, s, n), "f32")
    refs, bases = [], []
    for w in (wg, wu):
        w_kn = (w.value if layout == "in_out" else w.value.T).astype(
            np.float32)
        refs.append(x.value.astype(np.float64) @ w_kn.astype(np.float64))
        rounded = w.elt == "bf16" and HOST_AVX512_BF16
        bases.append(round_bf16(x.value) @ w_kn if rounded else
                     x.value @ w_kn)
    text = ("%%zero = arith.constant 0.0 : f32\n  "
            "%%gi = linalg.fill ins(%%zero : f32) outs(%%y0 : %s) -> %s\n  "
            % (y_type, y_type))
    if up_bias:
        bias = farg(rng, "bias", (n,))
        args.append(bias)
        refs[1] = refs[1] + bias.value.astype(np.float64)
        bases[1] = bases[1] + bias.value
        text += (
            "%%ui = linalg.generic {indexing_maps = ["
            "affine_map<(b, s, n) -> (n)>, affine_map<(b, s, n) -> (b, s, n)>"
            "], iterator_types = [\"parallel\", \"parallel\", \"parallel\"]} "
            "ins(%%bias : %s) outs(%%y1 : %s) {\n"
            "  ^bb0(%%in: f32, %%out: f32):\n    linalg.yield %%in : f32\n"
            "  } -> %s\n  " % (bias.type, y_type, y_type))
    else:
        text += ("%%ui = linalg.fill ins(%%zero : f32) outs(%%y1 : %s) -> %s"
                 "\n  " % (y_type, y_type))
    text += linear_text("%r0", x, wg, "%gi", y_type, layout) + "\n  "
    text += linear_text("%r1", x, wu, "%ui", y_type, layout) + "\n  "
    text += "%%r2 = arith.mulf %%r0, %%r1 : %s" % y_type
    checks = []
    for label, ref, base, w in (("gate", refs[0], bases[0], wg),
                                ("up", refs[1], bases[1], wu),
                                ("gate*up", refs[0] * refs[1],
                                 bases[0] * bases[1], None)):
        check = Check(label, "f32", (b, s, n), ref=ref)
        lowp = w.elt == "bf16" if w else "bf16" in elts
        if lowp and HOST_AVX512_BF16:
            check.kind, check.base = "lowp", base.astype(np.float64)
        checks.append(check)
    return Case(name, "linear", args, text, checks,
                inits=[("y0", y_type), ("y1", y_type)])


def gated_mlp_cases():
    return [
        # A decode step: one forall over both layers' column blocks (100
        # columns: a whole and a partial block each).
        gated_mlp_case("mlp_gate_up_decode", 1, 1, 64, 100),
        # Two rows each of two sequences (fewer than 6): the dot kernel's
        # rows; up from a bias.
        gated_mlp_case("mlp_gate_up_decode_rows_bias", 2, 2, 48, 70,
                       up_bias=True),
        # Prefill: one packing of the input for f32 and f16 weights (the
        # same f32 interleave), 37 rows (a partial register block).
        gated_mlp_case("mlp_gate_up_prefill_f16", 1, 37, 72, 70,
                       elts=("f32", "f16"), up_bias=True),
        # bf16 weights: one packing of bf16 pairs where the host has
        # AVX512-BF16; in decode, both layers in one forall.
        gated_mlp_case("mlp_gate_up_bf16", 2, 9, 64, 64,
                       elts=("bf16", "bf16")),
        gated_mlp_case("mlp_gate_up_bf16_decode", 1, 1, 128, 70,
                       elts=("bf16", "bf16")),
        # bf16 pairs and an f32 interleave in one prefill: two packings.
        gated_mlp_case("mlp_gate_up_mixed", 1, 20, 64, 64,
                       elts=("bf16", "f32")),
        # [in, out] weights: each layer's kernel in turn, one packing.
        gated_mlp_case("mlp_gate_up_in_out", 1, 13, 48, 64, layout="in_out"),
        gated_mlp_case("mlp_gate_up_in_out_decode", 1, 1, 48, 80,
                       layout="in_out"),
    ]


def elementwise_case(name, shape, dynamic=()):
    """arith and math ops on whole tensors, as a caller writes them around
    attn ops: y = exp(x + b) * x and z = max(x, b) / (|x| + |b|) (inputs
    are never zero). The pipeline turns them into linalg.generic
    (convert-elementwise-to-linalg); bufferization refused them before."""
    rng = rng_for(name)
    x = Arg("x", "f32", randn(rng, shape), dynamic)
    b = Arg("b", "f32", randn(rng, shape), dynamic)
    x64, b64 = x.value.astype(np.float64), b.value.astype(np.float64)
    y = np.exp(x64 + b64) * x64
    z = np.maximum(x64, b64) / (np.abs(x64) + np.abs(b64))
    op = ("%s = arith.addf %x, %b : T\n  %e = math.exp %s : T\n  "
          "%r0 = arith.mulf %e, %x : T\n  %m = arith.maximumf %x, %b : T\n  "
          "%ax = math.absf %x : T\n  %ab = math.absf %b : T\n  "
          "%d = arith.addf %ax, %ab : T\n  %r1 = arith.divf %m, %d : T"
          ).replace("T", x.type)
    checks = [Check("y", "f32", shape, ref=y, dynamic=dynamic),
              Check("z", "f32", shape, ref=z, dynamic=dynamic)]
    return Case(name, "elementwise", args=[x, b], op=op, checks=checks)


def elementwise_cases():
    return [elementwise_case("elementwise_static", (3, 5, 7)),
            elementwise_case("elementwise_dynamic", (4, 33), dynamic=(0,)),
            # Large enough for attnc-parallelize-elementwise's row tasks
            # (65536 points or more): blocks of 32 rows of each batch, the
            # last one partial (300 = 9 * 32 + 12), and of a 2-D tensor.
            elementwise_case("elementwise_parallel_rows", (2, 300, 128),
                             dynamic=(0, 1)),
            elementwise_case("elementwise_parallel_rows_2d", (600, 128))]


def cases():
    return softmax_cases() + projection_cases() + rope_cases() + \
        linear_cases() + gated_mlp_cases() + elementwise_cases()
