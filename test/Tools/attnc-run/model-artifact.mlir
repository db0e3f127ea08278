// attnc-run with a compiled model (issue 13, item 9): --model-dir defaults
// to the directory the artifact was compiled from (its manifest records
// it), and a missing one is a one-line error that says to pass --model-dir;
// `tokenize` output pastes into `logits --tokens` as is; `logits` without
// --output prints a summary as `call` does.

// RUN: rm -rf %t && mkdir -p %t
// RUN: cp -r %attnc_src_root/examples/tiny-gpt2-licenses %t/model
// RUN: attnc compile %t/model --max-seq 32 -o %t/m.attnc

// The artifact's library exports the functions the runtime calls, without
// their attnc_into_ entry points (a second copy of the code).
// RUN: %python -c "import sys; d = open('%t/m.attnc/model.so', 'rb').read(); \
// RUN:   print([n for n in (b'_mlir_ciface_embed', b'_mlir_ciface_block', \
// RUN:   b'_mlir_ciface_head', b'attnc_into_') if n in d])" \
// RUN:   | FileCheck %s --check-prefix=SYMBOLS
// SYMBOLS: [b'_mlir_ciface_embed', b'_mlir_ciface_block', b'_mlir_ciface_head']

// No --model-dir: the recorded directory; the same logits as with it.
// RUN: attnc-run logits %t/m.attnc --tokens 5,6,7 --output @%t/default.npy
// RUN: attnc-run logits %t/m.attnc --model-dir %t/model --tokens 5,6,7 \
// RUN:   --output @%t/explicit.npy
// RUN: cmp %t/default.npy %t/explicit.npy
// RUN: attnc-run generate %t/m.attnc --prompt "This License" -n 3 2>&1 \
// RUN:   | FileCheck %s --check-prefix=GENERATE
// GENERATE: This License
// GENERATE: [{{[0-9]+}} prompt tokens: {{.*}} 3 generated

// What tokenize prints goes to --tokens unchanged (ids separated by
// spaces; commas work too); --tokenizer takes the artifact.
// RUN: attnc-run tokenize --tokenizer %t/m.attnc --text "This License" > %t/ids.txt
// RUN: attnc-run tokenize --tokenizer %t/model --text "This License" \
// RUN:   | diff - %t/ids.txt
// RUN: %python -c "import subprocess, sys; ids = open('%t/ids.txt').read().strip(); \
// RUN:   print(ids); \
// RUN:   sys.exit(subprocess.call(['attnc-run', 'logits', '%t/m.attnc', '--tokens', ids, \
// RUN:   '--output', '@%t/pasted.npy']))" | FileCheck %s --check-prefix=IDS
// IDS: {{^[0-9]+( [0-9]+)+$}}
// RUN: %python -c "import numpy as np; print(np.load('%t/pasted.npy').shape)" \
// RUN:   | FileCheck %s --check-prefix=SHAPE
// SHAPE: ({{[0-9]+}}, 262)

// Without --output: the summary and the likeliest next token of each
// position.
// RUN: attnc-run logits %t/m.attnc --tokens "5 6 7" | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: {{^}}logits: tensor<3x262xf32> [{{.*}}]
// SUMMARY-NEXT: {{^}}argmax: {{[0-9]+ [0-9]+ [0-9]+$}}
// RUN: not attnc-run logits %t/m.attnc --tokens "5 x" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-ID
// BAD-ID: {{^}}attnc-run: error: --tokens: 'x' is not a token id{{$}}
// RUN: not attnc-run logits %t/m.attnc --tokens 5 --output %t/o.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-OUTPUT
// BAD-OUTPUT: {{^}}attnc-run: error: --output {{[^ ]*}}/o.npy: expected @file.npy (or no --output for a summary){{$}}

// The recorded directory gone: say so, and what to do.
// RUN: mv %t/model %t/moved
// RUN: not attnc-run logits %t/m.attnc --tokens 5 2>&1 | FileCheck %s --check-prefix=GONE
// RUN: not attnc-run generate %t/m.attnc --prompt hi 2>&1 | FileCheck %s --check-prefix=GONE
// RUN: not attnc-run tokenize --tokenizer %t/m.attnc --text hi 2>&1 | FileCheck %s --check-prefix=GONE
// GONE: {{^}}attnc-run: error: '{{[^ ]*}}/m.attnc' was compiled from '{{[^ ]*}}/model', which is not a directory any more: give --model-dir <dir>{{$}}
// RUN: attnc-run logits %t/m.attnc --model-dir %t/moved --tokens 5 | FileCheck %s --check-prefix=SUMMARY1
// SUMMARY1: logits: tensor<1x262xf32>

// An artifact that records no directory (compiled before attnc recorded
// it).
// RUN: %python -c "import json; p = '%t/m.attnc/manifest.json'; m = json.load(open(p)); \
// RUN:   del m['model_dir']; json.dump(m, open(p, 'w'))"
// RUN: not attnc-run logits %t/m.attnc --tokens 5 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: {{^}}attnc-run: error: '{{[^ ]*}}/m.attnc' does not record the model directory it was compiled from: give --model-dir <dir>{{$}}
// RUN: attnc-run logits %t/m.attnc --model-dir %t/moved --tokens 5 | FileCheck %s --check-prefix=SUMMARY1
func.func @unused() {
  return
}
