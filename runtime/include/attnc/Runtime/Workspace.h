//===- Workspace.h - the pool of compiled code's temporaries ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The functions of the attnc kernel runtime (libAttncKernelRuntime.a), which
// compiled CPU libraries link and the JIT resolves in the compiler's
// process. Their C declarations for library users are in attnc/attnc_abi.h
// (weak there, since CUDA libraries lack them); docs/abi.md describes them.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_WORKSPACE_H
#define ATTNC_RUNTIME_WORKSPACE_H

#include <cstdint>

extern "C" {
/// A 64-byte aligned block of at least `bytes` bytes, from the calling
/// thread's cache when it holds one that fits.
void *attnc_workspace_alloc(int64_t bytes);
/// Gives `block` back to the calling thread's cache.
void attnc_workspace_free(void *block);
/// Frees the blocks the calling thread keeps.
void attnc_workspace_release(void);
/// The bytes the calling thread keeps.
int64_t attnc_workspace_cached_bytes(void);
}

#endif // ATTNC_RUNTIME_WORKSPACE_H
