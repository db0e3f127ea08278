#!/usr/bin/env bash
#===- examples/demo.sh - what attnc does today, end to end ------------------===#
#
# Usage: examples/demo.sh [BUILD_DIR]   (run by `tools/dev.sh demo`)
#
# 1. Verifies examples/attention_block.mlir (a Llama-style attention block in
#    the attn dialect), lowers it through the reference path
#    (--attn-decompose) and compiles it ahead of time into a shared library.
# 2. Runs examples/attention.mlir with attnc-run (JIT, CPU pipeline) on random
#    inputs and checks it against a float64 NumPy reference, printing the
#    error, the time and GFLOP/s.
# 3. Compiles examples/tiny-gpt2-licenses (a tiny GPT-2 trained on license
#    texts, Hugging Face layout) into a model.attnc artifact and generates
#    text with attnc-run generate.
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

step "Ahead of time: attnc compile --target=cpu -o libattention_block.so"
t0=$(date +%s%N)
"$BUILD_DIR/bin/attnc" compile "$EXAMPLE" --target=cpu -o "$WORK/libattention_block.so"
echo "  $(elapsed_ms "$t0") ms, $(stat -c %s "$WORK/libattention_block.so") bytes; exported symbols:"
"$LLVM_BIN/llvm-nm" -D --defined-only "$WORK/libattention_block.so" | \
  grep -E 'attnc_|_mlir_ciface' | sed 's/^/    /'

step "Run attention (B=1 H=12 S=512 D=64) on random inputs: attnc-run vs float64 NumPy"
/usr/bin/python3 "$ROOT/examples/attention_demo.py" "$BUILD_DIR" --repeat 3

MODEL=$ROOT/examples/tiny-gpt2-licenses
step "A whole model: $(basename "$MODEL") (a 0.5M-parameter GPT-2 in the Hugging Face layout)"
echo "  trained by tools/models/train_tiny_gpt2.py on the license texts of Debian's"
echo "  /usr/share/common-licenses; every file of the directory:"
ls "$MODEL" | sed 's/^/    /'
t0=$(date +%s%N)
"$BUILD_DIR/bin/attnc" compile "$MODEL" --max-seq 64 -o "$WORK/model.attnc"
echo "  attnc compile $(basename "$MODEL") --max-seq 64 -o model.attnc: $(elapsed_ms "$t0") ms"
echo "  attnc-run generate --prompt \"This License\" -n 48 --temperature 0.7 --seed 1:"
"$BUILD_DIR/bin/attnc-run" generate "$WORK/model.attnc" --model-dir "$MODEL" \
  --prompt "This License" -n 48 --temperature 0.7 --seed 1 2>&1 | sed 's/^/    /'

step "Done"
echo "  attnc-opt --help lists the passes; docs/ has the dialect reference and the C ABI."
