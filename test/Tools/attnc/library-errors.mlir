// `attnc-run call lib.so` errors: the library and the function in it.
// Exit status 1 and one line "attnc-run: error: ...".

// RUN: attnc compile %s -o %t.so

// A library with one function runs it without --function (see
// test/Tools/attnc-run/function-names.mlir for several).
// RUN: attnc-run call %t.so --input 2xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-FUNCTION --implicit-check-not=error:
// NO-FUNCTION: result[0]: tensor<2xf32>

// Unknown and private functions have no signature symbol.
// RUN: not attnc-run call %t.so --function nope 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNKNOWN --implicit-check-not=error:
// UNKNOWN: {{^}}attnc-run: error: '{{[^ ]*}}.so' has no function @nope compiled by attnc (no attnc_signature_nope symbol) (available: @f){{$}}
// RUN: not attnc-run call %t.so --function helper --input 2xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=HELPER --implicit-check-not=error:
// HELPER: {{^}}attnc-run: error: '{{[^ ]*}}.so' has no function @helper compiled by attnc (no attnc_signature_helper symbol) (available: @f){{$}}

// What is not a loadable library.
// RUN: not attnc-run call %t.missing.so --function f 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING --implicit-check-not=error:
// MISSING: {{^}}attnc-run: error: cannot load '{{[^ ]*}}.missing.so': {{.*}}No such file or directory{{$}}
// RUN: cp %s %t.text.so
// RUN: not attnc-run call %t.text.so --function f 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOT-ELF --implicit-check-not=error:
// NOT-ELF: {{^}}attnc-run: error: cannot load '{{[^ ]*}}.text.so': {{.*}}{{$}}

// The library runs; its inputs are checked against the stored signature.
// RUN: attnc-run call %t.so --function f --input "2xf32=1 2" | FileCheck %s --check-prefix=RUN-F
// RUN-F: result[0]: tensor<2xf32> [2, 4]
// RUN: not attnc-run call %t.so --function f --input "3xf32=1" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SHAPE --implicit-check-not=error:
// SHAPE: {{^}}attnc-run: error: input 0 (3xf32=1) of @f: expected tensor<2xf32>, got tensor<3xf32>{{$}}
// RUN: not attnc-run call %t.so --function f --input "2xf32=1" --output - --output - 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OUTPUTS --implicit-check-not=error:
// OUTPUTS: {{^}}attnc-run: error: 2 --output given but @f has 1 result(s){{$}}
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  %r = func.call @helper(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}
func.func private @helper(%a: tensor<2xf32>) -> tensor<2xf32> {
  %e = tensor.empty() : tensor<2xf32>
  %r = linalg.add ins(%a, %a : tensor<2xf32>, tensor<2xf32>)
      outs(%e : tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}
