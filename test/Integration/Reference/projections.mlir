// Executing check of the reference lowering (--attn-decompose) of attn.qkv_proj and attn.out_proj
// against an independent float64 implementation of the math documented in
// AttnOps.td: random inputs from a fixed seed, run through the CPU pipeline in
// mlir-runner, output bits compared with check_reference.py's pure-Python
// reference. The generated modules are kept in %t for debugging; run
//   check_reference.py --list
// for every case, or any case by name to reproduce it.
//
// RUN: %python %S/check_reference.py --attnc-opt attnc-opt \
// RUN:   --mlir-runner mlir-runner --mlir-lib-dir=%mlir_lib_dir --keep %t \
// RUN:   qkv_proj_separate_bias qkv_proj_separate_nobias qkv_proj_fused \
// RUN:   qkv_proj_fused_bias qkv_proj_out_in qkv_proj_out_in_bias \
// RUN:   qkv_proj_fused_out_in_bias qkv_proj_bf16 \
// RUN:   out_proj_bias out_proj_nobias out_proj_out_in_bias \
// RUN:   out_proj_out_in_nobias
