/*===- attnc_abi.h - The C ABI of libraries made by `attnc compile` -------===*
 *
 * Part of the attnc project.
 *
 *===----------------------------------------------------------------------===*
 *
 * Plain C99 (usable from C++ as well), no LLVM or MLIR: what a C program
 * needs to call a library made by `attnc compile kernel.mlir -o lib.so`,
 * CPU or CUDA. docs/abi.md is the reference; examples/c/attention.c and
 * examples/python/attention_ctypes.py use it.
 *
 * Each public function @f of the compiled module exports:
 *
 *   void _mlir_ciface_f(Results *results, attnc_memref_Nd *arg0, ...);
 *   const char attnc_signature_f[];   -- its MLIR type, NUL-terminated
 *   const char attnc_inplace_f[];     -- only if some result is an argument
 *                                        updated in place: "0:3,1:4"
 *
 * The library declares no prototype for _mlir_ciface_f (its arguments
 * depend on the function); write one with the descriptor types below:
 *
 *   #include "attnc/attnc_abi.h"
 *   // func.func @attention(tensor<1x12x512x64xf32> x3) -> tensor<...>
 *   void _mlir_ciface_attention(attnc_memref_4d *out, attnc_memref_4d *q,
 *                               attnc_memref_4d *k, attnc_memref_4d *v);
 *   ATTNC_DECLARE_SIGNATURE(attention);
 *
 * attnc_signature_f and attnc_inplace_f are ARRAYS of char, not pointers:
 * declaring them as `extern const char *attnc_signature_f;` reads the
 * string's first bytes as an address and crashes. The same holds through
 * dlsym() (its result is the string itself, not a pointer to one) and
 * Python's ctypes (use c_char.in_dll + addressof, not c_char_p.in_dll).
 *
 *===----------------------------------------------------------------------===*/

#ifndef ATTNC_ATTNC_ABI_H
#define ATTNC_ATTNC_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Symbols a library may lack are declared weak where the compiler allows:
 * their address is then NULL instead of failing the link. */
#if defined(__GNUC__) || defined(__clang__)
#define ATTNC_WEAK __attribute__((weak))
#else
#define ATTNC_WEAK
#endif

/*===-------------------------- Memref descriptors -----------------------===*
 *
 * MLIR's StridedMemRefType<T, N> with `void *` data pointers: one struct
 * per rank, the same for every element type (cast `aligned` to float *,
 * int64_t *, uint16_t * for f16/bf16, uint8_t * for i1, ...). Every field is
 * 8 bytes on the 64-bit targets attnc supports, so there is no padding.
 *
 * - allocated: what to free() (CPU results) or cuMemFree (CUDA results);
 * - aligned:   where the data is; the tensor starts at element `offset`;
 * - sizes, strides: in elements; arguments must be row-major contiguous
 *   (a dimension of size 1 may have any stride).
 *
 * A scalar (a 0-d tensor) is attnc_memref_0d. ATTNC_MEMREF(4) names
 * attnc_memref_4d.
 */

#define ATTNC_MAX_RANK 5
#define ATTNC_MEMREF(RANK) attnc_memref_##RANK##d

typedef struct attnc_memref_0d {
  void *allocated;
  void *aligned;
  int64_t offset;
} attnc_memref_0d;

#define ATTNC_DEFINE_MEMREF_(RANK)                                             \
  typedef struct attnc_memref_##RANK##d {                                      \
    void *allocated;                                                           \
    void *aligned;                                                             \
    int64_t offset;                                                            \
    int64_t sizes[RANK];                                                       \
    int64_t strides[RANK];                                                     \
  } attnc_memref_##RANK##d;

ATTNC_DEFINE_MEMREF_(1)
ATTNC_DEFINE_MEMREF_(2)
ATTNC_DEFINE_MEMREF_(3)
ATTNC_DEFINE_MEMREF_(4)
ATTNC_DEFINE_MEMREF_(5)
#undef ATTNC_DEFINE_MEMREF_

/* The number of elements of a tensor of these sizes (1 for rank 0). */
static inline int64_t attnc_num_elements(int rank, const int64_t *sizes) {
  int64_t n = 1;
  int i;
  for (i = 0; i < rank; ++i)
    n *= sizes[i];
  return n;
}

/* The row-major contiguous strides of `sizes`, written to `strides`. */
static inline void attnc_contiguous_strides(int rank, const int64_t *sizes,
                                            int64_t *strides) {
  int64_t stride = 1;
  int i;
  for (i = rank - 1; i >= 0; --i) {
    strides[i] = stride;
    stride *= sizes[i];
  }
}

/* attnc_memref_Nd_init(&desc, data, sizes): a contiguous descriptor of
 * `data` (allocated = aligned = data, offset 0) with `sizes` (N of them)
 * and their row-major strides. */
static inline void attnc_memref_0d_init(attnc_memref_0d *desc, void *data) {
  desc->allocated = data;
  desc->aligned = data;
  desc->offset = 0;
}

#define ATTNC_DEFINE_MEMREF_INIT_(RANK)                                        \
  static inline void attnc_memref_##RANK##d_init(                              \
      attnc_memref_##RANK##d *desc, void *data, const int64_t *sizes) {        \
    int i;                                                                     \
    desc->allocated = data;                                                    \
    desc->aligned = data;                                                      \
    desc->offset = 0;                                                          \
    for (i = 0; i < RANK; ++i)                                                 \
      desc->sizes[i] = sizes[i];                                               \
    attnc_contiguous_strides(RANK, desc->sizes, desc->strides);                \
  }

ATTNC_DEFINE_MEMREF_INIT_(1)
ATTNC_DEFINE_MEMREF_INIT_(2)
ATTNC_DEFINE_MEMREF_INIT_(3)
ATTNC_DEFINE_MEMREF_INIT_(4)
ATTNC_DEFINE_MEMREF_INIT_(5)
#undef ATTNC_DEFINE_MEMREF_INIT_

/* Where element 0 of a descriptor's tensor is, as an ELEMENT_TYPE *:
 * aligned + offset elements. */
#define ATTNC_MEMREF_DATA(DESC, ELEMENT_TYPE)                                  \
  ((ELEMENT_TYPE *)(DESC).aligned + (DESC).offset)

/*===----------------------- Per-function symbols ------------------------===*
 *
 * ATTNC_DECLARE_SIGNATURE(f) declares `extern const char
 * attnc_signature_f[]`, e.g. "(tensor<2x3xf32>) -> tensor<2x3xf32>".
 * ATTNC_DECLARE_INPLACE(f) declares `attnc_inplace_f[]`, weak: only
 * functions with in-place results have it, and its address is NULL
 * otherwise. Results named there are not in _mlir_ciface_f's results
 * struct; the caller reads them from its own argument buffers.
 */
#define ATTNC_DECLARE_SIGNATURE(F) extern const char attnc_signature_##F[]
#define ATTNC_DECLARE_INPLACE(F) extern ATTNC_WEAK const char attnc_inplace_##F[]

/*===----------------------- Library-level symbols -----------------------===*
 *
 * Declared weak: a CPU library has no attnc_cuda_* functions, so their
 * addresses are NULL when such a library is linked (test them before
 * calling). A program that dlopens the library uses dlsym instead.
 */

/* "cpu" or "cuda". Its address is NULL in a library that lacks it (older
 * CPU libraries): a library without it is a CPU library. */
extern ATTNC_WEAK const char attnc_target[];

/* CPU libraries only: the per-thread pool of the temporaries compiled
 * functions allocate and free within a call (docs/abi.md, "Memory"). A
 * thread keeps the blocks its calls freed, up to 32 blocks and 1 GiB, so
 * that its next calls allocate nothing; they are freed when the thread
 * exits. attnc_workspace_release() frees the calling thread's blocks now;
 * attnc_workspace_cached_bytes() says how many bytes it keeps. The other
 * two are what compiled code calls. */
ATTNC_WEAK void attnc_workspace_release(void);
ATTNC_WEAK int64_t attnc_workspace_cached_bytes(void);
ATTNC_WEAK void *attnc_workspace_alloc(int64_t bytes);
ATTNC_WEAK void attnc_workspace_free(void *block);

/* CUDA libraries only (docs/abi.md, "CUDA libraries"). */
/* The first CUDA error since the last clear, one line, or NULL. Check it
 * after loading the library and after each call. */
ATTNC_WEAK const char *attnc_cuda_last_error(void);
/* Forgets the error, so that calls work again. */
ATTNC_WEAK void attnc_cuda_clear_error(void);
/* The CUstream this thread's calls run on; NULL: one the library creates
 * per thread (CU_STREAM_DEFAULT flags). */
ATTNC_WEAK void attnc_cuda_set_stream(void *stream);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ATTNC_ATTNC_ABI_H */
