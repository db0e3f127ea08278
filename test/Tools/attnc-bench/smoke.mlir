// attnc-bench on a tiny GQA cross-length causal shape: the machine line, the
// table header and one row of numbers, and the fused-vs-reference error check
// passing (the run exits 0 only then). Times are never checked.

// RUN: attnc-bench --shape "B=1,Hq=2,Hkv=1,Sq=33,Skv=47,D=16,causal" \
// RUN:   --repetitions 2 | FileCheck %s
// CHECK: machine: {{.+}}, {{[0-9]+}} threads, fp32 FMA peak ({{avx512f|avx2\+fma|scalar}}, measured): {{[0-9]+\.[0-9]}} GFLOP/s on 1 thread, {{[0-9]+\.[0-9]}} GFLOP/s on {{[0-9]+}} threads
// CHECK-NEXT: {{^}}load average before the runs: {{[0-9]+\.[0-9]+ [0-9]+\.[0-9]+ [0-9]+\.[0-9]+$}}
// CHECK: {{^}}prefill: FLOPs = 4*B*Hq*D*pairs, pairs = Sq*Skv (causal: Sq*Skv - Sq^2/2, half of a square); %peak of the {{[0-9]+}}-thread FMA peak{{$}}
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
// CSV: shape,causal,paged,B,Hq,Hkv,Sq,Skv,D,attnc_ms,gflops,pct_peak,gbps,pct_bandwidth,ref_ms,ref_runs,ref_speedup,torch_ms,torch_speedup,max_rel_err,kv_type,dtype
// CSV-NEXT: user,0,0,1,2,2,16,16,8,{{[0-9.e+-]+}},{{[0-9.e+-]+}},{{[0-9.e+-]+}},,,{{[0-9.e+-]+}},1,{{[0-9.e+-]+}},,,{{[0-9.e+-]+}},,f32{{$}}

// A decode shape (one new row against a paged cache of 64 positions, GQA):
// the measured bandwidth, then a decode table in GB/s and % of it. Prefill
// rows come first whatever the order on the command line.
// RUN: attnc-bench --shape "Hq=4,Hkv=2,Sq=1,Skv=64,D=16,paged" \
// RUN:   --shape "H=2,S=16,D=8" --repetitions 2 --no-torch \
// RUN:   | FileCheck %s --check-prefix=DECODE
// DECODE: memory read bandwidth (measured, {{[0-9]+}} threads): {{[0-9]+\.[0-9]}} GB/s
// DECODE: {{^}}prefill:
// DECODE: {{^}}user B1 H2 S16 D8
// DECODE: {{^}}decode: GB/s = bytes of K and V read
// DECODE-SAME: (DRAM: above 100% when K and V fit in the caches
// DECODE: {{^}}shape dims attnc ms GB/s %bw ref ms x ref torch ms x torch max rel err{{$}}
// DECODE-NEXT: {{^}}user paged/16 B1 H4/2 S1/64 D16 {{[0-9]+\.[0-9]+}} {{[0-9]+\.[0-9]}} {{[0-9]+\.[0-9]}}%
// DECODE-SAME: {{[0-9]\.[0-9]{2}e(-0[5-9]|-[1-9][0-9]|\+00)}}{{$}}

// --kv-type: a decode shape once per cache type, in the order given, with
// f16/bf16 caches read by an f32 query (half the bytes: GB/s counts 2 per
// element), each checked against the reference on the same cache; prefill
// shapes are unaffected. In CSV the last column names the type.
// RUN: attnc-bench --shape "Hq=4,Hkv=2,Sq=1,Skv=64,D=24,decode" \
// RUN:   --shape "H=2,S=16,D=8" --kv-type=f32,f16,bf16 --repetitions 2 \
// RUN:   --no-torch | FileCheck %s --check-prefix=KV
// KV: {{^}}prefill:
// KV: {{^}}user B1 H2 S16 D8
// KV-NOT: f16
// KV: {{^}}decode: GB/s
// KV: {{^}}user B1 H4/2 S1/64 D24 {{.*}} {{[0-9]\.[0-9]{2}e(-0[5-9]|-[1-9][0-9]|\+00)}}{{$}}
// KV-NEXT: {{^}}user f16 B1 H4/2 S1/64 D24 {{.*}} {{[0-9]\.[0-9]{2}e(-0[5-9]|-[1-9][0-9]|\+00)}}{{$}}
// KV-NEXT: {{^}}user bf16 B1 H4/2 S1/64 D24 {{.*}} {{[0-9]\.[0-9]{2}e(-0[5-9]|-[1-9][0-9]|\+00)}}{{$}}
// RUN: attnc-bench --shape "Hq=4,Hkv=2,Sq=1,Skv=64,D=24,decode" \
// RUN:   --kv-type=bf16 --repetitions 1 --no-torch --csv \
// RUN:   | FileCheck %s --check-prefix=KVCSV
// KVCSV: {{^}}user,0,0,1,4,2,1,64,24,{{.*}},bf16,{{$}}
// RUN: not attnc-bench --shape "H=2,S=16,D=8" --kv-type=f8 2>&1 \
// RUN:   | FileCheck %s --check-prefix=KVBAD
// KVBAD: error: --kv-type: unknown type 'f8' (expected f32, f16 or bf16)

// --dtype: a prefill shape once per element type of Q, K, V and O, in the
// order given, each checked against the reference in that type (f16 within
// 5e-3, bf16 within 4e-2 of the output's largest magnitude); decode shapes
// are unaffected. In CSV the last column names the type.
// RUN: attnc-bench --shape "Hq=4,Hkv=2,Sq=33,Skv=47,D=24,causal" \
// RUN:   --shape "Hq=2,Sq=1,Skv=32,D=8,decode" --dtype=f32,f16,bf16 \
// RUN:   --repetitions 2 --no-torch | FileCheck %s --check-prefix=DTYPE
// DTYPE: {{^}}prefill:
// DTYPE: {{^}}user causal B1 H4/2 S33/47 D24 {{.*}} {{[0-9]\.[0-9]{2}e(-0[5-9]|-[1-9][0-9]|\+00)}}{{$}}
// DTYPE-NEXT: {{^}}user causal f16 B1 H4/2 S33/47 D24 {{.*}} {{[0-9]\.[0-9]{2}e-0[3-9]}}{{$}}
// DTYPE-NEXT: {{^}}user causal bf16 B1 H4/2 S33/47 D24 {{.*}} {{[0-9]\.[0-9]{2}e-0[2-9]}}{{$}}
// DTYPE: {{^}}decode:
// DTYPE: {{^}}user B1 H2 S1/32 D8
// DTYPE-NOT: f16
// RUN: attnc-bench --shape "H=2,S=16,D=8" --dtype=bf16 --repetitions 1 \
// RUN:   --no-torch --csv | FileCheck %s --check-prefix=DTYPECSV
// DTYPECSV: {{^}}user,0,0,1,2,2,16,16,8,{{.*}},,bf16{{$}}
// RUN: not attnc-bench --shape "H=2,S=16,D=8" --dtype=f8 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DTYPEBAD
// DTYPEBAD: error: --dtype: unknown type 'f8' (expected f32, f16 or bf16)

// Without the reference there is no error check.
// RUN: attnc-bench --shape "H=2,S=16,D=8" --repetitions 1 --no-reference \
// RUN:   --no-torch | FileCheck %s --check-prefix=NOREF
// NOREF: PyTorch: skipped (--no-torch)
// NOREF: {{^}}user B1 H2 S16 D8 {{[0-9.]+}} {{.*}}% - - - - -{{$}}

// RUN: not attnc-bench --shapes=P4 2>&1 | FileCheck %s --check-prefix=NAME
// NAME: error: --shapes: unknown shape 'P4' (expected P1, P2, P3, D1 or D2)
// RUN: not attnc-bench --shape "Hq=4,Hkv=3,S=8,D=8" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=GROUP
// GROUP: error: --shape "Hq=4,Hkv=3,S=8,D=8": expected Hq to be a multiple of Hkv, got Hq=4 and Hkv=3
// RUN: not attnc-bench --shape "H=4,S=8" 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: --shape "H=4,S=8": expected at least Hq (or H), Sq (or S) and D
// RUN: not attnc-bench --shape "H=4,S=8,D=8,W=2" 2>&1 | FileCheck %s --check-prefix=KEY
// KEY: error: --shape "H=4,S=8,D=8,W=2": unknown key 'W' (expected B, H, Hq, Hkv, S, Sq, Skv, D, block, causal, decode or paged)
// RUN: not attnc-bench --shape "H=4,S=0,D=8" 2>&1 | FileCheck %s --check-prefix=VALUE
// VALUE: error: --shape "H=4,S=0,D=8": expected S=<positive integer>, got 'S=0'
// RUN: not attnc-bench --shape "H=2,Sq=8,Skv=40,D=8,paged" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BLOCK
// BLOCK: error: --shape "H=2,Sq=8,Skv=40,D=8,paged": a paged shape needs Skv to be a multiple of the block size 16, got Skv=40
// RUN: not attnc-bench --shape "H=2,Sq=8,Skv=4,D=8,decode" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LONGER
// LONGER: error: --shape "H=2,Sq=8,Skv=4,D=8,decode": a decode shape needs Sq <= Skv (the new rows are in the cache), got Sq=8 and Skv=4
// RUN: not attnc-bench --shape "H=2,S=16,D=8" --repetitions 0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPS
// REPS: error: --repetitions must be at least 1

// --library: each shape also compiled into a shared library and timed in a
// fresh attnc-call process, in a table after the others.
// RUN: attnc-bench --shape "H=2,S=16,D=8" --repetitions 2 --no-torch \
// RUN:   --no-reference --library | FileCheck %s --check-prefix=LIBRARY
// LIBRARY: {{^}}The same kernels as shared libraries, each timed in a fresh attnc-call process (median of 2 calls after 2 warm-up calls, outputs reused):
// LIBRARY-NEXT: {{^}} shape this process .so ratio{{$}}
// LIBRARY-NEXT: {{^}} user {{[0-9]+\.[0-9][0-9][0-9]}} ms {{[0-9]+\.[0-9][0-9][0-9]}} ms {{[0-9]+\.[0-9][0-9]}}x{{$}}
