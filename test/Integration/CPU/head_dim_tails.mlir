// Executes the fused kernels on head dims that are not a multiple of the
// vector width (cases_tails.py): attn.attention (causal, window, i1 and
// padding masks, softcap, GQA/MQA, Dv != D, Sq = 1), attn.decode_attention
// (contiguous, paged with block sizes that are and are not multiples of the
// vector width, split-KV, after kv_append), attn.qkv_proj (fused GPT-2
// weight with bias, RoPE epilogue, out_in, bf16 weights) and attn.out_proj,
// in f32, f16 and bf16, for D = 24 (the demo model), 40, 72, 80, 8, 20, 12,
// 36. Outputs are checked against float64 numpy (run_cases.py states the
// tolerances), and --expect-fused fails any case whose ops take the
// reference lowering (attnc / attnc-run --report-fallbacks).
//
// RUN: rm -rf %t && %python %S/run_cases.py --attnc attnc \
// RUN:   --attnc-run attnc-run --keep %t --expect-fused head_dim_tails
