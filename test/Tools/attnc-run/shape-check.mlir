// Run-time checks of dynamic sizes (issue 12): every relation the verifiers
// check between static sizes is checked once at the op's entry when a size is
// dynamic, in the fused kernels and in the reference lowering (--reference).
// A call with inconsistent sizes exits with status 1 and a message naming the
// op's location and both sizes; it never reads out of bounds or returns
// garbage. Consistent sizes run.

// attn.attention: K and V disagree on Skv (segfaulted), or on a few rows
// (returned garbage); consistent sizes run.
// RUN: not attnc-run call %s --function attention --input 1x2x4x16xf32=1 \
// RUN:   --input 1x2x100000x16xf32=1 --input 1x2x3x16xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SKV --implicit-check-not=result
// RUN: not attnc-run call %s --reference --function attention \
// RUN:   --input 1x2x4x16xf32=1 --input 1x2x100000x16xf32=1 \
// RUN:   --input 1x2x3x16xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SKV --implicit-check-not=result
// SKV-DAG: shape-check.mlir:[[# @LINE + 31]]:8: attn.attention: key and value have 100000 and 3 rows (Skv must agree)
// SKV-DAG: {{^}}attnc-run: error: a run-time check in the compiled code failed
// RUN: not attnc-run call %s --function attention --input 1x2x4x16xf32=1 \
// RUN:   --input 1x2x4x16xf32=1 --input 1x2x1x16xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SKV-SMALL --implicit-check-not=result
// RUN: not attnc-run call %s --reference --function attention \
// RUN:   --input 1x2x4x16xf32=1 --input 1x2x4x16xf32=1 \
// RUN:   --input 1x2x1x16xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SKV-SMALL --implicit-check-not=result
// SKV-SMALL: attn.attention: key and value have 4 and 1 rows (Skv must agree)
// A compiled library checks the same way (printf, then abort()); attnc-call
// and attnc-run report it as an error exit.
// RUN: attnc compile %s --target=cpu -o %t.so
// RUN: not attnc-call %t.so --function attention --input 1x2x4x16xf32=1 \
// RUN:   --input 1x2x100000x16xf32=1 --input 1x2x3x16xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SO --implicit-check-not=result
// RUN: not attnc-run call %t.so --function attention --input 1x2x4x16xf32=1 \
// RUN:   --input 1x2x100000x16xf32=1 --input 1x2x3x16xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SO --implicit-check-not=result
// SO-DAG: shape-check.mlir:{{[0-9]+}}:8: attn.attention: key and value have 100000 and 3 rows (Skv must agree)
// SO-DAG: {{^}}attnc-{{call|run}}: error: a run-time check in the compiled code failed
// RUN: attnc-run call %s --function attention --input 1x2x4x16xf32=1 \
// RUN:   --input 1x2x5x16xf32=1 --input 1x2x5x16xf32=2 | FileCheck %s --check-prefix=FITS
// RUN: attnc-run call %s --reference --function attention --input 1x2x4x16xf32=1 \
// RUN:   --input 1x2x5x16xf32=1 --input 1x2x5x16xf32=2 | FileCheck %s --check-prefix=FITS
// FITS: result[0]: tensor<1x2x4x16xf32> [2, 2, 2, 2, 2, 2, 2, 2, ...]
func.func @attention(%q: tensor<1x2x?x16xf32>, %k: tensor<1x2x?x16xf32>,
    %v: tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32> {
  %c2 = arith.constant 2 : index
  %sq = tensor.dim %q, %c2 : tensor<1x2x?x16xf32>
  %o0 = tensor.empty(%sq) : tensor<1x2x?x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>)
      outs(%o0 : tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32>
  return %o : tensor<1x2x?x16xf32>
}

// attn.attention with a mask: 23 mask rows for Sq = 24 (ran), and a mask of
// the wrong key count.
// RUN: not attnc-run call %s --function masked --input 1x2x24x16xf32=1 \
// RUN:   --input 1x2x24x16xf32=1 --input 1x2x24x16xf32=1 \
// RUN:   --input 1x1x23x24xi1=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MASK-ROWS --implicit-check-not=result
// RUN: not attnc-run call %s --reference --function masked \
// RUN:   --input 1x2x24x16xf32=1 --input 1x2x24x16xf32=1 \
// RUN:   --input 1x2x24x16xf32=1 --input 1x1x23x24xi1=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MASK-ROWS --implicit-check-not=result
// MASK-ROWS: attn.attention: mask and query have 23 and 24 rows (mask dimension 2 must be Sq, or a static 1)
// RUN: not attnc-run call %s --function masked --input 1x2x24x16xf32=1 \
// RUN:   --input 1x2x24x16xf32=1 --input 1x2x24x16xf32=1 \
// RUN:   --input 1x1x24x25xi1=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MASK-KEYS --implicit-check-not=result
// MASK-KEYS: attn.attention: mask and key have 25 and 24 rows (mask dimension 3 must be Skv, or a static 1)
// RUN: attnc-run call %s --function masked --input 1x2x24x16xf32=1 \
// RUN:   --input 1x2x24x16xf32=1 --input 1x2x24x16xf32=3 \
// RUN:   --input 1x1x24x24xi1=1 | FileCheck %s --check-prefix=MASK-FITS
// MASK-FITS: result[0]: tensor<1x2x24x16xf32> [3, 3, 3, 3, 3, 3, 3, 3, ...]
func.func @masked(%q: tensor<1x2x?x16xf32>, %k: tensor<1x2x?x16xf32>,
    %v: tensor<1x2x?x16xf32>, %m: tensor<1x1x?x?xi1>) -> tensor<1x2x?x16xf32> {
  %c2 = arith.constant 2 : index
  %sq = tensor.dim %q, %c2 : tensor<1x2x?x16xf32>
  %o0 = tensor.empty(%sq) : tensor<1x2x?x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>)
      mask(%m : tensor<1x1x?x?xi1>)
      outs(%o0 : tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32>
  return %o : tensor<1x2x?x16xf32>
}

// attn.masked_softmax: the mask's rows against the input's.
// RUN: not attnc-run call %s --function softmax --input 1x4x6xf32=1 \
// RUN:   --input 1x3x6xi1=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SOFTMAX --implicit-check-not=result
// RUN: not attnc-run call %s --reference --function softmax --input 1x4x6xf32=1 \
// RUN:   --input 1x3x6xi1=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SOFTMAX --implicit-check-not=result
// SOFTMAX: attn.masked_softmax: mask and input have 3 and 4 rows (mask dimension 1 must be Sq, or a static 1)
func.func @softmax(%s: tensor<1x?x?xf32>, %m: tensor<1x?x?xi1>) -> tensor<1x?x?xf32> {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %d1 = tensor.dim %s, %c1 : tensor<1x?x?xf32>
  %d2 = tensor.dim %s, %c2 : tensor<1x?x?xf32>
  %p0 = tensor.empty(%d1, %d2) : tensor<1x?x?xf32>
  %p = attn.masked_softmax ins(%s : tensor<1x?x?xf32>) mask(%m : tensor<1x?x?xi1>)
      outs(%p0 : tensor<1x?x?xf32>) -> tensor<1x?x?xf32>
  return %p : tensor<1x?x?xf32>
}

// attn.kv_append with a dynamic Snew: K of 2 rows and V of 8 (silently wrote
// 2 V rows).
// RUN: not attnc-run call %s --function append --input 1x1x2x2xf32=1 \
// RUN:   --input 1x1x8x2xf32=2 --input 1xi64=0 --input 1x1x16x2xf32=0 \
// RUN:   --input 1x1x16x2xf32=0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=APPEND --implicit-check-not=result
// RUN: not attnc-run call %s --reference --function append --input 1x1x2x2xf32=1 \
// RUN:   --input 1x1x8x2xf32=2 --input 1xi64=0 --input 1x1x16x2xf32=0 \
// RUN:   --input 1x1x16x2xf32=0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=APPEND --implicit-check-not=result
// APPEND: attn.kv_append: key and value have 2 and 8 rows (Snew must agree)
func.func @append(%k: tensor<1x1x?x2xf32>, %v: tensor<1x1x?x2xf32>,
    %start: tensor<1xi64>, %kc: tensor<1x1x16x2xf32>, %vc: tensor<1x1x16x2xf32>)
    -> (tensor<1x1x16x2xf32>, tensor<1x1x16x2xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<1x1x?x2xf32>, tensor<1x1x?x2xf32>)
      at(%start : tensor<1xi64>)
      outs(%kc, %vc : tensor<1x1x16x2xf32>, tensor<1x1x16x2xf32>)
      -> tensor<1x1x16x2xf32>, tensor<1x1x16x2xf32>
  return %kc1, %vc1 : tensor<1x1x16x2xf32>, tensor<1x1x16x2xf32>
}

// attn.decode_attention: seq_lens has one length per sequence (B), and the
// caches hold B sequences.
// RUN: not attnc-run call %s --function decode --input 2x2x1x16xf32=1 \
// RUN:   --input 2x1x32x16xf32=1 --input 2x1x32x16xf32=1 --input 1xi32=4 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LENS --implicit-check-not=result
// RUN: not attnc-run call %s --reference --function decode --input 2x2x1x16xf32=1 \
// RUN:   --input 2x1x32x16xf32=1 --input 2x1x32x16xf32=1 --input 1xi32=4 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LENS --implicit-check-not=result
// LENS: attn.decode_attention: seq_lens and query have 1 and 2 sequences (B must agree)
// RUN: not attnc-run call %s --function decode --input 2x2x1x16xf32=1 \
// RUN:   --input 1x1x32x16xf32=1 --input 2x1x32x16xf32=1 --input 2xi32=4 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CACHE --implicit-check-not=result
// CACHE: attn.decode_attention: key_cache and query have 1 and 2 sequences (B must agree)
// RUN: attnc-run call %s --function decode --input 2x2x1x16xf32=1 \
// RUN:   --input 2x1x32x16xf32=1 --input 2x1x32x16xf32=5 --input 2xi32=4 \
// RUN:   | FileCheck %s --check-prefix=DECODE-FITS
// DECODE-FITS: result[0]: tensor<2x2x1x16xf32> [5, 5, 5, 5, 5, 5, 5, 5, ...]
func.func @decode(%q: tensor<?x2x1x16xf32>, %kc: tensor<?x1x32x16xf32>,
    %vc: tensor<?x1x32x16xf32>, %lens: tensor<?xi32>) -> tensor<?x2x1x16xf32> {
  %c0 = arith.constant 0 : index
  %b = tensor.dim %q, %c0 : tensor<?x2x1x16xf32>
  %o0 = tensor.empty(%b) : tensor<?x2x1x16xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<?x2x1x16xf32>, tensor<?x1x32x16xf32>, tensor<?x1x32x16xf32>)
      seq_lens(%lens : tensor<?xi32>)
      outs(%o0 : tensor<?x2x1x16xf32>) -> tensor<?x2x1x16xf32>
  return %o : tensor<?x2x1x16xf32>
}

// attn.rope: one position per row.
// RUN: not attnc-run call %s --function rope --input 1x2x4x8xf32=1 \
// RUN:   --input 1x1x4x8xf32=1 --input 3xi64=0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ROPE --implicit-check-not=result
// RUN: not attnc-run call %s --reference --function rope --input 1x2x4x8xf32=1 \
// RUN:   --input 1x1x4x8xf32=1 --input 3xi64=0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ROPE --implicit-check-not=result
// ROPE: attn.rope: positions and the input have 3 and 4 rows (S must agree)
func.func @rope(%q: tensor<1x2x?x8xf32>, %k: tensor<1x1x?x8xf32>,
    %pos: tensor<?xi64>) -> (tensor<1x2x?x8xf32>, tensor<1x1x?x8xf32>) {
  %c2 = arith.constant 2 : index
  %s = tensor.dim %q, %c2 : tensor<1x2x?x8xf32>
  %sk = tensor.dim %k, %c2 : tensor<1x1x?x8xf32>
  %q0 = tensor.empty(%s) : tensor<1x2x?x8xf32>
  %k0 = tensor.empty(%sk) : tensor<1x1x?x8xf32>
  %qr, %kr = attn.rope half ins(%q, %k, %pos : tensor<1x2x?x8xf32>, tensor<1x1x?x8xf32>, tensor<?xi64>)
      outs(%q0, %k0 : tensor<1x2x?x8xf32>, tensor<1x1x?x8xf32>)
      -> tensor<1x2x?x8xf32>, tensor<1x1x?x8xf32>
  return %qr, %kr : tensor<1x2x?x8xf32>, tensor<1x1x?x8xf32>
}

// attn.qkv_proj and attn.out_proj: weights of the wrong size.
// RUN: not attnc-run call %s --function qkv --input 1x4x32xf32=1 \
// RUN:   --input 31x96xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=QKV --implicit-check-not=result
// RUN: not attnc-run call %s --reference --function qkv --input 1x4x32xf32=1 \
// RUN:   --input 31x96xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=QKV --implicit-check-not=result
// QKV: attn.qkv_proj: weight 0 and input have 31 and 32 input features (Dm must agree)
func.func @qkv(%x: tensor<1x4x32xf32>, %w: tensor<?x96xf32>)
    -> (tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>) {
  %q0 = tensor.empty() : tensor<1x2x4x16xf32>
  %k0 = tensor.empty() : tensor<1x2x4x16xf32>
  %v0 = tensor.empty() : tensor<1x2x4x16xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x4x32xf32>)
      weights(%w : tensor<?x96xf32>)
      outs(%q0, %k0, %v0 : tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>)
      -> tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>
  return %q, %k, %v : tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>
}

// RUN: not attnc-run call %s --function out --input 1x2x4x16xf32=1 \
// RUN:   --input 30x32xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OUT --implicit-check-not=result
// RUN: not attnc-run call %s --reference --function out --input 1x2x4x16xf32=1 \
// RUN:   --input 30x32xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OUT --implicit-check-not=result
// OUT: attn.out_proj: weight has 30 input features, expected 32 (H * Dv of the input)
func.func @out(%x: tensor<1x2x4x16xf32>, %w: tensor<?x32xf32>) -> tensor<1x4x32xf32> {
  %y0 = tensor.empty() : tensor<1x4x32xf32>
  %y = attn.out_proj ins(%x : tensor<1x2x4x16xf32>) weight(%w : tensor<?x32xf32>)
      outs(%y0 : tensor<1x4x32xf32>) -> tensor<1x4x32xf32>
  return %y : tensor<1x4x32xf32>
}
