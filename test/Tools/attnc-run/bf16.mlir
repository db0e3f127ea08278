// numpy has no bf16: attnc-run reads a '<u2' .npy file of bf16 bit patterns
// when the signature says bf16, and writes bf16 results the same way. The bit
// patterns here are the top halves of f32 values: 0.5 = 0x3F00, 1.5 = 0x3FC0,
// -2 = 0xC000, 3 = 0x4040, 4 = 0x4080, 2^100 = 0x7180.

// RUN: %python -c "import numpy; numpy.save('%t.in.npy', numpy.array([[0x3F00, 0x3FC0, 0xC000], [0x4040, 0x4080, 0x7180]], dtype=numpy.uint16))"
// RUN: attnc-run call %s --function copy --input @%t.in.npy \
// RUN:   | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: result[0]: tensor<2x3xbf16> [0.5, 1.5, -2, 3, 4, 1.26765e+30]
// RUN: attnc-run call %s --function copy --input @%t.in.npy --output @%t.out.npy
// RUN: %python -c "import numpy; a = numpy.load('%t.out.npy'); print(a.dtype, a.shape, [hex(x) for x in a.ravel().tolist()])" \
// RUN:   | FileCheck %s --check-prefix=NPY
// NPY: uint16 (2, 3) ['0x3f00', '0x3fc0', '0xc000', '0x4040', '0x4080', '0x7180']

// A bf16 literal is rounded from the decimal value.
// RUN: attnc-run call %s --function copy --input "2x3xbf16=1 2 3 0.1 -0 1e38" \
// RUN:   | FileCheck %s --check-prefix=LITERAL
// LITERAL: result[0]: tensor<2x3xbf16> [1, 2, 3, 0.100098, -0, 9.96921e+37]

// A '<u2' file is bf16 only where bf16 is expected; bf16 is not f16.
// RUN: not attnc-run call %s --function copy_f16 --input @%t.in.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=U2-FOR-F16 --implicit-check-not=error:
// U2-FOR-F16: {{^}}attnc-run: error: {{.*}}.in.npy: dtype '<u2' (uint16) is only read as bf16, when bf16 is the expected dtype{{$}}
// RUN: not attnc-run call %s --function copy_f16 --input "2x3xbf16=1" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BF16-FOR-F16 --implicit-check-not=error:
// BF16-FOR-F16: {{^}}attnc-run: error: input 0 (2x3xbf16=1) of @copy_f16: expected tensor<2x3xf16>, got tensor<2x3xbf16>{{$}}
// RUN: %python -c "import numpy; numpy.save('%t.f16.npy', numpy.ones((2, 3), dtype=numpy.float16))"
// RUN: not attnc-run call %s --function copy --input @%t.f16.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=F16-FOR-BF16 --implicit-check-not=error:
// F16-FOR-BF16: {{^}}attnc-run: error: {{.*}}.f16.npy: expected dtype bf16, but the file holds f16 ('<f2'){{$}}

func.func @copy(%a: tensor<2x3xbf16>) -> tensor<2x3xbf16> {
  %e = tensor.empty() : tensor<2x3xbf16>
  %r = linalg.copy ins(%a : tensor<2x3xbf16>) outs(%e : tensor<2x3xbf16>) -> tensor<2x3xbf16>
  return %r : tensor<2x3xbf16>
}
func.func @copy_f16(%a: tensor<2x3xf16>) -> tensor<2x3xf16> {
  return %a : tensor<2x3xf16>
}
