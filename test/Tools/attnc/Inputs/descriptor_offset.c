// Calls the functions of test/Tools/attnc/descriptor-offset.mlir through
// their C interface with descriptors whose offset is not 0, as docs/abi.md
// allows: `./a.out offsets` checks the results, `./a.out strided` passes
// non-contiguous strides, which the library must reject.

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} F32x2;

typedef struct {
  int64_t *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
} I64x1;

void _mlir_ciface_add(F32x2 *result, F32x2 *a, F32x2 *b);
void _mlir_ciface_add_i64(I64x1 *result, I64x1 *a, I64x1 *b);

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "offsets";
  // a[i][j] = 10 i + j and b[i][j] = 100 (i + 1), behind 3 and 5 elements
  // of garbage.
  float aData[3 + 6], bData[5 + 6];
  for (int k = 0; k < 3; ++k)
    aData[k] = -1000;
  for (int k = 0; k < 5; ++k)
    bData[k] = -2000;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) {
      aData[3 + 3 * i + j] = 10 * i + j;
      bData[5 + 3 * i + j] = 100 * (i + 1);
    }
  F32x2 a = {aData, aData, 3, {2, 3}, {3, 1}};
  F32x2 b = {bData, bData, 5, {2, 3}, {3, 1}};
  if (strcmp(mode, "strided") == 0) {
    // Column-major: the library reads row-major tensors only.
    a.offset = 0;
    a.strides[0] = 1;
    a.strides[1] = 2;
  }
  F32x2 out;
  _mlir_ciface_add(&out, &a, &b);
  int failures = 0;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) {
      float got = out.aligned[out.offset + 3 * i + j];
      float want = 10 * i + j + 100 * (i + 1);
      if (got != want) {
        printf("add[%d][%d] = %g, expected %g\n", i, j, got, want);
        ++failures;
      }
    }
  free(out.allocated);
  if (!failures)
    printf("add: ok\n");

  // 8-byte elements, one at an offset of 1 and one at 2.
  int64_t cData[1 + 4] = {-7, 1, 2, 3, 4};
  int64_t dData[2 + 4] = {-7, -7, 10, 20, 30, 40};
  I64x1 c = {cData, cData, 1, {4}, {1}};
  I64x1 d = {dData, dData, 2, {4}, {1}};
  I64x1 sum;
  _mlir_ciface_add_i64(&sum, &c, &d);
  int sumFailures = 0;
  for (int i = 0; i < 4; ++i)
    if (sum.aligned[sum.offset + i] != 11 * (i + 1)) {
      printf("add_i64[%d] = %lld, expected %d\n", i,
             (long long)sum.aligned[sum.offset + i], 11 * (i + 1));
      ++sumFailures;
    }
  free(sum.allocated);
  if (!sumFailures)
    printf("add_i64: ok\n");
  return failures + sumFailures ? 1 : 0;
}
