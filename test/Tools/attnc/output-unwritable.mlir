// An output path that cannot be written: one line "attnc: error: ...", exit
// status 1, for every output kind. For .so the linker's own messages
// ("/usr/bin/ld: cannot open output file ...", "clang-22: error: linker
// command failed ...") leaked before attnc's line.

// RUN: not attnc compile %s -o %t.no-such-dir/out.o 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OBJ --implicit-check-not=error:
// OBJ: {{^}}attnc: error: cannot write '{{[^ ]*}}.no-such-dir/out.o': No such file or directory{{$}}
// RUN: not attnc compile %s -o %t.no-such-dir/out.ll 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LL --implicit-check-not=error:
// LL: {{^}}attnc: error: cannot write '{{[^ ]*}}.no-such-dir/out.ll': No such file or directory{{$}}
// RUN: not attnc compile %s -o %t.no-such-dir/out.mlir 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MLIR --implicit-check-not=error:
// MLIR: {{^}}attnc: error: {{.*}}'{{[^ ]*}}.no-such-dir/out.mlir': No such file or directory{{$}}
// RUN: not attnc compile %s -o %t.no-such-dir/out.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SO --implicit-check-not=error: \
// RUN:       --implicit-check-not=ld:
// SO: {{^}}attnc: error: {{.*}}'{{[^ ]*}}.no-such-dir/out.so'{{.*}}{{$}}
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
