// RUN: attnc-opt %s -split-input-file -attn-attention-gpu=chip=sm_80 | FileCheck %s

// f16 attention: one launch of (query blocks of 64, heads, batch) blocks of
// 128 threads over the op's buffers; the kernel multiplies on tensor cores.

// CHECK-LABEL: func.func @attention_f16(
// CHECK-SAME: %[[Q:[^:]*]]: tensor<2x8x77x64xf16>, %[[K:[^:]*]]: tensor<2x2x100x64xf16>, %[[V:[^:]*]]: tensor<2x2x100x64xf16>
// CHECK-DAG: %[[QB:.*]] = bufferization.to_buffer %[[Q]] read_only
// CHECK-DAG: %[[KB:.*]] = bufferization.to_buffer %[[K]] read_only
// CHECK-DAG: %[[VB:.*]] = bufferization.to_buffer %[[V]] read_only
// CHECK: %[[OB:.*]] = bufferization.to_buffer %{{.*}} : tensor<2x8x77x64xf16> to memref<2x8x77x64xf16>
// CHECK: %[[OC:.*]] = memref.cast %[[OB]]
// CHECK: %[[SMEM:.*]] = arith.constant 27648 : i32
// CHECK-NOT: scf.if
// CHECK: gpu.launch_func @attnc_kernels::@attention_f16_attention blocks in (%[[C2:.*]], %[[C8:.*]], %[[C2B:.*]]) threads in (%[[C128:.*]], %{{.*}}, %{{.*}}) dynamic_shared_memory_size %[[SMEM:.*]] args(%[[QB]] : {{.*}}, %[[KB]] : {{.*}}, %[[VB]] : {{.*}}, %[[OC]] : {{.*}}, %{{.*}} : index)
// CHECK: %[[R:.*]] = bufferization.to_tensor %[[OB]] restrict writable
// CHECK: return %[[R]]
// CHECK: gpu.module @attnc_kernels
// CHECK: gpu.func @attention_f16_attention({{.*}}) kernel attributes {known_block_size = array<i32: 128, 1, 1>}
// CHECK: gpu.dynamic_shared_memory
// CHECK: scf.for
// CHECK: gpu.barrier
// CHECK: nvvm.mma.sync {{.*}} {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32)
// CHECK: nvvm.shfl.sync bfly
// CHECK: math.exp2
func.func @attention_f16(%q: tensor<2x8x77x64xf16>, %k: tensor<2x2x100x64xf16>, %v: tensor<2x2x100x64xf16>) -> tensor<2x8x77x64xf16> {
  %e = tensor.empty() : tensor<2x8x77x64xf16>
  %o = attn.attention causal ins(%q, %k, %v : tensor<2x8x77x64xf16>, tensor<2x2x100x64xf16>, tensor<2x2x100x64xf16>) outs(%e : tensor<2x8x77x64xf16>) -> tensor<2x8x77x64xf16>
  return %o : tensor<2x8x77x64xf16>
}

// -----

// bf16 takes nvvm.mma.sync on i32-packed operands (nvgpu.mma.sync has no
// bf16 lowering in MLIR 22).

// CHECK-LABEL: func.func @attention_bf16(
// CHECK: gpu.func @attention_bf16_attention(
// CHECK: nvvm.mma.sync {{.*}} multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>{{.*}} : (i32, i32, f32)
func.func @attention_bf16(%q: tensor<1x4x128x128xbf16>, %k: tensor<1x4x128x128xbf16>, %v: tensor<1x4x128x128xbf16>) -> tensor<1x4x128x128xbf16> {
  %e = tensor.empty() : tensor<1x4x128x128xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x128x128xbf16>, tensor<1x4x128x128xbf16>, tensor<1x4x128x128xbf16>) outs(%e : tensor<1x4x128x128xbf16>) -> tensor<1x4x128x128xbf16>
  return %o : tensor<1x4x128x128xbf16>
}

// -----

// f32 keeps f32 accuracy with FMAs (no TF32); dynamic sizes come from the
// descriptors, and the grid's empty case launches nothing.

// CHECK-LABEL: func.func @attention_f32_dynamic(
// CHECK: %[[BLOCKS:.*]] = arith.ceildivui %{{.*}}, %{{.*}} : index
// CHECK: scf.if
// CHECK: gpu.launch_func @attnc_kernels::@attention_f32_dynamic_attention blocks in (%[[BLOCKS]], %c4, %{{.*}})
// CHECK: gpu.func @attention_f32_dynamic_attention(
// CHECK-NOT: nvvm.mma.sync
// CHECK: math.fma
// CHECK: gpu.return
func.func @attention_f32_dynamic(%q: tensor<?x4x?x96xf32>, %k: tensor<?x4x?x96xf32>, %v: tensor<?x4x?x64xf32>, %m: tensor<?x1x1x?xi1>) -> tensor<?x4x?x64xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x96xf32>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x96xf32>
  %e = tensor.empty(%b, %s) : tensor<?x4x?x64xf32>
  %o = attn.attention window(16) softcap(30.0) ins(%q, %k, %v : tensor<?x4x?x96xf32>, tensor<?x4x?x96xf32>, tensor<?x4x?x64xf32>) mask(%m : tensor<?x1x1x?xi1>) outs(%e : tensor<?x4x?x64xf32>) -> tensor<?x4x?x64xf32>
  return %o : tensor<?x4x?x64xf32>
}

// -----

// Decode over a paged cache: split-KV partials (f32 out, max, sum with a
// leading split dim) and a merge kernel into the destination; lengths and
// block ids are checked in the kernel.

// CHECK-LABEL: func.func @decode_paged(
// CHECK: %[[PO:.*]] = tensor.empty(%[[SPLITS:.*]]) : tensor<?x2x8x1x128xf32>
// CHECK: %[[PM:.*]] = tensor.empty(%[[SPLITS]]) : tensor<?x2x8x1xf32>
// CHECK: %[[PS:.*]] = tensor.empty(%[[SPLITS]]) : tensor<?x2x8x1xf32>
// CHECK: gpu.launch_func @attnc_kernels::@decode_paged_decode_attention
// CHECK: gpu.launch_func @attnc_kernels::@decode_paged_decode_merge blocks in ({{.*}}) threads in ({{.*}}) args({{.*}}, %[[SPLITS]] : index)
// CHECK: gpu.func @decode_paged_decode_attention(
// CHECK: cf.assert %{{.*}}, "{{.*}}attention-gpu.mlir:{{[0-9]+}}:{{[0-9]+}}: attn.decode_attention: sequence length outside [0, cache capacity]"
// CHECK: cf.assert %{{.*}}, "{{.*}}attention-gpu.mlir:{{[0-9]+}}:{{[0-9]+}}: attn.decode_attention: block id outside [0, num_blocks)"
// CHECK: nvvm.mma.sync
// CHECK: gpu.func @decode_paged_decode_merge(
// CHECK: math.exp
func.func @decode_paged(%q: tensor<2x8x1x128xbf16>, %k: tensor<16x2x16x128xbf16>, %v: tensor<16x2x16x128xbf16>, %lens: tensor<2xi32>, %table: tensor<2x8xi32>) -> tensor<2x8x1x128xbf16> {
  %e = tensor.empty() : tensor<2x8x1x128xbf16>
  %o = attn.decode_attention causal ins(%q, %k, %v : tensor<2x8x1x128xbf16>, tensor<16x2x16x128xbf16>, tensor<16x2x16x128xbf16>) seq_lens(%lens : tensor<2xi32>) block_table(%table : tensor<2x8xi32>) outs(%e : tensor<2x8x1x128xbf16>) -> tensor<2x8x1x128xbf16>
  return %o : tensor<2x8x1x128xbf16>
}
