// `attnc compile <model-dir> -o model.attnc` and the runtime behind
// `attnc-run logits` and `attnc-run generate`, on tiny GPT-2 and Llama
// models with random weights: logits match the float64 reference and greedy
// generation is the reference's greedy continuation. See check_generate.py.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/check_generate.py gpt2 --data-offset 0 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/gpt2 | FileCheck %s
// RUN: %python %S/check_generate.py gpt2 --data-offset 40 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/gpt2-40 | FileCheck %s
// The Llama run also generates past the first 1024 positions of a KV cache
// compiled for 32768, which the runtime faults in as the sequence grows.
// RUN: %python %S/check_generate.py llama --grow-cache --data-offset 0 \
// RUN:   --attnc attnc --attnc-run attnc-run --work %t/llama \
// RUN:   | FileCheck %s --check-prefixes=CHECK,GROW
// A bf16 checkpoint, read in place (the manifest's weight_type), and f16.
// Decode steps read weights whose rows are whole cache lines in whole
// lines where they start on one (--data-offset 0) and in half lines
// elsewhere (40; GPT-2's and an f32 Llama checkpoint too): each form
// against the reference.
// RUN: %python %S/check_generate.py llama --dtype BF16 --data-offset 0 \
// RUN:   --attnc attnc --attnc-run attnc-run --work %t/llama-bf16 | FileCheck %s
// RUN: %python %S/check_generate.py llama --dtype BF16 --data-offset 40 \
// RUN:   --attnc attnc --attnc-run attnc-run --work %t/llama-bf16-40 \
// RUN:   | FileCheck %s
// RUN: %python %S/check_generate.py llama --data-offset 40 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/llama-40 | FileCheck %s
// RUN: %python %S/check_generate.py llama --dtype F16 --attnc attnc \
// RUN:   --attnc-run attnc-run --work %t/llama-f16 | FileCheck %s
// attention_bias: q/k/v/o projections with biases, bf16 matrices.
// RUN: %python %S/check_generate.py llama --attention-bias --dtype BF16 \
// RUN:   --attnc attnc --attnc-run attnc-run --work %t/llama-bias | FileCheck %s
// An artifact compiled for f32 matrices reads a bf16 checkpoint widened;
// one compiled for bf16 refuses an f32 checkpoint, naming the tensor.
// RUN: attnc compile %t/llama-bf16/model --weight-type=f32 --max-seq 48 \
// RUN:   -o %t/llama-bf16-as-f32.attnc
// RUN: attnc-run logits %t/llama-bf16-as-f32.attnc --model-dir %t/llama-bf16/model \
// RUN:   --tokens 1,2,3 --output @%t/widened.npy
// RUN: not attnc-run logits %t/llama-bf16/model.attnc --model-dir %t/llama/model \
// RUN:   --tokens 1,2,3 --output @%t/x.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: tensor 'model.embed_tokens.weight' is F32[{{.*}}], but the model was compiled to read its matrices in bf16 (recompile with `attnc compile --weight-type=auto`)
// --no-mmap reads the same weights from copies of its own, which start on
// cache lines: the logits are bit for bit those of the mapped checkpoint
// whose tensors do too (bf16 matrices read in place, and f32 ones).
// RUN: attnc-run logits %t/llama-bf16/model.attnc --model-dir %t/llama-bf16/model \
// RUN:   --tokens 5,6,7,8 --output @%t/mapped-bf16.npy
// RUN: attnc-run logits %t/llama-bf16/model.attnc --model-dir %t/llama-bf16/model \
// RUN:   --tokens 5,6,7,8 --no-mmap --output @%t/copied-bf16.npy
// RUN: %python %S/same_npy.py %t/mapped-bf16.npy %t/copied-bf16.npy
// RUN: attnc-run logits %t/llama/model.attnc --model-dir %t/llama/model \
// RUN:   --tokens 5,6,7,8 --output @%t/mapped-f32.npy
// RUN: attnc-run logits %t/llama/model.attnc --model-dir %t/llama/model \
// RUN:   --tokens 5,6,7,8 --no-mmap --output @%t/copied-f32.npy
// RUN: %python %S/same_npy.py %t/mapped-f32.npy %t/copied-f32.npy
// RUN: not attnc compile %t/llama/model --weight-type=f8 -o %t/x.attnc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BADTYPE
// BADTYPE: unknown --weight-type='f8' (expected auto, f32, f16 or bf16)
// CHECK: PASS logits of 20 tokens
// CHECK: PASS greedy generation of {{[0-9]+}} tokens equals the reference's
// GROW: PASS greedy generation of {{[0-9]+}} tokens equals the reference's (prompt: 1020 tokens)

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
