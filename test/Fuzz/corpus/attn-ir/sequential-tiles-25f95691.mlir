func.func @main() {
  %q = arith.constant dense<1.0> : tensor<1x64x2048x16xf32>
  %k = arith.constant dense<1.0> : tensor<1x64x16x16xf32>
  %v = arith.constant dense<2.0> : tensor<1x64x16x16xf32>
  %o0 = tensor.empty() : tensor<1x64x2048x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x64x2048x16xf32>, tensor<1x64x16x16xf32>, tensor<1x64x16x16xf32>)
      outs(%o0 : tensor<1x64x2048x16xf32>) -> tensor<1x64x2048x16xf32>
  %c0 = arith.constant 0 : index
  %c63 = arith.constant 63 : index
  %c2047 = arith.constant 2047 : index
  %c15 = arith.constant 15 : index
  %x = tensor.extract %o[%c0, %c63, %c2047, %c15] : tensor<1x64x2048x16xf32>
  %two = arith.constant 2.0 : f32
  %ok = arith.cmpf oeq, %x, %two : f32
  cf.assert %ok, "wrong attention result"
  return
}
