// `attnc compile <model-dir> -o model.attnc` and the runtime behind
// `attnc-run logits` and `attnc-run generate`, on tiny GPT-2 and Llama
// models with random weights: logits match the float64 reference and greedy
// generation is the reference's greedy continuation. See check_generate.py.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/check_generate.py gpt2 --attnc attnc --attnc-run attnc-run \
// RUN:   --work %t/gpt2 | FileCheck %s
// RUN: %python %S/check_generate.py llama --attnc attnc --attnc-run attnc-run \
// RUN:   --work %t/llama | FileCheck %s
// CHECK: PASS logits of 9 tokens
// CHECK: PASS greedy generation of {{[0-9]+}} tokens equals the reference's

// Streaming prints the prompt, then the continuation (random weights:
// gibberish), and the speeds on stderr.
// RUN: attnc-run generate %t/gpt2/model.attnc --model-dir %t/gpt2/model \
// RUN:   --prompt "hello" -n 5 --temperature 0.8 --top-k 40 --top-p 0.9 \
// RUN:   --seed 3 --print-ids 2>&1 | FileCheck %s --check-prefix=STREAM
// STREAM: hello
// STREAM: ids:{{( [0-9]+)+}}
// STREAM: [5 prompt tokens: {{[0-9.]+}} tokens/s prefill; {{[0-9]+}} generated, {{[0-9]+}} decode steps: {{[0-9.]+}} tokens/s decode; stopped: {{.*}}]

// Errors: an artifact compiled for another model, a missing artifact, a
// prompt longer than the compiled cache, a bad token id.
// RUN: not attnc-run generate %t/gpt2/model.attnc --model-dir %t/llama/model \
// RUN:   --prompt hi 2>&1 | FileCheck %s --check-prefix=MISMATCH
// MISMATCH: error: '{{.*}}model.attnc' was compiled for a gpt2 model, '{{.*}}' holds a llama
// RUN: not attnc-run generate %t/none.attnc --model-dir %t/gpt2/model \
// RUN:   --prompt hi 2>&1 | FileCheck %s --check-prefix=NOARTIFACT
// NOARTIFACT: error: cannot open '{{.*}}none.attnc/manifest.json': No such file or directory (is '{{.*}}none.attnc' a model compiled by `attnc compile <model-dir> -o model.attnc`?)
// RUN: not attnc-run generate %t/gpt2/model.attnc --model-dir %t/gpt2/model \
// RUN:   --prompt "%{python} is a long prompt that does not fit in a cache of forty eight positions at all" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LONG
// LONG: error: the prompt has {{[0-9]+}} tokens; the model was compiled for 48 positions
// RUN: not attnc-run logits %t/gpt2/model.attnc --model-dir %t/gpt2/model \
// RUN:   --tokens 1,99999 --output @%t/x.npy 2>&1 | FileCheck %s --check-prefix=TOKEN
// TOKEN: error: token id 99999 is outside the 262-token vocabulary

// The trained model that examples/ ships for the demo compiles and writes
// license prose.
// RUN: attnc compile %attnc_src_root/examples/tiny-gpt2-licenses --max-seq 64 \
// RUN:   -o %t/licenses.attnc
// RUN: attnc-run generate %t/licenses.attnc \
// RUN:   --model-dir %attnc_src_root/examples/tiny-gpt2-licenses \
// RUN:   --prompt "This License" -n 24 2>/dev/null | FileCheck %s --check-prefix=LICENSE
// LICENSE: This License {{.*}}{{[a-z]+ [a-z]+ [a-z]+}}
