// tools/bench/compare_table.py (issue 14, item 8): the comparison table
// from recorded llama-bench (-o jsonl) and attnc-run bench outputs. Two
// rounds: llama.cpp's figure is the better flash-attention setting's median
// over rounds (the median of each record's samples_ts first), attnc's the
// median over rounds, the ratio attnc / llama.cpp.

// RUN: rm -rf %t && mkdir -p %t && split-file %s %t
// RUN: %python %attnc_src_root/tools/bench/compare_table.py llamacpp %t/s.tsv 1 f32 pp512 < %t/llama1.jsonl
// RUN: %python %attnc_src_root/tools/bench/compare_table.py attnc_run %t/s.tsv 1 f32 pp512 < %t/attnc1.txt
// RUN: %python %attnc_src_root/tools/bench/compare_table.py llamacpp %t/s.tsv 1 f32 tg32@d4096 < %t/llama-depth.jsonl
// RUN: %python %attnc_src_root/tools/bench/compare_table.py attnc_run %t/s.tsv 1 f32 tg32@d4096 < %t/attnc-depth.txt
// RUN: %python %attnc_src_root/tools/bench/compare_table.py llamacpp %t/s.tsv 2 f32 pp512 < %t/llama2.jsonl
// RUN: %python %attnc_src_root/tools/bench/compare_table.py attnc_run %t/s.tsv 2 f32 pp512 < %t/attnc2.txt
// RUN: %python %attnc_src_root/tools/bench/compare_table.py table %t/s.tsv --markdown %t/t.md --header "load 1.0" | FileCheck %s
// RUN: FileCheck %s < %t/t.md
// CHECK: load 1.0
// CHECK-EMPTY:
// CHECK-NEXT: | test | llama.cpp t/s (flash-attn) | attnc t/s | attnc / llama.cpp | rounds |
// CHECK-NEXT: |---|---:|---:|---:|---:|
// Round medians: fa 0: 1000, 1010 -> 1005; fa 1: 990, 1100 -> 1045;
// attnc 1200, 1300 -> 1250.
// CHECK-NEXT: | pp512 f32 | 1045.0 (fa 1) | 1250.0 | 1.20x | 2 |
// CHECK-NEXT: | tg32 @ d4096 f32 | 40.0 (fa 1) | 30.0 | 0.75x | 1 |

// A test missing from the output is an error.
// RUN: not %python %attnc_src_root/tools/bench/compare_table.py attnc_run %t/s.tsv 1 f32 tg128 < %t/attnc1.txt 2>&1 | FileCheck %s --check-prefix=NOROW
// NOROW: compare_table.py: error: no attnc-run bench row 'tg128' in its output
// RUN: not %python %attnc_src_root/tools/bench/compare_table.py llamacpp %t/s.tsv 1 f32 tg128 < %t/llama1.jsonl 2>&1 | FileCheck %s --check-prefix=NOREC
// NOREC: compare_table.py: error: no llama-bench record of tg128 in its output
// RUN: not %python %attnc_src_root/tools/bench/compare_table.py llamacpp %t/s.tsv 1 f32 tg0 < %t/llama1.jsonl 2>&1 | FileCheck %s --check-prefix=BADTEST
// BADTEST: compare_table.py: error: test 'tg0': expected ppN, tgN or either with @dD

// The logits check: relative to the largest |logit| of llama.cpp's, within
// the dtype's tolerance (f32 1e-4, bf16 3e-2) or an error.
// RUN: %python -c "import numpy as np; r = np.random.default_rng(1).standard_normal((4, 50)).astype(np.float32); np.save('%t/ref.npy', r); np.save('%t/close.npy', r + np.float32(2e-5) * np.abs(r).max()); np.save('%t/far.npy', r + np.float32(1e-3) * np.abs(r).max()); np.save('%t/short.npy', r[:3])"
// RUN: %python %attnc_src_root/tools/bench/compare_table.py logits %t/close.npy %t/ref.npy f32 | FileCheck %s --check-prefix=CLOSE
// CLOSE: f32: logits [4, 50], max |attnc - llama.cpp| / max |logit| = 2e-05 (tolerance 0.0001), same argmax at 100% of positions
// RUN: not %python %attnc_src_root/tools/bench/compare_table.py logits %t/far.npy %t/ref.npy f32 2>&1 | FileCheck %s --check-prefix=FAR
// FAR: f32: logits [4, 50], max |attnc - llama.cpp| / max |logit| = 0.001 (tolerance 0.0001)
// FAR: compare_table.py: error: f32: attnc and llama.cpp compute different functions
// RUN: %python %attnc_src_root/tools/bench/compare_table.py logits %t/far.npy %t/ref.npy bf16 | FileCheck %s --check-prefix=FARBF16
// FARBF16: bf16: {{.*}} = 0.001 (tolerance 0.03)
// RUN: not %python %attnc_src_root/tools/bench/compare_table.py logits %t/short.npy %t/ref.npy f32 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: compare_table.py: error: logits of shapes (3, 50) (attnc) and (4, 50) (llama.cpp)

//--- llama1.jsonl
{"build_commit": "x", "n_prompt": 512, "n_gen": 0, "n_depth": 0, "flash_attn": 0, "samples_ns": [1, 2, 3], "samples_ts": [990.0, 1000.0, 1200.0]}
{"build_commit": "x", "n_prompt": 512, "n_gen": 0, "n_depth": 0, "flash_attn": 1, "samples_ns": [1, 2, 3], "samples_ts": [900.0, 990.0, 995.0]}
//--- llama2.jsonl
{"build_commit": "x", "n_prompt": 512, "n_gen": 0, "n_depth": 0, "flash_attn": 0, "samples_ns": [1, 2], "samples_ts": [1000.0, 1020.0]}
{"build_commit": "x", "n_prompt": 512, "n_gen": 0, "n_depth": 0, "flash_attn": 1, "samples_ns": [1, 2, 3], "samples_ts": [1100.0, 1000.0, 1200.0]}
//--- llama-depth.jsonl
{"build_commit": "x", "n_prompt": 0, "n_gen": 32, "n_depth": 4096, "flash_attn": 0, "samples_ns": [1], "samples_ts": [35.0]}
{"build_commit": "x", "n_prompt": 0, "n_gen": 32, "n_depth": 4096, "flash_attn": 1, "samples_ns": [1], "samples_ts": [40.0]}
//--- attnc1.txt
model: m.attnc (llama, 134.1M parameters, 12 layers)
| test | t/s (median) | t/s (min-max) | first call ms | median call ms | first/median | % of read bound |
|---|---:|---:|---:|---:|---:|---:|
| pp512 | 1200.0 | 1100.0-1250.0 | 1.0 | 1.0 | 1.00x | - |
//--- attnc2.txt
| test | t/s (median) | t/s (min-max) | first call ms | median call ms | first/median | % of read bound |
|---|---:|---:|---:|---:|---:|---:|
| pp512 | 1300.0 | 1100.0-1350.0 | 1.0 | 1.0 | 1.00x | - |
//--- attnc-depth.txt
| test | t/s (median) | t/s (min-max) | first call ms | median call ms | first/median | % of read bound |
|---|---:|---:|---:|---:|---:|---:|
| tg32 @ d4096 | 30.0 | 29.0-31.0 | 30.0 | 33.0 | 0.91x | 80.0% |
