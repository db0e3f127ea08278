//===- AttnOps.td - attn dialect operations ----------------*- tablegen -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_DIALECT_ATTN_IR_ATTNOPS_TD
#define ATTNC_DIALECT_ATTN_IR_ATTNOPS_TD

include "attnc/Dialect/Attn/IR/AttnDialect.td"
include "attnc/Dialect/Attn/IR/AttnEnums.td"
include "mlir/Dialect/Linalg/IR/LinalgInterfaces.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Attn_FloatTensor : RankedTensorOf<[F16, BF16, F32]>;
def Attn_IndexTensor : RankedTensorOf<[I32, I64]>;
def Attn_MaskTensor : RankedTensorOf<[I1, F16, BF16, F32]>;

//===----------------------------------------------------------------------===//
// Base class
//===----------------------------------------------------------------------===//

/// Every attn op works on tensors in destination-passing style and decomposes
/// into linalg/tensor/arith/math/scf (the reference lowering).
class Attn_Op<string mnemonic, list<Trait> traits = []>
    : Op<Attn_Dialect, mnemonic, !listconcat([
        Pure,
        DestinationStyleOpInterface,
        DeclareOpInterfaceMethods<AggregatedOpInterface, ["decomposeOperation"]>
      ], traits)> {
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// attn.qkv_proj
//===----------------------------------------------------------------------===//

def Attn_QKVProjOp : Attn_Op<"qkv_proj", [AttrSizedOperandSegments]> {
  let summary = "project hidden states to per-head queries, keys and values";
  let description = [{
    Multiplies the hidden states `X : [B, S, Dm]` by the query, key and value
    weights and splits the products into heads:

    ```
    Q[b, h, s, d] = sum_k X[b, s, k] * Wq[k, h * D + d]  (+ bq[h * D + d])
    K[b, h, s, d] = sum_k X[b, s, k] * Wk[k, h * D + d]  (+ bk[h * D + d])
    V[b, h, s, e] = sum_k X[b, s, k] * Wv[k, h * Dv + e] (+ bv[h * Dv + e])
    ```

    The head counts `Hq`, `Hkv` and head dims `D`, `Dv` are read from the
    result types `Q : [B, Hq, S, D]`, `K : [B, Hkv, S, D]` and
    `V : [B, Hkv, S, Dv]`.

    The weights are either three matrices (`Wq : [Dm, Hq*D]`,
    `Wk : [Dm, Hkv*D]`, `Wv : [Dm, Hkv*Dv]`) or one fused matrix
    `[Dm, Hq*D + Hkv*D + Hkv*Dv]` whose columns hold Q, then K, then V (as in
    GPT-2's `c_attn`). Biases, when present, match the weights one to one
    (three vectors or one fused vector). `layout(out_in)` says the weights are
    stored transposed (`[N, Dm]`, as torch `nn.Linear` stores them), so they can
    be used in place from a memory-mapped checkpoint. With f32 activations
    the weights may also be stored in f16 or bf16 (as checkpoints are) and
    are widened as they are read. Products accumulate in f32.

    An optional RoPE epilogue, `rope <style> [theta(t)] [rotary_dim(R)]
    [scaling(...)] positions(%p : ...)`, rotates the queries and keys as `attn.rope` with the
    same parameters would, before they are written. `attn-fuse-rope` creates
    it from an `attn.rope` of the projected queries and keys, so that the
    projection kernel can apply the rotation to each tile while it is still
    in registers.

    Example (Llama-style GQA, separate weights, no bias):

    ```mlir
    %q, %k, %v = attn.qkv_proj layout(out_in)
        ins(%x : tensor<1x16x512xf32>)
        weights(%wq, %wk, %wv : tensor<512x512xf32>, tensor<128x512xf32>,
                                tensor<128x512xf32>)
        outs(%q0, %k0, %v0 : tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>,
                             tensor<1x2x16x64xf32>)
        -> tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>, tensor<1x2x16x64xf32>
    ```
  }];
  let arguments = (ins
    Attn_FloatTensor:$input,
    Variadic<Attn_FloatTensor>:$weights,
    Variadic<Attn_FloatTensor>:$biases,
    Attn_FloatTensor:$query_init,
    Attn_FloatTensor:$key_init,
    Attn_FloatTensor:$value_init,
    Optional<Attn_IndexTensor>:$positions,
    DefaultValuedAttr<Attn_WeightLayoutAttr,
                      "::mlir::attn::WeightLayout::InOut">:$weight_layout,
    OptionalAttr<Attn_RopeStyleAttr>:$rope_style,
    OptionalAttr<F32Attr>:$rope_theta,
    OptionalAttr<I64Attr>:$rotary_dim,
    OptionalAttr<Attn_RopeScalingAttr>:$rope_scaling,
    OptionalAttr<DenseF32ArrayAttr>:$rope_scaling_params
  );
  let results = (outs
    Attn_FloatTensor:$query,
    Attn_FloatTensor:$key,
    Attn_FloatTensor:$value
  );
  let assemblyFormat = [{
    custom<WeightLayout>($weight_layout)
    `ins` `(` $input `:` type($input) `)`
    `weights` `(` $weights `:` type($weights) `)`
    (`biases` `(` $biases^ `:` type($biases) `)`)?
    custom<RopeEpilogue>($rope_style, $rope_theta, $rotary_dim,
                         $rope_scaling, $rope_scaling_params, $positions,
                         type($positions))
    `outs` `(` $query_init `,` $key_init `,` $value_init `:`
               type($query_init) `,` type($key_init) `,` type($value_init) `)`
    attr-dict `->` type($query) `,` type($key) `,` type($value)
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() {
      return MutableOperandRange(*this,
          getQueryInitMutable().getOperandNumber(), /*length=*/3);
    }
    /// True when one `[Dm, Hq*D + Hkv*D + Hkv*Dv]` weight holds Q, K and V.
    bool isFused() { return getWeights().size() == 1; }
    bool hasBias() { return !getBiases().empty(); }
    /// True when the queries and keys are rotated before they are written.
    bool hasRope() { return getRopeStyle().has_value(); }
    float getRopeThetaOrDefault() {
      return getRopeTheta() ? getRopeTheta()->convertToFloat() : 10000.0f;
    }
    /// The number of leading head components that the epilogue rotates.
    int64_t getRotaryDimOrDefault();
  }];
}

//===----------------------------------------------------------------------===//
// attn.rope
//===----------------------------------------------------------------------===//

def Attn_RopeOp : Attn_Op<"rope"> {
  let summary = "rotary position embedding of queries and keys";
  let description = [{
    Rotates pairs of components of every query and key head by an angle that
    grows with the token position (RoFormer). With `R = rotary_dim` (default:
    the whole head dim `D`) and frequencies `f_i = theta^(-2i / R)` for
    `i < R/2`, component pairs `(x1, x2)` become

    ```
    x1' = x1 * cos(p * f_i) - x2 * sin(p * f_i)
    x2' = x2 * cos(p * f_i) + x1 * sin(p * f_i)
    ```

    where `p = positions[b, s]` (or `positions[s]` for a rank-1 tensor shared
    by the batch). `half` pairs component `i` with `i + R/2` (Hugging Face
    Llama, GPT-NeoX); `interleaved` pairs `2i` with `2i + 1` (GPT-J, Meta's
    Llama). Components at `d >= R` pass through unchanged (partial rotary).
    Angles are computed in f32, as Hugging Face does.

    An optional `scaling(...)` clause rescales the frequencies for contexts
    longer than the model was trained on, as Hugging Face's `rope_scaling`
    does:

    - `scaling(linear factor(s))`: `f_i / s` (position interpolation).
    - `scaling(llama3 factor(s) low_freq_factor(l) high_freq_factor(h)
      original_max_positions(L))` (Llama 3.1/3.2): with wavelength
      `w_i = 2 pi / f_i`, frequencies with `w_i < L / h` are kept, those with
      `w_i > L / l` become `f_i / s`, and in between
      `(1 - t) f_i / s + t f_i` with `t = (L / w_i - l) / (h - l)`.

    ```mlir
    %q1, %k1 = attn.rope half theta(5.0e+05)
        ins(%q, %k, %pos : tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>,
                           tensor<1x16xi64>)
        outs(%q0, %k0 : tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>)
        -> tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>
    ```
  }];
  let arguments = (ins
    Attn_FloatTensor:$query,
    Attn_FloatTensor:$key,
    Attn_IndexTensor:$positions,
    Attn_FloatTensor:$query_init,
    Attn_FloatTensor:$key_init,
    Attn_RopeStyleAttr:$style,
    DefaultValuedAttr<F32Attr, "10000.0f">:$theta,
    OptionalAttr<I64Attr>:$rotary_dim,
    OptionalAttr<Attn_RopeScalingAttr>:$rope_scaling,
    OptionalAttr<DenseF32ArrayAttr>:$rope_scaling_params
  );
  let results = (outs Attn_FloatTensor:$query_result,
                      Attn_FloatTensor:$key_result);
  let assemblyFormat = [{
    custom<RopeStyle>($style) (`theta` `(` $theta^ `)`)? (`rotary_dim` `(` $rotary_dim^ `)`)?
    custom<RopeScaling>($rope_scaling, $rope_scaling_params)
    `ins` `(` $query `,` $key `,` $positions `:`
              type($query) `,` type($key) `,` type($positions) `)`
    `outs` `(` $query_init `,` $key_init `:`
               type($query_init) `,` type($key_init) `)`
    attr-dict `->` type($query_result) `,` type($key_result)
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() {
      return MutableOperandRange(*this,
          getQueryInitMutable().getOperandNumber(), /*length=*/2);
    }
    /// The number of leading head components that are rotated.
    int64_t getRotaryDimOrDefault();
  }];
}

//===----------------------------------------------------------------------===//
// attn.attention
//===----------------------------------------------------------------------===//

def Attn_AttentionOp : Attn_Op<"attention"> {
  let summary = "masked scaled dot-product attention";
  let description = [{
    Computes `O = softmax(mask(softcap(scale * Q K^T))) V` per batch and query
    head:

    ```
    s[b, h, i, j] = scale * sum_d Q[b, h, i, d] * K[b, h / G, j, d]
    s             = softcap * tanh(s / softcap)            if softcap is set
    s             = s + M[b, h, i, j]                      additive float mask
    s             = -inf where M[b, h, i, j] is false      i1 keep-mask
    s             = -inf where j > p(i)                    if causal
    s             = -inf where p(i) - j >= window          if window is set
                    (and where j - p(i) >= window when not causal)
    P             = softmax over j of s (exp(-inf) = 0)
    O[b, h, i, e] = sum_j P[b, h, i, j] * V[b, h / G, j, e]
    ```

    with `Q : [B, Hq, Sq, D]`, `K : [B, Hkv, Skv, D]`, `V : [B, Hkv, Skv, Dv]`,
    `O : [B, Hq, Sq, Dv]`, `G = Hq / Hkv` (GQA; MQA when `Hkv = 1`), and the
    absolute position of query row `i` being `p(i) = Skv - Sq + i` (causal
    masking is aligned to the bottom-right corner, so a chunk of new queries
    attends to everything before it). `scale` defaults to `1/sqrt(D)`.
    Cross-attention is the same op with `Skv != Sq` and no `causal`.

    The modifiers `causal`, `window(w)`, `softcap(c)` and `scale(s)` (also
    those of `attn.masked_softmax` and `attn.decode_attention`) precede `ins`,
    each at most once, in any order; they print in this order.

    The optional mask operand is rank 4 and broadcastable to
    `[B, Hq, Sq, Skv]` (every dimension is 1 or the full size; a dimension
    that broadcasts is a static 1, a dynamic one must have the full size at
    run time, which is checked): `i1` means
    "keep where true", a float type is added to the scores. A query row whose
    keys are all masked produces zeros, never NaN. Softmax statistics and
    accumulation are in f32 whatever the element type.

    ```mlir
    %o = attn.attention causal window(4096)
        ins(%q, %k, %v : tensor<2x32x128x128xf16>, tensor<2x8x512x128xf16>,
                         tensor<2x8x512x128xf16>)
        mask(%pad : tensor<2x1x1x512xi1>)
        outs(%o0 : tensor<2x32x128x128xf16>) -> tensor<2x32x128x128xf16>
    ```
  }];
  let arguments = (ins
    Attn_FloatTensor:$query,
    Attn_FloatTensor:$key,
    Attn_FloatTensor:$value,
    Optional<Attn_MaskTensor>:$mask,
    Attn_FloatTensor:$init,
    UnitAttr:$causal,
    OptionalAttr<I64Attr>:$window,
    OptionalAttr<F32Attr>:$softcap,
    OptionalAttr<F32Attr>:$scale
  );
  let results = (outs Attn_FloatTensor:$result);
  let assemblyFormat = [{
    custom<ScoreModifiers>($causal, $window, $softcap, $scale)
    `(` $query `,` $key `,` $value `:`
              type($query) `,` type($key) `,` type($value) `)`
    (`mask` `(` $mask^ `:` type($mask) `)`)?
    `outs` `(` $init `:` type($init) `)`
    attr-dict `->` type($result)
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
    /// The score scale: the `scale` attribute, or 1/sqrt(D) by default.
    float getScaleOrDefault();
  }];
}

//===----------------------------------------------------------------------===//
// attn.masked_softmax
//===----------------------------------------------------------------------===//

def Attn_MaskedSoftmaxOp : Attn_Op<"masked_softmax"> {
  let summary = "softmax over the last dimension with attention masks";
  let description = [{
    The unfused middle of attention: for scores `S : [..., Sq, Skv]`,

    ```
    s = scale * S[..., i, j]
    s = softcap * tanh(s / softcap)             if softcap is set
    s = s + M[..., i, j]  or  -inf where !M      mask operand
    s = -inf where j > p(i)                      if causal
    s = -inf where p(i) - j >= window            if window is set
    R[..., i, j] = exp(s - max_j s) / sum_j exp(s - max_j s)
    ```

    with `p(i) = Skv - Sq + i` and the same mask rules as `attn.attention`
    (the mask operand has the rank of `S`, each dimension a static 1 or the
    full size).
    `scale` defaults to 1. A fully masked row gives zeros.

    ```mlir
    %p = attn.masked_softmax causal scale(0.125)
        ins(%s : tensor<1x12x64x64xf32>)
        outs(%p0 : tensor<1x12x64x64xf32>) -> tensor<1x12x64x64xf32>
    ```
  }];
  let arguments = (ins
    Attn_FloatTensor:$input,
    Optional<Attn_MaskTensor>:$mask,
    Attn_FloatTensor:$init,
    UnitAttr:$causal,
    OptionalAttr<I64Attr>:$window,
    OptionalAttr<F32Attr>:$softcap,
    OptionalAttr<F32Attr>:$scale
  );
  let results = (outs Attn_FloatTensor:$result);
  let assemblyFormat = [{
    custom<ScoreModifiers>($causal, $window, $softcap, $scale)
    `(` $input `:` type($input) `)`
    (`mask` `(` $mask^ `:` type($mask) `)`)?
    `outs` `(` $init `:` type($init) `)`
    attr-dict `->` type($result)
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
    /// The score scale: the `scale` attribute, or 1 by default.
    float getScaleOrDefault() {
      return getScale() ? getScale()->convertToFloat() : 1.0f;
    }
  }];
}

//===----------------------------------------------------------------------===//
// attn.out_proj
//===----------------------------------------------------------------------===//

def Attn_OutProjOp : Attn_Op<"out_proj"> {
  let summary = "merge attention heads and project back to the model dim";
  let description = [{
    ```
    Y[b, s, m] = sum_{h, e} O[b, h, s, e] * Wo[h * Dv + e, m]  (+ bias[m])
    ```

    with `O : [B, H, S, Dv]`, `Wo : [H*Dv, Dm]` (`[Dm, H*Dv]` with
    `layout(out_in)`), `bias : [Dm]` and `Y : [B, S, Dm]`. Products accumulate
    in f32.

    ```mlir
    %y = attn.out_proj ins(%o : tensor<1x12x16x64xf32>)
        weight(%w : tensor<768x768xf32>) bias(%b : tensor<768xf32>)
        outs(%y0 : tensor<1x16x768xf32>) -> tensor<1x16x768xf32>
    ```
  }];
  let arguments = (ins
    Attn_FloatTensor:$input,
    Attn_FloatTensor:$weight,
    Optional<Attn_FloatTensor>:$bias,
    Attn_FloatTensor:$init,
    DefaultValuedAttr<Attn_WeightLayoutAttr,
                      "::mlir::attn::WeightLayout::InOut">:$weight_layout
  );
  let results = (outs Attn_FloatTensor:$result);
  let assemblyFormat = [{
    custom<WeightLayout>($weight_layout)
    `ins` `(` $input `:` type($input) `)`
    `weight` `(` $weight `:` type($weight) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    `outs` `(` $init `:` type($init) `)`
    attr-dict `->` type($result)
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
  }];
}

//===----------------------------------------------------------------------===//
// attn.kv_append
//===----------------------------------------------------------------------===//

def Attn_KVAppendOp : Attn_Op<"kv_append"> {
  let summary = "write new key/value rows into a contiguous or paged cache";
  let description = [{
    Writes `K_new : [B, Hkv, Snew, D]` and `V_new : [B, Hkv, Snew, Dv]` into
    the caches, the first new row of sequence `b` at logical position
    `start[b]`, and returns the updated caches (in place after
    bufferization: the caches are the destinations).

    Contiguous caches are `[B, Hkv, Smax, D]`:

    ```
    Kc[b, h, start[b] + t, d] = K_new[b, h, t, d]     for t < Snew
    ```

    With a `block_table : [B, max_blocks]`, the caches are paged,
    `[num_blocks, Hkv, block_size, D]`, and logical position `p` of sequence
    `b` lives in physical block `block_table[b, p / block_size]` at slot
    `p % block_size`.

    The caches have the element type of `K_new` and `V_new`, or, when those
    are f32, f16 or bf16: a low-precision cache, into which each new row is
    rounded to nearest (ties to even) as it is written.

    Writing past the end of a contiguous cache (`start[b] + Snew > Smax`),
    past the block table, or through a block id outside `[0, num_blocks)` is
    a runtime error (the reference lowering asserts), never an overflow.

    ```mlir
    %kc, %vc = attn.kv_append
        ins(%k, %v : tensor<1x8x1x64xf16>, tensor<1x8x1x64xf16>)
        at(%pos : tensor<1xi32>)
        block_table(%table : tensor<1x64xi32>)
        outs(%kcache, %vcache : tensor<256x8x16x64xf16>, tensor<256x8x16x64xf16>)
        -> tensor<256x8x16x64xf16>, tensor<256x8x16x64xf16>
    ```
  }];
  let arguments = (ins
    Attn_FloatTensor:$key,
    Attn_FloatTensor:$value,
    Attn_IndexTensor:$start,
    Optional<Attn_IndexTensor>:$block_table,
    Attn_FloatTensor:$key_cache,
    Attn_FloatTensor:$value_cache
  );
  let results = (outs Attn_FloatTensor:$key_cache_result,
                      Attn_FloatTensor:$value_cache_result);
  let assemblyFormat = [{
    `ins` `(` $key `,` $value `:` type($key) `,` type($value) `)`
    `at` `(` $start `:` type($start) `)`
    (`block_table` `(` $block_table^ `:` type($block_table) `)`)?
    `outs` `(` $key_cache `,` $value_cache `:`
               type($key_cache) `,` type($value_cache) `)`
    attr-dict `->` type($key_cache_result) `,` type($value_cache_result)
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() {
      return MutableOperandRange(*this,
          getKeyCacheMutable().getOperandNumber(), /*length=*/2);
    }
    bool isPaged() { return static_cast<bool>(getBlockTable()); }
  }];
}

//===----------------------------------------------------------------------===//
// attn.decode_attention
//===----------------------------------------------------------------------===//

def Attn_DecodeAttentionOp : Attn_Op<"decode_attention"> {
  let summary = "attention of new query rows against a contiguous or paged "
                "KV cache";
  let description = [{
    The decode step: `Q : [B, Hq, Sq, D]` holds the newest `Sq` rows of each
    sequence (one token, a speculative draft or a prefill chunk), and the
    caches hold every key and value up to `seq_lens[b]`, the new rows
    included. Keys at positions `j >= seq_lens[b]` do not exist; query row `i`
    sits at absolute position `p(i) = seq_lens[b] - Sq + i`. Then

    ```
    O[b, h, i, :] = attention(Q[b, h, i, :], K[b, h / G, 0 : seq_lens[b], :],
                              V[b, h / G, 0 : seq_lens[b], :])
    ```

    with the `causal`, `window`, `softcap` and `scale` rules of
    `attn.attention` (`scale` defaults to `1/sqrt(D)`). Contiguous caches are
    `[B, Hkv, Smax, D]` / `[B, Hkv, Smax, Dv]`; with a
    `block_table : [B, max_blocks]` they are paged,
    `[num_blocks, Hkv, block_size, D]`, addressed as in `attn.kv_append`.
    The caches have the query's element type, or, with an f32 query and
    result, f16 or bf16: a low-precision cache, whose rows are read in their
    type and widened to f32 (scores, softmax and accumulation stay f32).
    A sequence of length 0 produces zeros. A length above the cache
    capacity, or a block id outside `[0, num_blocks)` for a position below the
    length, is a runtime error (the reference lowering asserts).

    ```mlir
    %o = attn.decode_attention causal
        ins(%q, %kc, %vc : tensor<4x32x1x128xf16>, tensor<4x8x4096x128xf16>,
                           tensor<4x8x4096x128xf16>)
        seq_lens(%lens : tensor<4xi32>)
        outs(%o0 : tensor<4x32x1x128xf16>) -> tensor<4x32x1x128xf16>
    ```
  }];
  let arguments = (ins
    Attn_FloatTensor:$query,
    Attn_FloatTensor:$key_cache,
    Attn_FloatTensor:$value_cache,
    Attn_IndexTensor:$seq_lens,
    Optional<Attn_IndexTensor>:$block_table,
    Attn_FloatTensor:$init,
    UnitAttr:$causal,
    OptionalAttr<I64Attr>:$window,
    OptionalAttr<F32Attr>:$softcap,
    OptionalAttr<F32Attr>:$scale
  );
  let results = (outs Attn_FloatTensor:$result);
  let assemblyFormat = [{
    custom<ScoreModifiers>($causal, $window, $softcap, $scale)
    `(` $query `,` $key_cache `,` $value_cache `:`
              type($query) `,` type($key_cache) `,` type($value_cache) `)`
    `seq_lens` `(` $seq_lens `:` type($seq_lens) `)`
    (`block_table` `(` $block_table^ `:` type($block_table) `)`)?
    `outs` `(` $init `:` type($init) `)`
    attr-dict `->` type($result)
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
    bool isPaged() { return static_cast<bool>(getBlockTable()); }
    /// The score scale: the `scale` attribute, or 1/sqrt(D) by default.
    float getScaleOrDefault();
    /// The number of positions each sequence can hold: `Smax`, or
    /// `max_blocks * block_size` when paged.
    Value buildCapacity(OpBuilder &b);
    /// Emits the run-time checks every lowering performs first: each length
    /// within [0, capacity] and, when paged, each block id a sequence uses
    /// within [0, num_blocks). A failure aborts with the op's location.
    void buildRuntimeChecks(OpBuilder &b);
  }];
}

#endif // ATTNC_DIALECT_ATTN_IR_ATTNOPS_TD
