// RUN: attnc-opt %s -attnc-matmul-cpu="bf16-dot=true amx-bf16=true" -cse \
// RUN:   | FileCheck %s
// RUN: attnc-opt %s -attnc-matmul-cpu="bf16-dot=true amx-bf16=false" -cse \
// RUN:   | FileCheck %s --check-prefix=NOAMX
// The whole pipeline: AMX tiles become the .internal intrinsics that LLVM
// configures (ldtilecfg) itself, carried through the K loop, in a function
// of their own (attnc-outline-amx-regions) that the granted branch calls.
// RUN: attnc-opt %s -attnc-cpu-pipeline="vector-width=16 avx512-bf16=1 amx-bf16=1 export-functions=false" \
// RUN:   | FileCheck %s --check-prefix=LLVM

// bf16 [out, in] weights on a target with AMX-BF16. Prefill (6 rows or
// more) asks once per process for the AMX state (arch_prctl through an
// inline `syscall`, the outcome kept in @__attnc_amx_state) and, where it
// is granted, rounds the input to bf16 rows padded to 32 rows and 96 k
// (80 rounded up to a whole tile), packs the AVX512-BF16 kernel's pair
// panels (one buffer seen as 32-bit pairs and as bf16 rows), zeroes the
// last panel's pairs up to a whole weight tile (40 -> 48), and multiplies
// 2 x 2 tiles per 16 pairs for each half of the 64 columns. Where it is
// refused, the AVX512-BF16 kernel runs.

// CHECK: memref.global "private" @__attnc_amx_state : memref<i32> = dense<0>
// CHECK-LABEL: func.func @out_in_bf16(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x?x80xf32>, %[[W:[a-z0-9]+]]: tensor<100x80xbf16>
// CHECK: %[[STATE:.*]] = memref.get_global @__attnc_amx_state : memref<i32>
// CHECK: %[[KNOWN:.*]] = memref.load %[[STATE]][] : memref<i32>
// CHECK: scf.if
// CHECK: llvm.inline_asm has_side_effects "syscall", "={rax},{rax},{rdi},{rsi},~{rcx},~{r11},~{memory}" {{.*}} : (i64, i64, i64) -> i64
// CHECK: memref.store {{.*}}, %[[STATE]][] : memref<i32>
// CHECK: %[[GRANTED:.*]] = arith.cmpi eq, %{{.*}}, %c1_i32 : i32
// CHECK: scf.if
// CHECK: } else {
// CHECK: scf.if %[[GRANTED]] -> (tensor<1x?x100xf32>) {
// CHECK: %[[ROUNDED:.*]] = scf.forall {{.*}} -> (tensor<1x?x96xbf16>)
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<16x512xbf16>
// CHECK: x86vector.avx512.cvt.packed.f32_to_bf16
// CHECK: %[[INPUT:.*]] = bufferization.to_buffer %[[ROUNDED]] read_only : tensor<1x?x96xbf16> to memref<1x?x96xbf16>
// CHECK: scf.forall
// CHECK: %[[TILE:.*]] = memref.alloca() {alignment = 64 : i64} : memref<512x64xf32>
// CHECK: %[[BYTES:.*]] = memref.alloca() {alignment = 64 : i64} : memref<32768xi8>
// CHECK: %[[PAIRS:.*]] = memref.view %[[BYTES]]{{.*}} to memref<128x64xi32>
// CHECK: %[[PANEL:.*]] = memref.view %[[BYTES]]{{.*}} to memref<128x128xbf16>
// CHECK: vector.store {{.*}}, %[[PAIRS]]
// CHECK: scf.for
// CHECK-COUNT-4: vector.store {{.*}}, %[[PAIRS]]{{.*}} : memref<128x64xi32>, vector<16xi32>
// CHECK-COUNT-4: amx.tile_load %[[TILE]]{{.*}} : memref<512x64xf32> into !amx.tile<16x16xf32>
// CHECK: scf.for {{.*}} step %c16 iter_args({{.*}}) -> (!amx.tile<16x16xf32>, !amx.tile<16x16xf32>, !amx.tile<16x16xf32>, !amx.tile<16x16xf32>)
// CHECK-COUNT-2: amx.tile_load %[[INPUT]]{{.*}} : memref<1x?x96xbf16> into !amx.tile<16x32xbf16>
// CHECK-COUNT-2: amx.tile_load %[[PANEL]]{{.*}} : memref<128x128xbf16> into !amx.tile<16x32xbf16>
// CHECK-COUNT-4: amx.tile_mulf {{.*}} : !amx.tile<16x32xbf16>, !amx.tile<16x32xbf16>, !amx.tile<16x16xf32>
// CHECK-COUNT-4: amx.tile_store %[[TILE]]
// CHECK-COUNT-4: amx.tile_mulf
// CHECK-COUNT-4: amx.tile_store %[[TILE]]
// CHECK: tensor.parallel_insert_slice
// CHECK: } else {
// CHECK: x86vector.avx512.dot
// NOAMX-LABEL: func.func @out_in_bf16(
// NOAMX-NOT: amx
// NOAMX-NOT: syscall
// NOAMX: return
// LLVM: llvm.mlir.global private @__attnc_amx_state(0 : i32)
// LLVM-LABEL: llvm.func internal @out_in_bf16_amx0(
// LLVM: llvm.call_intrinsic "llvm.x86.tileloadd64.internal"
// LLVM: llvm.call_intrinsic "llvm.x86.tdpbf16ps.internal"
// LLVM: llvm.call_intrinsic "llvm.x86.tilestored64.internal"
// LLVM-LABEL: llvm.func @out_in_bf16(
// LLVM-NOT: llvm.x86.t
// LLVM: llvm.inline_asm has_side_effects "syscall"
// LLVM-NOT: llvm.x86.t
// LLVM: llvm.call @out_in_bf16_amx0({{.*}}) {no_inline}
// LLVM-NOT: llvm.x86.t
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmw = affine_map<(b, s, n, k) -> (n, k)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @out_in_bf16(%x: tensor<1x?x80xf32>, %w: tensor<100x80xbf16>,
    %init: tensor<1x?x100xf32>) -> tensor<1x?x100xf32> {
  %r = linalg.generic {indexing_maps = [#mmx, #mmw, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x?x80xf32>, tensor<100x80xbf16>)
      outs(%init : tensor<1x?x100xf32>) {
  ^bb0(%a: f32, %b: bf16, %acc: f32):
    %bw = arith.extf %b : bf16 to f32
    %p = arith.mulf %a, %bw : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x?x100xf32>
  return %r : tensor<1x?x100xf32>
}
