// RUN: attnc-opt %s -split-input-file -attn-decompose | FileCheck %s

// The unfused reference: scores = Q K^T, then scale and masks in one
// element-wise op, then a stable softmax (max, guarded exp, sum, guarded
// divide), then P V.

// CHECK-DAG: #[[$QMAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG: #[[$KMAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
// CHECK-DAG: #[[$SMAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$VMAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
// CHECK-DAG: #[[$ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>

// CHECK-LABEL: func @attention_no_mask
// CHECK-SAME: (%[[Q:.*]]: tensor<1x2x4x8xf32>, %[[K:.*]]: tensor<1x2x6x8xf32>, %[[V:.*]]: tensor<1x2x6x8xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<1x2x4x8xf32>
// CHECK: %[[S:.*]] = linalg.generic {indexing_maps = [#[[$QMAP]], #[[$KMAP]], #[[$SMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[Q]], %[[K]] : tensor<1x2x4x8xf32>, tensor<1x2x6x8xf32>) outs(%{{.*}} : tensor<1x2x4x6xf32>)
// CHECK:   arith.mulf
// CHECK:   arith.addf
// The default scale is 1/sqrt(8); no masking rule means no select.
// CHECK: %[[SCALED:.*]] = linalg.generic {{.*}} ins(%[[S]] : tensor<1x2x4x6xf32>)
// CHECK:   %[[SCALE:.*]] = arith.constant 0.353553385 : f32
// CHECK:   %[[X:.*]] = arith.mulf %{{.*}}, %[[SCALE]] : f32
// CHECK-NOT: arith.select
// CHECK:   linalg.yield %[[X]] : f32
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[$ID4]], #[[$ROW]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[SCALED]]
// CHECK:   arith.maximumf
// CHECK: %[[EXP:.*]] = linalg.generic {{.*}} ins(%[[SCALED]], %[[MAX]] :
// CHECK:   %[[FULLY_MASKED:.*]] = arith.cmpf oeq, %{{.*}}, %cst{{.*}} : f32
// CHECK:   %[[E:.*]] = math.exp
// CHECK:   arith.select %[[FULLY_MASKED]], %{{.*}}, %[[E]] : f32
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[EXP]] :
// CHECK:   arith.addf
// CHECK: %[[P:.*]] = linalg.generic {{.*}} ins(%[[EXP]], %[[SUM]] :
// CHECK:   arith.divf
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[INIT]] : tensor<1x2x4x8xf32>)
// CHECK: %[[O:.*]] = linalg.generic {indexing_maps = [#[[$QMAP]], #[[$VMAP]], #[[$SMAP]]], {{.*}} ins(%[[P]], %[[V]] : tensor<1x2x4x6xf32>, tensor<1x2x6x8xf32>) outs(%[[ACC]] : tensor<1x2x4x8xf32>)
// CHECK: return %[[O]]
func.func @attention_no_mask(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x6x8xf32>,
    %v: tensor<1x2x6x8xf32>) -> tensor<1x2x4x8xf32> {
  %o0 = tensor.empty() : tensor<1x2x4x8xf32>
  %o = attn.attention
      ins(%q, %k, %v : tensor<1x2x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>)
      outs(%o0 : tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// GQA reads KV head h floordiv (Hq / Hkv); f16 is accumulated in f32 and
// truncated into the destination at the end. Causal is bottom-right aligned
// (query i at Skv - Sq + i), the window keeps keys less than W behind, and
// softcap is cap * tanh(s / cap) before masking.

// CHECK-DAG: #[[$KGQA:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 2, d3, d4)>
// CHECK-DAG: #[[$VGQA:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 2, d4, d3)>
// CHECK-LABEL: func @attention_gqa_causal_window_softcap_f16
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$KGQA]], #{{.*}}]
// CHECK:   arith.extf %{{.*}} : f16 to f32
// CHECK:   arith.extf %{{.*}} : f16 to f32
// CHECK-DAG: %[[SQ:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[SKV:.*]] = arith.constant 5 : index
// CHECK: linalg.generic
// CHECK:   %[[SCALED:.*]] = arith.mulf
// CHECK:   %[[CAP:.*]] = arith.constant 2.000000e+01 : f32
// CHECK:   %[[DIV:.*]] = arith.divf %[[SCALED]], %[[CAP]]
// CHECK:   %[[TANH:.*]] = math.tanh %[[DIV]]
// CHECK:   %[[CAPPED:.*]] = arith.mulf %[[CAP]], %[[TANH]]
// CHECK:   %[[I:.*]] = linalg.index 2 : index
// CHECK:   %[[J:.*]] = linalg.index 3 : index
// CHECK:   %[[OFFSET:.*]] = arith.subi %[[SKV]], %[[SQ]] : index
// CHECK:   %[[POS:.*]] = arith.addi %[[OFFSET]], %[[I]] : index
// CHECK:   %[[CAUSAL:.*]] = arith.cmpi sle, %[[J]], %[[POS]] : index
// CHECK:   %[[W:.*]] = arith.constant 2 : index
// CHECK:   %[[BEHIND:.*]] = arith.subi %[[POS]], %[[J]] : index
// CHECK:   %[[IN_WINDOW:.*]] = arith.cmpi slt, %[[BEHIND]], %[[W]] : index
// CHECK:   %[[KEEP:.*]] = arith.andi %[[CAUSAL]], %[[IN_WINDOW]] : i1
// CHECK:   %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:   arith.select %[[KEEP]], %[[CAPPED]], %[[NEG_INF]] : f32
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$VGQA]], #{{.*}}]
// CHECK-SAME: outs(%{{.*}} : tensor<1x4x3x6xf32>)
// CHECK: %[[OUT:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<1x4x3x6xf16>)
// CHECK:   arith.truncf %{{.*}} : f32 to f16
// CHECK: return %[[OUT]]
func.func @attention_gqa_causal_window_softcap_f16(%q: tensor<1x4x3x8xf16>,
    %k: tensor<1x2x5x8xf16>, %v: tensor<1x2x5x6xf16>) -> tensor<1x4x3x6xf16> {
  %o0 = tensor.empty() : tensor<1x4x3x6xf16>
  %o = attn.attention causal window(2) softcap(20.0)
      ins(%q, %k, %v : tensor<1x4x3x8xf16>, tensor<1x2x5x8xf16>, tensor<1x2x5x6xf16>)
      outs(%o0 : tensor<1x4x3x6xf16>) -> tensor<1x4x3x6xf16>
  return %o : tensor<1x4x3x6xf16>
}

// -----

// A window without causal is symmetric: keys less than W behind or ahead.
// An additive mask is added (after extension to f32) and broadcasts its
// size-1 dimensions.

// CHECK-DAG: #[[$MASK:.*]] = affine_map<(d0, d1, d2, d3) -> (0, 0, d2, d3)>
// CHECK-LABEL: func @attention_additive_mask_symmetric_window
// CHECK-SAME: %[[M:[a-zA-Z0-9]*]]: tensor<1x1x4x4xf16>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$MASK]], #{{.*}}]
// CHECK-SAME: ins(%{{.*}}, %[[M]] : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf16>)
// CHECK:   %[[SCALED:.*]] = arith.mulf
// CHECK:   %[[MASKV:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK:   %[[BIASED:.*]] = arith.addf %[[SCALED]], %[[MASKV]] : f32
// CHECK:   %[[I:.*]] = linalg.index 2
// CHECK:   %[[J:.*]] = linalg.index 3
// CHECK:   %[[POS:.*]] = arith.addi %{{.*}}, %[[I]]
// CHECK-NOT: arith.cmpi sle
// CHECK:   %[[BEHIND:.*]] = arith.subi %[[POS]], %[[J]]
// CHECK:   %[[C1:.*]] = arith.cmpi slt, %[[BEHIND]], %{{.*}}
// CHECK:   %[[AHEAD:.*]] = arith.subi %[[J]], %[[POS]]
// CHECK:   %[[C2:.*]] = arith.cmpi slt, %[[AHEAD]], %{{.*}}
// CHECK:   %[[KEEP:.*]] = arith.andi %[[C1]], %[[C2]]
// CHECK:   arith.select %[[KEEP]], %[[BIASED]], %{{.*}} : f32
func.func @attention_additive_mask_symmetric_window(%q: tensor<1x1x4x8xf32>,
    %k: tensor<1x1x4x8xf32>, %v: tensor<1x1x4x8xf32>, %m: tensor<1x1x4x4xf16>)
    -> tensor<1x1x4x8xf32> {
  %o0 = tensor.empty() : tensor<1x1x4x8xf32>
  %o = attn.attention window(2)
      ins(%q, %k, %v : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
      mask(%m : tensor<1x1x4x4xf16>)
      outs(%o0 : tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return %o : tensor<1x1x4x8xf32>
}

// -----

// An i1 padding mask [B, 1, 1, Skv] is a keep-mask: it gates the select. An
// explicit scale replaces 1/sqrt(D).

// CHECK-DAG: #[[$PAD:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
// CHECK-LABEL: func @attention_padding_mask_mqa
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$PAD]], #{{.*}}]
// CHECK:   ^bb0(%[[S:.*]]: f32, %[[KEEP:.*]]: i1, %{{.*}}: f32):
// CHECK:   %[[SCALE:.*]] = arith.constant 5.000000e-01 : f32
// CHECK:   %[[X:.*]] = arith.mulf %[[S]], %[[SCALE]]
// CHECK-NOT: linalg.index
// CHECK:   %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:   arith.select %[[KEEP]], %[[X]], %[[NEG_INF]] : f32
func.func @attention_padding_mask_mqa(%q: tensor<2x4x3x8xf32>,
    %k: tensor<2x1x7x8xf32>, %v: tensor<2x1x7x8xf32>, %m: tensor<2x1x1x7xi1>)
    -> tensor<2x4x3x8xf32> {
  %o0 = tensor.empty() : tensor<2x4x3x8xf32>
  %o = attn.attention scale(0.5)
      ins(%q, %k, %v : tensor<2x4x3x8xf32>, tensor<2x1x7x8xf32>, tensor<2x1x7x8xf32>)
      mask(%m : tensor<2x1x1x7xi1>)
      outs(%o0 : tensor<2x4x3x8xf32>) -> tensor<2x4x3x8xf32>
  return %o : tensor<2x4x3x8xf32>
}

// -----

// Dynamic sequence lengths: sizes come from tensor.dim.

// CHECK-LABEL: func @attention_dynamic_causal
// CHECK-SAME: (%[[Q:[a-zA-Z0-9]*]]: tensor<1x2x?x8xf32>, %[[K:[a-zA-Z0-9]*]]: tensor<1x2x?x8xf32>
// The run-time shape checks (Skv of K/V, Sq of init/Q) come first.
// CHECK-COUNT-2: llvm.call @abort
// CHECK-DAG: %[[SQ:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<1x2x?x8xf32>
// CHECK-DAG: %[[SKV:.*]] = tensor.dim %[[K]], %{{.*}} : tensor<1x2x?x8xf32>
// CHECK: tensor.empty(%[[SQ]], %[[SKV]]) : tensor<1x2x?x?xf32>
// CHECK: arith.cmpi sle
func.func @attention_dynamic_causal(%q: tensor<1x2x?x8xf32>, %k: tensor<1x2x?x8xf32>,
    %v: tensor<1x2x?x8xf32>, %o0: tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32> {
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x?x8xf32>, tensor<1x2x?x8xf32>, tensor<1x2x?x8xf32>)
      outs(%o0 : tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  return %o : tensor<1x2x?x8xf32>
}

// -----

// masked_softmax works on any rank >= 2; its default scale is 1.

// CHECK-LABEL: func @masked_softmax_rank3_causal_bf16
// CHECK: %[[EXT:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2x3x5xbf16>) outs(%{{.*}} : tensor<2x3x5xf32>)
// CHECK:   arith.extf %{{.*}} : bf16 to f32
// CHECK: linalg.generic {{.*}} ins(%[[EXT]] : tensor<2x3x5xf32>)
// CHECK:   arith.constant 1.000000e+00 : f32
// CHECK:   linalg.index 1 : index
// CHECK:   linalg.index 2 : index
// CHECK:   arith.cmpi sle
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: %[[OUT:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x3x5xbf16>)
// CHECK:   arith.truncf %{{.*}} : f32 to bf16
// CHECK: return %[[OUT]]
func.func @masked_softmax_rank3_causal_bf16(%s: tensor<2x3x5xbf16>) -> tensor<2x3x5xbf16> {
  %p0 = tensor.empty() : tensor<2x3x5xbf16>
  %p = attn.masked_softmax causal ins(%s : tensor<2x3x5xbf16>)
      outs(%p0 : tensor<2x3x5xbf16>) -> tensor<2x3x5xbf16>
  return %p : tensor<2x3x5xbf16>
}
