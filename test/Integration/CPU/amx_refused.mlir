// The AMX kernels' fallback: bf16 linear layers, projections and attention
// compiled for the host with AMX-TILE and AMX-BF16 added to its features (so
// that the AMX kernels and their run-time choice are compiled on any
// AVX512-BF16 host) and run in a process whose arch_prctl(ARCH_REQ_XCOMP_PERM)
// fails (refuse_amx.py, a seccomp filter), beside the host's own library in
// an ordinary process. The refused process must take the AVX-512 form of
// each kernel (a tile instruction there would be SIGILL, on a host without
// AMX an invalid opcode) and both must pass the float64 reference checks of
// run_cases.py.
//
// By hand:
//   /usr/bin/python3 test/Integration/CPU/run_cases.py \
//     --attnc build/bin/attnc --attnc-run build/bin/attnc-run \
//     --paths aot,amx-refused --keep /tmp/cpu linear_bf16_out_in_tails
//
// RUN: rm -rf %t && %python %S/run_cases.py --attnc attnc \
// RUN:   --attnc-run attnc-run --keep %t --expect-fused \
// RUN:   --paths aot,amx-refused linear_bf16_out_in_tails \
// RUN:   linear_bf16_in_out_blocked_odd_k qkv_bf16_weights_llama \
// RUN:   attention_bf16_causal_s256_d64 attention_bf16_d128_cross
