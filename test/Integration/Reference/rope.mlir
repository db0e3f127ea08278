// Executing check of the reference lowering (--attn-decompose) of attn.rope
// against an independent float64 implementation of the math documented in
// AttnOps.td: random inputs from a fixed seed, run through the CPU pipeline in
// mlir-runner, output bits compared with check_reference.py's pure-Python
// reference. The generated modules are kept in %t for debugging; run
//   check_reference.py --list
// for every case, or any case by name to reproduce it.
//
// RUN: %python %S/check_reference.py --attnc-opt attnc-opt \
// RUN:   --mlir-runner mlir-runner --mlir-lib-dir=%mlir_lib_dir --keep %t \
// RUN:   rope_half rope_interleaved rope_half_rank2_positions \
// RUN:   rope_interleaved_rank2_positions rope_half_partial_theta \
// RUN:   rope_interleaved_partial_theta rope_f16
