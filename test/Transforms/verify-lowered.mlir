// RUN: attnc-opt %s -split-input-file -allow-unregistered-dialect \
// RUN:   -attnc-verify-lowered -verify-diagnostics | FileCheck %s

// A module of LLVM dialect ops only, calling nothing but libc and libm,
// passes unchanged.

// CHECK-DAG: llvm.func @malloc(i64) -> !llvm.ptr
// CHECK-DAG: llvm.func @free(!llvm.ptr)
// CHECK-DAG: llvm.func @expf(f32) -> f32
// CHECK-LABEL: llvm.func @add
// CHECK: llvm.add
// CHECK: llvm.return
// CHECK: llvm.mlir.global external constant @attnc_signature_add
llvm.func @malloc(i64) -> !llvm.ptr
llvm.func @free(!llvm.ptr)
llvm.func @expf(f32) -> f32
llvm.func @add(%a: i64, %b: i64) -> i64 {
  %0 = llvm.add %a, %b : i64
  llvm.return %0 : i64
}
llvm.mlir.global external constant @attnc_signature_add("() -> ()\00") {addr_space = 0 : i32}

// -----

// A function that was never converted: its body is reported before it.

// expected-error @+1 {{'func.func' was not lowered to the LLVM dialect}}
func.func @not_lowered(%a: i64) -> i64 {
  // expected-error @+1 {{'func.return' was not lowered to the LLVM dialect}}
  return %a : i64
}

// -----

// A leftover op inside an otherwise lowered function.

llvm.func @mixed(%a: i64, %b: i64) -> i64 {
  // expected-error @+1 {{'arith.addi' was not lowered to the LLVM dialect}}
  %0 = arith.addi %a, %b : i64
  llvm.return %0 : i64
}

// -----

// What a partial conversion typically leaves behind.

llvm.func @cast(%a: i64) -> i64 {
  // expected-error @+1 {{'builtin.unrealized_conversion_cast' was not lowered to the LLVM dialect}}
  %0 = builtin.unrealized_conversion_cast %a : i64 to index
  // expected-error @+1 {{'builtin.unrealized_conversion_cast' was not lowered to the LLVM dialect}}
  %1 = builtin.unrealized_conversion_cast %0 : index to i64
  llvm.return %1 : i64
}

// -----

llvm.func @unregistered() {
  // expected-error @+1 {{'foo.bar' was not lowered to the LLVM dialect}}
  "foo.bar"() : () -> ()
  llvm.return
}

// -----

// A function compiled code would call but nothing provides: MLIR's runner
// utilities and compiler-rt are not linked.

// expected-error @+1 {{compiled code calls @memrefCopy, which neither the module nor libc/libm provides}}
llvm.func @memrefCopy(i64, !llvm.ptr, !llvm.ptr)
// expected-error @+1 {{compiled code calls @__truncsfbf2, which neither the module nor libc/libm provides}}
llvm.func @__truncsfbf2(f32) -> i16

// -----

// Reporting stops after ten ops: the eleventh and twelfth are not reported.

llvm.func @many(%a: f32) -> f32 {
  // expected-error @+1 {{'math.exp' was not lowered}}
  %0 = math.exp %a : f32
  // expected-error @+1 {{'math.exp' was not lowered}}
  %1 = math.exp %0 : f32
  // expected-error @+1 {{'math.exp' was not lowered}}
  %2 = math.exp %1 : f32
  // expected-error @+1 {{'math.exp' was not lowered}}
  %3 = math.exp %2 : f32
  // expected-error @+1 {{'math.exp' was not lowered}}
  %4 = math.exp %3 : f32
  // expected-error @+1 {{'math.exp' was not lowered}}
  %5 = math.exp %4 : f32
  // expected-error @+1 {{'math.exp' was not lowered}}
  %6 = math.exp %5 : f32
  // expected-error @+1 {{'math.exp' was not lowered}}
  %7 = math.exp %6 : f32
  // expected-error @+1 {{'math.exp' was not lowered}}
  %8 = math.exp %7 : f32
  // expected-error @+1 {{'math.exp' was not lowered}}
  %9 = math.exp %8 : f32
  %10 = math.exp %9 : f32
  %11 = math.exp %10 : f32
  llvm.return %11 : f32
}
