// Low-precision KV caches (issue 14 item 4): attn.kv_append of f32 rows into
// f16 and bf16 caches (contiguous and paged, rows at the end of the cache;
// the caches must be bit-exact: every new element rounded to nearest even,
// with a quarter of them exact ties), and attn.decode_attention of f32
// queries against f16/bf16 caches (GQA and MQA, split-KV, head dims 24 and
// 40 with masked tails, causal and symmetric windows, soft-capping, a
// prefill chunk, sequences that fill the cache, paged blocks of 12 and 16
// positions), plus a prefill + append + decode whose keys and values pass
// through a low-precision cache. The float64 reference reads the cache's
// values exactly, so the f32 tolerance holds: ||out - ref|| / ||ref|| <
// 1e-5 (case_def.F32_REL_TOL). Every case runs JIT and AOT, on fused
// kernels only (--expect-fused). See kv_cache.mlir for running one by hand.
//
// RUN: rm -rf %t && %python %S/run_cases.py --attnc attnc \
// RUN:   --attnc-run attnc-run --keep %t --expect-fused kv_cache_lowp
