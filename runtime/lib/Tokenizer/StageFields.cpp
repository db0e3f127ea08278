//===- StageFields.cpp - Typed fields of tokenizer.json stages ------------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "TokenizerImpl.h"

#include "attnc/Runtime/Text.h"

using namespace attnc::runtime;
using namespace attnc::runtime::tokenizer;

Expected<std::string> tokenizer::getStageType(const JsonValue &value,
                                              const std::string &field) {
  const JsonValue *type = value.find("type");
  if (!type || !type->isString())
    return Error::failure(field + ": expected an object with a 'type'");
  return type->getString();
}

Expected<bool> tokenizer::getBoolField(const JsonValue &value, const char *key,
                                       bool otherwise,
                                       const std::string &field) {
  const JsonValue *member = value.find(key);
  if (!member || member->isNull())
    return otherwise;
  if (!member->isBool())
    return Error::failure(field + "." + key + ": expected a boolean");
  return member->getBool();
}

Expected<std::string> tokenizer::getStringField(const JsonValue &value,
                                                const char *key,
                                                const std::string &field) {
  const JsonValue *member = value.find(key);
  if (!member || !member->isString())
    return Error::failure(field + "." + key + ": expected a string");
  return member->getString();
}

Expected<std::string> tokenizer::getCharField(const JsonValue &value,
                                              const char *key,
                                              const std::string &otherwise,
                                              const std::string &field) {
  const JsonValue *member = value.find(key);
  if (!member)
    return otherwise;
  if (!member->isString() || member->getString().empty() ||
      getValidUtf8Length(member->getString(), 0) != member->getString().size())
    return Error::failure(field + "." + key + ": expected one character");
  return member->getString();
}

Expected<Pattern> tokenizer::getPatternField(const JsonValue &value,
                                             const std::string &field) {
  auto pattern = Pattern::parse(value.find("pattern"));
  if (!pattern)
    return Error::failure(field +
                          ".pattern: " + pattern.getError().getMessage());
  return pattern;
}

Expected<PrependScheme> tokenizer::getPrependScheme(const JsonValue &value,
                                                    const std::string &field) {
  if (const JsonValue *scheme = value.find("prepend_scheme")) {
    std::string name = scheme->isString() ? scheme->getString() : "";
    if (name == "always")
      return PrependScheme::Always;
    if (name == "first")
      return PrependScheme::First;
    if (name == "never")
      return PrependScheme::Never;
    return Error::failure(field +
                          ".prepend_scheme: expected always, first or never");
  }
  auto add = getBoolField(value, "add_prefix_space", true, field);
  if (!add)
    return add.takeError();
  return *add ? PrependScheme::Always : PrependScheme::Never;
}
