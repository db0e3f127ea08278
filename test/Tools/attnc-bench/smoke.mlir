// attnc-bench on a tiny GQA cross-length causal shape: the machine line, the
// table header and one row of numbers, and the fused-vs-reference error check
// passing (the run exits 0 only then). Times are never checked.

// RUN: attnc-bench --shape "B=1,Hq=2,Hkv=1,Sq=33,Skv=47,D=16,causal" \
// RUN:   --repetitions 2 | FileCheck %s
// CHECK: machine: {{.+}}, {{[0-9]+}} threads, fp32 FMA peak ({{avx512f|avx2\+fma|scalar}}, measured): {{[0-9]+\.[0-9]}} GFLOP/s on 1 thread, {{[0-9]+\.[0-9]}} GFLOP/s on {{[0-9]+}} threads
// CHECK: {{^}}shape dims attnc ms GFLOP/s %peak ref ms x ref torch ms x torch max rel err{{$}}
// CHECK-NEXT: {{^}}user causal B1 H2/1 S33/47 D16
// attnc ms, GFLOP/s, %peak, then the reference's ms and the speedup over it,
// PyTorch's (or - when it is not installed), and the error, below 1e-4.
// CHECK-SAME: {{[0-9]+\.[0-9]+}} {{[0-9]+\.[0-9]}} {{[0-9]+\.[0-9]}}%
// CHECK-SAME: {{[0-9]+\.[0-9]+}} {{[0-9]+\.[0-9]}}x
// CHECK-SAME: {{-|[0-9]+\.[0-9]+}} {{-|[0-9]+\.[0-9]+x}}
// CHECK-SAME: {{[0-9]\.[0-9]{2}e(-0[5-9]|-[1-9][0-9]|\+00)}}{{$}}

// --csv: the machine record, then one record per shape with every column.
// RUN: attnc-bench --shape "H=2,S=16,D=8" --repetitions 1 --threads 1 \
// RUN:   --no-torch --csv | FileCheck %s --check-prefix=CSV
// CSV: cpu,threads,isa,peak_1t_gflops,peak_nt_gflops
// CSV-NEXT: "{{.+}}",1,{{[a-z0-9+]+}},{{[0-9.]+}},{{[0-9.]+}}
// CSV: shape,causal,B,Hq,Hkv,Sq,Skv,D,attnc_ms,gflops,pct_peak,ref_ms,ref_runs,ref_speedup,torch_ms,torch_speedup,max_rel_err
// CSV-NEXT: user,0,1,2,2,16,16,8,{{[0-9.e+-]+}},{{[0-9.e+-]+}},{{[0-9.e+-]+}},{{[0-9.e+-]+}},1,{{[0-9.e+-]+}},,,{{[0-9.e+-]+}}{{$}}

// Without the reference there is no error check.
// RUN: attnc-bench --shape "H=2,S=16,D=8" --repetitions 1 --no-reference \
// RUN:   --no-torch | FileCheck %s --check-prefix=NOREF
// NOREF: PyTorch: skipped (--no-torch)
// NOREF: {{^}}user B1 H2 S16 D8 {{[0-9.]+}} {{.*}}% - - - - -{{$}}

// RUN: not attnc-bench --shapes=P4 2>&1 | FileCheck %s --check-prefix=NAME
// NAME: error: --shapes: unknown shape 'P4' (expected P1, P2 or P3)
// RUN: not attnc-bench --shape "Hq=4,Hkv=3,S=8,D=8" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=GROUP
// GROUP: error: --shape "Hq=4,Hkv=3,S=8,D=8": expected Hq to be a multiple of Hkv, got Hq=4 and Hkv=3
// RUN: not attnc-bench --shape "H=4,S=8" 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: --shape "H=4,S=8": expected at least Hq (or H), Sq (or S) and D
// RUN: not attnc-bench --shape "H=4,S=8,D=8,W=2" 2>&1 | FileCheck %s --check-prefix=KEY
// KEY: error: --shape "H=4,S=8,D=8,W=2": unknown key 'W' (expected B, H, Hq, Hkv, S, Sq, Skv, D or causal)
// RUN: not attnc-bench --shape "H=4,S=0,D=8" 2>&1 | FileCheck %s --check-prefix=VALUE
// VALUE: error: --shape "H=4,S=0,D=8": expected S=<positive integer>, got 'S=0'
// RUN: not attnc-bench --shape "H=2,S=16,D=8" --repetitions 0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPS
// REPS: error: --repetitions must be at least 1
