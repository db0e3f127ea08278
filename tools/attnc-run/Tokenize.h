//===- Tokenize.h - attnc-run tokenize --------------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TOOLS_ATTNC_RUN_TOKENIZE_H
#define ATTNC_TOOLS_ATTNC_RUN_TOKENIZE_H

namespace attnc::run {

/// True when the command line chose the `tokenize` subcommand.
bool isTokenizeCommand();

/// Runs `attnc-run tokenize`; returns the exit status.
int runTokenize();

} // namespace attnc::run

#endif // ATTNC_TOOLS_ATTNC_RUN_TOKENIZE_H
