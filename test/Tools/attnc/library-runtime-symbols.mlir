// A compiled library must load wherever libc and libm are (docs/abi.md: "The
// library links only libc and libm"). bf16 arithmetic needs __truncsfbf2 and
// paged kv_append's strided copies call memrefCopy; neither was defined, so
// dlopen failed: "undefined symbol: __truncsfbf2" / "memrefCopy".

// RUN: attnc compile %s -o %t.so
// RUN: llvm-nm -D --undefined-only %t.so | FileCheck %s --check-prefix=UNDEFINED
// UNDEFINED-NOT: __truncsfbf2
// UNDEFINED-NOT: memrefCopy

// Bit patterns of 0.5, 1.5, -2, 3 (see test/Tools/attnc-run/bf16.mlir).
// RUN: %python -c "import numpy; numpy.save('%t.in.npy', numpy.array([0x3F00, 0x3FC0, 0xC000, 0x4040], dtype=numpy.uint16))"
// RUN: attnc-run call %t.so --function add_bf16 --input @%t.in.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BF16 --implicit-check-not=error:
// BF16: result[0]: tensor<4xbf16> [1, 3, -4, 6]
func.func @add_bf16(%a: tensor<4xbf16>) -> tensor<4xbf16> {
  %e = tensor.empty() : tensor<4xbf16>
  %r = linalg.add ins(%a, %a : tensor<4xbf16>, tensor<4xbf16>)
      outs(%e : tensor<4xbf16>) -> tensor<4xbf16>
  return %r : tensor<4xbf16>
}

// The case of test/Tools/attnc-run/kv-append-paged.mlir.
// RUN: attnc-run call %t.so --function kv_append_paged \
// RUN:   --input "2x1x3x2xf32=1 1 2 2 3 3 4 4 5 5 6 6" \
// RUN:   --input "2x1x3x2xf32=10 10 20 20 30 30 40 40 50 50 60 60" \
// RUN:   --input "2xi32=0 1" --input "2x2xi32=3 0 1 2" \
// RUN:   --input 4x1x2x2xf32=-1 --input 4x1x2x2xf32=-1 --print-values=16 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PAGED --implicit-check-not=error:
// PAGED: result[0]: tensor<4x1x2x2xf32> [3, 3, -1, -1, -1, -1, 4, 4, 5, 5, 6, 6, 1, 1, 2, 2]
// PAGED-NEXT: result[1]: tensor<4x1x2x2xf32> [30, 30, -1, -1, -1, -1, 40, 40, 50, 50, 60, 60, 10, 10, 20, 20]
func.func @kv_append_paged(%k: tensor<2x1x3x2xf32>, %v: tensor<2x1x3x2xf32>,
    %start: tensor<2xi32>, %table: tensor<2x2xi32>, %kc: tensor<4x1x2x2xf32>,
    %vc: tensor<4x1x2x2xf32>) -> (tensor<4x1x2x2xf32>, tensor<4x1x2x2xf32>) {
  %kc1, %vc1 = attn.kv_append ins(%k, %v : tensor<2x1x3x2xf32>, tensor<2x1x3x2xf32>)
      at(%start : tensor<2xi32>) block_table(%table : tensor<2x2xi32>)
      outs(%kc, %vc : tensor<4x1x2x2xf32>, tensor<4x1x2x2xf32>)
      -> tensor<4x1x2x2xf32>, tensor<4x1x2x2xf32>
  return %kc1, %vc1 : tensor<4x1x2x2xf32>, tensor<4x1x2x2xf32>
}
