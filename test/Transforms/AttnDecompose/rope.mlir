// RUN: attnc-opt %s -split-input-file -attn-decompose | FileCheck %s

// One element-wise op per rotated tensor: component d reads its partner with
// tensor.extract and the angle position * theta^(-2i/R) is computed in f32.

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$POS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2)>
// CHECK-LABEL: func @rope_half
// CHECK-SAME: (%[[Q:.*]]: tensor<1x2x3x8xf32>, %[[K:.*]]: tensor<1x1x3x8xf32>, %[[P:.*]]: tensor<1x3xi64>)
// CHECK: %[[Q0:.*]] = tensor.empty() : tensor<1x2x3x8xf32>
// CHECK: %[[K0:.*]] = tensor.empty() : tensor<1x1x3x8xf32>
// CHECK: %[[QR:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$POS]], #[[$ID]]]
// CHECK-SAME: ins(%[[Q]], %[[P]] : tensor<1x2x3x8xf32>, tensor<1x3xi64>) outs(%[[Q0]] : tensor<1x2x3x8xf32>)
// CHECK:   ^bb0(%[[X:.*]]: f32, %[[POSV:.*]]: i64, %{{.*}}: f32):
// CHECK:   %[[D:.*]] = linalg.index 3 : index
// CHECK:   %[[HALF:.*]] = arith.constant 4 : index
// CHECK:   %[[FIRST:.*]] = arith.cmpi ult, %[[D]], %[[HALF]] : index
// CHECK:   %[[LOW:.*]] = arith.subi %[[D]], %[[HALF]] : index
// CHECK:   %[[PAIR:.*]] = arith.select %[[FIRST]], %[[D]], %[[LOW]] : index
// CHECK:   %[[HIGH:.*]] = arith.addi %[[D]], %[[HALF]] : index
// CHECK:   %[[PARTNER:.*]] = arith.select %[[FIRST]], %[[HIGH]], %[[LOW]] : index
// CHECK:   %[[THETA:.*]] = arith.constant 1.000000e+04 : f32
// CHECK:   math.powf %[[THETA]]
// CHECK:   %[[PF:.*]] = arith.sitofp %[[POSV]] : i64 to f32
// CHECK:   %[[ANGLE:.*]] = arith.mulf %[[PF]]
// CHECK:   %[[COS:.*]] = math.cos %[[ANGLE]] : f32
// CHECK:   %[[SIN:.*]] = math.sin %[[ANGLE]] : f32
// CHECK:   %[[Y:.*]] = tensor.extract %[[Q]][%{{.*}}, %{{.*}}, %{{.*}}, %[[PARTNER]]] : tensor<1x2x3x8xf32>
// CHECK:   %[[YS:.*]] = arith.mulf %[[Y]], %[[SIN]] : f32
// CHECK:   %[[NEG:.*]] = arith.negf %[[YS]] : f32
// CHECK:   %[[TERM:.*]] = arith.select %[[FIRST]], %[[NEG]], %[[YS]] : f32
// CHECK:   %[[XC:.*]] = arith.mulf %[[X]], %[[COS]] : f32
// CHECK:   %[[OUT:.*]] = arith.addf %[[XC]], %[[TERM]] : f32
// CHECK:   linalg.yield %[[OUT]] : f32
// CHECK: %[[KR:.*]] = linalg.generic
// CHECK-SAME: ins(%[[K]], %[[P]] : tensor<1x1x3x8xf32>, tensor<1x3xi64>) outs(%[[K0]] : tensor<1x1x3x8xf32>)
// CHECK: return %[[QR]], %[[KR]]
func.func @rope_half(%q: tensor<1x2x3x8xf32>, %k: tensor<1x1x3x8xf32>,
    %pos: tensor<1x3xi64>) -> (tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>) {
  %q0 = tensor.empty() : tensor<1x2x3x8xf32>
  %k0 = tensor.empty() : tensor<1x1x3x8xf32>
  %q1, %k1 = attn.rope half
      ins(%q, %k, %pos : tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x3xi64>)
      outs(%q0, %k0 : tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>)
      -> tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>
  return %q1, %k1 : tensor<1x2x3x8xf32>, tensor<1x1x3x8xf32>
}

// -----

// Interleaved pairs (2i, 2i + 1): the partner is d xor 1. Partial rotary
// passes components d >= rotary_dim through. Rank-1 positions are shared by
// the batch. f16 is rotated in f32.

// CHECK-DAG: #[[$POS1:.*]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-LABEL: func @rope_interleaved_partial_f16
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$POS1]], #{{.*}}]
// CHECK:   ^bb0(%[[IN:.*]]: f16, %{{.*}}: i32, %{{.*}}: f16):
// CHECK:   %[[D:.*]] = linalg.index 3 : index
// CHECK:   %[[X:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK:   %[[C2:.*]] = arith.constant 2 : index
// CHECK:   arith.divui %[[D]], %[[C2]] : index
// CHECK:   %[[REM:.*]] = arith.remui %[[D]], %[[C2]] : index
// CHECK:   %[[FIRST:.*]] = arith.cmpi eq, %[[REM]]
// CHECK:   %[[XOR:.*]] = arith.xori %[[D]]
// CHECK:   %[[ROTARY_DIM:.*]] = arith.constant 4 : index
// CHECK:   %[[ROTATED:.*]] = arith.cmpi ult, %[[D]], %[[ROTARY_DIM]] : index
// CHECK:   arith.select %[[ROTATED]], %[[XOR]], %[[D]] : index
// CHECK:   arith.constant 5.000000e+05 : f32
// CHECK:   %[[SUM:.*]] = arith.addf
// CHECK:   %[[OUT:.*]] = arith.select %[[ROTATED]], %[[SUM]], %[[X]] : f32
// CHECK:   %[[TRUNC:.*]] = arith.truncf %[[OUT]] : f32 to f16
// CHECK:   linalg.yield %[[TRUNC]] : f16
func.func @rope_interleaved_partial_f16(%q: tensor<1x2x3x8xf16>, %k: tensor<1x2x3x8xf16>,
    %pos: tensor<3xi32>) -> (tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16>) {
  %q0 = tensor.empty() : tensor<1x2x3x8xf16>
  %k0 = tensor.empty() : tensor<1x2x3x8xf16>
  %q1, %k1 = attn.rope interleaved theta(500000.0) rotary_dim(4)
      ins(%q, %k, %pos : tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16>, tensor<3xi32>)
      outs(%q0, %k0 : tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16>)
      -> tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16>
  return %q1, %k1 : tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16>
}
