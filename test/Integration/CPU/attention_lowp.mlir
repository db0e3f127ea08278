// Executes attn.attention in f16 and bf16 (causal GQA, padding mask with
// cross-attention, f16 additive mask, bf16 window + softcap + masked row),
// judged as FlashAttention does: the error against float64 at most twice the
// error of the same math computed in numpy at that precision.
//
// Every case runs through the user-facing tools twice: `attnc-run call` on
// the module (JIT) and `attnc compile --target=cpu` to a .so that
// `attnc-run call` loads (AOT). Outputs are checked against a float64 numpy
// reference (npref.py): f32 ||out - ref|| / ||ref|| < 1e-5, f16/bf16 by the
// FlashAttention criterion, KV caches bit-exact, no NaN/Inf, fully masked
// rows exactly 0. See run_cases.py for the details. --expect-fused: every
// op runs on a fused kernel (no reference-lowering remark).
//
// By hand (from the source tree; --list shows every case and its group):
//   /usr/bin/python3 test/Integration/CPU/run_cases.py \
//     --attnc build/bin/attnc --attnc-run build/bin/attnc-run \
//     --keep /tmp/cpu <case or group>
// then /tmp/cpu/<case>/ holds module.mlir, the .npy inputs and outputs, and
// repro.sh with the exact attnc / attnc-run commands.
//
// RUN: rm -rf %t && %python %S/run_cases.py --attnc attnc \
// RUN:   --attnc-run attnc-run --keep %t --expect-fused attention_lowp
//
// The bf16 cases and the f16 ones with masks again, compiled for AVX2
// without AVX-512 (--paths avx2: 8-lane vectors, 6-row tiles, bf16 widened
// in registers, no vdpbf16ps), which this host runs. Such libraries once
// called compiler-rt's __truncsfbf2 (bf16 selects of the rounding and of
// masked bf16 mask reads) and did not load.
// RUN: %python %S/run_cases.py --attnc attnc --attnc-run attnc-run \
// RUN:   --keep %t/avx2 --expect-fused --paths avx2 \
// RUN:   attention_bf16_causal attention_bf16_window_softcap_masked_row \
// RUN:   attention_bf16_additive_mask_heads_causal \
// RUN:   attention_bf16_d9_dv20_causal attention_bf16_mqa_d128_window \
// RUN:   attention_f16_additive_mask attention_f16_keep_mask_window_softcap \
// RUN:   attention_bf16_nan_key_causal
