// A model artifact (a directory: model.so + manifest.json) is built in a
// temporary directory beside the output and takes its place in one rename
// (issue 12, item 5): a compile that fails or is killed leaves an earlier
// artifact whole; a directory that is not an artifact is never replaced.
// The manifest records the model directory (attnc-run's default
// --model-dir, issue 13 item 9), and a model's output-kind error names
// .attnc.

// RUN: rm -rf %t && mkdir -p %t/bin
// RUN: cp %S/Inputs/failing-linker.sh %t/bin/clang-22
// RUN: attnc compile %attnc_src_root/examples/tiny-gpt2-licenses --max-seq 16 \
// RUN:   -o %t/m.attnc
// RUN: FileCheck %s --check-prefix=MANIFEST --input-file=%t/m.attnc/manifest.json
// MANIFEST: "model_dir": "/{{.*}}/examples/tiny-gpt2-licenses",
// MANIFEST: "max_seq": 16
// RUN: cp -r %t/m.attnc %t/good.attnc

// A failing link: one line naming the output, the artifact intact, nothing
// left beside it.
// RUN: not env PATH=%t/bin:%PATH% attnc compile \
// RUN:   %attnc_src_root/examples/tiny-gpt2-licenses --max-seq 32 -o %t/m.attnc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LINK --implicit-check-not=error:
// LINK: {{^}}attnc: error: linking '{{[^ ]*}}/m.attnc/model.so' with {{[^ ]*}}clang-22 failed: failing-linker: cannot link{{$}}
// RUN: diff -r %t/m.attnc %t/good.attnc
// RUN: %python -c "import glob,sys; sys.exit(len(glob.glob('%t/m.attnc.tmp*')))"

// Killed while writing: the artifact intact.
// RUN: %python %S/Inputs/interrupt.py --signal KILL %t/m.attnc -- attnc compile \
// RUN:   %attnc_src_root/examples/tiny-gpt2-licenses --max-seq 32 -o %t/m.attnc \
// RUN:   | FileCheck %s --check-prefix=KILL
// KILL: interrupted by SIGKILL
// KILL: {{^[^ ]*}}/m.attnc unchanged
// RUN: diff -r %t/m.attnc %t/good.attnc
// RUN: rm -rf %t/m.attnc.tmp-*

// A directory that is not an artifact: refused before compiling, untouched.
// RUN: mkdir -p %t/notes.attnc && echo keep > %t/notes.attnc/notes.txt
// RUN: not attnc compile %attnc_src_root/examples/tiny-gpt2-licenses \
// RUN:   -o %t/notes.attnc 2>&1 | FileCheck %s --check-prefix=NOT-ARTIFACT
// NOT-ARTIFACT: {{^}}attnc: error: cannot write '{{[^ ]*}}/notes.attnc': the directory exists and holds no manifest.json, so it is not an earlier output (refusing to replace it){{$}}
// RUN: FileCheck %s --check-prefix=KEPT --input-file=%t/notes.attnc/notes.txt
// KEPT: keep

// A compile that succeeds replaces the artifact, and nothing is left.
// RUN: attnc compile %attnc_src_root/examples/tiny-gpt2-licenses --max-seq 32 \
// RUN:   -o %t/m.attnc
// RUN: FileCheck %s --check-prefix=REPLACED --input-file=%t/m.attnc/manifest.json
// REPLACED: "max_seq": 32
// RUN: %python -c "import glob,sys; sys.exit(len(glob.glob('%t/m.attnc.*')))"
// RUN: attnc-run logits %t/m.attnc --tokens "1 2 3" | FileCheck %s --check-prefix=RUNS
// RUNS: logits: tensor<3x{{[0-9]+}}xf32>

// The output kinds of a model name the artifact.
// RUN: not attnc compile %attnc_src_root/examples/tiny-gpt2-licenses -o %t/m.txt 2>&1 \
// RUN:   | FileCheck %s --check-prefix=KIND
// KIND: {{^}}attnc: error: unknown output kind '{{[^ ]*}}/m.txt': expected .attnc (the model artifact), .so, .o, .ll or .mlir{{$}}
// RUN: not attnc compile %s -o %t/k.attnc 2>&1 | FileCheck %s --check-prefix=MODULE
// MODULE: {{^}}attnc: error: -o {{[^ ]*}}/k.attnc: a .attnc model artifact is compiled from a Hugging Face model directory, and '{{[^ ]*}}' is a module (expected .so, .o, .ll or .mlir){{$}}
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
