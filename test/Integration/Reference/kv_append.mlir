// Executing check of the reference lowering (--attn-decompose) of attn.kv_append
// against an independent float64 implementation of the math documented in
// AttnOps.td: random inputs from a fixed seed, run through the CPU pipeline in
// mlir-runner, output bits compared with check_reference.py's pure-Python
// reference. The generated modules are kept in %t for debugging; run
//   check_reference.py --list
// for every case, or any case by name to reproduce it.
//
// The whole returned caches are compared bit for bit: written rows must hold
// the new keys/values, every other row must be unchanged.
//
// RUN: %python %S/check_reference.py --attnc-opt attnc-opt \
// RUN:   --mlir-runner mlir-runner --mlir-lib-dir=%mlir_lib_dir --keep %t \
// RUN:   kv_append_contiguous_start0 kv_append_contiguous \
// RUN:   kv_append_contiguous_decode kv_append_paged kv_append_paged_decode \
// RUN:   kv_append_paged_f16
