// RUN: attnc-opt %s -split-input-file -attn-ops-gpu | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attn-ops-gpu | attnc-opt -split-input-file --pass-pipeline='builtin.module(one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize)' | FileCheck %s --check-prefix=BUF
// Every kernel of this file compiles to a cubin with ptxas, without spills
// (--warn-on-spills --warning-as-error), for sm_90a and sm_80:
// RUN: %if cuda-toolkit %{ attnc-opt %s -attn-ops-gpu | attnc-opt --pass-pipeline='builtin.module(nvvm-attach-target{chip=sm_90a features=+ptx80 O=3 ptxas-cmd-options="--warn-on-spills --warning-as-error"},gpu.module(convert-scf-to-cf,convert-gpu-to-nvvm,canonicalize,cse,reconcile-unrealized-casts),gpu-module-to-binary{format=bin toolkit=%cuda_toolkit})' | FileCheck %s --check-prefix=CUBIN %}
// RUN: %if cuda-toolkit %{ attnc-opt %s -attn-ops-gpu | attnc-opt --pass-pipeline='builtin.module(nvvm-attach-target{chip=sm_80 features=+ptx76 O=3 ptxas-cmd-options="--warn-on-spills --warning-as-error"},gpu.module(convert-scf-to-cf,convert-gpu-to-nvvm,canonicalize,cse,reconcile-unrealized-casts),gpu-module-to-binary{format=bin toolkit=%cuda_toolkit})' | FileCheck %s --check-prefix=CUBIN %}
// The whole GPU pipeline (bufferization, host code, cubin) takes the launches:
// RUN: %if cuda-toolkit %{ attnc-opt %s -attn-ops-gpu | attnc-opt '-attnc-gpu-pipeline=chip=sm_90a format=bin toolkit=%cuda_toolkit' | FileCheck %s --check-prefix=PIPELINE %}

// CUBIN: gpu.binary @attnc_kernels
// CUBIN-NOT: gpu.module

// 19 launches in the functions, and 6 more in the attnc_into_ entry points
// of those that return buffers (attnc-destination-entries).
// PIPELINE-COUNT-25: gpu.launch_func <%{{.*}} : !llvm.ptr> @attnc_kernels::@attn_
// PIPELINE-NOT: gpu.launch_func
// PIPELINE: gpu.binary @attnc_kernels

// Every attn op becomes bufferization.to_buffer of the operands it reads
// (read_only) and of its destinations, a gpu.launch_func of a kernel added to
// @attnc_kernels, and bufferization.to_tensor of the written buffers.
// attn.rope: one launch, blockIdx.y selects the queries or the keys.

// CHECK-LABEL: func.func @rope_half
// CHECK-SAME: (%[[Q:.*]]: tensor<1x4x8x16xf32>, %[[K:.*]]: tensor<1x2x8x16xf32>, %[[POS:.*]]: tensor<8xi64>)
// CHECK: %[[QB:.*]] = bufferization.to_buffer %[[Q]] read_only
// CHECK: %[[KB:.*]] = bufferization.to_buffer %[[K]] read_only
// CHECK: %[[PB:.*]] = bufferization.to_buffer %[[POS]] read_only
// Empty destinations become allocations of their own.
// CHECK: %[[Q0:.*]] = bufferization.alloc_tensor() : tensor<1x4x8x16xf32>
// CHECK: %[[QO:.*]] = bufferization.to_buffer %[[Q0]] :
// CHECK: %[[K0:.*]] = bufferization.alloc_tensor() : tensor<1x2x8x16xf32>
// CHECK: %[[KO:.*]] = bufferization.to_buffer %[[K0]] :
// CHECK: gpu.launch_func @attnc_kernels::@attn_rope blocks in (%{{.*}}, %{{.*}}, %{{.*}}) threads in (%{{.*}}, %{{.*}}, %{{.*}}) args(%[[QB]] : {{.*}}, %[[KB]] : {{.*}}, %[[PB]] : {{.*}}, %{{.*}} : {{.*}}, %{{.*}} : {{.*}})
// CHECK: %[[QR:.*]] = bufferization.to_tensor %[[QO]] restrict writable
// CHECK: %[[KR:.*]] = bufferization.to_tensor %[[KO]] restrict writable
// CHECK: return %[[QR]], %[[KR]]
// CHECK: gpu.module @attnc_kernels
// CHECK: gpu.func @attn_rope(%{{.*}}: memref<1x4x8x16xf32, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<1x2x8x16xf32, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<8xi64, strided<[1], offset: ?>>, %{{.*}}: memref<1x4x8x16xf32, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<1x2x8x16xf32, strided<[?, ?, ?, 1], offset: ?>>) kernel attributes {known_block_size = array<i32: 256, 1, 1>}
// CHECK: gpu.block_id y
// CHECK: math.powf
// CHECK: math.cos
// CHECK: math.sin

func.func @rope_half(%q: tensor<1x4x8x16xf32>, %k: tensor<1x2x8x16xf32>, %pos: tensor<8xi64>) -> (tensor<1x4x8x16xf32>, tensor<1x2x8x16xf32>) {
  %q0 = tensor.empty() : tensor<1x4x8x16xf32>
  %k0 = tensor.empty() : tensor<1x2x8x16xf32>
  %q1, %k1 = attn.rope half theta(5.0e+05)
      ins(%q, %k, %pos : tensor<1x4x8x16xf32>, tensor<1x2x8x16xf32>, tensor<8xi64>)
      outs(%q0, %k0 : tensor<1x4x8x16xf32>, tensor<1x2x8x16xf32>)
      -> tensor<1x4x8x16xf32>, tensor<1x2x8x16xf32>
  return %q1, %k1 : tensor<1x4x8x16xf32>, tensor<1x2x8x16xf32>
}


// -----

// Partial rotary with dynamic shapes, per-batch i32 positions and llama3
// scaling: the components past the rotary dim are copied.

// CHECK-LABEL: func.func @rope_interleaved_partial_llama3
// CHECK: gpu.launch_func @attnc_kernels::@attn_rope
// CHECK: gpu.func @attn_rope(%{{.*}}: memref<?x4x?x64xbf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?x1x?x64xbf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?x?xi32, strided<[?, 1], offset: ?>>, %{{.*}}: memref<?x4x?x64xbf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?x1x?x64xbf16, strided<[?, ?, ?, 1], offset: ?>>) kernel
// CHECK: arith.extf {{.*}} : bf16 to f32
// CHECK: math.powf
// CHECK: arith.select
// CHECK: arith.truncf {{.*}} : f32 to bf16

func.func @rope_interleaved_partial_llama3(%q: tensor<?x4x?x64xbf16>, %k: tensor<?x1x?x64xbf16>, %pos: tensor<?x?xi32>) -> (tensor<?x4x?x64xbf16>, tensor<?x1x?x64xbf16>) {
  %q1, %k1 = attn.rope interleaved rotary_dim(32) scaling(llama3 factor(8.0) low_freq_factor(1.0) high_freq_factor(4.0) original_max_positions(8192.0))
      ins(%q, %k, %pos : tensor<?x4x?x64xbf16>, tensor<?x1x?x64xbf16>, tensor<?x?xi32>)
      outs(%q, %k : tensor<?x4x?x64xbf16>, tensor<?x1x?x64xbf16>)
      -> tensor<?x4x?x64xbf16>, tensor<?x1x?x64xbf16>
  return %q1, %k1 : tensor<?x4x?x64xbf16>, tensor<?x1x?x64xbf16>
}


// -----

// attn.kv_append writes the caches in place: their buffers are the kernel's
// destinations and the results. blockIdx.y = 0, 1 append the keys and the
// values; 2 runs the reference's checks.

// CHECK-LABEL: func.func @kv_append_contiguous
// CHECK-SAME: (%[[K:[a-zA-Z0-9]*]]: tensor<2x2x3x64xf16>, %[[V:[a-zA-Z0-9]*]]: tensor<2x2x3x32xf16>, %[[START:[a-zA-Z0-9]*]]: tensor<2xi64>, %[[KC:[a-zA-Z0-9]*]]: tensor<2x2x128x64xf16>, %[[VC:[a-zA-Z0-9]*]]: tensor<2x2x128x32xf16>)
// CHECK: bufferization.to_buffer %[[K]] read_only
// CHECK: bufferization.to_buffer %[[V]] read_only
// CHECK: bufferization.to_buffer %[[START]] read_only
// CHECK: %[[KCB:.*]] = bufferization.to_buffer %[[KC]] :
// CHECK: %[[VCB:.*]] = bufferization.to_buffer %[[VC]] :
// CHECK: gpu.launch_func @attnc_kernels::@attn_kv_append
// CHECK: %[[KR:.*]] = bufferization.to_tensor %[[KCB]] restrict writable
// CHECK: %[[VR:.*]] = bufferization.to_tensor %[[VCB]] restrict writable
// CHECK: return %[[KR]], %[[VR]]
// CHECK: gpu.func @attn_kv_append(%{{.*}}: memref<2x2x3x64xf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<2x2x3x32xf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<2xi64, strided<[1], offset: ?>>, %{{.*}}: memref<2x2x128x64xf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<2x2x128x32xf16, strided<[?, ?, ?, 1], offset: ?>>) kernel
// CHECK: cf.assert %{{.*}}, "{{.*}}ops-gpu.mlir:{{[0-9]+}}:{{[0-9]+}}: attn.kv_append: negative start position"
// CHECK: cf.assert %{{.*}}, "{{.*}}attn.kv_append: write past the end of the cache (start + Snew > Smax)"

// After bufferization the kernel writes the caches passed in and returns them.
// BUF-LABEL: func.func @kv_append_contiguous
// BUF-SAME: %[[KC:[a-zA-Z0-9]*]]: memref<2x2x128x64xf16>, %[[VC:[a-zA-Z0-9]*]]: memref<2x2x128x32xf16>)
// BUF-NOT: memref.alloc
// BUF-NOT: memref.copy
// BUF: %[[KCC:.*]] = memref.cast %[[KC]]
// BUF: %[[VCC:.*]] = memref.cast %[[VC]]
// BUF: gpu.launch_func @attnc_kernels::@attn_kv_append {{.*}} args({{.*}}, %[[KCC]] : {{.*}}, %[[VCC]] : {{.*}})
// BUF-NEXT: return %[[KC]], %[[VC]]

func.func @kv_append_contiguous(%k: tensor<2x2x3x64xf16>, %v: tensor<2x2x3x32xf16>, %start: tensor<2xi64>, %kc: tensor<2x2x128x64xf16>, %vc: tensor<2x2x128x32xf16>) -> (tensor<2x2x128x64xf16>, tensor<2x2x128x32xf16>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<2x2x3x64xf16>, tensor<2x2x3x32xf16>)
      at(%start : tensor<2xi64>)
      outs(%kc, %vc : tensor<2x2x128x64xf16>, tensor<2x2x128x32xf16>)
      -> tensor<2x2x128x64xf16>, tensor<2x2x128x32xf16>
  return %kc1, %vc1 : tensor<2x2x128x64xf16>, tensor<2x2x128x32xf16>
}


// -----

// CHECK-LABEL: func.func @kv_append_paged
// CHECK-SAME: %[[TABLE:[a-zA-Z0-9]*]]: tensor<?x?xi32>, %[[KC:[a-zA-Z0-9]*]]: tensor<?x8x16x128xbf16>, %[[VC:[a-zA-Z0-9]*]]: tensor<?x8x16x128xbf16>)
// CHECK: bufferization.to_buffer %[[TABLE]] read_only
// CHECK: %[[KCB:.*]] = bufferization.to_buffer %[[KC]] :
// CHECK: %[[VCB:.*]] = bufferization.to_buffer %[[VC]] :
// CHECK: gpu.launch_func @attnc_kernels::@attn_kv_append
// CHECK: bufferization.to_tensor %[[KCB]] restrict writable
// CHECK: bufferization.to_tensor %[[VCB]] restrict writable
// CHECK: gpu.func @attn_kv_append(%{{.*}}: memref<?x8x?x128xbf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?x8x?x128xbf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?xi32, strided<[1], offset: ?>>, %{{.*}}: memref<?x?xi32, strided<[?, 1], offset: ?>>, %{{.*}}: memref<?x8x16x128xbf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?x8x16x128xbf16, strided<[?, ?, ?, 1], offset: ?>>) kernel
// CHECK: cf.assert %{{.*}}, "{{.*}}attn.kv_append: negative start position"
// CHECK: cf.assert %{{.*}}, "{{.*}}attn.kv_append: position past the end of the block table"
// CHECK: cf.assert %{{.*}}, "{{.*}}attn.kv_append: block id outside [0, num_blocks)"

// BUF-LABEL: func.func @kv_append_paged
// BUF-SAME: %[[KC:[a-zA-Z0-9]*]]: memref<?x8x16x128xbf16>, %[[VC:[a-zA-Z0-9]*]]: memref<?x8x16x128xbf16>)
// BUF-NOT: memref.alloc
// BUF-NOT: memref.copy
// BUF: gpu.launch_func @attnc_kernels::@attn_kv_append
// BUF: return %[[KC]], %[[VC]]

func.func @kv_append_paged(%k: tensor<?x8x?x128xbf16>, %v: tensor<?x8x?x128xbf16>, %start: tensor<?xi32>, %table: tensor<?x?xi32>, %kc: tensor<?x8x16x128xbf16>, %vc: tensor<?x8x16x128xbf16>) -> (tensor<?x8x16x128xbf16>, tensor<?x8x16x128xbf16>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<?x8x?x128xbf16>, tensor<?x8x?x128xbf16>)
      at(%start : tensor<?xi32>)
      block_table(%table : tensor<?x?xi32>)
      outs(%kc, %vc : tensor<?x8x16x128xbf16>, tensor<?x8x16x128xbf16>)
      -> tensor<?x8x16x128xbf16>, tensor<?x8x16x128xbf16>
  return %kc1, %vc1 : tensor<?x8x16x128xbf16>, tensor<?x8x16x128xbf16>
}


// -----

// attn.masked_softmax: one block of 256 threads per row, 64 bytes of shared
// memory for the two block reductions.

// CHECK-LABEL: func.func @masked_softmax_causal_i1_mask
// CHECK-SAME: (%[[S:.*]]: tensor<2x12x64x80xf32>, %[[M:.*]]: tensor<2x1x1x80xi1>)
// CHECK: %[[SB:.*]] = bufferization.to_buffer %[[S]] read_only
// CHECK: %[[MB:.*]] = bufferization.to_buffer %[[M]] read_only
// CHECK: %[[OB:.*]] = bufferization.to_buffer %{{.*}} :
// CHECK: gpu.launch_func @attnc_kernels::@attn_masked_softmax blocks in (%{{.*}}, %{{.*}}, %{{.*}}) threads in (%{{.*}}, %{{.*}}, %{{.*}}) dynamic_shared_memory_size %{{.*}} args(%[[SB]] : {{.*}}, %[[MB]] : {{.*}}, %{{.*}} : {{.*}})
// CHECK: bufferization.to_tensor %[[OB]] restrict writable
// CHECK: gpu.func @attn_masked_softmax(%{{.*}}: memref<2x12x64x80xf32, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<2x1x1x80xi1, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<2x12x64x80xf32, strided<[?, ?, ?, 1], offset: ?>>) kernel
// CHECK: scf.for
// CHECK: arith.maximumf
// CHECK: gpu.shuffle xor
// CHECK: gpu.barrier
// CHECK: scf.for
// CHECK: math.exp
// CHECK: gpu.shuffle xor
// CHECK: gpu.barrier
// CHECK: scf.for
// CHECK: arith.divf
// CHECK: memref.store

func.func @masked_softmax_causal_i1_mask(%s: tensor<2x12x64x80xf32>, %mask: tensor<2x1x1x80xi1>) -> tensor<2x12x64x80xf32> {
  %p0 = tensor.empty() : tensor<2x12x64x80xf32>
  %p = attn.masked_softmax causal scale(0.125)
      ins(%s : tensor<2x12x64x80xf32>)
      mask(%mask : tensor<2x1x1x80xi1>)
      outs(%p0 : tensor<2x12x64x80xf32>) -> tensor<2x12x64x80xf32>
  return %p : tensor<2x12x64x80xf32>
}


// -----

// CHECK-LABEL: func.func @masked_softmax_window_softcap
// CHECK: gpu.launch_func @attnc_kernels::@attn_masked_softmax
// CHECK: gpu.func @attn_masked_softmax(%{{.*}}: memref<?x?x?xf16, strided<[?, ?, 1], offset: ?>>, %{{.*}}: memref<1x?x?xf16, strided<[?, ?, 1], offset: ?>>, %{{.*}}: memref<?x?x?xf16, strided<[?, ?, 1], offset: ?>>) kernel
// CHECK: math.tanh

func.func @masked_softmax_window_softcap(%s: tensor<?x?x?xf16>, %mask: tensor<1x?x?xf16>) -> tensor<?x?x?xf16> {
  %p = attn.masked_softmax window(16) softcap(30.0)
      ins(%s : tensor<?x?x?xf16>)
      mask(%mask : tensor<1x?x?xf16>)
      outs(%s : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  return %p : tensor<?x?x?xf16>
}


// -----

// CHECK-LABEL: func.func @masked_softmax_rank2_bf16
// CHECK: gpu.launch_func @attnc_kernels::@attn_masked_softmax
// CHECK: gpu.func @attn_masked_softmax(%{{.*}}: memref<?x?xbf16, strided<[?, 1], offset: ?>>, %{{.*}}: memref<?x?xbf16, strided<[?, 1], offset: ?>>) kernel

func.func @masked_softmax_rank2_bf16(%s: tensor<?x?xbf16>, %p0: tensor<?x?xbf16>) -> tensor<?x?xbf16> {
  %p = attn.masked_softmax causal window(4)
      ins(%s : tensor<?x?xbf16>)
      outs(%p0 : tensor<?x?xbf16>) -> tensor<?x?xbf16>
  return %p : tensor<?x?xbf16>
}


// -----

// attn.qkv_proj: one tiled GEMM launch per projection (64x64 tiles, 256
// threads, 2 x 16 x 65 f32 of shared memory), writing [B, H, S, D] directly.

// CHECK-LABEL: func.func @qkv_proj_separate_bias
// CHECK-SAME: (%[[X:[a-zA-Z0-9]*]]: tensor<2x16x256xf32>, %[[WQ:[a-zA-Z0-9]*]]: tensor<256x256xf32>, %[[WK:[a-zA-Z0-9]*]]: tensor<256x64xf32>, %[[WV:[a-zA-Z0-9]*]]: tensor<256x64xf32>, %[[BQ:[a-zA-Z0-9]*]]: tensor<256xf32>, %[[BK:[a-zA-Z0-9]*]]: tensor<64xf32>, %[[BV:[a-zA-Z0-9]*]]: tensor<64xf32>)
// CHECK: %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only
// CHECK: %[[WQB:.*]] = bufferization.to_buffer %[[WQ]] read_only
// CHECK: %[[WKB:.*]] = bufferization.to_buffer %[[WK]] read_only
// CHECK: %[[WVB:.*]] = bufferization.to_buffer %[[WV]] read_only
// CHECK: %[[BQB:.*]] = bufferization.to_buffer %[[BQ]] read_only
// CHECK: %[[BKB:.*]] = bufferization.to_buffer %[[BK]] read_only
// CHECK: %[[BVB:.*]] = bufferization.to_buffer %[[BV]] read_only
// CHECK: gpu.launch_func @attnc_kernels::@attn_qkv_proj_q {{.*}} args(%[[XB]] : {{.*}}, %[[WQB]] : {{.*}}, %[[BQB]] : {{.*}}, %{{.*}} : memref<2x4x16x64xf32, strided<[?, ?, ?, 1], offset: ?>>)
// CHECK: gpu.launch_func @attnc_kernels::@attn_qkv_proj_k {{.*}} args(%[[XB]] : {{.*}}, %[[WKB]] : {{.*}}, %[[BKB]] : {{.*}}, %{{.*}} : memref<2x1x16x64xf32, strided<[?, ?, ?, 1], offset: ?>>)
// CHECK: gpu.launch_func @attnc_kernels::@attn_qkv_proj_v {{.*}} args(%[[XB]] : {{.*}}, %[[WVB]] : {{.*}}, %[[BVB]] : {{.*}}, %{{.*}} : memref<2x1x16x64xf32, strided<[?, ?, ?, 1], offset: ?>>)
// CHECK: gpu.func @attn_qkv_proj_q(%{{.*}}: memref<2x16x256xf32, strided<[?, ?, 1], offset: ?>>, %{{.*}}: memref<256x256xf32, strided<[?, 1], offset: ?>>, %{{.*}}: memref<256xf32, strided<[1], offset: ?>>, %{{.*}}: memref<2x4x16x64xf32, strided<[?, ?, ?, 1], offset: ?>>) kernel
// CHECK: memref.view {{.*}} to memref<16x65xf32, #gpu.address_space<workgroup>>
// CHECK: scf.for
// CHECK: gpu.barrier
// CHECK-COUNT-256: math.fma
// CHECK: gpu.barrier

func.func @qkv_proj_separate_bias(%x: tensor<2x16x256xf32>, %wq: tensor<256x256xf32>, %wk: tensor<256x64xf32>, %wv: tensor<256x64xf32>, %bq: tensor<256xf32>, %bk: tensor<64xf32>, %bv: tensor<64xf32>) -> (tensor<2x4x16x64xf32>, tensor<2x1x16x64xf32>, tensor<2x1x16x64xf32>) {
  %q0 = tensor.empty() : tensor<2x4x16x64xf32>
  %k0 = tensor.empty() : tensor<2x1x16x64xf32>
  %v0 = tensor.empty() : tensor<2x1x16x64xf32>
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<2x16x256xf32>)
      weights(%wq, %wk, %wv : tensor<256x256xf32>, tensor<256x64xf32>, tensor<256x64xf32>)
      biases(%bq, %bk, %bv : tensor<256xf32>, tensor<64xf32>, tensor<64xf32>)
      outs(%q0, %k0, %v0 : tensor<2x4x16x64xf32>, tensor<2x1x16x64xf32>, tensor<2x1x16x64xf32>)
      -> tensor<2x4x16x64xf32>, tensor<2x1x16x64xf32>, tensor<2x1x16x64xf32>
  return %q, %k, %v : tensor<2x4x16x64xf32>, tensor<2x1x16x64xf32>, tensor<2x1x16x64xf32>
}


// -----

// A fused out_in bf16 weight read from each projection's column offset, then
// the RoPE epilogue as an in-place launch of the rope kernel on Q and K.

// CHECK-LABEL: func.func @qkv_proj_fused_out_in_bf16_rope
// CHECK: gpu.launch_func @attnc_kernels::@attn_qkv_proj_q {{.*}} args({{.*}}, %[[Q:.*]] : memref<?x2x?x32xf32, strided<[?, ?, ?, 1], offset: ?>>)
// CHECK: gpu.launch_func @attnc_kernels::@attn_qkv_proj_k {{.*}} args({{.*}}, %[[K:.*]] : memref<?x1x?x32xf32, strided<[?, ?, ?, 1], offset: ?>>)
// CHECK: gpu.launch_func @attnc_kernels::@attn_qkv_proj_v
// CHECK: gpu.launch_func @attnc_kernels::@attn_rope {{.*}} args(%[[Q]] : {{.*}}, %[[K]] : {{.*}}, %{{.*}} : memref<?xi64, strided<[1], offset: ?>>)
// CHECK: gpu.func @attn_qkv_proj_q(%{{.*}}: memref<?x?x96xf32, strided<[?, ?, 1], offset: ?>>, %{{.*}}: memref<160x96xbf16, strided<[?, 1], offset: ?>>, %{{.*}}: memref<160xf32, strided<[1], offset: ?>>, %{{.*}}: memref<?x2x?x32xf32, strided<[?, ?, ?, 1], offset: ?>>) kernel
// CHECK: arith.extf {{.*}} : bf16 to f32
// CHECK: gpu.func @attn_qkv_proj_k
// CHECK: gpu.func @attn_qkv_proj_v
// CHECK: gpu.func @attn_rope(%{{.*}}: memref<?x2x?x32xf32, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?x1x?x32xf32, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?xi64, strided<[1], offset: ?>>) kernel

func.func @qkv_proj_fused_out_in_bf16_rope(%x: tensor<?x?x96xf32>, %w: tensor<160x96xbf16>, %b: tensor<160xf32>, %pos: tensor<?xi64>, %q0: tensor<?x2x?x32xf32>, %k0: tensor<?x1x?x32xf32>, %v0: tensor<?x1x?x64xf32>) -> (tensor<?x2x?x32xf32>, tensor<?x1x?x32xf32>, tensor<?x1x?x64xf32>) {
  %q, %k, %v = attn.qkv_proj layout(out_in) ins(%x : tensor<?x?x96xf32>)
      weights(%w : tensor<160x96xbf16>)
      biases(%b : tensor<160xf32>)
      rope half theta(1.0e+04) rotary_dim(16) scaling(linear factor(4.0)) positions(%pos : tensor<?xi64>)
      outs(%q0, %k0, %v0 : tensor<?x2x?x32xf32>, tensor<?x1x?x32xf32>, tensor<?x1x?x64xf32>)
      -> tensor<?x2x?x32xf32>, tensor<?x1x?x32xf32>, tensor<?x1x?x64xf32>
  return %q, %k, %v : tensor<?x2x?x32xf32>, tensor<?x1x?x32xf32>, tensor<?x1x?x64xf32>
}


// -----

// CHECK-LABEL: func.func @qkv_proj_f16_in_out
// CHECK: gpu.launch_func @attnc_kernels::@attn_qkv_proj_q
// CHECK: gpu.launch_func @attnc_kernels::@attn_qkv_proj_k
// CHECK: gpu.launch_func @attnc_kernels::@attn_qkv_proj_v
// CHECK-NOT: gpu.launch_func
// CHECK: gpu.func @attn_qkv_proj_q(%{{.*}}: memref<?x?x?xf16, strided<[?, ?, 1], offset: ?>>, %{{.*}}: memref<?x128xf16, strided<[?, 1], offset: ?>>, %{{.*}}: memref<?x2x?x64xf16, strided<[?, ?, ?, 1], offset: ?>>) kernel

func.func @qkv_proj_f16_in_out(%x: tensor<?x?x?xf16>, %wq: tensor<?x128xf16>, %wk: tensor<?x128xf16>, %wv: tensor<?x128xf16>, %q0: tensor<?x2x?x64xf16>, %k0: tensor<?x2x?x64xf16>, %v0: tensor<?x2x?x64xf16>) -> (tensor<?x2x?x64xf16>, tensor<?x2x?x64xf16>, tensor<?x2x?x64xf16>) {
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<?x?x?xf16>)
      weights(%wq, %wk, %wv : tensor<?x128xf16>, tensor<?x128xf16>, tensor<?x128xf16>)
      outs(%q0, %k0, %v0 : tensor<?x2x?x64xf16>, tensor<?x2x?x64xf16>, tensor<?x2x?x64xf16>)
      -> tensor<?x2x?x64xf16>, tensor<?x2x?x64xf16>, tensor<?x2x?x64xf16>
  return %q, %k, %v : tensor<?x2x?x64xf16>, tensor<?x2x?x64xf16>, tensor<?x2x?x64xf16>
}


// -----

// attn.out_proj reads O [B, H, S, Dv] directly (the head merge is in the
// kernel's indexing) and writes Y [B, S, Dm].

// CHECK-LABEL: func.func @out_proj_bias
// CHECK-SAME: (%[[O:[a-zA-Z0-9]*]]: tensor<1x12x16x64xf32>, %[[W:[a-zA-Z0-9]*]]: tensor<768x768xf32>, %[[B:[a-zA-Z0-9]*]]: tensor<768xf32>)
// CHECK: %[[OB:.*]] = bufferization.to_buffer %[[O]] read_only
// CHECK: %[[WB:.*]] = bufferization.to_buffer %[[W]] read_only
// CHECK: %[[BB:.*]] = bufferization.to_buffer %[[B]] read_only
// CHECK: %[[YB:.*]] = bufferization.to_buffer %{{.*}} :
// CHECK: gpu.launch_func @attnc_kernels::@attn_out_proj {{.*}} args(%[[OB]] : {{.*}}, %[[WB]] : {{.*}}, %[[BB]] : {{.*}}, %{{.*}} : memref<1x16x768xf32, strided<[?, ?, 1], offset: ?>>)
// CHECK: bufferization.to_tensor %[[YB]] restrict writable
// CHECK: gpu.func @attn_out_proj(%{{.*}}: memref<1x12x16x64xf32, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<768x768xf32, strided<[?, 1], offset: ?>>, %{{.*}}: memref<768xf32, strided<[1], offset: ?>>, %{{.*}}: memref<1x16x768xf32, strided<[?, ?, 1], offset: ?>>) kernel

func.func @out_proj_bias(%o: tensor<1x12x16x64xf32>, %w: tensor<768x768xf32>, %b: tensor<768xf32>) -> tensor<1x16x768xf32> {
  %y0 = tensor.empty() : tensor<1x16x768xf32>
  %y = attn.out_proj ins(%o : tensor<1x12x16x64xf32>)
      weight(%w : tensor<768x768xf32>) bias(%b : tensor<768xf32>)
      outs(%y0 : tensor<1x16x768xf32>) -> tensor<1x16x768xf32>
  return %y : tensor<1x16x768xf32>
}


// -----

// CHECK-LABEL: func.func @out_proj_out_in_bf16
// CHECK: gpu.launch_func @attnc_kernels::@attn_out_proj
// CHECK: gpu.func @attn_out_proj(%{{.*}}: memref<?x4x?x48xbf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?x192xbf16, strided<[?, 1], offset: ?>>, %{{.*}}: memref<?x?x?xbf16, strided<[?, ?, 1], offset: ?>>) kernel
// CHECK: arith.truncf {{.*}} : f32 to bf16

func.func @out_proj_out_in_bf16(%o: tensor<?x4x?x48xbf16>, %w: tensor<?x192xbf16>, %y0: tensor<?x?x?xbf16>) -> tensor<?x?x?xbf16> {
  %y = attn.out_proj layout(out_in) ins(%o : tensor<?x4x?x48xbf16>)
      weight(%w : tensor<?x192xbf16>)
      outs(%y0 : tensor<?x?x?xbf16>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}
