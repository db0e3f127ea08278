//===- ForeignCall.h - Calls into code compiled elsewhere -------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Internal to the runtime library. ATTNC_NO_SANITIZE_FUNCTION marks the few
// functions that call, through a pointer, code that neither this compiler nor
// its sanitizers produced: kernels the JIT compiled, and the entry points of
// libraries made by `attnc compile`.
//
// clang's -fsanitize=function (part of -fsanitize=undefined) checks every
// indirect call by reading the 8 bytes before the callee, where its
// instrumented functions keep a type signature. Code from the JIT or from an
// uninstrumented library has none, so the check can only be skipped; worse,
// the ORC JIT places an entry point at the very start of a fresh mapping,
// where the read faults (SEGV before the callee runs, depending on where the
// code lands: llvm/llvm-project#104505 and #65253). Every other indirect call
// of attnc stays checked.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_LIB_FOREIGNCALL_H
#define ATTNC_RUNTIME_LIB_FOREIGNCALL_H

#if defined(__clang__)
#define ATTNC_NO_SANITIZE_FUNCTION __attribute__((no_sanitize("function")))
#else
// GCC has no -fsanitize=function.
#define ATTNC_NO_SANITIZE_FUNCTION
#endif

#endif // ATTNC_RUNTIME_LIB_FOREIGNCALL_H
