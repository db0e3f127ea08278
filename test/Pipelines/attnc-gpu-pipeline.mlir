// RUN: attnc-opt %s -split-input-file --attnc-gpu-pipeline="chip=sm_90a binary=false" | FileCheck %s
// RUN: attnc-opt %s -split-input-file --attnc-gpu-pipeline="chip=sm_90a binary=false" --mlir-print-ir-after=attnc-gpu-host-buffers 2>&1 >/dev/null | FileCheck %s --check-prefix=BUFFERS

// Host code: the C interface and the ABI strings, launches on one stream per
// call, kernels lowered to NVVM in the gpu.module.

// CHECK-LABEL: llvm.func internal @block(
// CHECK: %[[STREAM:.*]] = llvm.call @mgpuStreamCreate()
// CHECK: llvm.call @mgpuMemAlloc(%{{.*}}, %[[STREAM]], %{{.*}})
// CHECK: gpu.launch_func <%[[STREAM]] : !llvm.ptr> @attnc_kernels::@attn_rope
// CHECK: gpu.launch_func <%[[STREAM]] : !llvm.ptr> @attnc_kernels::@block_attention {{.*}} dynamic_shared_memory_size
// CHECK: llvm.call @mgpuMemFree(
// CHECK: llvm.call @mgpuStreamSynchronize(%[[STREAM]])
// CHECK: llvm.func @_mlir_ciface_block(
// CHECK: llvm.mlir.global external constant @attnc_signature_block("(tensor<1x4x16x64xf16>, tensor<1x2x16x64xf16>, tensor<1x2x16x64xf16>, tensor<16xi32>) -> tensor<1x4x16x64xf16>\00")
// CHECK: llvm.mlir.global external constant @attnc_target("cuda\00")
// CHECK: gpu.module @attnc_kernels [#nvvm.target<O = 3, chip = "sm_90a", features = "+ptx80">]
// CHECK: llvm.func @block_attention({{.*}}) attributes {gpu.kernel, {{.*}}nvvm.kernel, nvvm.maxntid = array<i32: 128, 1, 1>}
// CHECK: nvvm.mma.sync

// Every buffer is device memory; temporaries are freed at the return, the
// result is the caller's.

// BUFFERS-LABEL: func.func @block(
// BUFFERS: %[[QR:.*]] = gpu.alloc () : memref<1x4x16x64xf16>
// BUFFERS: %[[KR:.*]] = gpu.alloc () : memref<1x2x16x64xf16>
// BUFFERS: %[[O:.*]] = gpu.alloc () : memref<1x4x16x64xf16>
// BUFFERS: gpu.dealloc %[[QR]]
// BUFFERS: gpu.dealloc %[[KR]]
// BUFFERS-NEXT: return %[[O]]
func.func @block(%q: tensor<1x4x16x64xf16>, %k: tensor<1x2x16x64xf16>, %v: tensor<1x2x16x64xf16>, %pos: tensor<16xi32>) -> tensor<1x4x16x64xf16> {
  %e0 = tensor.empty() : tensor<1x4x16x64xf16>
  %e1 = tensor.empty() : tensor<1x2x16x64xf16>
  %qr, %kr = attn.rope half ins(%q, %k, %pos : tensor<1x4x16x64xf16>, tensor<1x2x16x64xf16>, tensor<16xi32>) outs(%e0, %e1 : tensor<1x4x16x64xf16>, tensor<1x2x16x64xf16>) -> tensor<1x4x16x64xf16>, tensor<1x2x16x64xf16>
  %e2 = tensor.empty() : tensor<1x4x16x64xf16>
  %o = attn.attention causal ins(%qr, %kr, %v : tensor<1x4x16x64xf16>, tensor<1x2x16x64xf16>, tensor<1x2x16x64xf16>) outs(%e2 : tensor<1x4x16x64xf16>) -> tensor<1x4x16x64xf16>
  return %o : tensor<1x4x16x64xf16>
}

// -----

// Two results written "into" one tensor.empty get two buffers.

// BUFFERS-LABEL: func.func @two_outputs(
// BUFFERS: %[[A:.*]] = gpu.alloc () : memref<1x2x8x16xf16>
// BUFFERS: %[[B:.*]] = gpu.alloc () : memref<1x2x8x16xf16>
// BUFFERS: return %[[A]], %[[B]]
func.func @two_outputs(%q: tensor<1x2x8x16xf16>, %k: tensor<1x2x8x16xf16>, %v: tensor<1x2x8x16xf16>) -> (tensor<1x2x8x16xf16>, tensor<1x2x8x16xf16>) {
  %e = tensor.empty() : tensor<1x2x8x16xf16>
  %a = attn.attention ins(%q, %k, %v : tensor<1x2x8x16xf16>, tensor<1x2x8x16xf16>, tensor<1x2x8x16xf16>) outs(%e : tensor<1x2x8x16xf16>) -> tensor<1x2x8x16xf16>
  %b = attn.attention causal ins(%q, %k, %v : tensor<1x2x8x16xf16>, tensor<1x2x8x16xf16>, tensor<1x2x8x16xf16>) outs(%e : tensor<1x2x8x16xf16>) -> tensor<1x2x8x16xf16>
  return %a, %b : tensor<1x2x8x16xf16>, tensor<1x2x8x16xf16>
}
