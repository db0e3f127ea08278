// bf16 arithmetic computes in f32 and rounds back with __truncsfbf2, a
// compiler-runtime routine: the JIT must resolve it. While it did not, every
// function of a module with bf16 arithmetic failed to materialize, the f32
// one too, with a raw ORC error naming every symbol of the module.

// RUN: attnc-run call %s --function add_f32 --input "2xf32=1 2" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=F32 --implicit-check-not=error:
// F32: result[0]: tensor<2xf32> [2, 4]
func.func @add_f32(%a: tensor<2xf32>) -> tensor<2xf32> {
  %e = tensor.empty() : tensor<2xf32>
  %r = linalg.add ins(%a, %a : tensor<2xf32>, tensor<2xf32>)
      outs(%e : tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// Bit patterns as in bf16.mlir: 0.5, 1.5, -2, 3, 4, 2^100; doubled exactly.
// RUN: %python -c "import numpy; numpy.save('%t.in.npy', numpy.array([[0x3F00, 0x3FC0, 0xC000], [0x4040, 0x4080, 0x7180]], dtype=numpy.uint16))"
// RUN: attnc-run call %s --function add_bf16 --input @%t.in.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BF16 --implicit-check-not=error:
// BF16: result[0]: tensor<2x3xbf16> [1, 3, -4, 6, 8, 2.5353e+30]
// RUN: attnc-run call %s --function add_bf16 --input @%t.in.npy --output @%t.out.npy
// RUN: %python -c "import numpy; a = numpy.load('%t.out.npy'); print(a.dtype, [hex(x) for x in a.ravel().tolist()])" \
// RUN:   | FileCheck %s --check-prefix=BF16-NPY
// BF16-NPY: uint16 ['0x3f80', '0x4040', '0xc080', '0x40c0', '0x4100', '0x7200']
func.func @add_bf16(%a: tensor<2x3xbf16>) -> tensor<2x3xbf16> {
  %e = tensor.empty() : tensor<2x3xbf16>
  %r = linalg.add ins(%a, %a : tensor<2x3xbf16>, tensor<2x3xbf16>)
      outs(%e : tensor<2x3xbf16>) -> tensor<2x3xbf16>
  return %r : tensor<2x3xbf16>
}
