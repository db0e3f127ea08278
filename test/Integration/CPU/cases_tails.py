"""Head dims that are not a multiple of the vector width (group
'head_dim_tails'): the fused kernels pad their tiles to whole vectors and
read the last vector of each row with a mask. D = 24 is the demo model's
(tiny GPT-2: 96 / 4 heads); 40, 72, 80 and 8 are not multiples of 16
(AVX-512), and 20, 12 and 36 not multiples of 8 (AVX2) either, so that
every host runs a tail. run_cases.py --expect-fused fails a case whose ops
take the reference lowering."""

from cases_attention import attention_case, padding_mask, random_keep_mask
from cases_kv import decode_case, prefill_decode_case
from cases_ops import out_proj_case, qkv_case

T = "head_dim_tails"


def attention_cases():
    return [
        # (B, Hq, Hkv, Sq, Skv, D, Dv)
        attention_case("tail_attention_d24_causal", T,
                       (1, 4, 4, 37, 37, 24, 24), causal=True),
        attention_case("tail_attention_d40_gqa_window", T,
                       (2, 4, 2, 29, 45, 40, 40), causal=True, window=11),
        attention_case("tail_attention_d8_cross", T,
                       (1, 2, 2, 5, 19, 8, 8)),
        attention_case("tail_attention_d72_padding_mask", T,
                       (2, 2, 1, 13, 33, 72, 72),
                       mask=padding_mask([33, 20])),
        attention_case("tail_attention_d80_keep_mask_softcap", T,
                       (1, 3, 3, 17, 17, 80, 80), causal=True, softcap=8.0,
                       spread=1.5, mask=random_keep_mask([(0, 1, 4)])),
        attention_case("tail_attention_d20_dv36_mqa", T,
                       (1, 4, 1, 9, 23, 20, 36), window=7),
        attention_case("tail_attention_d12_s1", T, (2, 2, 2, 1, 1, 12, 12)),
        attention_case("tail_attention_f16_d24_causal_gqa", T,
                       (1, 4, 2, 33, 33, 24, 24), "f16", causal=True),
        attention_case("tail_attention_bf16_d40_window", T,
                       (1, 2, 2, 21, 30, 40, 40), "bf16", causal=True,
                       window=9),
        attention_case("tail_attention_f16_d72_padding", T,
                       (2, 2, 2, 7, 25, 72, 72), "f16",
                       mask=padding_mask([25, 10])),
        attention_case("tail_attention_bf16_d8_dv20", T,
                       (1, 2, 1, 11, 11, 8, 20), "bf16", causal=True),
    ]


def decode_cases():
    for case in [
        # b, hq, hkv, sq, d, dv, lens
        decode_case("tail_decode_d24_contiguous", 2, 4, 4, 1, 24, 24,
                    [1, 37], smax=40),
        decode_case("tail_decode_d40_gqa_chunk_causal", 2, 8, 2, 3, 40, 40,
                    [5, 29], smax=32, causal=True),
        decode_case("tail_decode_d72_paged_window", 2, 4, 2, 1, 72, 72,
                    [19, 33], paged=(8, 12, 5), causal=True, window=9),
        decode_case("tail_decode_d80_split_kv", 1, 4, 1, 1, 80, 80, [700],
                    smax=720),
        decode_case("tail_decode_d8_dv20_paged_odd_block", 2, 2, 1, 2, 8,
                    20, [0, 13], paged=(5, 9, 4), pad=-1, causal=True,
                    softcap=6.0),
        decode_case("tail_decode_f16_d24_paged", 2, 4, 4, 1, 24, 24,
                    [9, 31], "f16", paged=(16, 6, 2), causal=True),
        decode_case("tail_decode_bf16_d40_gqa", 1, 8, 2, 1, 40, 40, [300],
                    "bf16", smax=320),
        decode_case("tail_decode_f16_d12_split_kv", 1, 2, 1, 2, 12, 12,
                    [600], "f16", smax=600, causal=True),
        prefill_decode_case("tail_prefill_then_decode_d24", 2, 4, 4, 30, 1,
                            24, [31, 12], smax=48),
        prefill_decode_case("tail_prefill_then_chunk_paged_d40", 1, 4, 2,
                            20, 3, 40, [23], paged=(8, 6, 4), window=10),
    ]:
        case.group = T
        yield case


def projection_cases():
    for case in [
        # b, s, dm, hq, hkv, d, dv: the demo model's fused GPT-2 projection
        qkv_case("tail_qkv_d24_fused_bias", 1, 9, 96, 4, 4, 24, 24,
                 fused=True, bias=True),
        qkv_case("tail_qkv_d24_fused_bias_decode", 2, 1, 96, 4, 4, 24, 24,
                 fused=True, bias=True),
        qkv_case("tail_qkv_d40_gqa_rope", 2, 7, 64, 4, 2, 40, 40,
                 rope=("half", 10000.0, 40, (7,), "epilogue")),
        qkv_case("tail_qkv_d72_out_in_rope_interleaved", 1, 5, 64, 2, 1, 72,
                 72, out_in=True,
                 rope=("interleaved", 10000.0, 64, (5,), "separate")),
        qkv_case("tail_qkv_d8_dv20", 1, 13, 32, 2, 2, 8, 20),
        qkv_case("tail_qkv_d80_bf16_weights_out_in", 1, 6, 32, 2, 2, 80, 80,
                 out_in=True, w_elt="bf16"),
        out_proj_case("tail_out_proj_d24_bias", 1, 4, 9, 24, 96, bias=True),
        out_proj_case("tail_out_proj_d40_out_in", 2, 2, 3, 40, 48,
                      out_in=True),
        out_proj_case("tail_out_proj_d36_decode", 2, 3, 1, 36, 40),
    ]:
        case.group = T
        yield case


def cases():
    return attention_cases() + list(decode_cases()) + \
        list(projection_cases())
