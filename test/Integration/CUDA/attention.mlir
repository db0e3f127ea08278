// Executes attn.attention on the GPU: f16/bf16/f32, causal (also Sq < Skv),
// window, softcap, i1 and additive masks, GQA, head dim 128, Sq = 77, a
// fully masked row, dynamic batch and sequence sizes. Each case is compiled
// with `attnc compile --target=cuda --gpu-chip=%cuda_chip`, run with
// `attnc-call --device cuda` on buffers poisoned with NaN first
// (ATTNC_CUDA_POISON=1), and compared with its float64 numpy reference:
// ||out - ref|| / ||ref|| under 1e-5 (f32), 2e-3 (f16), 1e-2 (bf16), no
// NaN/Inf, fully masked rows exactly 0 (tools/gpu/check.py).
//
// The cases are those of the device check kit (tools/gpu/gpu_cases.py,
// built on test/Integration/CPU's case builders); to rerun by hand:
//   python3 tools/gpu/make_bundle.py --target cuda --chips sm_90a \
//     --attnc build/bin/attnc --runner build/bin/attnc-call --runner-in-place \
//     --no-bench --out /tmp/b --cases attn_f16_gqa_8_2_s77
//   python3 /tmp/b/check.py /tmp/b --no-bench --keep-scratch
//
// RUN: rm -rf %t && %python %attnc_src_root/tools/gpu/make_bundle.py \
// RUN:   --target cuda --chips %cuda_chip --attnc attnc --runner attnc-call \
// RUN:   --runner-in-place --no-bench --out %t --cases attn_f16_d64,attn_bf16_causal_d64,attn_f32_causal_d64,attn_f16_causal_gqa_d128,attn_f16_causal_sq_lt_skv,attn_f16_window_causal,attn_bf16_softcap_causal,attn_f16_mask_i1_padding,attn_f32_mask_add_f32_full,attn_f16_gqa_8_2_s77,attn_f16_fully_masked_rows,attn_f16_dynamic_causal
// RUN: %python %t/check.py %t --no-bench --no-sanitize
