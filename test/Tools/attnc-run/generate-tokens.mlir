// attnc-run generate --tokens (issue 14, item 7): a prompt of exactly the
// given ids, no BOS added, so that a benchmark's prompt has an exact
// length. Greedy generation continues with the likeliest next token of the
// last prompt position, which `logits` of the same ids computes on its own.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %attnc_src_root/tools/models/tiny_models.py llama %t/model
// RUN: attnc compile %t/model --max-seq 32 -o %t/m.attnc
// RUN: attnc-run generate %t/m.attnc --tokens "5, 6 7,8" -n 3 --print-ids \
// RUN:   > %t/generate.txt 2> %t/generate.err
// RUN: FileCheck %s --check-prefix=STATS < %t/generate.err
// STATS: [4 prompt tokens: {{.*}} 3 generated
// RUN: attnc-run logits %t/m.attnc --tokens 5,6,7,8 > %t/logits.txt
// RUN: %python -c "import sys; \
// RUN:   ids = [l for l in open('%t/generate.txt') if l.startswith('ids:')][0].split()[1:]; \
// RUN:   argmax = [l for l in open('%t/logits.txt') if l.startswith('argmax:')][0].split()[1:]; \
// RUN:   print('first generated', ids[0], 'last argmax', argmax[-1]); \
// RUN:   sys.exit(ids[0] != argmax[-1])"

// The prompt is echoed as the tokenizer decodes it ('A' and 'B' are the byte tokens 65 and 66).
// RUN: attnc-run generate %t/m.attnc --tokens 65,66 -n 1 2>/dev/null \
// RUN:   | FileCheck %s --check-prefix=ECHO
// ECHO: {{^AB}}

// Errors: one line each.
// RUN: not attnc-run generate %t/m.attnc --tokens 5 --prompt hi 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BOTH
// BOTH: {{^}}attnc-run: error: give --prompt or --tokens, not both{{$}}
// RUN: not attnc-run generate %t/m.attnc --tokens "5 x" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-ID
// BAD-ID: {{^}}attnc-run: error: --tokens: 'x' is not a token id{{$}}
// RUN: not attnc-run generate %t/m.attnc --tokens " , " 2>&1 \
// RUN:   | FileCheck %s --check-prefix=EMPTY
// EMPTY: {{^}}attnc-run: error: --tokens: no token ids{{$}}
// RUN: not attnc-run generate %t/m.attnc --tokens 5,263 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RANGE
// RANGE: {{^}}attnc-run: error: token id 263 is outside the 263-token vocabulary{{$}}
// RUN: not attnc-run generate %t/m.attnc --tokens 7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7 2>&1 \
// RUN:   | FileCheck %s --check-prefix=FULL
// FULL: {{^}}attnc-run: error: the prompt has 32 tokens; the model was compiled for 32 positions{{$}}
// RUN: not attnc-run logits %t/m.attnc 2>&1 | FileCheck %s --check-prefix=LOGITS
// LOGITS: {{^}}attnc-run: error: logits needs --tokens <ids>{{$}}
