// attnc-call runs a CPU library made by `attnc compile` as `attnc-run call`
// does: the same summaries and the same .npy outputs, with no LLVM or MLIR
// library in the process. Summaries go to stdout, the time to stderr.

// RUN: attnc compile %s --target=cpu -o %t.so

// Attention: V = 2 everywhere gives 2 everywhere.
// RUN: attnc-call %t.so --function attention --input 1x2x4x8xf32=0.5 \
// RUN:   --input 1x2x4x8xf32=-1 --input 1x2x4x8xf32=2 \
// RUN:   | FileCheck %s --check-prefix=SUMMARY
// RUN: attnc-run call %t.so --function attention --input 1x2x4x8xf32=0.5 \
// RUN:   --input 1x2x4x8xf32=-1 --input 1x2x4x8xf32=2 \
// RUN:   | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: result[0]: tensor<1x2x4x8xf32> [2, 2, 2, 2, 2, 2, 2, 2, ...]

// The same .npy files from both runners, byte for byte; the CPU device is
// the default for a CPU library and may be named.
// RUN: %python -c "import numpy; r = numpy.random.default_rng(0); [numpy.save('%t.' + n + '.npy', r.standard_normal((1, 2, 4, 8), dtype=numpy.float32)) for n in 'qkv']"
// RUN: attnc-call %t.so --function attention --device cpu --input @%t.q.npy \
// RUN:   --input @%t.k.npy --input @%t.v.npy --output @%t.call.npy
// RUN: attnc-run call %t.so --function attention --input @%t.q.npy \
// RUN:   --input @%t.k.npy --input @%t.v.npy --output @%t.run.npy
// RUN: cmp %t.call.npy %t.run.npy

// Several results, a dynamic dimension, a 0-d tensor, --print-values and
// --option=value spellings.
// RUN: attnc-call %t.so --function=pair --input "2x3xf32=1 2 3 4 5 6" \
// RUN:   --input f32=1.5 --print-values=4 | FileCheck %s --check-prefix=PAIR
// RUN: attnc-run call %t.so --function=pair --input "2x3xf32=1 2 3 4 5 6" \
// RUN:   --input f32=1.5 --print-values=4 | FileCheck %s --check-prefix=PAIR
// PAIR: result[0]: tensor<2x3xf32> [2, 4, 6, 8, ...]
// PAIR-NEXT: result[1]: tensor<f32> [3]

// bf16 from a '<u2' file (bit patterns of 0.5, 1.5, -2, 3).
// RUN: %python -c "import numpy; numpy.save('%t.bf16.npy', numpy.array([0x3F00, 0x3FC0, 0xC000, 0x4040], dtype=numpy.uint16))"
// RUN: attnc-call %t.so --function add_bf16 --input @%t.bf16.npy \
// RUN:   | FileCheck %s --check-prefix=BF16
// BF16: result[0]: tensor<4xbf16> [1, 3, -4, 6]

// Results computed in place into an argument (a paged KV cache), as in
// test/Tools/attnc/library-runtime-symbols.mlir.
// RUN: attnc-call %t.so --function kv_append_paged \
// RUN:   --input "2x1x3x2xf32=1 1 2 2 3 3 4 4 5 5 6 6" \
// RUN:   --input "2x1x3x2xf32=10 10 20 20 30 30 40 40 50 50 60 60" \
// RUN:   --input "2xi32=0 1" --input "2x2xi32=3 0 1 2" \
// RUN:   --input 4x1x2x2xf32=-1 --input 4x1x2x2xf32=-1 --print-values=16 \
// RUN:   | FileCheck %s --check-prefix=PAGED
// PAGED: result[0]: tensor<4x1x2x2xf32> [3, 3, -1, -1, -1, -1, 4, 4, 5, 5, 6, 6, 1, 1, 2, 2]
// PAGED-NEXT: result[1]: tensor<4x1x2x2xf32> [30, 30, -1, -1, -1, -1, 40, 40, 50, 50, 60, 60, 10, 10, 20, 20]

// The time: one run, or the median of --repeat runs after --warmup runs.
// RUN: attnc-call %t.so --function pair --input 2x3xf32=0 --input f32=0 \
// RUN:   2>&1 >/dev/null | FileCheck %s --check-prefix=TIME
// TIME: {{^}}@pair ran in {{[0-9]+\.[0-9][0-9][0-9]}} ms{{$}}
// RUN: attnc-call %t.so --function pair --input 2x3xf32=0 --input f32=0 \
// RUN:   --repeat 5 --warmup 2 2>&1 >/dev/null | FileCheck %s --check-prefix=REPEAT
// REPEAT: {{^}}@pair ran in {{[0-9]+\.[0-9][0-9][0-9]}} ms (median of 5 runs){{$}}

// --help.
// RUN: attnc-call --help | FileCheck %s --check-prefix=HELP
// HELP: usage: attnc-call <library.so> --function <name> [options]
// HELP: --device cpu|cuda

func.func @attention(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %o0 = tensor.empty() : tensor<1x2x4x8xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>)
      outs(%o0 : tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

func.func @pair(%a: tensor<?x3xf32>, %s: tensor<f32>)
    -> (tensor<?x3xf32>, tensor<f32>) {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %a, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %r = linalg.add ins(%a, %a : tensor<?x3xf32>, tensor<?x3xf32>)
      outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %e0 = tensor.empty() : tensor<f32>
  %t = linalg.add ins(%s, %s : tensor<f32>, tensor<f32>)
      outs(%e0 : tensor<f32>) -> tensor<f32>
  return %r, %t : tensor<?x3xf32>, tensor<f32>
}

func.func @add_bf16(%a: tensor<4xbf16>) -> tensor<4xbf16> {
  %e = tensor.empty() : tensor<4xbf16>
  %r = linalg.add ins(%a, %a : tensor<4xbf16>, tensor<4xbf16>)
      outs(%e : tensor<4xbf16>) -> tensor<4xbf16>
  return %r : tensor<4xbf16>
}

func.func @kv_append_paged(%k: tensor<2x1x3x2xf32>, %v: tensor<2x1x3x2xf32>,
    %start: tensor<2xi32>, %table: tensor<2x2xi32>, %kc: tensor<4x1x2x2xf32>,
    %vc: tensor<4x1x2x2xf32>) -> (tensor<4x1x2x2xf32>, tensor<4x1x2x2xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<2x1x3x2xf32>, tensor<2x1x3x2xf32>)
      at(%start : tensor<2xi32>) block_table(%table : tensor<2x2xi32>)
      outs(%kc, %vc : tensor<4x1x2x2xf32>, tensor<4x1x2x2xf32>)
      -> tensor<4x1x2x2xf32>, tensor<4x1x2x2xf32>
  return %kc1, %vc1 : tensor<4x1x2x2xf32>, tensor<4x1x2x2xf32>
}
