//===- JsonTest.cpp - Tests of the runtime's JSON reader ------------------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Json.h"

#include <gtest/gtest.h>

#include <cmath>

#include <random>
#include <string>

using namespace attnc::runtime;

namespace {

JsonValue parseOk(std::string_view text) {
  auto value = parseJson(text);
  EXPECT_TRUE(value) << text << ": " << value.getError().getMessage();
  return value ? value.take() : JsonValue();
}

std::string parseError(std::string_view text) {
  auto value = parseJson(text);
  EXPECT_FALSE(value) << "accepted: " << text;
  return value ? std::string() : value.getError().getMessage();
}

TEST(JsonTest, ConfigLikeDocument) {
  JsonValue config = parseOk(R"({
    "model_type": "llama", "hidden_size": 2048, "rope_theta": 500000.0,
    "rms_norm_eps": 1e-05, "tie_word_embeddings": true, "rope_scaling": null,
    "architectures": ["LlamaForCausalLM"], "nested": {"a": [1, [2, {}]]}
  })");
  ASSERT_TRUE(config.isObject());
  EXPECT_EQ(config.find("model_type")->getString(), "llama");
  EXPECT_EQ(config.find("hidden_size")->getInteger(), 2048);
  EXPECT_EQ(config.find("rope_theta")->getInteger(), 500000);
  EXPECT_DOUBLE_EQ(config.find("rms_norm_eps")->getNumber(), 1e-5);
  EXPECT_FALSE(config.find("rms_norm_eps")->getInteger());
  EXPECT_TRUE(config.find("tie_word_embeddings")->getBool());
  EXPECT_TRUE(config.find("rope_scaling")->isNull());
  EXPECT_EQ(config.find("architectures")->getElements().at(0).getString(),
            "LlamaForCausalLM");
  EXPECT_EQ(config.find("missing"), nullptr);
  EXPECT_EQ(config.getMembers().front().first, "model_type");
}

TEST(JsonTest, Numbers) {
  EXPECT_EQ(parseOk("-0").getInteger(), 0);
  EXPECT_EQ(parseOk("9007199254740993").getInteger(), 9007199254740993LL);
  EXPECT_EQ(parseOk("-9223372036854775808").getInteger(), INT64_MIN);
  // Past int64: a double only.
  JsonValue big = parseOk("18446744073709551616");
  EXPECT_FALSE(big.getInteger());
  EXPECT_DOUBLE_EQ(big.getNumber(), 18446744073709551616.0);
  EXPECT_DOUBLE_EQ(parseOk("2.5E-3").getNumber(), 2.5e-3);
  EXPECT_FALSE(parseOk("2.5").getInteger());
  // Integers are read as integers, and their doubles agree.
  EXPECT_EQ(parseOk("128000").getInteger(), 128000);
  EXPECT_EQ(parseOk("128000").getNumber(), 128000.0);
  EXPECT_EQ(parseOk("-17").getNumber(), -17.0);
  EXPECT_TRUE(std::signbit(parseOk("-0").getNumber()));
  EXPECT_DOUBLE_EQ(parseOk("9007199254740993").getNumber(), 9007199254740992.0);
}

TEST(JsonTest, AccessorsOfAnotherKind) {
  JsonValue number = parseOk("3");
  EXPECT_EQ(number.getString(), "");
  EXPECT_TRUE(number.getElements().empty());
  EXPECT_TRUE(number.getMembers().empty());
  EXPECT_FALSE(number.getBool());
  EXPECT_EQ(number.find("a"), nullptr);
  JsonValue text = parseOk("\"t\"");
  EXPECT_EQ(text.getNumber(), 0);
  EXPECT_FALSE(text.getInteger());
  EXPECT_EQ(parseOk("[1, true]").getElements()[1].getKind(),
            JsonValue::Kind::Bool);
  EXPECT_TRUE(parseOk("null").isNull());
}

TEST(JsonTest, StringsAndEscapes) {
  EXPECT_EQ(parseOk(R"("a\"b\\c\/d\b\f\n\r\t")").getString(),
            "a\"b\\c/d\b\f\n\r\t");
  // BMP escapes, a surrogate pair (U+1F600), raw UTF-8 passed through.
  EXPECT_EQ(parseOk(R"("\u0120\u00e9\ud83d\ude00")").getString(),
            "\xC4\xA0\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(parseOk("\"\xE2\x82\xAC\"").getString(), "\xE2\x82\xAC");
  EXPECT_EQ(parseOk(R"("\u0000")").getString(), std::string(1, '\0'));
}

TEST(JsonTest, LastDuplicateKeyWins) {
  EXPECT_EQ(parseOk(R"({"a": 1, "a": 2})").find("a")->getInteger(), 2);
}

TEST(JsonTest, ErrorsSayWhereAndWhat) {
  EXPECT_EQ(parseError("{\n  \"a\": 1,\n  \"b\" 2\n}"),
            "line 3, column 7: expected ':', got '2'");
  EXPECT_EQ(parseError("[1, 2"), "line 1, column 6: expected ',' or ']', "
                                 "got the end of the input");
  EXPECT_EQ(parseError("{\"a\": tru}"),
            "line 1, column 7: expected a value, got 't'");
  EXPECT_EQ(parseError("[1] x"),
            "line 1, column 5: expected the end of the document, got 'x'");
  EXPECT_EQ(parseError("01"),
            "line 1, column 2: expected the end of the document, got '1'");
  EXPECT_EQ(parseError("1."),
            "line 1, column 3: expected a digit after '.', got the end of "
            "the input");
  EXPECT_EQ(parseError("\"\\x\""), "line 1, column 3: expected one of \\\" "
                                   "\\\\ \\/ \\b \\f \\n \\r \\t \\u, got 'x'");
  EXPECT_EQ(parseError("\"a\nb\""),
            "line 1, column 3: expected an escaped control character in a "
            "string, got byte 10");
  EXPECT_EQ(parseError(R"("\ud83d")"),
            "line 1, column 8: expected a low surrogate after a high one, "
            "got '\"'");
  EXPECT_EQ(parseError(R"("\ude00")"),
            "line 1, column 8: expected a high surrogate before a low one, "
            "got '\"'");
  EXPECT_EQ(parseError("\"\xC3\x28\""),
            "line 1, column 2: expected valid UTF-8 in a string, got byte "
            "195");
  EXPECT_EQ(parseError("\"\xED\xA0\x80\""),
            "line 1, column 2: expected valid UTF-8 in a string, got byte "
            "237");
  EXPECT_EQ(parseError(""),
            "line 1, column 1: expected a value, got the end of the input");
  EXPECT_EQ(parseError("{1: 2}"),
            "line 1, column 2: expected a string key, got '1'");
}

TEST(JsonTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(100000, '[');
  EXPECT_NE(parseError(deep).find("nesting deeper than 256 levels"),
            std::string::npos);
  std::string ok = std::string(200, '[') + std::string(200, ']');
  EXPECT_TRUE(parseJson(ok));
}

// Random truncations and byte flips of a valid document are either parsed
// or rejected with a message; never a crash (run under ASan to see more).
TEST(JsonTest, MutatedDocumentsNeverCrash) {
  const std::string valid = R"({"dtype": "F32", "shape": [2, 3],
    "data_offsets": [0, 24], "s": "\u00e9\ud83d\ude00", "n": -1.5e3})";
  std::mt19937 random(7);
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text = valid;
    if (trial % 3 == 0)
      text.resize(random() % text.size());
    int flips = 1 + random() % 3;
    for (int i = 0; i < flips && !text.empty(); ++i)
      text[random() % text.size()] = static_cast<char>(random());
    auto value = parseJson(text);
    if (!value)
      EXPECT_FALSE(value.getError().getMessage().empty());
  }
}

} // namespace
