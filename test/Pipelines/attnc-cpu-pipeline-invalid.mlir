// What the CPU pipeline cannot lower makes it fail at its last pass,
// attnc-verify-lowered, with each leftover op's location and name, instead
// of a later translation or link error.

// RUN: not attnc-opt %s -split-input-file -allow-unregistered-dialect \
// RUN:   --attnc-cpu-pipeline 2>&1 | FileCheck %s

// A GPU op on the CPU path; the cast that bridged it to its LLVM user is
// left over as well.
// CHECK: attnc-cpu-pipeline-invalid.mlir:[[# @LINE + 4]]:8: error: 'gpu.thread_id' was not lowered to the LLVM dialect
// CHECK: attnc-cpu-pipeline-invalid.mlir:[[# @LINE + 4]]:8: error: 'builtin.unrealized_conversion_cast' was not lowered to the LLVM dialect
func.func @thread_id(%a: tensor<i64>) -> tensor<i64> {
  %x = tensor.extract %a[] : tensor<i64>
  %t = gpu.thread_id x
  %i = arith.index_cast %t : index to i64
  %y = arith.addi %x, %i : i64
  %r = tensor.from_elements %y : tensor<i64>
  return %r : tensor<i64>
}

// -----

// An op of an unregistered dialect stops the pipeline earlier, at buffer
// deallocation, which must know its memory effects: an error, not a crash.
// CHECK: attnc-cpu-pipeline-invalid.mlir:[[# @LINE + 3]]:8: error: ops with unknown memory side effects are not supported
func.func @unregistered(%a: tensor<f32>) -> tensor<f32> {
  %x = tensor.extract %a[] : tensor<f32>
  %y = "foo.op"(%x) : (f32) -> f32
  %r = tensor.from_elements %y : tensor<f32>
  return %r : tensor<f32>
}
