// Paged kv_append run end to end. Its lowering copies strided rows with
// memref.copy, which becomes a call to memrefCopy (libmlir_c_runner_utils):
// the JIT must resolve it (it did not: "Symbols not found: [ memrefCopy ]").
//
// Two sequences of 3 new rows (rows r = 1..6 of K hold [r, r], of V
// [10r, 10r]) into a cache of 4 blocks of 2 slots, untouched slots -1.
// Block table [[3, 0], [1, 2]]; sequence 0 starts at 0: positions 0, 1, 2 go
// to block 3 slots 0, 1 and block 0 slot 0; sequence 1 starts at 1: positions
// 1, 2, 3 go to block 1 slot 1 and block 2 slots 0, 1.

// RUN: attnc-run call %s --input "2x1x3x2xf32=1 1 2 2 3 3 4 4 5 5 6 6" \
// RUN:   --input "2x1x3x2xf32=10 10 20 20 30 30 40 40 50 50 60 60" \
// RUN:   --input "2xi32=0 1" --input "2x2xi32=3 0 1 2" \
// RUN:   --input 4x1x2x2xf32=-1 --input 4x1x2x2xf32=-1 --print-values=16 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PAGED --implicit-check-not=error:
// PAGED: result[0]: tensor<4x1x2x2xf32> [3, 3, -1, -1, -1, -1, 4, 4, 5, 5, 6, 6, 1, 1, 2, 2]
// PAGED-NEXT: result[1]: tensor<4x1x2x2xf32> [30, 30, -1, -1, -1, -1, 40, 40, 50, 50, 60, 60, 10, 10, 20, 20]

// The run-time checks of the paged form.
// RUN: not attnc-run call %s --input 2x1x3x2xf32=1 --input 2x1x3x2xf32=1 \
// RUN:   --input "2xi32=0 1" --input "2x2xi32=3 0 1 4" \
// RUN:   --input 4x1x2x2xf32=-1 --input 4x1x2x2xf32=-1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BLOCK-ID --implicit-check-not=result
// BLOCK-ID-DAG: kv-append-paged.mlir:[[# @LINE + 11]]:16: attn.kv_append: block id outside [0, num_blocks)
// BLOCK-ID-DAG: {{^}}attnc-run: error: a run-time check in the compiled code failed
// RUN: not attnc-run call %s --input 2x1x3x2xf32=1 --input 2x1x3x2xf32=1 \
// RUN:   --input "2xi32=0 2" --input "2x2xi32=3 0 1 2" \
// RUN:   --input 4x1x2x2xf32=-1 --input 4x1x2x2xf32=-1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TABLE-END --implicit-check-not=result
// TABLE-END-DAG: kv-append-paged.mlir:[[# @LINE + 5]]:16: attn.kv_append: position past the end of the block table
// TABLE-END-DAG: {{^}}attnc-run: error: a run-time check in the compiled code failed
func.func @kv_append_paged(%k: tensor<2x1x3x2xf32>, %v: tensor<2x1x3x2xf32>,
    %start: tensor<2xi32>, %table: tensor<2x2xi32>, %kc: tensor<4x1x2x2xf32>,
    %vc: tensor<4x1x2x2xf32>) -> (tensor<4x1x2x2xf32>, tensor<4x1x2x2xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<2x1x3x2xf32>, tensor<2x1x3x2xf32>)
      at(%start : tensor<2xi32>) block_table(%table : tensor<2x2xi32>)
      outs(%kc, %vc : tensor<4x1x2x2xf32>, tensor<4x1x2x2xf32>)
      -> tensor<4x1x2x2xf32>, tensor<4x1x2x2xf32>
  return %kc1, %vc1 : tensor<4x1x2x2xf32>, tensor<4x1x2x2xf32>
}
