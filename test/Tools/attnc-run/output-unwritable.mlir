// An --output file that cannot be written: one line, the file named once
// (it was named twice: "--output @F: F: cannot open file for writing").

// RUN: not attnc-run call %s --input 2xf32=1 --output @%t.no-such-dir/out.npy 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=error:
// CHECK: {{^}}attnc-run: error: {{(--output @)?}}{{[^ ]*}}.no-such-dir/out.npy: cannot open file for writing: No such file or directory{{$}}
func.func @identity(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
