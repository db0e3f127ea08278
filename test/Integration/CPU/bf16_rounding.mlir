// f32 -> bf16 (attnc-expand-bf16-truncation): round to nearest even on the
// bits, NaN stays NaN of its sign, and code for a target without
// AVX512-BF16 needs no compiler-rt helper (a library that called
// __truncsfbf2 did not load). Checked bit for bit against numpy on random
// values and on the edges: halfway cases (even and odd), the largest
// finite values (round to inf), infinities, zeros, subnormals, and NaNs
// whose rounding would carry into the sign (0x7fffffff, 0xffffffff).

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/bf16_rounding.py inputs %t
// RUN: attnc-run call %s --function to_bf16 --input @%t/x.npy --output @%t/jit.npy
// RUN: attnc compile %s --target-features=-avx512f -o %t/avx2.so
// RUN: attnc-run call %t/avx2.so --function to_bf16 --input @%t/x.npy --output @%t/avx2.npy
// RUN: attnc compile %s -o %t/host.so
// RUN: attnc-run call %t/host.so --function to_bf16 --input @%t/x.npy --output @%t/host.npy
// RUN: %python %S/bf16_rounding.py check %t jit avx2 host | FileCheck %s
// CHECK: jit: 4096 values, 0 differ
// CHECK: avx2: 4096 values, 0 differ
// CHECK: host: 4096 values, 0 differ

func.func @to_bf16(%x: tensor<4096xf32>) -> tensor<4096xbf16> {
  %init = tensor.empty() : tensor<4096xbf16>
  %y = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%x : tensor<4096xf32>) outs(%init : tensor<4096xbf16>) {
  ^bb0(%a: f32, %out: bf16):
    %r = arith.truncf %a : f32 to bf16
    linalg.yield %r : bf16
  } -> tensor<4096xbf16>
  return %y : tensor<4096xbf16>
}
