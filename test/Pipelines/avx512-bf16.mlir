// attnc-cpu-pipeline's avx512-bf16 option decides whether bf16 attention
// runs on vdpbf16ps: with it, the LLVM dialect calls the AVX512-BF16
// intrinsics (dot products and f32 -> bf16 rounding of P); without it, no
// AVX512-BF16 intrinsic appears (bf16 is widened with integer shifts), so
// that code for a CPU without the feature never contains them. f16 never
// uses them. (The default, -1, follows the host; attnc compile sets it from
// --target-cpu / --target-features.)

// RUN: attnc-opt %s -split-input-file \
// RUN:   --attnc-cpu-pipeline="avx512-bf16=1 export-functions=0" \
// RUN:   | FileCheck %s --check-prefix=ON
// RUN: attnc-opt %s -split-input-file \
// RUN:   --attnc-cpu-pipeline="avx512-bf16=0 export-functions=0" \
// RUN:   | FileCheck %s --check-prefix=OFF

// ON-LABEL: llvm.func @bf16(
// ON: llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"
// ON: llvm.call_intrinsic "llvm.x86.avx512bf16.cvtneps2bf16.512"
// ON: llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"
// OFF-LABEL: llvm.func @bf16(
// OFF-NOT: avx512bf16
// OFF: llvm.return
func.func @bf16(%q: tensor<1x2x40x64xbf16>, %k: tensor<1x2x40x64xbf16>,
                %v: tensor<1x2x40x64xbf16>) -> tensor<1x2x40x64xbf16> {
  %init = tensor.empty() : tensor<1x2x40x64xbf16>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x40x64xbf16>, tensor<1x2x40x64xbf16>,
          tensor<1x2x40x64xbf16>)
      outs(%init : tensor<1x2x40x64xbf16>) -> tensor<1x2x40x64xbf16>
  return %o : tensor<1x2x40x64xbf16>
}

// -----

// ON-LABEL: llvm.func @f16(
// ON-NOT: avx512bf16
// ON: llvm.return
// OFF-LABEL: llvm.func @f16(
// OFF-NOT: avx512bf16
// OFF: llvm.return
func.func @f16(%q: tensor<1x2x40x64xf16>, %k: tensor<1x2x40x64xf16>,
               %v: tensor<1x2x40x64xf16>) -> tensor<1x2x40x64xf16> {
  %init = tensor.empty() : tensor<1x2x40x64xf16>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x2x40x64xf16>, tensor<1x2x40x64xf16>,
          tensor<1x2x40x64xf16>)
      outs(%init : tensor<1x2x40x64xf16>) -> tensor<1x2x40x64xf16>
  return %o : tensor<1x2x40x64xf16>
}
