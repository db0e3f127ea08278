// RUN: attnc-opt %s -attn-flash-cpu="bf16-dot=1 amx-bf16=1" -canonicalize -cse \
// RUN:   | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attn-flash-cpu="bf16-dot=1 amx-bf16=0" \
// RUN:   -canonicalize -cse | FileCheck %s --check-prefix=NOAMX
// RUN: attnc-opt %s -attnc-cpu-pipeline="vector-width=16 avx512-bf16=1 amx-bf16=1 export-functions=false" \
// RUN:   | FileCheck %s --check-prefix=LLVM

// bf16 attention with a head dim that is whole AMX tiles (64 = 2 x 32) on
// a target with AMX-BF16: the process asks once for the AMX state
// (@__attnc_amx_state) and, where it is granted, Q K^T and P V run on
// tiles over the vdpbf16ps path's panels with 16-row query tiles: the
// task's query rows are copied into bf16 rows ([16, 64]), each key block's
// scores are two 16 x 16 accumulators over 2 steps of 32 dims, stored to a
// [16, 32] f32 scratch for the shared softmax, and P ([16, 32] bf16) times
// each 16-column V tile adds into the O tile (Dv = 48: three) after the
// rows are rescaled by alpha in vectors. Where the state is refused, the
// vdpbf16ps kernel runs. Both read the same K and V pair panels, packed
// once before the choice.

// CHECK: memref.global "private" @__attnc_amx_state : memref<i32> = dense<0>
// CHECK-LABEL: func.func @bf16_amx(
// CHECK: %[[KP:.*]] = scf.forall {{.*}} -> (tensor<1x1x2x32x64xbf16>)
// CHECK: %[[VP:.*]] = scf.forall {{.*}} -> (tensor<1x1x2x16x96xbf16>)
// CHECK: memref.get_global @__attnc_amx_state
// CHECK: llvm.inline_asm has_side_effects "syscall"
// CHECK: %[[GRANTED:.*]] = arith.cmpi eq, %{{.*}}, %c1_i32 : i32
// CHECK: scf.if %[[GRANTED]] -> (tensor<1x2x40x48xbf16>) {
// CHECK: %[[KB:.*]] = bufferization.to_buffer %[[KP]] read_only
// CHECK: %[[VB:.*]] = bufferization.to_buffer %[[VP]] read_only
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (2, 3)
// CHECK: %[[P:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16x32xbf16>
// CHECK: %[[O:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16x48xf32>
// CHECK: %[[Q:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16x64xbf16>
// CHECK: %[[S:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16x32xf32>
// CHECK: amx.tile_zero : !amx.tile<16x16xf32>
// CHECK: amx.tile_zero : !amx.tile<16x16xf32>
// CHECK: amx.tile_load %[[Q]][%c0, %c0] : memref<16x64xbf16> into !amx.tile<16x32xbf16>
// CHECK: amx.tile_mulf
// CHECK: amx.tile_mulf
// CHECK: amx.tile_load %[[Q]][%c0, %c32] : memref<16x64xbf16> into !amx.tile<16x32xbf16>
// CHECK: amx.tile_mulf
// CHECK: amx.tile_mulf
// CHECK: amx.tile_store %[[S]][%c0, %c0]
// CHECK: amx.tile_store %[[S]][%c0, %c16]
// CHECK: vector.load %[[S]]
// CHECK: math.exp
// CHECK: x86vector.avx512.cvt.packed.f32_to_bf16
// CHECK: vector.store {{.*}}, %[[P]]
// CHECK: %[[PT:.*]] = amx.tile_load %[[P]][%c0, %c0] : memref<16x32xbf16> into !amx.tile<16x32xbf16>
// CHECK-COUNT-3: amx.tile_mulf %[[PT]]
// CHECK: } else {
// CHECK-NOT: scf.forall {{.*}} -> (tensor<1x1x2x{{.*}}xbf16>)
// CHECK: x86vector.avx512.dot
// CHECK-SAME: vector<32xbf16>
// NOAMX-LABEL: func.func @bf16_amx(
// NOAMX-NOT: amx
// NOAMX-NOT: syscall
// NOAMX: x86vector.avx512.dot
// NOAMX: return
// The AMX kernel in a function of its own, called from the granted branch
// (attnc-outline-amx-regions): no tile instruction in the caller.
// LLVM-LABEL: llvm.func internal @bf16_amx_amx0(
// LLVM: llvm.call_intrinsic "llvm.x86.tdpbf16ps.internal"
// LLVM-LABEL: llvm.func @bf16_amx(
// LLVM-NOT: llvm.x86.t
// LLVM: llvm.inline_asm has_side_effects "syscall"
// LLVM-NOT: llvm.x86.t
// LLVM: llvm.call @bf16_amx_amx0({{.*}}) {no_inline}
// LLVM-NOT: llvm.x86.t
func.func @bf16_amx(%q: tensor<1x2x40x64xbf16>, %k: tensor<1x1x50x64xbf16>,
                    %v: tensor<1x1x50x48xbf16>) -> tensor<1x2x40x48xbf16> {
  %init = tensor.empty() : tensor<1x2x40x48xbf16>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x40x64xbf16>, tensor<1x1x50x64xbf16>,
          tensor<1x1x50x48xbf16>)
      outs(%init : tensor<1x2x40x48xbf16>) -> tensor<1x2x40x48xbf16>
  return %o : tensor<1x2x40x48xbf16>
}
