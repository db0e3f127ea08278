// Executes the linear layers that attnc-matmul-cpu lowers (the MLP, output
// projection and lm_head of the model IR), as linalg.generic contractions
// over [B, S, K] activations: [in, out] weights through the streaming
// split-K kernel (fewer than 6 rows) and the blocked, panel-packed kernel
// (6 rows and more, with row, panel and column tails), [out, in] weights
// through the dot-product kernel; starting from a broadcast bias, from an
// accumulator argument, or from zeros.
//
// Every case runs through `attnc-run call` (JIT) and `attnc compile` to a
// .so (AOT); outputs are checked against a float64 numpy reference:
// ||out - ref|| / ||ref|| < 1e-5 (bf16 weights on an AVX512-BF16 host: the
// low-precision criterion, see run_cases.py). --expect-fused: every layer
// runs on a kernel, but the one meant to take the loop lowering (bf16
// [in, out] weights of a partial column block), which must say so.
//
// By hand:
//   /usr/bin/python3 test/Integration/CPU/run_cases.py \
//     --attnc build/bin/attnc --attnc-run build/bin/attnc-run \
//     --keep /tmp/cpu linear
//
// RUN: rm -rf %t && %python %S/run_cases.py --attnc attnc \
// RUN:   --attnc-run attnc-run --keep %t --expect-fused linear
