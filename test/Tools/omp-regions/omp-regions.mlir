// tools/bench/omp_regions.c: the OMPT tool that times each OpenMP parallel
// region of a program. Built with clang (omp-tools.h ships in its resource
// directory), loaded into `attnc-run bench` of a tiny compiled Llama on two
// threads: one line per region, by its object and offset (model.so+...;
// the one-task regions under an `if` clause at libomp's fork call), with
// its runs, mean wall time and each thread's work and wait.

// RUN: rm -rf %t && mkdir -p %t
// RUN: bash -c 'clang-22 -O2 -Wall -Wextra -Werror -shared -fPIC \
// RUN:   -I"$(clang-22 -print-resource-dir)/include" \
// RUN:   %attnc_src_root/tools/bench/omp_regions.c -o %t/omp_regions.so'
// RUN: %python %attnc_src_root/tools/models/tiny_models.py llama %t/model
// RUN: attnc compile %t/model --max-seq 64 -o %t/m.attnc
// RUN: env OMP_TOOL_LIBRARIES=%t/omp_regions.so attnc-run bench %t/m.attnc \
// RUN:   -p 8 -n 4 -r 2 --threads 2 --bandwidth 10 2>&1 | FileCheck %s

// CHECK: {{^}}| tg4 |
// CHECK: {{^}}omp_regions: {{[0-9]+}} regions, {{[0-9.]+}} s in all; per run: wall, then per thread work / wait (us){{$}}
// CHECK-DAG: {{^}}  model.so+{{[0-9a-f]+ +[0-9]+}} runs {{ *[0-9.]+ \| +[0-9.]+ +[0-9.]+ \| +[0-9.]+ +[0-9.]+$}}
// CHECK-DAG: {{^}}  libomp.so{{[.0-9]*}}+{{[0-9a-f]+ +[0-9]+}} runs {{ *[0-9.]+ \| +[0-9.]+ +[0-9.]+ \| +[0-9.]+ +[0-9.]+$}}
