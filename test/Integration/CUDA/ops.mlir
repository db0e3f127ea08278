// Executes attn.rope (half/interleaved, partial, rank-1 and rank-2
// positions), attn.qkv_proj (separate/fused weights, biases, layout(out_in),
// RoPE epilogue), attn.out_proj and attn.masked_softmax on the GPU against
// float64 references; see attention.mlir for how.
//
// RUN: rm -rf %t && %python %attnc_src_root/tools/gpu/make_bundle.py \
// RUN:   --target cuda --chips %cuda_chip --attnc attnc --runner attnc-call \
// RUN:   --runner-in-place --no-bench --out %t --cases rope_f32_half_rank1,rope_f32_interleaved_rank2_i32,rope_f16_half_rank2,qkv_separate_bias,qkv_fused_out_in_bias_dv,qkv_rope_half_out_in,out_proj_bias,out_proj_out_in,softmax_f32_window_causal_softcap_add_mask,softmax_f16_causal_i1_mask
// RUN: %python %t/check.py %t --no-bench --no-sanitize
