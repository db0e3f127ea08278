// RUN: attnc-opt %s -attn-flash-cpu | FileCheck %s --check-prefix=AVX512
// RUN: attnc-opt %s -attn-flash-cpu="vector-width=8" \
// RUN:   | FileCheck %s --check-prefix=AVX2
// RUN: attnc-opt %s -attn-flash-cpu="vector-width=8 vector-registers=32" \
// RUN:   | FileCheck %s --check-prefix=VL8R32
// RUN: attnc-opt %s -attn-flash-cpu="block-q=4 vector-width=8" \
// RUN:   | FileCheck %s --check-prefix=BQ4

// The register tiles are as large as the target's vector registers hold
// without spilling (attnc::selectFlashRegisterTile): the score loop keeps 2
// accumulators per query row plus 2 K vectors and a broadcast, the P V loop
// Br x w accumulators plus w V vectors and a broadcast, w <= 3. Dv = 96 is
// 6 vectors of 16 lanes or 12 of 8.

// 32 registers, 16 lanes: Br = 8 (16 score accumulators) and P V column
// groups of 3 vectors (24 accumulators): two groups.
// AVX512-LABEL: func.func @dv96(
// AVX512: memref.alloca() : memref<8x32xf32>
// AVX512: memref.alloca() : memref<8x96xf32>
// AVX512: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// AVX512-COUNT-2: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// AVX512-NOT: scf.for {{.*}} -> (vector<16xf32>

// AVX2's 16 registers: Br = 6 (12 score accumulators) and groups of 2
// vectors (12 accumulators): six groups. (Br = 8 with 2-vector groups, as
// for AVX-512, spilled in both loops.)
// AVX2-LABEL: func.func @dv96(
// AVX2: memref.alloca() : memref<6x16xf32>
// AVX2: memref.alloca() : memref<6x96xf32>
// AVX2: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// AVX2-COUNT-6: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// AVX2-NOT: scf.for {{.*}} -> (vector<8xf32>

// 256-bit vectors with AVX-512's 32 registers: the AVX-512 tiles, in
// vectors of 8 lanes (four groups of 3).
// VL8R32-LABEL: func.func @dv96(
// VL8R32: memref.alloca() : memref<8x16xf32>
// VL8R32: memref.alloca() : memref<8x96xf32>
// VL8R32: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// VL8R32-COUNT-4: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)

// An explicit block-q keeps its rows; the groups follow from it (4 x 3).
// BQ4-LABEL: func.func @dv96(
// BQ4: memref.alloca() : memref<4x16xf32>
// BQ4: memref.alloca() : memref<4x96xf32>
// BQ4: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// BQ4-COUNT-4: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
func.func @dv96(%q: tensor<1x2x40x64xf32>, %k: tensor<1x2x40x64xf32>,
    %v: tensor<1x2x40x96xf32>) -> tensor<1x2x40x96xf32> {
  %o0 = tensor.empty() : tensor<1x2x40x96xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x40x64xf32>, tensor<1x2x40x64xf32>, tensor<1x2x40x96xf32>)
      outs(%o0 : tensor<1x2x40x96xf32>) -> tensor<1x2x40x96xf32>
  return %o : tensor<1x2x40x96xf32>
}
