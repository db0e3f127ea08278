// A library named by a relative path without a '/' is the file in the
// current directory, as any other input file; dlopen() alone would search
// the library path instead ("cannot open shared object file").

// RUN: rm -rf %t && mkdir -p %t
// RUN: attnc compile %s -o %t/lib.so
// RUN: cd %t && attnc-run call lib.so --function f --input "2xf32=1 2" 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=error:
// RUN: cd %t && attnc-run call ./lib.so --function f --input "2xf32=1 2" 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=error:
// CHECK: result[0]: tensor<2xf32> [1, 2]
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
