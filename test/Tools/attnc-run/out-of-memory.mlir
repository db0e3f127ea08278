// Shapes whose buffers cannot be allocated give a clear error and exit
// status 1, not a segfault on a null pointer (issue 12, item 7). The
// reference lowering of attn.attention materializes the B x H x Sq x Skv score
// tensor: with Sq = Skv = 2^23 that is 2^46 f32 values (256 TiB, beyond any
// x86-64 address space), while the inputs are 32 MiB each.

// RUN: not attnc-run call %s --reference --function attention \
// RUN:   --input 1x1x8388608x1xf32=1 --input 1x1x8388608x1xf32=1 \
// RUN:   --input 1x1x8388608x1xf32=1 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=result
// CHECK-DAG: {{^}}attnc: out of memory allocating a 281474976710656-byte temporary
// CHECK-DAG: {{^}}attnc-run: error: a run-time check in the compiled code failed

// A KV cache of 10^11 positions is refused before anything is allocated:
// it may not exceed the model's context, and config.json sizes are at most
// 2^24 (caches that still do not fit fail with "cannot allocate the KV
// cache").
// RUN: not attnc compile %attnc_src_root/examples/tiny-gpt2-licenses \
// RUN:   --max-seq 100000000000 -o %t.attnc 2>&1 | FileCheck %s --check-prefix=CACHE
// CACHE: {{^}}attnc: error: a GPT-2 cache of 100000000000 positions exceeds n_positions (64){{$}}

func.func @attention(%q: tensor<1x1x?x1xf32>, %k: tensor<1x1x?x1xf32>,
    %v: tensor<1x1x?x1xf32>) -> tensor<1x1x?x1xf32> {
  %c2 = arith.constant 2 : index
  %sq = tensor.dim %q, %c2 : tensor<1x1x?x1xf32>
  %o0 = tensor.empty(%sq) : tensor<1x1x?x1xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x?x1xf32>, tensor<1x1x?x1xf32>, tensor<1x1x?x1xf32>)
      outs(%o0 : tensor<1x1x?x1xf32>) -> tensor<1x1x?x1xf32>
  return %o : tensor<1x1x?x1xf32>
}
