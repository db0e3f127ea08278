// Executing check of the reference lowering (--attn-decompose) of attn.decode_attention
// against an independent float64 implementation of the math documented in
// AttnOps.td: random inputs from a fixed seed, run through the CPU pipeline in
// mlir-runner, output bits compared with check_reference.py's pure-Python
// reference. The generated modules are kept in %t for debugging; run
//   check_reference.py --list
// for every case, or any case by name to reproduce it.
//
// RUN: %python %S/check_reference.py --attnc-opt attnc-opt \
// RUN:   --mlir-runner mlir-runner --mlir-lib-dir=%mlir_lib_dir --keep %t \
// RUN:   decode_contiguous decode_contiguous_causal_sq2 \
// RUN:   decode_contiguous_window_softcap decode_paged decode_paged_causal_sq2 \
// RUN:   decode_paged_mqa_zero_len decode_paged_full_capacity decode_paged_f16
