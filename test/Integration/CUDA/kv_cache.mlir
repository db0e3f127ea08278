// Executes attn.kv_append (contiguous and paged, in place, bit-exact) and
// attn.decode_attention (contiguous and paged caches, lengths 0 and equal
// to the capacity, Sq = 1 and 4, GQA, a context of 8192 that needs split-KV)
// on the GPU against float64 references; see attention.mlir for how.
//
// RUN: rm -rf %t && %python %attnc_src_root/tools/gpu/make_bundle.py \
// RUN:   --target cuda --chips %cuda_chip --attnc attnc --runner attnc-call \
// RUN:   --runner-in-place --no-bench --out %t --cases kv_append_f16_contig,kv_append_f16_paged,kv_append_bf16_paged_decode,decode_f16_contig_gqa,decode_bf16_paged_spec4,decode_f16_paged,decode_f16_long_8192
// RUN: %python %t/check.py %t --no-bench --no-sanitize
