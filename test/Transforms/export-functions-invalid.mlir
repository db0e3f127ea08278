// RUN: attnc-opt %s -split-input-file -attnc-export-functions -verify-diagnostics

// A scalar crosses the ABI as a 0-d tensor, never as a bare f32.

// expected-error @+1 {{cannot export @scalar_argument: argument #1 has type 'f32'; exported functions take and return ranked tensors of f16, bf16, f32, f64, i1, i8, i32 or i64 (use tensor<f32> for a scalar)}}
func.func @scalar_argument(%a: tensor<4xf32>, %s: f32) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// -----

// expected-error @+1 {{cannot export @unranked: argument #0 has type 'tensor<*xf32>'; exported functions take and return ranked tensors of}}
func.func @unranked(%a: tensor<*xf32>) -> tensor<4xf32> {
  %0 = tensor.cast %a : tensor<*xf32> to tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{cannot export @complex_element: argument #0 has type 'tensor<4xcomplex<f32>>'; exported functions take and return ranked tensors of}}
func.func @complex_element(%a: tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>> {
  return %a : tensor<4xcomplex<f32>>
}

// -----

// expected-error @+1 {{cannot export @index_element: argument #0 has type 'tensor<4xindex>'}}
func.func @index_element(%a: tensor<4xindex>) -> tensor<4xindex> {
  return %a : tensor<4xindex>
}

// -----

// The descriptor the runtime builds is row-major contiguous: a strided
// layout cannot be described by the signature.

// expected-error @+1 {{cannot export @strided_memref: argument #0 has type 'memref<4x8xf32, strided<[16, 1]>>'; exported functions take and return ranked tensors of}}
func.func @strided_memref(%a: memref<4x8xf32, strided<[16, 1]>>) {
  return
}

// -----

// expected-error @+1 {{cannot export @vector_argument: argument #0 has type 'vector<4xf32>'}}
func.func @vector_argument(%a: vector<4xf32>) {
  return
}

// -----

// A bad result is reported as a result, with its position.

// expected-error @+1 {{cannot export @bad_result: result #1 has type 'i64'; exported functions take and return ranked tensors of}}
func.func @bad_result(%a: tensor<4xf32>) -> (tensor<4xf32>, i64) {
  %c = arith.constant 4 : i64
  return %a, %c : tensor<4xf32>, i64
}

// -----

// expected-error @+1 {{cannot export @i16_result: result #0 has type 'tensor<2xi16>'}}
func.func @i16_result() -> tensor<2xi16> {
  %c = arith.constant dense<1> : tensor<2xi16>
  return %c : tensor<2xi16>
}

// -----

// The ABI's integers are signless: a ui8 or si32 tensor is not an i8 or i32
// one (the runtime would read ui8 data as signed i8 and reject a '|u1' file
// for it).

// expected-error @+1 {{cannot export @unsigned_element: argument #0 has type 'tensor<3xui8>'}}
func.func @unsigned_element(%a: tensor<3xui8>) -> tensor<3xui8> {
  return %a : tensor<3xui8>
}

// -----

// expected-error @+1 {{cannot export @signed_element: result #0 has type 'tensor<3xsi32>'}}
func.func @signed_element(%a: tensor<3xi32>) -> tensor<3xsi32> {
  %0 = tensor.bitcast %a : tensor<3xi32> to tensor<3xsi32>
  return %0 : tensor<3xsi32>
}

// -----

// Every non-exportable function is reported, not only the first; private
// ones are not checked.

func.func private @private_is_fine(%s: f32) -> f32 {
  return %s : f32
}
// expected-error @+1 {{cannot export @first: argument #0 has type 'i32'}}
func.func @first(%s: i32) {
  return
}
// expected-error @+1 {{cannot export @second: result #0 has type 'f32'}}
func.func @second() -> f32 {
  %c = arith.constant 1.0 : f32
  return %c : f32
}
