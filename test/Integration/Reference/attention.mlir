// Executing check of the reference lowering (--attn-decompose) of attn.attention
// against an independent float64 implementation of the math documented in
// AttnOps.td: random inputs from a fixed seed, run through the CPU pipeline in
// mlir-runner, output bits compared with check_reference.py's pure-Python
// reference. The generated modules are kept in %t for debugging; run
//   check_reference.py --list
// for every case, or any case by name to reproduce it.
//
// RUN: %python %S/check_reference.py --attnc-opt attnc-opt \
// RUN:   --mlir-runner mlir-runner --mlir-lib-dir=%mlir_lib_dir --keep %t \
// RUN:   attention_basic attention_causal attention_causal_bottom_right \
// RUN:   attention_causal_sq_gt_skv attention_window_causal \
// RUN:   attention_window_symmetric attention_window_sq_lt_skv_causal \
// RUN:   attention_mask_padding_i1 attention_mask_additive_f32 \
// RUN:   attention_mask_additive_causal attention_mask_full_rank_i1 \
// RUN:   attention_mask_full_rank_causal attention_mask_head_broadcast \
// RUN:   attention_gqa attention_mqa attention_cross attention_dv_ne_d \
// RUN:   attention_softcap attention_scale attention_fully_masked_row_i1 \
// RUN:   attention_all_options attention_f16 attention_bf16
