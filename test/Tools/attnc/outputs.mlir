// `attnc compile` writes what the output extension names: a shared library
// (.so), an object file (.o), LLVM IR (.ll) or the lowered LLVM dialect
// (.mlir). Each exports _mlir_ciface_<f> and attnc_signature_<f> for every
// public function, and nothing for private ones.

// RUN: attnc compile %s --target=cpu -o %t.so
// RUN: llvm-nm -D --defined-only %t.so | FileCheck %s --check-prefix=SO
// SO-DAG: T _mlir_ciface_scale
// SO-DAG: R attnc_signature_scale
// SO-NOT: _mlir_ciface_helper
// SO-NOT: attnc_signature_helper

// RUN: attnc compile %s -o %t.o
// RUN: llvm-nm %t.o | FileCheck %s --check-prefix=OBJ
// OBJ-DAG: T _mlir_ciface_scale
// OBJ-DAG: R attnc_signature_scale
// OBJ-NOT: attnc_signature_helper

// RUN: attnc compile %s -o %t.ll
// RUN: FileCheck %s --check-prefix=LL --input-file=%t.ll
// LL-DAG: @attnc_signature_scale = {{.*}}constant [46 x i8] c"(tensor<f32>, tensor<4xf32>) -> tensor<4xf32>\00"
// LL-DAG: define {{.*}}void @_mlir_ciface_scale(ptr {{.*}}, ptr {{.*}}, ptr {{.*}})
// LL-NOT: attnc_signature_helper
// LL-NOT: _mlir_ciface_helper

// RUN: attnc compile %s -o %t.lowered.mlir
// RUN: FileCheck %s --check-prefix=MLIR --input-file=%t.lowered.mlir \
// RUN:   --implicit-check-not='{{^ *(%[^ ]+ = )?(arith|math|memref|tensor|linalg|scf|cf|func)\.}}'
// MLIR-DAG: llvm.func @_mlir_ciface_scale(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// MLIR-DAG: llvm.mlir.global external constant @attnc_signature_scale("(tensor<f32>, tensor<4xf32>) -> tensor<4xf32>\00")
// MLIR-NOT: _mlir_ciface_helper
// The lowered module is what `attnc-opt --attnc-cpu-pipeline` produces.
// RUN: attnc-opt %s --attnc-cpu-pipeline -o %t.pipeline.mlir
// RUN: diff -B %t.lowered.mlir %t.pipeline.mlir

// The library runs, and so does one built for an explicit CPU and features.
// RUN: attnc compile %s --target-cpu=x86-64-v3 --target-features=+avx2,+fma -o %t.v3.so
// RUN: attnc-run call %t.so --function scale --input f32=2 --input "4xf32=1 2 3 4" \
// RUN:   | FileCheck %s --check-prefix=CALL
// RUN: attnc-run call %t.v3.so --function scale --input f32=2 --input "4xf32=1 2 3 4" \
// RUN:   | FileCheck %s --check-prefix=CALL
// CALL: result[0]: tensor<4xf32> [2, 4, 6, 8]
func.func @scale(%s: tensor<f32>, %a: tensor<4xf32>) -> tensor<4xf32> {
  %r = func.call @helper(%s, %a) : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
func.func private @helper(%s: tensor<f32>, %a: tensor<4xf32>) -> tensor<4xf32> {
  %x = tensor.extract %s[] : tensor<f32>
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
      iterator_types = ["parallel"]}
      ins(%a : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %x : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}
