// `attnc-run call --repeat N` times N runs after a warm-up run that is not
// timed (first-touch page faults, libomp starting its threads, cold
// caches), and says so (issue 13, item 9); one run without --repeat.
// The JIT and a compiled library alike.

// RUN: attnc-run call %s --input "4xf32=1 2 3 4" --repeat 3 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPEAT
// RUN: attnc compile %s -o %t.so
// RUN: attnc-run call %t.so --input "4xf32=1 2 3 4" --repeat 3 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPEAT
// REPEAT: {{^}}result[0]: tensor<4xf32> [2, 4, 6, 8]{{$}}
// REPEAT-NEXT: {{^}}@double ran in {{[0-9]+\.[0-9][0-9][0-9]}} ms (median of 3 runs after a warm-up run){{$}}
// RUN: attnc-run call %s --input "4xf32=1 2 3 4" --repeat 1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ONCE
// ONCE: {{^}}@double ran in {{[0-9.]+}} ms (median of 1 run after a warm-up run){{$}}
// RUN: attnc-run call %s --input "4xf32=1 2 3 4" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PLAIN
// PLAIN: {{^}}@double ran in {{[0-9.]+}} ms{{$}}
func.func @double(%a: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.add ins(%a, %a : tensor<4xf32>, tensor<4xf32>)
      outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
