// RUN: attnc-opt %s -split-input-file -attn-decode-cpu -cse | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attn-decode-cpu="vector-width=8 min-work-items=4" \
// RUN:   | FileCheck %s --check-prefix=VL8

// Contiguous GQA cache (G = 4 query heads per KV head, one new row): the
// lengths are checked first; the number of splits is
// max(1, min(ceil(64 / (B * Hkv * row groups)), ceil(Smax / 256))) =
// min(ceil(64 / 2), 4) = 4; the split loop runs over (B * Hkv, row groups,
// splits) with the 4 query rows of a KV head in one tile, dot products of
// the pre-scaled queries with each cached key row (read in place from the
// cache argument), one vector of keys per block, online softmax, and P V;
// each split writes (O, m, l) as a [4, Dv + 2] tile. Every line of the K
// and V rows two key blocks ahead is prefetched (16 rows x 2 lines each).
// The merge loop runs over (B * head groups, Sq): one task here, whose
// tile holds the rows of all 8 query heads (a decode step forks no threads
// to merge).

// CHECK-LABEL: func.func @gqa_contiguous(
// CHECK-SAME: %[[Q:[a-z0-9]+]]: tensor<1x8x1x32xf32>, %[[KC:[a-z0-9]+]]: tensor<1x2x1024x32xf32>, %[[VC:[a-z0-9]+]]: tensor<1x2x1024x32xf32>, %[[LENS:[a-z0-9]+]]: tensor<1xi32>)
// CHECK: scf.for
// CHECK: cf.assert %{{.*}}, "{{.*}}attn.decode_attention: sequence length outside [0, cache capacity]"
// CHECK: %[[KB:.*]] = bufferization.to_buffer %[[KC]] read_only
// CHECK: %[[VB:.*]] = bufferization.to_buffer %[[VC]] read_only
// CHECK: %[[PARTIAL0:.*]] = tensor.empty() : tensor<2x1x4x4x34xf32>
// CHECK: %[[PARTIAL:.*]] = scf.forall (%[[BKV:.*]], %[[RG:.*]], %[[S:.*]]) in (2, 1, 4) shared_outs(%[[ACC:.*]] = %[[PARTIAL0]])
// CHECK: tensor.extract %[[LENS]]
// CHECK: %[[QT:.*]] = memref.alloca() : memref<4x32xf32>
// CHECK-COUNT-8: vector.transfer_read %[[Q]]
// CHECK: scf.for %[[J0:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK-COUNT-32: memref.prefetch %[[KB]]
// CHECK-COUNT-32: memref.prefetch %[[VB]]
// CHECK: scf.for
// CHECK: %[[K:.*]] = vector.transfer_read %[[KC]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<1x2x1024x32xf32>, vector<16xf32>
// CHECK-COUNT-4: vector.fma %{{.*}}, %[[K]]
// CHECK: vector.transfer_read %[[KC]]
// CHECK-COUNT-4: vector.fma
// CHECK-COUNT-4: vector.reduction <add>, %{{.*}} fastmath<reassoc>
// CHECK: scf.if
// CHECK: arith.cmpf ogt, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: vector.extract %{{.*}}[0] : f32 from vector<16xf32>
// CHECK: math.exp
// CHECK: vector.transfer_read %[[VC]]
// CHECK: scf.forall.in_parallel
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[ACC]][%[[BKV]], %[[RG]], %[[S]], 0, 0] [1, 1, 1, 4, 34]
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (1, 1) shared_outs
// CHECK: memref.alloca() : memref<8x32xf32>
// CHECK: scf.for
// CHECK: scf.for {{.*}} -> (f32)
// CHECK: tensor.extract %[[PARTIAL]]
// CHECK: arith.maximumf
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, f32)
// CHECK: math.exp
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, 0] [1, %{{.*}}, 1, 32] [1, 1, 1, 1] : tensor<?x32xf32> into tensor<1x8x1x32xf32>
// CHECK-NOT: attn.decode_attention ins

// With min-work-items=4, ceil(4 / 2) = 2 splits; 8-lane vectors.
// VL8-LABEL: func.func @gqa_contiguous(
// VL8: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (2, 1, 2)
// VL8: vector.transfer_read {{.*}} : tensor<1x2x1024x32xf32>, vector<8xf32>
func.func @gqa_contiguous(%q: tensor<1x8x1x32xf32>, %kc: tensor<1x2x1024x32xf32>,
    %vc: tensor<1x2x1024x32xf32>, %lens: tensor<1xi32>) -> tensor<1x8x1x32xf32> {
  %o0 = tensor.empty() : tensor<1x8x1x32xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<1x8x1x32xf32>, tensor<1x2x1024x32xf32>, tensor<1x2x1024x32xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x8x1x32xf32>) -> tensor<1x8x1x32xf32>
  return %o : tensor<1x8x1x32xf32>
}

// -----

// One query row per KV head (no GQA groups, one new token): the 16 keys of
// a block are dotted at once (16 accumulators) and summed across lanes by a
// transposing butterfly: 4 levels of 8, 4, 2 and 1 pairs, each two
// shuffles and an add, instead of a horizontal sum per key.

// CHECK-LABEL: func.func @one_row(
// CHECK: scf.for %{{.*}} iter_args({{.*}}) -> (f32, f32)
// CHECK-COUNT-16: vector.fma
// CHECK-COUNT-16: vector.fma
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]
// CHECK-COUNT-26: vector.shuffle
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// CHECK: arith.cmpf ogt, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: vector.extract %{{.*}}[0] : f32 from vector<16xf32>
func.func @one_row(%q: tensor<1x4x1x32xf32>, %kc: tensor<1x4x256x32xf32>,
    %vc: tensor<1x4x256x32xf32>, %lens: tensor<1xi32>) -> tensor<1x4x1x32xf32> {
  %o0 = tensor.empty() : tensor<1x4x1x32xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<1x4x1x32xf32>, tensor<1x4x256x32xf32>, tensor<1x4x256x32xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x4x1x32xf32>) -> tensor<1x4x1x32xf32>
  return %o : tensor<1x4x1x32xf32>
}

// -----

// Paged cache of 16-position blocks: every block id a sequence uses is
// checked first; the caches are also viewed as read-only buffers (no copy)
// for prefetching. Per key block (16 keys = one page) the kernel looks up
// the page once (block = table[b, j0 / 16], first position 16 * (j0 / 16)),
// prefetches the next page's K and V rows (the hardware cannot predict
// where it is), and reads key and value rows through the table without
// gathering the cache.

// CHECK-LABEL: func.func @paged(
// CHECK-SAME: %[[KC:[a-z0-9]+]]: tensor<64x1x16x32xf32>, %[[VC:[a-z0-9]+]]: tensor<64x1x16x32xf32>, %[[LENS:[a-z0-9]+]]: tensor<2xi32>, %[[TABLE:[a-z0-9]+]]: tensor<2x8xi32>)
// CHECK: cf.assert %{{.*}}, "{{.*}}block id outside [0, num_blocks)"
// CHECK-DAG: %[[KBUF:.*]] = bufferization.to_buffer %[[KC]] read_only : tensor<64x1x16x32xf32> to memref<64x1x16x32xf32>
// CHECK-DAG: %[[VBUF:.*]] = bufferization.to_buffer %[[VC]] read_only : tensor<64x1x16x32xf32> to memref<64x1x16x32xf32>
// CHECK: scf.forall
// CHECK: scf.for %[[J0:.*]] = %{{.*}} to %{{.*}} step %c16 iter_args(
// CHECK: %[[LOGICAL:.*]] = arith.divui %[[J0]], %c16 : index
// CHECK: %[[ID:.*]] = tensor.extract %[[TABLE]][%{{.*}}, %[[LOGICAL]]] : tensor<2x8xi32>
// CHECK: %[[BLOCK:.*]] = arith.index_cast %[[ID]] : i32 to index
// CHECK: %[[FIRST:.*]] = arith.muli %[[LOGICAL]], %c16 : index
// CHECK: memref.prefetch %[[KBUF]][{{.*}}], read, locality<3>, data : memref<64x1x16x32xf32>
// CHECK: memref.prefetch %[[VBUF]][{{.*}}], read, locality<3>, data : memref<64x1x16x32xf32>
// CHECK: scf.for
// CHECK: %[[SLOT:.*]] = arith.subi %{{.*}}, %[[FIRST]] : index
// CHECK: vector.transfer_read %[[KC]][%[[BLOCK]], %{{.*}}, %[[SLOT]], %{{.*}}]
// CHECK: vector.transfer_read %[[VC]][%[[BLOCK]], %{{.*}}, %{{.*}}, %{{.*}}]
// CHECK-NOT: linalg.generic
// CHECK-NOT: attn.decode_attention ins
func.func @paged(%q: tensor<2x2x1x32xf32>, %kc: tensor<64x1x16x32xf32>,
    %vc: tensor<64x1x16x32xf32>, %lens: tensor<2xi32>, %table: tensor<2x8xi32>)
    -> tensor<2x2x1x32xf32> {
  %o0 = tensor.empty() : tensor<2x2x1x32xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<2x2x1x32xf32>, tensor<64x1x16x32xf32>, tensor<64x1x16x32xf32>)
      seq_lens(%lens : tensor<2xi32>) block_table(%table : tensor<2x8xi32>)
      outs(%o0 : tensor<2x2x1x32xf32>) -> tensor<2x2x1x32xf32>
  return %o : tensor<2x2x1x32xf32>
}

// -----

// f16 (and bf16) queries and caches are read in place and widened in
// registers; the result row is narrowed at the end.

// CHECK-LABEL: func.func @f16_fused(
// CHECK: scf.forall
// CHECK: vector.transfer_read {{.*}} : tensor<1x2x1x32xf16>, vector<16xf16>
// CHECK: arith.extf %{{.*}} : vector<16xf16> to vector<16xf32>
// CHECK: vector.transfer_read {{.*}} : tensor<1x2x64x32xf16>, vector<16xf16>
// CHECK: scf.forall
// CHECK: arith.truncf %{{.*}} : vector<16xf32> to vector<16xf16>
// CHECK-NOT: attn.decode_attention ins
func.func @f16_fused(%q: tensor<1x2x1x32xf16>, %kc: tensor<1x2x64x32xf16>,
    %vc: tensor<1x2x64x32xf16>, %lens: tensor<1xi32>) -> tensor<1x2x1x32xf16> {
  %o0 = tensor.empty() : tensor<1x2x1x32xf16>
  %o = attn.decode_attention
      ins(%q, %kc, %vc : tensor<1x2x1x32xf16>, tensor<1x2x64x32xf16>, tensor<1x2x64x32xf16>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x2x1x32xf16>) -> tensor<1x2x1x32xf16>
  return %o : tensor<1x2x1x32xf16>
}

// -----

// Sq dynamic (a compiled model's decode function): a decode step (Sq = 1)
// takes a copy of the kernel whose tiles hold the G = 4 query rows of a KV
// head, fully static (4 splits, as for @gqa_contiguous); other calls take
// tiles of 8 rows, row groups and splits computed at run time.

// CHECK-LABEL: func.func @dynamic_rows(
// CHECK: %[[ONE:.*]] = arith.cmpi eq, %{{.*}}, %c1 : index
// CHECK: scf.if %[[ONE]] -> (tensor<1x8x?x32xf32>) {
// CHECK: tensor.empty() : tensor<2x1x4x4x34xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (2, 1, 4)
// CHECK: memref.alloca() : memref<4x32xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (1, 1)
// CHECK: } else {
// CHECK: tensor.empty(%{{.*}}, %{{.*}}) : tensor<2x?x?x8x34xf32>
// CHECK: memref.alloca() : memref<8x32xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (%{{.*}}, %{{.*}})
func.func @dynamic_rows(%q: tensor<1x8x?x32xf32>, %kc: tensor<1x2x1024x32xf32>,
    %vc: tensor<1x2x1024x32xf32>, %lens: tensor<1xi32>) -> tensor<1x8x?x32xf32> {
  %c2 = arith.constant 2 : index
  %sq = tensor.dim %q, %c2 : tensor<1x8x?x32xf32>
  %o0 = tensor.empty(%sq) : tensor<1x8x?x32xf32>
  %o = attn.decode_attention causal
      ins(%q, %kc, %vc : tensor<1x8x?x32xf32>, tensor<1x2x1024x32xf32>, tensor<1x2x1024x32xf32>)
      seq_lens(%lens : tensor<1xi32>)
      outs(%o0 : tensor<1x8x?x32xf32>) -> tensor<1x8x?x32xf32>
  return %o : tensor<1x8x?x32xf32>
}
