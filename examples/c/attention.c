/* Calls a library compiled by attnc from C, linked at build time (no dlopen).
 *
 *   attnc compile examples/attention.mlir --target=cpu -o libattention.so
 *   cc -std=c99 -O2 -Iruntime/include examples/c/attention.c \
 *       ./libattention.so -Wl,-rpath,. -lm -o attention
 *   ./attention
 *
 * It fills Q, K and V, calls @attention_causal through its C interface,
 * checks the result against a plain C reference and frees it. Then it calls
 * the destination-passing entry point attnc_into_attention_causal a few
 * times with an output buffer it owns and reuses, as a program calling in a
 * loop would (no allocation per call). docs/abi.md describes the ABI,
 * runtime/include/attnc/attnc_abi.h declares it.
 */

#include "attnc/attnc_abi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* func.func @attention_causal(%q, %k, %v: tensor<1x12x512x64xf32>)
 *     -> tensor<1x12x512x64xf32>
 * One result: its descriptor comes first. */
void _mlir_ciface_attention_causal(attnc_memref_4d *out, attnc_memref_4d *q,
                                   attnc_memref_4d *k, attnc_memref_4d *v);
ATTNC_DECLARE_SIGNATURE(attention_causal);
/* The same function writing into the caller's buffer: inputs, then one
 * output per result. */
void _mlir_ciface_attnc_into_attention_causal(attnc_memref_4d *q,
                                              attnc_memref_4d *k,
                                              attnc_memref_4d *v,
                                              attnc_memref_4d *out);

enum { B = 1, H = 12, S = 512, D = 64 };

/* Deterministic inputs in [-1, 1). */
static void fill(float *data, int64_t n, uint32_t seed) {
  int64_t i;
  for (i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    data[i] = (float)(seed >> 8) / (float)(1u << 23) - 1.0f;
  }
}

/* softmax(q k^T / sqrt(D), causal) v for one head, one query row. */
static void reference_row(const float *q, const float *k, const float *v,
                          int64_t row, float *out) {
  double scores[S];
  double scale = 1.0 / sqrt((double)D), max = -INFINITY, sum = 0;
  int64_t j, d;
  for (j = 0; j <= row; ++j) {
    double s = 0;
    for (d = 0; d < D; ++d)
      s += (double)q[row * D + d] * k[j * D + d];
    scores[j] = s * scale;
    if (scores[j] > max)
      max = scores[j];
  }
  for (j = 0; j <= row; ++j) {
    scores[j] = exp(scores[j] - max);
    sum += scores[j];
  }
  for (d = 0; d < D; ++d) {
    double acc = 0;
    for (j = 0; j <= row; ++j)
      acc += scores[j] * v[j * D + d];
    out[d] = (float)(acc / sum);
  }
}

int main(void) {
  const int64_t sizes[4] = {B, H, S, D};
  const int64_t n = attnc_num_elements(4, sizes);
  float *qData = malloc(n * sizeof(float));
  float *kData = malloc(n * sizeof(float));
  float *vData = malloc(n * sizeof(float));
  attnc_memref_4d q, k, v, out;
  const float *o;
  float expected[D];
  double maxError = 0;
  int64_t h, i, d;

  if (!qData || !kData || !vData)
    return 1;
  printf("target: %s\n", attnc_target ? attnc_target : "cpu (no attnc_target)");
  printf("signature: %s\n", attnc_signature_attention_causal);

  fill(qData, n, 1);
  fill(kData, n, 2);
  fill(vData, n, 3);
  attnc_memref_4d_init(&q, qData, sizes);
  attnc_memref_4d_init(&k, kData, sizes);
  attnc_memref_4d_init(&v, vData, sizes);

  _mlir_ciface_attention_causal(&out, &q, &k, &v);

  printf("result: %lldx%lldx%lldx%lld, strides %lld %lld %lld %lld\n",
         (long long)out.sizes[0], (long long)out.sizes[1],
         (long long)out.sizes[2], (long long)out.sizes[3],
         (long long)out.strides[0], (long long)out.strides[1],
         (long long)out.strides[2], (long long)out.strides[3]);
  o = ATTNC_MEMREF_DATA(out, const float);
  for (h = 0; h < H; ++h) {
    const int64_t head = h * S * D;
    for (i = 0; i < S; ++i) {
      reference_row(qData + head, kData + head, vData + head, i, expected);
      for (d = 0; d < D; ++d) {
        double e = fabs((double)o[h * out.strides[1] + i * out.strides[2] +
                                  d * out.strides[3]] -
                        expected[d]);
        if (!(e <= maxError)) /* NaN counts as an error too */
          maxError = isnan(e) ? INFINITY : e;
      }
    }
  }
  printf("max abs error vs the C reference: %.2e\n", maxError);

  /* Into a buffer of ours, three times: every call gives the same values,
   * and temporaries stay cached by the library's pool between calls. */
  {
    float *mine = malloc(n * sizeof(float));
    attnc_memref_4d into;
    int call, same = 1;
    if (!mine)
      return 1;
    attnc_memref_4d_init(&into, mine, sizes);
    for (call = 0; call < 3; ++call) {
      memset(mine, 0xFF, n * sizeof(float)); /* NaN: unwritten shows */
      _mlir_ciface_attnc_into_attention_causal(&q, &k, &v, &into);
      same &= memcmp(mine, o, n * sizeof(float)) == 0;
    }
    printf("into a caller buffer, 3 calls: %s\n",
           same ? "same result" : "DIFFERENT");
    printf("pool holds temporaries: %s\n",
           attnc_workspace_cached_bytes && attnc_workspace_cached_bytes() > 0
               ? "yes"
               : "no");
    if (!same)
      maxError = INFINITY;
    free(mine);
  }

  /* The caller owns the result (it is not one of the inputs' buffers). */
  free(out.allocated);
  free(qData);
  free(kData);
  free(vData);
  if (maxError > 1e-4) {
    printf("FAILED\n");
    return 1;
  }
  printf("ok\n");
  return 0;
}
