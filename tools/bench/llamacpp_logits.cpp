//===- llamacpp_logits.cpp - llama.cpp's logits for given token ids -------===//
//
// Part of tools/bench/compare_llamacpp.sh --check-logits: evaluates a GGUF
// model with llama.cpp's library (the checkout the script builds) on a
// prompt of exact token ids and writes the logits of every position as a
// float32 .npy [tokens, vocab], which the script compares with
// `attnc-run logits` on the Hugging Face directory the GGUF was written
// from. Built by the script against that checkout; not part of attnc's
// build.
//
//   llamacpp_logits model.gguf "1,2,3" out.npy [threads] [f32|f16] [fa]
//
// The KV cache's type defaults to f32 and flash attention to off (no fa
// argument), so that the check compares the functions rather than
// roundings: llama.cpp's CPU flash attention computes in f16 even with an
// f32 cache.
//
//===----------------------------------------------------------------------===//

#include "llama.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

static int fail(const std::string &message) {
  std::fprintf(stderr, "llamacpp_logits: error: %s\n", message.c_str());
  return 1;
}

static bool parseTokens(const char *text, std::vector<llama_token> &tokens) {
  const char *p = text;
  while (*p) {
    char *end = nullptr;
    long id = std::strtol(p, &end, 10);
    if (end == p || id < 0)
      return false;
    tokens.push_back(static_cast<llama_token>(id));
    p = end;
    while (*p == ',' || *p == ' ')
      ++p;
  }
  return !tokens.empty();
}

static bool writeNpy(const char *path, const std::vector<float> &data,
                     size_t rows, size_t cols) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(rows) + ", " + std::to_string(cols) +
                       "), }";
  // Magic (6) + version (2) + length (2) + header + '\n', padded to 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  FILE *f = std::fopen(path, "wb");
  if (!f)
    return false;
  unsigned short length = static_cast<unsigned short>(header.size());
  bool ok =
      std::fwrite("\x93NUMPY\x01\x00", 1, 8, f) == 8 &&
      std::fwrite(&length, 2, 1, f) == 1 &&
      std::fwrite(header.data(), 1, header.size(), f) == header.size() &&
      std::fwrite(data.data(), sizeof(float), data.size(), f) == data.size();
  return std::fclose(f) == 0 && ok;
}

// llama.cpp's log on stderr: errors only, everything with
// LLAMACPP_LOGITS_VERBOSE set.
static void quiet(enum ggml_log_level level, const char *text, void *) {
  static const bool verbose = std::getenv("LLAMACPP_LOGITS_VERBOSE");
  if (verbose || level >= GGML_LOG_LEVEL_ERROR)
    std::fputs(text, stderr);
}

int main(int argc, char **argv) {
  if (argc < 4 || argc > 7)
    return fail("usage: llamacpp_logits model.gguf ids out.npy [threads] "
                "[f32|f16] [fa]");
  std::vector<llama_token> tokens;
  if (!parseTokens(argv[2], tokens))
    return fail(std::string("token ids '") + argv[2] + "'");
  int threads = argc > 4 ? std::atoi(argv[4]) : 2;
  std::string cacheType = argc > 5 ? argv[5] : "f32";
  if (threads <= 0 || (cacheType != "f32" && cacheType != "f16"))
    return fail("threads must be positive and the cache f32 or f16");
  if (argc > 6 && std::string(argv[6]) != "fa")
    return fail(std::string("'") + argv[6] + "': expected fa");
  bool flashAttention = argc > 6;

  llama_log_set(quiet, nullptr);
  llama_backend_init();
  llama_model_params modelParams = llama_model_default_params();
  llama_model *model = llama_model_load_from_file(argv[1], modelParams);
  if (!model)
    return fail(std::string("cannot load ") + argv[1]);
  const llama_vocab *vocab = llama_model_get_vocab(model);
  int vocabSize = llama_vocab_n_tokens(vocab);
  for (llama_token t : tokens)
    if (t >= vocabSize)
      return fail("token id " + std::to_string(t) + " is past the vocab");

  llama_context_params contextParams = llama_context_default_params();
  contextParams.n_ctx = static_cast<uint32_t>(tokens.size());
  contextParams.n_batch = contextParams.n_ubatch = contextParams.n_ctx;
  contextParams.n_threads = contextParams.n_threads_batch = threads;
  contextParams.flash_attn_type = flashAttention
                                      ? LLAMA_FLASH_ATTN_TYPE_ENABLED
                                      : LLAMA_FLASH_ATTN_TYPE_DISABLED;
  contextParams.type_k = contextParams.type_v =
      cacheType == "f32" ? GGML_TYPE_F32 : GGML_TYPE_F16;
  llama_context *context = llama_init_from_model(model, contextParams);
  if (!context)
    return fail("cannot create a context");

  llama_batch batch =
      llama_batch_init(static_cast<int32_t>(tokens.size()), 0, 1);
  for (size_t i = 0; i < tokens.size(); ++i) {
    batch.token[i] = tokens[i];
    batch.pos[i] = static_cast<llama_pos>(i);
    batch.n_seq_id[i] = 1;
    batch.seq_id[i][0] = 0;
    batch.logits[i] = 1;
  }
  batch.n_tokens = static_cast<int32_t>(tokens.size());
  if (llama_decode(context, batch) != 0)
    return fail("llama_decode failed");

  std::vector<float> logits(tokens.size() * vocabSize);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const float *row = llama_get_logits_ith(context, static_cast<int32_t>(i));
    if (!row)
      return fail("no logits for position " + std::to_string(i));
    std::memcpy(&logits[i * vocabSize], row, vocabSize * sizeof(float));
  }
  llama_batch_free(batch);
  llama_free(context);
  llama_model_free(model);
  if (!writeNpy(argv[3], logits, tokens.size(), vocabSize))
    return fail(std::string("cannot write ") + argv[3]);
  return 0;
}
