// RUN: attnc-opt %s -split-input-file -attn-decompose | FileCheck %s

// Contiguous kv_append: one insert_slice per sequence at [b, 0, start[b], 0],
// threaded through an scf.for so that bufferization writes the caches in
// place, behind a run-time bound check.

// CHECK-LABEL: func @kv_append_contiguous
// CHECK-SAME: (%[[K:[a-zA-Z0-9]*]]: tensor<2x2x3x4xf32>, %[[V:[a-zA-Z0-9]*]]: tensor<2x2x3x4xf32>, %[[START:[a-zA-Z0-9]*]]: tensor<2xi64>, %[[KC:[a-zA-Z0-9]*]]: tensor<2x2x16x4xf32>, %[[VC:[a-zA-Z0-9]*]]: tensor<2x2x16x4xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[B:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[SNEW:.*]] = arith.constant 3 : index
// CHECK: %[[R:.*]]:2 = scf.for %[[I:.*]] = %[[C0]] to %[[B]] step %[[C1]] iter_args(%[[KACC:.*]] = %[[KC]], %[[VACC:.*]] = %[[VC]])
// CHECK:   %[[S:.*]] = tensor.extract %[[START]][%[[I]]] : tensor<2xi64>
// CHECK:   %[[POS:.*]] = arith.index_cast %[[S]] : i64 to index
// CHECK:   cf.assert %{{.*}}, "{{.*}}kv-cache.mlir:{{[0-9]+}}:{{[0-9]+}}: attn.kv_append: negative start position"
// CHECK:   %[[END:.*]] = arith.addi %[[POS]], %[[SNEW]] : index
// CHECK:   %[[FITS:.*]] = arith.cmpi sle, %[[END]], %{{.*}} : index
// CHECK:   cf.assert %[[FITS]], "{{.*}}attn.kv_append: write past the end of the cache (start + Snew > Smax)"
// CHECK:   %[[KROWS:.*]] = tensor.extract_slice %[[K]][%[[I]], 0, 0, 0] [1, 2, 3, 4] [1, 1, 1, 1]
// CHECK:   %[[KNEXT:.*]] = tensor.insert_slice %[[KROWS]] into %[[KACC]][%[[I]], 0, %[[POS]], 0] [1, 2, 3, 4] [1, 1, 1, 1]
// CHECK:   %[[VROWS:.*]] = tensor.extract_slice %[[V]][%[[I]], 0, 0, 0] [1, 2, 3, 4] [1, 1, 1, 1]
// CHECK:   %[[VNEXT:.*]] = tensor.insert_slice %[[VROWS]] into %[[VACC]][%[[I]], 0, %[[POS]], 0] [1, 2, 3, 4] [1, 1, 1, 1]
// CHECK:   scf.yield %[[KNEXT]], %[[VNEXT]]
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @kv_append_contiguous(%k: tensor<2x2x3x4xf32>, %v: tensor<2x2x3x4xf32>,
    %start: tensor<2xi64>, %kc: tensor<2x2x16x4xf32>, %vc: tensor<2x2x16x4xf32>)
    -> (tensor<2x2x16x4xf32>, tensor<2x2x16x4xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<2x2x3x4xf32>, tensor<2x2x3x4xf32>)
      at(%start : tensor<2xi64>)
      outs(%kc, %vc : tensor<2x2x16x4xf32>, tensor<2x2x16x4xf32>)
      -> tensor<2x2x16x4xf32>, tensor<2x2x16x4xf32>
  return %kc1, %vc1 : tensor<2x2x16x4xf32>, tensor<2x2x16x4xf32>
}

// -----

// Paged kv_append: row t of sequence b goes to block table[b, p / block] at
// slot p % block (p = start[b] + t); the table index and block id are
// checked.

// CHECK-LABEL: func @kv_append_paged
// CHECK-SAME: %[[TABLE:[a-zA-Z0-9]*]]: tensor<2x4xi32>
// CHECK: scf.for %[[B:.*]] = {{.*}} iter_args(
// CHECK:   %[[START:.*]] = arith.index_cast
// CHECK:   scf.for %[[T:.*]] = {{.*}} iter_args(%[[KACC:.*]] = %{{.*}}, %[[VACC:.*]] = %{{.*}})
// CHECK:     %[[P:.*]] = arith.addi %[[START]], %[[T]] : index
// CHECK:     %[[LOGICAL:.*]] = arith.divui %[[P]], %{{.*}} : index
// CHECK:     %[[SLOT:.*]] = arith.remui %[[P]], %{{.*}} : index
// CHECK:     cf.assert %{{.*}}, "{{.*}}attn.kv_append: position past the end of the block table"
// CHECK:     %[[ID:.*]] = tensor.extract %[[TABLE]][%[[B]], %[[LOGICAL]]] : tensor<2x4xi32>
// CHECK:     %[[BLOCK:.*]] = arith.index_cast %[[ID]] : i32 to index
// CHECK:     cf.assert %{{.*}}, "{{.*}}attn.kv_append: block id outside [0, num_blocks)"
// CHECK:     %[[ROW:.*]] = tensor.extract_slice %{{.*}}[%[[B]], 0, %[[T]], 0] [1, 2, 1, 4]
// CHECK:     tensor.insert_slice %[[ROW]] into %[[KACC]][%[[BLOCK]], 0, %[[SLOT]], 0] [1, 2, 1, 4]
// CHECK:     tensor.insert_slice %{{.*}} into %[[VACC]][%[[BLOCK]], 0, %[[SLOT]], 0] [1, 2, 1, 4]
func.func @kv_append_paged(%k: tensor<2x2x3x4xf32>, %v: tensor<2x2x3x4xf32>,
    %start: tensor<2xi32>, %table: tensor<2x4xi32>, %kc: tensor<8x2x2x4xf32>,
    %vc: tensor<8x2x2x4xf32>) -> (tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<2x2x3x4xf32>, tensor<2x2x3x4xf32>)
      at(%start : tensor<2xi32>) block_table(%table : tensor<2x4xi32>)
      outs(%kc, %vc : tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>)
      -> tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>
  return %kc1, %vc1 : tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>
}

// -----

// Contiguous decode: lengths are checked against Smax, then attention over
// the whole cache where keys j >= len[b] are masked and query i sits at
// len[b] - Sq + i.

// CHECK-DAG: #[[$LEN:.*]] = affine_map<(d0, d1, d2, d3) -> (d0)>
// CHECK-DAG: #[[$KGQA:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 2, d3, d4)>
// CHECK-LABEL: func @decode_attention_contiguous
// CHECK-SAME: (%[[Q:[a-zA-Z0-9]*]]: tensor<2x4x2x4xf32>, %[[KC:[a-zA-Z0-9]*]]: tensor<2x2x16x4xf32>, %[[VC:[a-zA-Z0-9]*]]: tensor<2x2x16x4xf32>, %[[LENS:[a-zA-Z0-9]*]]: tensor<2xi32>)
// CHECK: scf.for
// CHECK:   cf.assert %{{.*}}, "{{.*}}attn.decode_attention: sequence length outside [0, cache capacity]"
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$KGQA]], #{{.*}}]{{.*}} ins(%[[Q]], %[[KC]] : tensor<2x4x2x4xf32>, tensor<2x2x16x4xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$LEN]], #{{.*}}]{{.*}} ins(%{{.*}}, %[[LENS]] : tensor<2x4x2x16xf32>, tensor<2xi32>)
// CHECK:   ^bb0(%{{.*}}: f32, %[[L:.*]]: i32, %{{.*}}: f32):
// CHECK:   %[[I:.*]] = linalg.index 2 : index
// CHECK:   %[[J:.*]] = linalg.index 3 : index
// CHECK:   %[[LEN:.*]] = arith.index_cast %[[L]] : i32 to index
// CHECK:   %[[VALID:.*]] = arith.cmpi slt, %[[J]], %[[LEN]] : index
// CHECK:   %[[FIRST:.*]] = arith.subi %[[LEN]], %{{.*}} : index
// CHECK:   %[[POS:.*]] = arith.addi %[[FIRST]], %[[I]] : index
// CHECK:   %[[CAUSAL:.*]] = arith.cmpi sle, %[[J]], %[[POS]] : index
// CHECK:   %[[KEEP:.*]] = arith.andi %[[VALID]], %[[CAUSAL]] : i1
// CHECK:   arith.select %[[KEEP]]
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[VC]] : tensor<2x4x2x16xf32>, tensor<2x2x16x4xf32>)
func.func @decode_attention_contiguous(%q: tensor<2x4x2x4xf32>, %kc: tensor<2x2x16x4xf32>,
    %vc: tensor<2x2x16x4xf32>, %lens: tensor<2xi32>) -> tensor<2x4x2x4xf32> {
  %o0 = tensor.empty() : tensor<2x4x2x4xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<2x4x2x4xf32>, tensor<2x2x16x4xf32>, tensor<2x2x16x4xf32>)
      seq_lens(%lens : tensor<2xi32>)
      outs(%o0 : tensor<2x4x2x4xf32>) -> tensor<2x4x2x4xf32>
  return %o : tensor<2x4x2x4xf32>
}

// -----

// Paged decode: every block id a sequence uses is checked, then each cache is
// gathered into a [B, Hkv, max_blocks * block, D] view (ids clamped, since
// entries past a sequence's length may be garbage and are masked anyway).

// CHECK-LABEL: func @decode_attention_paged
// CHECK-SAME: %[[KC:[a-zA-Z0-9]*]]: tensor<8x2x2x4xf32>, %[[VC:[a-zA-Z0-9]*]]: tensor<8x2x2x4xf32>, %[[LENS:[a-zA-Z0-9]*]]: tensor<2xi32>, %[[TABLE:[a-zA-Z0-9]*]]: tensor<2x4xi32>
// CHECK: scf.for %[[B:.*]] =
// CHECK:   cf.assert %{{.*}}, "{{.*}}sequence length outside [0, cache capacity]"
// CHECK:   %[[USED:.*]] = arith.ceildivui
// CHECK:   scf.for %[[BLK:.*]] = %{{.*}} to %[[USED]]
// CHECK:     tensor.extract %[[TABLE]][%[[B]], %[[BLK]]]
// CHECK:     cf.assert %{{.*}}, "{{.*}}attn.decode_attention: block id outside [0, num_blocks)"
// CHECK: %[[KG:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x2x8x4xf32>)
// CHECK:   %[[ROW:.*]] = linalg.index 2 : index
// CHECK:   %[[LOGICAL:.*]] = arith.divui %[[ROW]]
// CHECK:   %[[SLOT:.*]] = arith.remui %[[ROW]]
// CHECK:   tensor.extract %[[TABLE]][%{{.*}}, %[[LOGICAL]]]
// CHECK:   arith.maxsi
// CHECK:   %[[ID:.*]] = arith.minsi
// CHECK:   tensor.extract %[[KC]][%[[ID]], %{{.*}}, %[[SLOT]], %{{.*}}] : tensor<8x2x2x4xf32>
// CHECK: %[[VG:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x2x8x4xf32>)
// CHECK:   tensor.extract %[[VC]]
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[KG]] : tensor<2x4x1x4xf32>, tensor<2x2x8x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[VG]] : tensor<2x4x1x8xf32>, tensor<2x2x8x4xf32>)
func.func @decode_attention_paged(%q: tensor<2x4x1x4xf32>, %kc: tensor<8x2x2x4xf32>,
    %vc: tensor<8x2x2x4xf32>, %lens: tensor<2xi32>, %table: tensor<2x4xi32>)
    -> tensor<2x4x1x4xf32> {
  %o0 = tensor.empty() : tensor<2x4x1x4xf32>
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<2x4x1x4xf32>, tensor<8x2x2x4xf32>, tensor<8x2x2x4xf32>)
      seq_lens(%lens : tensor<2xi32>) block_table(%table : tensor<2x4xi32>)
      outs(%o0 : tensor<2x4x1x4xf32>) -> tensor<2x4x1x4xf32>
  return %o : tensor<2x4x1x4xf32>
}
