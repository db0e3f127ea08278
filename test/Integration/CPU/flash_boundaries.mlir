// Executes the fused CPU attention kernel (attn-flash-cpu, the default of
// attnc-run and attnc compile) on f32 shapes around its tile boundaries and
// compares it with a float64 NumPy reference and with the unfused reference
// lowering (`attnc-run --reference`, attn-decompose only).
//
// The kernel works on blocks of Br = 8 query rows (6 with AVX2, whose 16
// vector registers hold fewer) and Bc = 2 * VL keys (32 with AVX-512, 16
// with AVX2), skips the key blocks that causal or
// sliding-window masks hide from a whole query block and masks only the
// blocks that straddle a mask edge or the end of the keys. The 45 cases
// (flash_boundaries.py, --list) cover:
//   - Sq in {1, 7, 8, 9, 10, 31, 33, 63, 64, 65, 129, 1024} and Skv in {1, 5,
//     32, 33, 40, 63, 64, 65, 130, 200}: partial query and key blocks, Sq = 1
//     decoding;
//   - D in {16, 64, 80, 128}, Dv in {16, 48, 64, 128}, B = 2, MHA, GQA 2:1
//     and 4:1, MQA, an explicit scale, large logits (Q, K scaled by 2 or 3);
//   - causal (bottom-right aligned) with Sq <= Skv and Sq > Skv, where the
//     leading rows, and in some cases whole query blocks, see no key and must
//     be exactly 0;
//   - windows W in {1, 2, 3, 32, 33, 100} with and without causal, including
//     symmetric windows where whole query blocks see no key;
//   - shapes that put an edge of a tile's key range (window start, causal or
//     window end, end of the unmasked blocks) exactly on a key block
//     boundary, where an off-by-one in the range computation changes the
//     result (each such off-by-one, applied to the pass by hand, made this
//     test fail when it was written);
//   - dynamic B, Sq and Skv;
//   - 4096 tiles in one call (B * Hq * ceil(Sq / Br)).
// Tolerance: ||out - ref||_2 / ||ref||_2 < 1e-5 against float64 for every
// path, and the same between the fused and --reference outputs; NaN or Inf
// fail; rows without any key must be exactly 0.
//
// A task may also take several register tiles of Br rows per pass over the
// keys (query-tiles; attnc picks more than one where K and V of a head
// exceed half of L2): six more cases (Sq in {16, 17, 23, 25, 41, 47}, odd
// Skv) put whole tiles past Sq or outside a visited block's keys.
//
// The first run compiles a subset ahead of time for AVX2
// (--target-features=-avx512f: VL = 8 and Br = 6, so Bc = 16 and other
// tile edges, and P V column groups of 2 vectors instead of 3) and checks it
// against float64; the second runs every case through attnc-run
// with and without --reference; the third lowers every case with
// attn-flash-cpu query-tiles=2 and =3 (attnc-opt) and runs that.
//
// By hand (from the source tree):
//   /usr/bin/python3 test/Integration/CPU/flash_boundaries.py \
//     --attnc build/bin/attnc --attnc-run build/bin/attnc-run \
//     --keep /tmp/flash [--paths fused,ref,avx2] [case...]
// then /tmp/flash/group<N>/ holds module.mlir, the .npy inputs and outputs,
// and repro_<path>.sh with the exact commands.
//
// RUN: rm -rf %t && %python %S/flash_boundaries.py --attnc attnc \
// RUN:   --attnc-run attnc-run --keep %t/avx2 --paths avx2 \
// RUN:   full_sq129_skv65 causal_sq129_skv65 cwin32_sq63_skv65 \
// RUN:   cwin2_sq1_skv33 causal_sq10_skv40 swin33_sq65_skv130_gqa2 \
// RUN:   causal_sq7_skv5 causal_sq47_skv99_mqa swin32_sq7_skv200_mqa \
// RUN:   causal_sq129_skv200_gqa2
// RUN: %python %S/flash_boundaries.py --attnc attnc --attnc-run attnc-run \
// RUN:   --keep %t/jit
// RUN: %python %S/flash_boundaries.py --attnc attnc --attnc-run attnc-run \
// RUN:   --attnc-opt attnc-opt --paths qt2,qt3 --keep %t/tiles
