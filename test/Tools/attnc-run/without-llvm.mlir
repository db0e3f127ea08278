// attnc-run links no LLVM or MLIR shared library: `call lib.so` (and the
// model commands) run on the runtime alone, from any directory; `call
// module.mlir` loads the compiler from lib/AttncRunCompiler.so beside bin/,
// and where that plugin is missing says so in one line.

// RUN: llvm-readelf -d attnc-run | FileCheck %s --check-prefix=NEEDED \
// RUN:   --implicit-check-not=libLLVM --implicit-check-not=libMLIR
// NEEDED: (NEEDED) Shared library: [libc.so.6]

// RUN: rm -rf %t && mkdir -p %t/bin && cp attnc-run %t/bin/attnc-run
// RUN: attnc compile %s -o %t/twice.so
// RUN: %t/bin/attnc-run call %t/twice.so --input 2xf32=1.5 | FileCheck %s
// RUN: attnc-run call %s --input 2xf32=1.5 | FileCheck %s
// CHECK: result[0]: tensor<2xf32> [3, 3]

// RUN: not %t/bin/attnc-run call %s --input 2xf32=1.5 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-PLUGIN
// NO-PLUGIN: attnc-run: error: compiling '{{.*}}without-llvm.mlir' needs the compiler plugin: cannot load {{.*}}/lib/AttncRunCompiler.so: cannot open shared object file: No such file or directory

func.func @twice(%a: tensor<2xf32>) -> tensor<2xf32> {
  %e = tensor.empty() : tensor<2xf32>
  %r = linalg.add ins(%a, %a : tensor<2xf32>, tensor<2xf32>)
      outs(%e : tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}
