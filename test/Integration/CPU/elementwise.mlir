// Executes arith and math ops on whole tensors (the caller's own code around
// attn ops: addf, mulf, divf, maximumf, exp, absf), static and dynamic
// shapes, through `attnc-run call` (JIT) and `attnc compile` (AOT); outputs
// against a float64 numpy reference, ||out - ref|| / ||ref|| < 1e-5. The
// CPU pipeline rewrites them as linalg.generic before bufferization, which
// refused them ("op was not bufferized").
//
// By hand:
//   /usr/bin/python3 test/Integration/CPU/run_cases.py \
//     --attnc build/bin/attnc --attnc-run build/bin/attnc-run elementwise
//
// RUN: rm -rf %t && %python %S/run_cases.py --attnc attnc \
// RUN:   --attnc-run attnc-run --keep %t --expect-fused elementwise
