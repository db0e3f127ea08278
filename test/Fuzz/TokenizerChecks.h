//===- TokenizerChecks.h - properties every tokenizer keeps -----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TEST_FUZZ_TOKENIZERCHECKS_H
#define ATTNC_TEST_FUZZ_TOKENIZERCHECKS_H

#include "attnc/Runtime/Tokenizer.h"

#include <string_view>

namespace attnc::fuzz {

/// Checks that `tokenizer` encodes `text` the same way twice, to ids that
/// decode to valid UTF-8. With `exact` (a byte-level tokenizer without a
/// normalizer or prefix space), also that decode(encode(text)) == text when
/// `text` is valid UTF-8.
void checkEncodeDecode(const runtime::BpeTokenizer &tokenizer,
                       std::string_view text, bool exact);

} // namespace attnc::fuzz

#endif // ATTNC_TEST_FUZZ_TOKENIZERCHECKS_H
