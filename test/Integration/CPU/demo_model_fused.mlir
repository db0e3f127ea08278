// The README's "every layer runs on vector kernels", checked on the demo
// model (examples/tiny-gpt2-licenses: head dim 96 / 4 = 24, not a multiple
// of the vector width): compiling it with --report-fallbacks reports no op
// that takes the reference lowering and no linear layer left to the loops.
//
// RUN: attnc compile %attnc_src_root/examples/tiny-gpt2-licenses \
// RUN:   --max-seq 64 -o %t.attnc --report-fallbacks > %t.log 2>&1
// RUN: echo compiled >> %t.log
// RUN: FileCheck %s --implicit-check-not=remark --input-file=%t.log
// Without the flag, the same compile reports nothing either way.
// RUN: attnc compile %attnc_src_root/examples/tiny-gpt2-licenses \
// RUN:   --max-seq 64 -o %t.attnc 2>&1 | count 0

// CHECK: compiled
