//===- Generate.h - attnc-run generate and logits ---------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TOOLS_ATTNC_RUN_GENERATE_H
#define ATTNC_TOOLS_ATTNC_RUN_GENERATE_H

#include "attnc/Runtime/Error.h"

#include <string>

namespace attnc::run {

/// The model directory `artifact` (a model.attnc) was compiled from, as its
/// manifest records it: the default of --model-dir. A one-line error when
/// the manifest records none, or the directory is gone.
runtime::Expected<std::string>
getRecordedModelDirectory(const std::string &artifact);

/// True when the command line chose `generate` or `logits`.
bool isGenerateCommand();
bool isLogitsCommand();

/// Run `attnc-run generate` / `attnc-run logits`; return the exit status.
int runGenerate();
int runLogits();

} // namespace attnc::run

#endif // ATTNC_TOOLS_ATTNC_RUN_GENERATE_H
