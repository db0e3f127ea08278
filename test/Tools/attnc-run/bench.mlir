// attnc-run bench (issue 14, item 7): llama-bench's tests for a compiled
// model. Checked here: the table's layout and rows (one per test and depth,
// pp rows without a read bound, tg rows with one), not its timings; the
// errors for sizes, repetitions, bandwidths and depths the cache cannot
// hold, each one line before anything runs.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %attnc_src_root/tools/models/tiny_models.py llama %t/model
// RUN: attnc compile %t/model --max-seq 64 -o %t/m.attnc

// RUN: attnc-run bench %t/m.attnc -p 8,16 -n 4 -d 0,8 -r 2 --bandwidth 10 \
// RUN:   --threads 1 | FileCheck %s
// CHECK: {{^}}model: {{.*}}m.attnc (llama, 0.1M parameters, 2 layers; 0.3 MB of weights read per decode step), loaded in {{[0-9.]+}} s{{$}}
// CHECK-NEXT: {{^}}weights: read in place from the checkpoint's mapping (0.4 MB), {{[0-9]+}}% of it on 2 MiB pages{{$}}
// CHECK-NEXT: {{^}}cpu: {{.*}}, {{[0-9]+}} cores; load average {{[0-9.]+ [0-9.]+ [0-9.]+$}}
// CHECK-NEXT: {{^}}threads: 1; runs: 1 warm-up + 2 timed; read bandwidth: 10.0 GB/s (given with --bandwidth){{$}}
// CHECK-EMPTY:
// CHECK-NEXT: {{^}}| test | t/s (median) | t/s (min-max) | first call ms | median call ms | first/median | % of read bound |{{$}}
// CHECK-NEXT: {{^}}|---|---:|---:|---:|---:|---:|---:|{{$}}
// CHECK-NEXT: {{^}}| pp8 | {{[0-9.]+}} | {{[0-9.]+}}-{{[0-9.]+}} | {{[0-9.]+}} | {{[0-9.]+}} | {{[0-9.]+}}x | - |{{$}}
// CHECK-NEXT: {{^}}| pp16 | {{[0-9.]+}} | {{[0-9.]+}}-{{[0-9.]+}} | {{[0-9.]+}} | {{[0-9.]+}} | {{[0-9.]+}}x | - |{{$}}
// CHECK-NEXT: {{^}}| tg4 | {{[0-9.]+}} | {{[0-9.]+}}-{{[0-9.]+}} | {{[0-9.]+}} | {{[0-9.]+}} | {{[0-9.]+}}x | {{[0-9.]+}}% |{{$}}
// CHECK-NEXT: {{^}}| pp8 @ d8 | {{[0-9.]+}} | {{[0-9.]+}}-{{[0-9.]+}} | {{[0-9.]+}} | {{[0-9.]+}} | {{[0-9.]+}}x | - |{{$}}
// CHECK-NEXT: {{^}}| pp16 @ d8 | {{[0-9.]+}} | {{[0-9.]+}}-{{[0-9.]+}} | {{[0-9.]+}} | {{[0-9.]+}} | {{[0-9.]+}}x | - |{{$}}
// CHECK-NEXT: {{^}}| tg4 @ d8 | {{[0-9.]+}} | {{[0-9.]+}}-{{[0-9.]+}} | {{[0-9.]+}} | {{[0-9.]+}} | {{[0-9.]+}}x | {{[0-9.]+}}% |{{$}}
// CHECK-NOT: {{^}}|

// -p 0 and -n 0 leave out their tests; without --bandwidth it is measured.
// RUN: attnc-run bench %t/m.attnc -p 4 -n 0 -r 1 --no-mmap \
// RUN:   | FileCheck %s --check-prefix=COPIED
// COPIED: {{^}}weights: copied onto huge pages (--no-mmap){{$}}

// RUN: attnc-run bench %t/m.attnc -p 0 -n 2 -r 1 --threads 1 \
// RUN:   | FileCheck %s --check-prefix=TG-ONLY
// TG-ONLY: read bandwidth: {{[0-9.]+}} GB/s (measured: 1 thread streaming 512 MiB with the widest loads, best of 8)
// TG-ONLY: |---|
// TG-ONLY-NEXT: | tg2 |
// TG-ONLY-NOT: {{^}}|
// RUN: attnc-run bench %t/m.attnc -p 4 -n 0 -r 1 | FileCheck %s --check-prefix=PP-ONLY
// PP-ONLY-NOT: bandwidth
// PP-ONLY: |---|
// PP-ONLY-NEXT: | pp4 |
// PP-ONLY-NOT: {{^}}|

// The last depth and the longest test must fit the 64 positions.
// RUN: attnc-run bench %t/m.attnc -p 8 -n 4 -d 56 -r 1 --bandwidth 1 | FileCheck %s --check-prefix=FITS
// FITS: | tg4 @ d56 |
// RUN: not attnc-run bench %t/m.attnc -p 8 -n 4 -d 0,57 -r 1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DEPTH
// DEPTH: {{^}}attnc-run: error: -d 57 and a test of 8 tokens need 65 positions; the model was compiled for 64 (attnc compile --max-seq){{$}}
// RUN: not attnc-run bench %t/m.attnc -p 65 -n 0 2>&1 | FileCheck %s --check-prefix=LONG
// LONG: {{^}}attnc-run: error: -d 0 and a test of 65 tokens need 65 positions; the model was compiled for 64 (attnc compile --max-seq){{$}}

// Bad sizes: checked before the model is loaded.
// RUN: not attnc-run bench %t/none -p 8,-2 2>&1 | FileCheck %s --check-prefix=NEG-P
// NEG-P: {{^}}attnc-run: error: -p must be 0 or more tokens, got -2{{$}}
// RUN: not attnc-run bench %t/none -n -1 2>&1 | FileCheck %s --check-prefix=NEG-N
// NEG-N: {{^}}attnc-run: error: -n must be 0 or more tokens, got -1{{$}}
// RUN: not attnc-run bench %t/none -d -8 2>&1 | FileCheck %s --check-prefix=NEG-D
// NEG-D: {{^}}attnc-run: error: -d must be 0 or more tokens, got -8{{$}}
// RUN: not attnc-run bench %t/none -p 0 -n 0 2>&1 | FileCheck %s --check-prefix=NOTHING
// NOTHING: {{^}}attnc-run: error: nothing to run: -p and -n are both 0{{$}}
// RUN: not attnc-run bench %t/none -r 0 2>&1 | FileCheck %s --check-prefix=REPS
// REPS: {{^}}attnc-run: error: -r must be at least 1, got 0{{$}}
// RUN: not attnc-run bench %t/none --bandwidth -3 2>&1 | FileCheck %s --check-prefix=BW
// RUN: not attnc-run bench %t/none --bandwidth inf 2>&1 | FileCheck %s --check-prefix=BW
// BW: {{^}}attnc-run: error: --bandwidth must be positive (GB/s), or 0 to measure it{{$}}
// RUN: not attnc-run bench %t/none -p 8x 2>&1 | FileCheck %s --check-prefix=NOT-INT
// NOT-INT: for the -p option: '8x' value invalid for long argument!
// RUN: not attnc-run bench %t/none 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: {{^}}attnc-run: error: {{.*}}none/manifest.json{{.*}} (is '{{.*}}none' a model compiled by `attnc compile <model-dir> -o model.attnc`?){{$}}
