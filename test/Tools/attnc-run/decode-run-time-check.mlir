// The fused decode kernel (attn-decode-cpu) keeps the reference lowering's
// run-time checks: a sequence longer than the cache (a full cache asked for
// one more token) and a block table entry outside the cache exit with status
// 1 and the check's message naming the op's location, never reading out of
// bounds. Lengths that fit run.

// RUN: attnc-run call %s --function contiguous --input 1x2x1x16xf32=1 \
// RUN:   --input 1x1x32x16xf32=0.5 --input 1x1x32x16xf32=2 --input 1xi32=32 \
// RUN:   | FileCheck %s --check-prefix=FULL
// FULL: result[0]: tensor<1x2x1x16xf32> [2, 2, 2, 2, 2, 2, 2, 2, ...]

// RUN: not attnc-run call %s --function contiguous --input 1x2x1x16xf32=1 \
// RUN:   --input 1x1x32x16xf32=0.5 --input 1x1x32x16xf32=2 --input 1xi32=33 \
// RUN:   2>&1 | FileCheck %s --check-prefix=OVERFLOW --implicit-check-not=result
// OVERFLOW-DAG: decode-run-time-check.mlir:[[# @LINE + 16]]:8: attn.decode_attention: sequence length outside [0, cache capacity]
// OVERFLOW-DAG: {{^}}attnc-run: error: a run-time check in the compiled code failed

// RUN: not attnc-run call %s --function paged --input 1x2x1x16xf32=1 \
// RUN:   --input 4x1x16x16xf32=0.5 --input 4x1x16x16xf32=2 --input 1xi32=20 \
// RUN:   --input 1x2xi32=7 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BLOCK --implicit-check-not=result
// BLOCK-DAG: decode-run-time-check.mlir:[[# @LINE + 20]]:8: attn.decode_attention: block id outside [0, num_blocks)
// BLOCK-DAG: {{^}}attnc-run: error: a run-time check in the compiled code failed

// RUN: attnc-opt %s -attn-decode-cpu | FileCheck %s --check-prefix=FUSED
// FUSED-NOT: attn.decode_attention ins
// FUSED: scf.forall
func.func @contiguous(%q: tensor<1x2x1x16xf32>, %kc: tensor<1x1x32x16xf32>,
    %vc: tensor<1x1x32x16xf32>, %lens: tensor<1xi32>) -> tensor<1x2x1x16xf32> {
  %o0 = tensor.empty() : tensor<1x2x1x16xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<1x2x1x16xf32>, tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x2x1x16xf32>) -> tensor<1x2x1x16xf32>
  return %o : tensor<1x2x1x16xf32>
}

func.func @paged(%q: tensor<1x2x1x16xf32>, %kc: tensor<4x1x16x16xf32>,
    %vc: tensor<4x1x16x16xf32>, %lens: tensor<1xi32>, %table: tensor<1x2xi32>)
    -> tensor<1x2x1x16xf32> {
  %o0 = tensor.empty() : tensor<1x2x1x16xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<1x2x1x16xf32>, tensor<4x1x16x16xf32>, tensor<4x1x16x16xf32>)
      seq_lens(%lens : tensor<1xi32>) block_table(%table : tensor<1x2xi32>)
      outs(%o0 : tensor<1x2x1x16xf32>) -> tensor<1x2x1x16xf32>
  return %o : tensor<1x2x1x16xf32>
}
