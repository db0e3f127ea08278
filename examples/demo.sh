#!/usr/bin/env bash
#===- examples/demo.sh - what attnc does today, end to end ------------------===#
#
# Usage: examples/demo.sh [BUILD_DIR]   (run by `tools/dev.sh demo`)
#
# 1. Verifies examples/attention_block.mlir (a Llama-style attention block in
#    the attn dialect) and lowers it through the reference path
#    (--attn-decompose), then through bufferization to the LLVM dialect and
#    LLVM IR, printing what each step produced.
# 2. Executes the reference lowering of attention variants on random inputs
#    (JIT through mlir-runner) and compares the results with an independent
#    float64 implementation.
#===------------------------------------------------------------------------===#

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${1:-$ROOT/build}
OPT=$BUILD_DIR/bin/attnc-opt
LLVM_BIN=/usr/lib/llvm-22/bin
EXAMPLE=$ROOT/examples/attention_block.mlir
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n\033[1m--- %s\033[0m\n' "$*"; }
count() { grep -c "$1" "$2" || true; }
elapsed_ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

step "Input: $(basename "$EXAMPLE")"
grep -oE 'attn\.[a-z_]+.*' "$EXAMPLE" | sed -E 's/ ?ins\(.*//; s/^/  /'
"$OPT" "$EXAMPLE" -o "$WORK/parsed.mlir"
echo "  verified: $(count 'attn\.' "$WORK/parsed.mlir") attn ops"

step "Reference lowering: attnc-opt --attn-decompose --canonicalize"
t0=$(date +%s%N)
"$OPT" "$EXAMPLE" --attn-decompose --canonicalize -o "$WORK/decomposed.mlir"
echo "  $(elapsed_ms "$t0") ms: $(count 'linalg.generic' "$WORK/decomposed.mlir") linalg.generic," \
     "$(count 'linalg.fill' "$WORK/decomposed.mlir") linalg.fill," \
     "$(count 'attn\.' "$WORK/decomposed.mlir") attn ops left"
echo "  the [1, 8, 128, 128] score tensor is materialised (unfused):"
grep -m1 -oE 'tensor<1x8x128x128xf32>' "$WORK/decomposed.mlir" | sed 's/^/    /'

step "Bufferize and lower to the LLVM dialect, then LLVM IR"
t0=$(date +%s%N)
"$OPT" "$WORK/decomposed.mlir" \
  --one-shot-bufferize="bufferize-function-boundaries" \
  --buffer-deallocation-pipeline --convert-bufferization-to-memref \
  --convert-linalg-to-loops --convert-scf-to-cf --convert-cf-to-llvm \
  --expand-strided-metadata --lower-affine --convert-to-llvm \
  --reconcile-unrealized-casts -o "$WORK/llvm.mlir"
"$LLVM_BIN/mlir-translate" --mlir-to-llvmir "$WORK/llvm.mlir" -o "$WORK/block.ll"
echo "  $(elapsed_ms "$t0") ms: $(wc -l < "$WORK/block.ll") lines of LLVM IR," \
     "$(count 'call ptr @malloc' "$WORK/block.ll") buffers allocated"

step "Execute the reference lowering on random inputs vs a float64 reference"
python3 "$ROOT/test/Integration/Reference/check_reference.py" \
  --attnc-opt "$OPT" --mlir-runner "$LLVM_BIN/mlir-runner" \
  attention_all_options attention_gqa attention_causal_bottom_right \
  attention_fully_masked_row_i1 decode_paged qkv_proj_fused_bias rope_half

step "Done"
echo "  Next: attnc-opt --help lists the passes; docs/ has the dialect reference."
