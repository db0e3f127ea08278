// attnc-run generate checks its sampling and size options before it loads
// anything: each bad value is a one-line error and exit status 1 (-n 0 and
// -n -5 used to generate a token). Sampling options that greedy decoding
// (temperature 0) ignores give a warning.

// RUN: not attnc-run generate %t.none --model-dir %t.none --prompt hi \
// RUN:   --temperature -1 2>&1 | FileCheck %s --check-prefix=TEMP
// TEMP: {{^}}attnc-run: error: --temperature must be 0 (greedy) or positive, got -1{{$}}
// RUN: not attnc-run generate %t.none --model-dir %t.none --prompt hi \
// RUN:   --temperature nan 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: {{^}}attnc-run: error: --temperature must be 0 (greedy) or positive, got nan{{$}}
// RUN: not attnc-run generate %t.none --model-dir %t.none --prompt hi \
// RUN:   --temperature 1 --top-p 0 2>&1 | FileCheck %s --check-prefix=TOPP0
// TOPP0: {{^}}attnc-run: error: --top-p must be in (0, 1], got 0{{$}}
// RUN: not attnc-run generate %t.none --model-dir %t.none --prompt hi \
// RUN:   --temperature 1 --top-p 1.5 2>&1 | FileCheck %s --check-prefix=TOPP
// TOPP: {{^}}attnc-run: error: --top-p must be in (0, 1], got 1.5{{$}}
// RUN: not attnc-run generate %t.none --model-dir %t.none --prompt hi \
// RUN:   --temperature 1 --top-k -2 2>&1 | FileCheck %s --check-prefix=TOPK
// TOPK: {{^}}attnc-run: error: --top-k must be 0 (all tokens) or positive, got -2{{$}}
// RUN: not attnc-run generate %t.none --model-dir %t.none --prompt hi \
// RUN:   -n 0 2>&1 | FileCheck %s --check-prefix=N0
// N0: {{^}}attnc-run: error: -n must be at least 1, got 0{{$}}
// RUN: not attnc-run generate %t.none --model-dir %t.none --prompt hi \
// RUN:   -n -5 2>&1 | FileCheck %s --check-prefix=NNEG
// NNEG: {{^}}attnc-run: error: -n must be at least 1, got -5{{$}}

// Greedy decoding with sampling options: a warning, then the run goes on
// (here to the missing model directory).
// RUN: not attnc-run generate %t.none --model-dir %t.none --prompt hi \
// RUN:   --top-k 5 --top-p 0.9 --seed 2 2>&1 | FileCheck %s --check-prefix=GREEDY
// GREEDY: {{^}}attnc-run: warning: --top-k, --top-p, --seed ignored: temperature 0 decodes greedily (give --temperature to sample){{$}}
// GREEDY-NEXT: {{^}}attnc-run: error: '{{.*}}' has neither tokenizer.json nor vocab.json and merges.txt
// RUN: not attnc-run generate %t.none --model-dir %t.none --prompt hi \
// RUN:   --temperature 0.7 --top-k 5 --seed 2 2>&1 | FileCheck %s --check-prefix=SAMPLE
// SAMPLE-NOT: warning
// SAMPLE: error: '{{.*}}' has neither tokenizer.json
