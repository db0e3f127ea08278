// A CPU library deploys without LLVM: with --openmp=bundle, libomp.so.5 is
// copied beside it and found through RUNPATH $ORIGIN; with --openmp=off it
// needs no libomp at all. The C example (examples/c/attention.c) then runs
// with LLVM's directory and the system's libomp hidden (a private mount
// namespace; skipped where unshare is not permitted).

// RUN: rm -rf %t && mkdir -p %t/bundle %t/off %t/system
// RUN: attnc compile %attnc_src_root/examples/attention.mlir --openmp=bundle \
// RUN:   -o %t/bundle/libattention.so
// RUN: attnc compile %attnc_src_root/examples/attention.mlir --openmp=off \
// RUN:   -o %t/off/libattention.so
// RUN: attnc compile %attnc_src_root/examples/attention.mlir \
// RUN:   -o %t/system/libattention.so
// RUN: ls %t/bundle %t/off %t/system | FileCheck %s --check-prefix=FILES
// FILES: bundle:
// FILES-NEXT: libattention.so
// FILES-NEXT: libomp.so.5
// FILES: off:
// FILES-NEXT: libattention.so
// FILES-EMPTY:
// FILES: system:
// FILES-NEXT: libattention.so
// FILES-EMPTY:

// RUN: llvm-readelf -d %t/bundle/libattention.so | FileCheck %s --check-prefix=BUNDLE
// BUNDLE-DAG: (NEEDED) Shared library: [libomp.so.5]
// BUNDLE-DAG: (RUNPATH) Library runpath: [$ORIGIN:{{.*}}]
// RUN: llvm-readelf -d %t/off/libattention.so | FileCheck %s --check-prefix=OFF \
// RUN:   --implicit-check-not=libomp --implicit-check-not=RUNPATH
// OFF: (NEEDED) Shared library: [libc.so.6]

// RUN: for dir in bundle off system; do \
// RUN:   cc -std=c99 -O2 -I%attnc_src_root/runtime/include \
// RUN:     %attnc_src_root/examples/c/attention.c %t/$dir/libattention.so \
// RUN:     -Wl,-rpath,%t/$dir -lm -o %t/$dir/attention || exit 1; done
// RUN: %python %S/Inputs/run_without_llvm.py %t | FileCheck %s
// CHECK: bundle: ok
// CHECK-NEXT: off: ok
// CHECK-NEXT: system: {{ok|fails without LLVM}}
