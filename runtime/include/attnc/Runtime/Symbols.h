//===- Symbols.h - the symbols a compiled library exports ------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The names that tie a library `attnc compile` writes to the code that loads
// it: the compiler emits them (attnc-export-functions,
// attnc-destination-entries), the LLVM-free runtime and the JIT look them up.
// One definition for both sides, so that neither spells a name the other
// could change. docs/abi.md describes what each symbol holds. The namespace
// is neither side's (the compiler's mlir::attnc, the runtime's
// attnc::runtime): a top-level `attnc` would make `attnc::` ambiguous in
// compiler code that uses namespace mlir.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_SYMBOLS_H
#define ATTNC_RUNTIME_SYMBOLS_H

namespace attnc_symbols {

/// The C interface of exported function `f`: `_mlir_ciface_f`.
inline constexpr char kCInterfacePrefix[] = "_mlir_ciface_";
/// The exported signature string of `f`: `attnc_signature_f`.
inline constexpr char kSignaturePrefix[] = "attnc_signature_";
/// The results of `f` computed in place into its arguments
/// ("result:argument,..."): `attnc_inplace_f`.
inline constexpr char kInPlacePrefix[] = "attnc_inplace_";
/// The destination-passing entry point of `f`: `attnc_into_f` (its C
/// interface is `_mlir_ciface_attnc_into_f`).
inline constexpr char kDestinationEntryPrefix[] = "attnc_into_";
/// The string naming the device a library's functions run on ("cpu" or
/// "cuda").
inline constexpr char kTarget[] = "attnc_target";

} // namespace attnc_symbols

#endif // ATTNC_RUNTIME_SYMBOLS_H
