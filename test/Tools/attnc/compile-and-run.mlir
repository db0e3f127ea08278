// `attnc compile` to a shared library, then `attnc-run call lib.so`: the same
// numbers as the JIT path of `attnc-run call module.mlir`, both within 1e-5
// of a float64 reference.

// RUN: attnc compile %s --target=cpu -o %t.so
// RUN: %python %S/Inputs/attention_check.py inputs %t
// RUN: attnc-run call %s --function attention --input @%t.q.npy \
// RUN:   --input @%t.k.npy --input @%t.v.npy --output @%t.jit.npy
// RUN: attnc-run call %t.so --function attention --input @%t.q.npy \
// RUN:   --input @%t.k.npy --input @%t.v.npy --output @%t.library.npy
// RUN: %python %S/Inputs/attention_check.py compare %t %t.jit.npy %t.library.npy \
// RUN:   | FileCheck %s --check-prefix=COMPARE
// COMPARE: jit: float32 (1, 2, 4, 8) ok
// COMPARE-NEXT: library: float32 (1, 2, 4, 8) ok
// COMPARE-NEXT: jit == library

// The summaries agree too (V = 2 everywhere gives 2 everywhere).
// RUN: attnc-run call %t.so --function attention --input 1x2x4x8xf32=0.5 \
// RUN:   --input 1x2x4x8xf32=-1 --input 1x2x4x8xf32=2 | FileCheck %s --check-prefix=SUMMARY
// RUN: attnc-run call %s --function attention --input 1x2x4x8xf32=0.5 \
// RUN:   --input 1x2x4x8xf32=-1 --input 1x2x4x8xf32=2 | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: result[0]: tensor<1x2x4x8xf32> [2, 2, 2, 2, 2, 2, 2, 2, ...]
func.func @attention(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %o0 = tensor.empty() : tensor<1x2x4x8xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>)
      outs(%o0 : tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// The library's other functions: two results written in place (contiguous
// kv_append), and the input checks, from the signature stored in the library.
// RUN: attnc-run call %t.so --function kv_append --input 1x1x3x2xf32=1 \
// RUN:   --input 1x1x3x2xf32=2 --input 1xi64=1 --input 1x1x4x2xf32=0 \
// RUN:   --input 1x1x4x2xf32=0 | FileCheck %s --check-prefix=KV
// KV: result[0]: tensor<1x1x4x2xf32> [0, 0, 1, 1, 1, 1, 1, 1]
// KV-NEXT: result[1]: tensor<1x1x4x2xf32> [0, 0, 2, 2, 2, 2, 2, 2]
// RUN: not attnc-run call %t.so --function kv_append --input 1x1x3x2xf32=1 \
// RUN:   --input 1x1x3x2xf32=2 --input 1xi32=1 --input 1x1x4x2xf32=0 \
// RUN:   --input 1x1x4x2xf32=0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=KV-DTYPE --implicit-check-not=error:
// KV-DTYPE: {{^}}attnc-run: error: input 2 (1xi32=1) of @kv_append: expected tensor<1xi64>, got tensor<1xi32>{{$}}
// RUN: not attnc-run call %t.so --function kv_append --input 1x1x3x2xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=KV-COUNT --implicit-check-not=error:
// KV-COUNT: {{^}}attnc-run: error: @kv_append takes 5 input(s) (tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1xi64>, tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>) -> (tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>), got 1{{$}}
func.func @kv_append(%k: tensor<1x1x3x2xf32>, %v: tensor<1x1x3x2xf32>,
    %start: tensor<1xi64>, %kc: tensor<1x1x4x2xf32>, %vc: tensor<1x1x4x2xf32>)
    -> (tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>)
      at(%start : tensor<1xi64>)
      outs(%kc, %vc : tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>)
      -> tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>
  return %kc1, %vc1 : tensor<1x1x4x2xf32>, tensor<1x1x4x2xf32>
}

// Scalars and dynamic shapes through the library.
// RUN: not attnc-run call %t.so --function scale --input "f32=3" --input "2x?xf32=1 2 3 4" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-LITERAL --implicit-check-not=error:
// BAD-LITERAL: {{^}}attnc-run: error: --input 2x?xf32=1 2 3 4: invalid tensor literal {{.*}}
// RUN: attnc-run call %t.so --function scale --input "f32=3" --input "2x2xf32=1 2 3 4" \
// RUN:   | FileCheck %s --check-prefix=SCALE
// SCALE: result[0]: tensor<2x2xf32> [3, 6, 9, 12]
func.func @scale(%s: tensor<f32>, %a: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %x = tensor.extract %s[] : tensor<f32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %a, %c0 : tensor<?x?xf32>
  %d1 = tensor.dim %a, %c1 : tensor<?x?xf32>
  %e = tensor.empty(%d0, %d1) : tensor<?x?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
      affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<?x?xf32>) outs(%e : tensor<?x?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %x : f32
    linalg.yield %m : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}
