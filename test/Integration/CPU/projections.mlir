// Executes attn.qkv_proj (separate weights + biases, fused + fused bias,
// layout(out_in) with MQA and Dv != D, fused out_in) and attn.out_proj (bias,
// out_in, out_in + bias).
//
// Every case runs through the user-facing tools twice: `attnc-run call` on
// the module (JIT) and `attnc compile --target=cpu` to a .so that
// `attnc-run call` loads (AOT). Outputs are checked against a float64 numpy
// reference (npref.py): f32 ||out - ref|| / ||ref|| < 1e-5, f16/bf16 by the
// FlashAttention criterion, KV caches bit-exact, no NaN/Inf, fully masked
// rows exactly 0. See run_cases.py for the details. --expect-fused: every
// case runs on the fused kernels, but the one meant to fall back (bf16
// [in, out] weights of a partial column block), which must say so.
//
// By hand (from the source tree; --list shows every case and its group):
//   /usr/bin/python3 test/Integration/CPU/run_cases.py \
//     --attnc build/bin/attnc --attnc-run build/bin/attnc-run \
//     --keep /tmp/cpu <case or group>
// then /tmp/cpu/<case>/ holds module.mlir, the .npy inputs and outputs, and
// repro.sh with the exact attnc / attnc-run commands.
//
// RUN: rm -rf %t && %python %S/run_cases.py --attnc attnc \
// RUN:   --attnc-run attnc-run --keep %t --expect-fused projections
