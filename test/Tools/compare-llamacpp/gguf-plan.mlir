// tools/bench/llama_gguf.py (issue 14, item 8) without llama.cpp: the GGUF
// tensors it plans for tiny F32/F16/BF16 Llama checkpoints (names, shapes,
// dtypes, bits), attention scores equal in float64 after its q/k row
// reordering under llama.cpp's RoPE, the padded vocabulary, and the
// checkpoints it rejects (check_gguf_plan.py states the tolerances).

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/check_gguf_plan.py %t | FileCheck %s
// CHECK: F32: 21 tensors, scores agree to
// CHECK: F16: 21 tensors, scores agree to
// CHECK: BF16: 21 tensors, scores agree to
// CHECK: qwen2: error: model_type 'qwen2': only llama checkpoints
// CHECK: missing tensor: error: unexpected tensors: missing ['model.layers.1.mlp.up_proj.weight']
// CHECK: 3 heads: error: 64 rows do not split into 3 heads
// CHECK: OK

// The command line's errors come before any GGUF writing (no gguf-py needed).
// RUN: %python %attnc_src_root/tools/models/tiny_models.py qwen2 %t/qwen2
// RUN: not %python %attnc_src_root/tools/bench/llama_gguf.py convert %t/qwen2 %t/q.gguf 2>&1 \
// RUN:   | FileCheck %s --check-prefix=QWEN
// QWEN: llama_gguf.py: error: model_type 'qwen2': only llama checkpoints are written as GGUF
// RUN: not %python %attnc_src_root/tools/bench/llama_gguf.py convert %t/none %t/q.gguf 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NODIR
// NODIR: llama_gguf.py: error: {{.*}}none/config.json
