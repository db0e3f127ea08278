// Executing check of the reference lowering (--attn-decompose) of attn.masked_softmax
// against an independent float64 implementation of the math documented in
// AttnOps.td: random inputs from a fixed seed, run through the CPU pipeline in
// mlir-runner, output bits compared with check_reference.py's pure-Python
// reference. The generated modules are kept in %t for debugging; run
//   check_reference.py --list
// for every case, or any case by name to reproduce it.
//
// RUN: %python %S/check_reference.py --attnc-opt attnc-opt \
// RUN:   --mlir-runner mlir-runner --mlir-lib-dir=%mlir_lib_dir --keep %t \
// RUN:   masked_softmax_rank4_causal_mask masked_softmax_rank3_causal_mask \
// RUN:   masked_softmax_rank3_i1_mask_full masked_softmax_window_softcap \
// RUN:   masked_softmax_window_symmetric masked_softmax_fully_masked_rows \
// RUN:   masked_softmax_no_options masked_softmax_f16
