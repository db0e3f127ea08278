// tools/bench/compare_llamacpp.sh (issue 14, item 8): what can run without a
// llama.cpp checkout. Each bad command line is a one-line error and a
// non-zero exit before anything is built or written.

// RUN: rm -rf %t && mkdir -p %t/fake/tools/llama-bench %t/fake/gguf-py/gguf
// RUN: %attnc_src_root/tools/bench/compare_llamacpp.sh --help | FileCheck %s --check-prefix=HELP
// HELP: usage: compare_llamacpp.sh [options] <llama.cpp checkout>
// HELP: --quick

// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: compare_llamacpp.sh: error: no llama.cpp checkout given
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh %t/missing 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: compare_llamacpp.sh: error: {{.*}}missing: no such directory
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh %t/fake 2>&1 | FileCheck %s --check-prefix=NOTLLAMA
// NOTLLAMA: compare_llamacpp.sh: error: {{.*}}fake: not a llama.cpp checkout (CMakeLists.txt is missing)

// A tree with the three files the script looks for passes that check; the
// options are checked next.
// RUN: touch %t/fake/CMakeLists.txt %t/fake/tools/llama-bench/llama-bench.cpp %t/fake/gguf-py/gguf/gguf_writer.py
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh --threads 0 %t/fake 2>&1 | FileCheck %s --check-prefix=THREADS
// THREADS: compare_llamacpp.sh: error: --threads '0': expected a positive integer
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh --reps x %t/fake 2>&1 | FileCheck %s --check-prefix=REPS
// REPS: compare_llamacpp.sh: error: --reps 'x': expected a positive integer
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh --dtypes f32,f8 %t/fake 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: compare_llamacpp.sh: error: --dtypes: 'f8' is not f32, f16 or bf16
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh --tests pp512,tg32@4096 %t/fake 2>&1 | FileCheck %s --check-prefix=TEST
// TEST: compare_llamacpp.sh: error: --tests: 'tg32@4096' is not ppN, tgN, ppN@dD or tgN@dD (e.g. tg32@d4096)
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh --kv-type q8 %t/fake 2>&1 | FileCheck %s --check-prefix=KV
// KV: compare_llamacpp.sh: error: --kv-type 'q8': expected f32, f16, bf16 or auto
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh --fa 2 %t/fake 2>&1 | FileCheck %s --check-prefix=FA
// FA: compare_llamacpp.sh: error: --fa: '2' is not 0, 1, on, off or auto
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh --bogus %t/fake 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: compare_llamacpp.sh: error: unknown option '--bogus' (see --help)
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh %t/fake --threads 2>&1 | FileCheck %s --check-prefix=VALUE
// VALUE: compare_llamacpp.sh: error: --threads needs a value
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh %t/fake %t/fake 2>&1 | FileCheck %s --check-prefix=TWO
// TWO: compare_llamacpp.sh: error: more than one checkout
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh --attnc-build %t/nobuild %t/fake 2>&1 | FileCheck %s --check-prefix=NOATTNC
// NOATTNC: compare_llamacpp.sh: error: {{.*}}nobuild/bin/attnc is missing: build it (ninja -C {{.*}}nobuild attnc attnc-run) or give --attnc-build
// The fake gguf package fails to import (ahead of any gguf installed
// elsewhere): the error says so.
// RUN: echo 'raise ImportError("fake")' > %t/fake/gguf-py/gguf/__init__.py
// RUN: not %attnc_src_root/tools/bench/compare_llamacpp.sh --attnc-build %attnc_obj_root --python %python --work-dir %t/work %t/fake 2>&1 | FileCheck %s --check-prefix=GGUF
// GGUF: compare_llamacpp.sh: error: {{.*}} cannot import {{.*}}fake/gguf-py
// RUN: not ls %t/fake/build-attnc-bench %t/work
