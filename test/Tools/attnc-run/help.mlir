// `attnc-run --help` and each subcommand's help list attnc-run's options
// only, not the ~390 lines of the linked LLVM and MLIR libraries; generate
// and logits have a real --threads (a hidden LLVM option used to take it).

// RUN: attnc-run --help | wc -l | FileCheck %s --check-prefix=SHORT
// RUN: attnc-run call --help | wc -l | FileCheck %s --check-prefix=SHORT
// RUN: attnc-run generate --help | wc -l | FileCheck %s --check-prefix=SHORT
// SHORT: {{^ *[1-3]?[0-9]$}}

// RUN: attnc-run --help | FileCheck %s --check-prefix=TOP --implicit-check-not=--x86 --implicit-check-not=-mlir-
// TOP-DAG: call - Run a function
// TOP-DAG: generate - Generate text
// TOP-DAG: logits - Write the logits
// TOP-DAG: tokenize -
// TOP-DAG: bench - Time prompt processing and generation

// RUN: attnc-run call --help | FileCheck %s --check-prefix=CALL --implicit-check-not=--x86
// CALL: attnc-run options:
// CALL-DAG: --function=<name>
// CALL-DAG: --input=<@file.npy|literal>
// CALL-DAG: --threads=<uint>

// RUN: attnc-run generate --help | FileCheck %s --check-prefix=THREADS
// RUN: attnc-run logits --help | FileCheck %s --check-prefix=THREADS
// RUN: attnc-run bench --help | FileCheck %s --check-prefix=THREADS
// THREADS: --threads=<uint> - Threads for parallel kernels

// RUN: attnc-run bench --help | FileCheck %s --check-prefix=BENCH --implicit-check-not=--x86
// BENCH-DAG: -d <n,...>
// BENCH-DAG: -n <n,...>
// BENCH-DAG: -p <n,...>
// BENCH-DAG: -r <long>
// BENCH-DAG: --bandwidth=<GB/s>
// RUN: attnc-run generate --help | FileCheck %s --check-prefix=TOKENS
// TOKENS: --tokens=<ids> - Token ids

// --threads is parsed as generate's own option.
// RUN: not attnc-run generate %t.attnc --model-dir %t --threads=two 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// BAD: for the --threads option: 'two' value invalid for uint argument!
