//===- Generate.h - attnc-run generate and logits ---------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TOOLS_ATTNC_RUN_GENERATE_H
#define ATTNC_TOOLS_ATTNC_RUN_GENERATE_H

namespace attnc::run {

/// True when the command line chose `generate` or `logits`.
bool isGenerateCommand();
bool isLogitsCommand();

/// Run `attnc-run generate` / `attnc-run logits`; return the exit status.
int runGenerate();
int runLogits();

} // namespace attnc::run

#endif // ATTNC_TOOLS_ATTNC_RUN_GENERATE_H
