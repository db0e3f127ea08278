//===- Generate.h - attnc-run generate and logits ---------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TOOLS_ATTNC_RUN_GENERATE_H
#define ATTNC_TOOLS_ATTNC_RUN_GENERATE_H

#include "attnc/Runtime/Error.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace attnc::run {

/// The model directory `artifact` (a model.attnc) was compiled from, as its
/// manifest records it: the default of --model-dir. A one-line error when
/// the manifest records none, or the directory is gone.
runtime::Expected<std::string>
getRecordedModelDirectory(const std::string &artifact);

/// The ids of a --tokens list: "1,2,3", "1 2 3" (what `attnc-run tokenize`
/// prints) or "1, 2, 3"; a one-line error for a field that is not an
/// int32, or for no ids at all.
runtime::Expected<std::vector<int32_t>> parseTokenIds(llvm::StringRef text);

/// True when the command line chose `generate` or `logits`.
bool isGenerateCommand();
bool isLogitsCommand();

/// Run `attnc-run generate` / `attnc-run logits`; return the exit status.
int runGenerate();
int runLogits();

} // namespace attnc::run

#endif // ATTNC_TOOLS_ATTNC_RUN_GENERATE_H
