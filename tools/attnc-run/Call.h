//===- Call.h - attnc-run call ----------------------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TOOLS_ATTNC_RUN_CALL_H
#define ATTNC_TOOLS_ATTNC_RUN_CALL_H

namespace attnc::run {

/// True when the command line chose the `call` subcommand.
bool isCallCommand();

/// Runs `attnc-run call`; returns the exit status. `argv0` locates the
/// compiler plugin that a .mlir module needs (see ModuleCompiler.h).
int runCall(const char *argv0);

} // namespace attnc::run

#endif // ATTNC_TOOLS_ATTNC_RUN_CALL_H
