//===- AMX.h - the AMX state of the process, at run time -------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Linux gives a process the AMX tile state only on request
// (arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA), kernels 5.16 and
// later); the first tile instruction of a process that did not ask raises
// SIGILL. Compiled code asks for it itself, once per process, so that a
// library from `attnc compile` runs in any caller, and takes its AMX kernels
// only where the request succeeded (an older kernel, a CPU without AMX, or a
// seccomp policy that refuses it get the AVX-512 kernels). The AMX branch
// is moved into a function of its own (attnc-outline-amx-regions) so that
// the `tilerelease` LLVM puts at every return of a function that uses tiles
// runs only where they did.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TRANSFORMS_AMX_H
#define ATTNC_TRANSFORMS_AMX_H

#include "mlir/IR/Builders.h"

namespace mlir::attnc {

/// The name of the module-level i32 that records the request's outcome: 0
/// not asked yet, 1 granted, 2 refused.
constexpr const char *kAMXStateGlobal = "__attnc_amx_state";

/// Emits, at the builder's insertion point, an i1 that is true where this
/// process may execute AMX tile instructions. The first evaluation in a
/// process makes the arch_prctl system call (inline `syscall`, no libc
/// symbol) and records its outcome in `kAMXStateGlobal`, which is created
/// in the enclosing module on first use; later ones only load it. Threads
/// racing on the first call all ask and store the same outcome.
Value buildAMXGrantedCheck(OpBuilder &builder, Location loc);

} // namespace mlir::attnc

#endif // ATTNC_TRANSFORMS_AMX_H
