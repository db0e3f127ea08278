// `attnc-run call --repeat N` times N runs after a warm-up run that is not
// timed (first-touch page faults, libomp starting its threads, cold
// caches), and says so (issue 13, item 9); one run without --repeat.
// The JIT and a compiled library alike.

// RUN: attnc-run call %s --function double --input "4xf32=1 2 3 4" --repeat 3 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPEAT
// RUN: attnc compile %s -o %t.so
// RUN: attnc-run call %t.so --function double --input "4xf32=1 2 3 4" --repeat 3 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPEAT
// REPEAT: {{^}}result[0]: tensor<4xf32> [2, 4, 6, 8]{{$}}
// REPEAT-NEXT: {{^}}@double ran in {{[0-9]+\.[0-9][0-9][0-9]}} ms (median of 3 runs after a warm-up run){{$}}
// RUN: attnc-run call %s --function double --input "4xf32=1 2 3 4" --repeat 1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ONCE
// ONCE: {{^}}@double ran in {{[0-9.]+}} ms (median of 1 run after a warm-up run){{$}}
// RUN: attnc-run call %s --function double --input "4xf32=1 2 3 4" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PLAIN
// PLAIN: {{^}}@double ran in {{[0-9.]+}} ms{{$}}
// From the second run on, each run computes into the previous run's
// results (the destination-passing entry point, as a C caller keeping its
// buffers): a result accumulated over a fill must not add up the runs.
// RUN: attnc-run call %s --function accumulate --input "2x3xf32=1 2 3 4 5 6" \
// RUN:   --input "3x2xf32=1 0 0 1 1 1" --repeat 3 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ACC
// RUN: attnc-run call %t.so --function accumulate \
// RUN:   --input "2x3xf32=1 2 3 4 5 6" --input "3x2xf32=1 0 0 1 1 1" \
// RUN:   --repeat 3 2>&1 | FileCheck %s --check-prefix=ACC
// ACC: {{^}}result[0]: tensor<2x2xf32> [4, 5, 10, 11]{{$}}
func.func @accumulate(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %r = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x2xf32>)
      outs(%z : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

func.func @double(%a: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.add ins(%a, %a : tensor<4xf32>, tensor<4xf32>)
      outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
