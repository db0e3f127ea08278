// The CUDA target's kernels, compiled through ptxas for sm_80 and sm_90a:
// attention uses tensor cores (mma.sync) for f16/bf16, and no kernel spills
// registers (ptxas -v reports 0 bytes of spill stores and loads for each).

// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: attnc compile %s --target=cuda --gpu-chip=sm_80 -o %t/sm80.ptx
// RUN: FileCheck %s --check-prefix=PTX80 < %t/sm80.ptx
// RUN: %ptxas -arch=sm_80 -v %t/sm80.ptx -o %t/sm80.cubin 2> %t/sm80.log
// RUN: FileCheck %s --check-prefix=PTXAS < %t/sm80.log
// RUN: attnc compile %s --target=cuda --gpu-chip=sm_90a -o %t/sm90a.ptx
// RUN: %ptxas -arch=sm_90a -v %t/sm90a.ptx -o %t/sm90a.cubin 2> %t/sm90a.log
// RUN: FileCheck %s --check-prefix=PTXAS < %t/sm90a.log
// The library embeds the kernels for the chip, with PTX for newer ones.
// RUN: attnc compile %s --target=cuda --gpu-chip=sm_90a -o %t/lib.so
// RUN: llvm-nm -D --defined-only %t/lib.so | FileCheck %s --check-prefix=SYMS

// PTX80: .target sm_80
// PTX80-DAG: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// PTX80-DAG: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// PTX80-DAG: shfl.sync.bfly.b32
// PTX80-DAG: ex2.approx

// Every kernel ptxas compiled reports no spills.
// PTXAS-NOT: {{[1-9][0-9]* bytes spill}}
// PTXAS: Compiling entry function '{{.*}}_attention'
// PTXAS-NOT: {{[1-9][0-9]* bytes spill}}
// PTXAS: Compiling entry function '{{.*}}_decode_merge'
// PTXAS-NOT: {{[1-9][0-9]* bytes spill}}

// SYMS-DAG: T _mlir_ciface_attention_f16_d64
// SYMS-DAG: R attnc_signature_decode_paged_f16
// SYMS-DAG: R attnc_target
// SYMS-DAG: T attnc_cuda_last_error

func.func @attention_f16_d64(%q: tensor<2x8x77x64xf16>, %k: tensor<2x2x100x64xf16>, %v: tensor<2x2x100x64xf16>, %m: tensor<2x1x77x100xf16>) -> tensor<2x8x77x64xf16> {
  %e = tensor.empty() : tensor<2x8x77x64xf16>
  %o = attn.attention causal window(32) softcap(20.0) ins(%q, %k, %v : tensor<2x8x77x64xf16>, tensor<2x2x100x64xf16>, tensor<2x2x100x64xf16>) mask(%m : tensor<2x1x77x100xf16>) outs(%e : tensor<2x8x77x64xf16>) -> tensor<2x8x77x64xf16>
  return %o : tensor<2x8x77x64xf16>
}

func.func @attention_bf16_d80(%q: tensor<1x4x64x80xbf16>, %k: tensor<1x4x64x80xbf16>, %v: tensor<1x4x64x80xbf16>, %m: tensor<1x1x1x64xi1>) -> tensor<1x4x64x80xbf16> {
  %e = tensor.empty() : tensor<1x4x64x80xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x64x80xbf16>, tensor<1x4x64x80xbf16>, tensor<1x4x64x80xbf16>) mask(%m : tensor<1x1x1x64xi1>) outs(%e : tensor<1x4x64x80xbf16>) -> tensor<1x4x64x80xbf16>
  return %o : tensor<1x4x64x80xbf16>
}

func.func @attention_f16_d96_dv64(%q: tensor<1x4x33x96xf16>, %k: tensor<1x1x50x96xf16>, %v: tensor<1x1x50x64xf16>) -> tensor<1x4x33x64xf16> {
  %e = tensor.empty() : tensor<1x4x33x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x33x96xf16>, tensor<1x1x50x96xf16>, tensor<1x1x50x64xf16>) outs(%e : tensor<1x4x33x64xf16>) -> tensor<1x4x33x64xf16>
  return %o : tensor<1x4x33x64xf16>
}

func.func @attention_bf16_d128(%q: tensor<?x16x?x128xbf16>, %k: tensor<?x16x?x128xbf16>, %v: tensor<?x16x?x128xbf16>, %o0: tensor<?x16x?x128xbf16>) -> tensor<?x16x?x128xbf16> {
  %o = attn.attention causal ins(%q, %k, %v : tensor<?x16x?x128xbf16>, tensor<?x16x?x128xbf16>, tensor<?x16x?x128xbf16>) outs(%o0 : tensor<?x16x?x128xbf16>) -> tensor<?x16x?x128xbf16>
  return %o : tensor<?x16x?x128xbf16>
}

func.func @attention_f16_d256(%q: tensor<1x2x100x256xf16>, %k: tensor<1x2x100x256xf16>, %v: tensor<1x2x100x256xf16>) -> tensor<1x2x100x256xf16> {
  %e = tensor.empty() : tensor<1x2x100x256xf16>
  %o = attn.attention causal ins(%q, %k, %v : tensor<1x2x100x256xf16>, tensor<1x2x100x256xf16>, tensor<1x2x100x256xf16>) outs(%e : tensor<1x2x100x256xf16>) -> tensor<1x2x100x256xf16>
  return %o : tensor<1x2x100x256xf16>
}

func.func @attention_f32_d128(%q: tensor<1x4x40x128xf32>, %k: tensor<1x4x60x128xf32>, %v: tensor<1x4x60x128xf32>, %m: tensor<1x4x40x60xf32>) -> tensor<1x4x40x128xf32> {
  %e = tensor.empty() : tensor<1x4x40x128xf32>
  %o = attn.attention window(8) ins(%q, %k, %v : tensor<1x4x40x128xf32>, tensor<1x4x60x128xf32>, tensor<1x4x60x128xf32>) mask(%m : tensor<1x4x40x60xf32>) outs(%e : tensor<1x4x40x128xf32>) -> tensor<1x4x40x128xf32>
  return %o : tensor<1x4x40x128xf32>
}

func.func @attention_f32_d256(%q: tensor<1x2x20x256xf32>, %k: tensor<1x2x20x256xf32>, %v: tensor<1x2x20x256xf32>) -> tensor<1x2x20x256xf32> {
  %e = tensor.empty() : tensor<1x2x20x256xf32>
  %o = attn.attention causal ins(%q, %k, %v : tensor<1x2x20x256xf32>, tensor<1x2x20x256xf32>, tensor<1x2x20x256xf32>) outs(%e : tensor<1x2x20x256xf32>) -> tensor<1x2x20x256xf32>
  return %o : tensor<1x2x20x256xf32>
}

func.func @decode_contiguous_f16(%q: tensor<4x32x1x128xf16>, %k: tensor<4x8x4096x128xf16>, %v: tensor<4x8x4096x128xf16>, %lens: tensor<4xi32>) -> tensor<4x32x1x128xf16> {
  %e = tensor.empty() : tensor<4x32x1x128xf16>
  %o = attn.decode_attention causal ins(%q, %k, %v : tensor<4x32x1x128xf16>, tensor<4x8x4096x128xf16>, tensor<4x8x4096x128xf16>) seq_lens(%lens : tensor<4xi32>) outs(%e : tensor<4x32x1x128xf16>) -> tensor<4x32x1x128xf16>
  return %o : tensor<4x32x1x128xf16>
}

func.func @decode_paged_f16(%q: tensor<2x8x4x64xf16>, %k: tensor<64x2x16x64xf16>, %v: tensor<64x2x16x64xf16>, %lens: tensor<2xi64>, %table: tensor<2x32xi32>) -> tensor<2x8x4x64xf16> {
  %e = tensor.empty() : tensor<2x8x4x64xf16>
  %o = attn.decode_attention causal window(100) ins(%q, %k, %v : tensor<2x8x4x64xf16>, tensor<64x2x16x64xf16>, tensor<64x2x16x64xf16>) seq_lens(%lens : tensor<2xi64>) block_table(%table : tensor<2x32xi32>) outs(%e : tensor<2x8x4x64xf16>) -> tensor<2x8x4x64xf16>
  return %o : tensor<2x8x4x64xf16>
}

func.func @decode_f32(%q: tensor<1x4x1x64xf32>, %k: tensor<1x4x512x64xf32>, %v: tensor<1x4x512x64xf32>, %lens: tensor<1xi32>) -> tensor<1x4x1x64xf32> {
  %e = tensor.empty() : tensor<1x4x1x64xf32>
  %o = attn.decode_attention softcap(50.0) ins(%q, %k, %v : tensor<1x4x1x64xf32>, tensor<1x4x512x64xf32>, tensor<1x4x512x64xf32>) seq_lens(%lens : tensor<1xi32>) outs(%e : tensor<1x4x1x64xf32>) -> tensor<1x4x1x64xf32>
  return %o : tensor<1x4x1x64xf32>
}
