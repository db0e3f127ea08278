// Executes the AOT flow exactly as a user types it from the directory that
// holds the library: `attnc compile k.mlir --target=cpu -o lib.so` and then
// `attnc-run call lib.so` with a bare file name (as `attnc-run call k.mlir`
// takes one), next to the `./lib.so` spelling. Values are literals: V is 1.5
// everywhere, so every output row of the softmax-weighted sum is 1.5.
//
// By hand: run the RUN lines below with %s = this file and %t = a scratch
// directory, tools from build/bin.
//
// RUN: rm -rf %t && mkdir -p %t && cd %t && attnc compile %s --target=cpu -o lib.so
// RUN: cd %t && attnc-run call ./lib.so --function f --input "1x1x2x4xf32=0.5" \
// RUN:   --input "1x1x3x4xf32=0.25" --input "1x1x3x4xf32=1.5" | FileCheck %s
// RUN: cd %t && attnc-run call lib.so --function f --input "1x1x2x4xf32=0.5" \
// RUN:   --input "1x1x3x4xf32=0.25" --input "1x1x3x4xf32=1.5" | FileCheck %s

// CHECK: result[0]: tensor<1x1x2x4xf32> [1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5]
func.func @f(%q: tensor<1x1x2x4xf32>, %k: tensor<1x1x3x4xf32>,
             %v: tensor<1x1x3x4xf32>) -> tensor<1x1x2x4xf32> {
  %o0 = tensor.empty() : tensor<1x1x2x4xf32>
  %o = attn.attention causal
      ins(%q, %k, %v : tensor<1x1x2x4xf32>, tensor<1x1x3x4xf32>,
                       tensor<1x1x3x4xf32>)
      outs(%o0 : tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>
  return %o : tensor<1x1x2x4xf32>
}
