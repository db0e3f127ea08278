//===- TokenizerTest.cpp - Tests of the byte-level BPE tokenizers ---------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Small hand-written vocabularies check the mechanics (pre-tokenizer
// splits, merge order, added tokens, byte fallback, errors); the real GPT-2
// vocabulary is checked against an independent encoder by
// test/Integration/Tokenizer.
//
//===----------------------------------------------------------------------===//

#include "TestFiles.h"

#include "attnc/Runtime/Tokenizer.h"

#include <gtest/gtest.h>

using namespace attnc::runtime;
using attnc::runtime::test::TempDirTest;

namespace {

/// GPT-2's printable stand-in for `byte` (bytes_to_unicode), as UTF-8.
std::string byteSymbol(int byte) {
  int n = 0;
  for (int b = 0; b < 256; ++b) {
    bool printable =
        (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
    int cp = printable ? b : 256 + n++;
    if (b != byte)
      continue;
    std::string out;
    if (cp < 0x80) {
      out += char(cp);
    } else {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    }
    return out;
  }
  return "";
}

/// A JSON object string of the 256 byte tokens (ids 0-255) plus `extra`
/// tokens (ids from 256).
std::string vocabJson(const std::vector<std::string> &extra) {
  std::string json = "{";
  auto escape = [](const std::string &s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    return out;
  };
  for (int b = 0; b < 256; ++b)
    json += (b ? ", \"" : "\"") + escape(byteSymbol(b)) +
            "\": " + std::to_string(b);
  for (size_t i = 0; i < extra.size(); ++i)
    json += ", \"" + escape(extra[i]) + "\": " + std::to_string(256 + i);
  return json + "}";
}

class TokenizerTest : public TempDirTest {
protected:
  /// A GPT-2 style tokenizer with merges h+e, l+l, he+ll, hell+o and
  /// Ġ+w (Ġ is the stand-in of the space byte).
  BpeTokenizer gpt2() {
    std::string space = byteSymbol(' ');
    writeFile("vocab.json",
              vocabJson({"he", "ll", "hell", "hello", space + "w"}));
    writeFile("merges.txt",
              "#version: 0.2\nh e\nl l\nhe ll\nhell o\n" + space + " w\n");
    auto tokenizer = BpeTokenizer::fromDirectory(dir.string());
    EXPECT_TRUE(tokenizer) << tokenizer.getError().getMessage();
    return tokenizer.take();
  }

  std::vector<std::string> pieces(const BpeTokenizer &tokenizer,
                                  std::string_view text) {
    std::vector<std::string> out;
    for (std::string_view piece : tokenizer.preTokenize(text))
      out.emplace_back(piece);
    return out;
  }
};

using Pieces = std::vector<std::string>;

TEST_F(TokenizerTest, Gpt2PreTokenizer) {
  BpeTokenizer tokenizer = gpt2();
  EXPECT_EQ(pieces(tokenizer, "Hello world, it's 42!"),
            (Pieces{"Hello", " world", ",", " it", "'s", " 42", "!"}));
  // A run of spaces gives all but the last to itself; the last one joins
  // the next word. At the end, the run stays whole.
  EXPECT_EQ(pieces(tokenizer, "a   b  "), (Pieces{"a", "  ", " b", "  "}));
  EXPECT_EQ(pieces(tokenizer, "x\n\n y"), (Pieces{"x", "\n\n", " y"}));
  EXPECT_EQ(pieces(tokenizer, "x\ny"), (Pieces{"x", "\n", "y"}));
  // Contractions are case-sensitive in GPT-2's pattern.
  EXPECT_EQ(pieces(tokenizer, "IT'S it's"),
            (Pieces{"IT", "'", "S", " it", "'s"}));
  EXPECT_EQ(pieces(tokenizer, "café 123abc ...!"),
            (Pieces{"café", " 123", "abc", " ...!"}));
  // Letters of any script, numbers of any script, other symbols.
  EXPECT_EQ(pieces(tokenizer, "Привет ١٢٣ 😀😀"),
            (Pieces{"Привет", " ١٢٣", " 😀😀"}));
  EXPECT_EQ(pieces(tokenizer, ""), Pieces{});
}

TEST_F(TokenizerTest, BpeMergesInRankOrder) {
  BpeTokenizer tokenizer = gpt2();
  // "hello" -> h e l l o -> he l l o -> he ll o -> hell o -> hello.
  EXPECT_EQ(tokenizer.encode("hello"), (std::vector<int32_t>{259}));
  // " w" merges, "orld" stays bytes.
  EXPECT_EQ(tokenizer.encode(" world"),
            (std::vector<int32_t>{260, 'o', 'r', 'l', 'd'}));
  // "hellhello": he ll he ll o -> hell hell o -> hell hello.
  EXPECT_EQ(tokenizer.encode("hellhello"), (std::vector<int32_t>{258, 259}));
  // Bytes outside ASCII go through their stand-ins.
  EXPECT_EQ(tokenizer.encode("\xC3\xA9"), (std::vector<int32_t>{0xC3, 0xA9}));
  EXPECT_EQ(tokenizer.getVocabSize(), 261u);
  EXPECT_EQ(tokenizer.lookup("hell"), 258);
  EXPECT_EQ(tokenizer.lookup("nope"), -1);
}

TEST_F(TokenizerTest, DecodeInvertsEncode) {
  BpeTokenizer tokenizer = gpt2();
  for (std::string text : {"hello world", "  x\t\ny  ", "naïve 😀 ١٢٣", ""}) {
    auto decoded = tokenizer.decode(tokenizer.encode(text));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, text);
  }
  // Half a character decodes to U+FFFD; an unknown id is an error.
  EXPECT_EQ(*tokenizer.decode({0xC3}), "\xEF\xBF\xBD");
  EXPECT_EQ(tokenizer.decode({5000}).getError().getMessage(),
            "token id 5000 is outside the vocabulary (261 tokens)");
  EXPECT_EQ(tokenizer.decode({-1}).getError().getMessage(),
            "token id -1 is outside the vocabulary (261 tokens)");
}

TEST_F(TokenizerTest, Llama3TokenizerJson) {
  // Llama 3's pre-tokenizer: case-insensitive contractions, one non-letter
  // may lead a word, numbers in groups of at most 3, newlines with the
  // whitespace before them.
  std::string space = byteSymbol(' ');
  std::string json = R"({"model": {"type": "BPE", "vocab": )" +
                     vocabJson({"ab"}) +
                     R"(, "merges": [["a", "b"]]},
       "added_tokens": [{"id": 257, "content": "<|eot|>", "special": true}],
       "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
         {"type": "Split", "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"},
          "behavior": "Isolated", "invert": false},
         {"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}]}})";
  auto tokenizer = BpeTokenizer::fromTokenizerJson(writeFile("t.json", json));
  ASSERT_TRUE(tokenizer) << tokenizer.getError().getMessage();
  EXPECT_EQ(tokenizer->getPreTokenizer(), PreTokenizer::Llama3);
  EXPECT_EQ(pieces(*tokenizer, "IT'S 1234567 $hello \n\n x"),
            (Pieces{"IT", "'S", " ", "123", "456", "7", " $", "hello", " \n\n",
                    " x"}));
  EXPECT_EQ(pieces(*tokenizer, "a.\n\nb"), (Pieces{"a", ".\n\n", "b"}));
  // Added tokens are matched verbatim, even inside words.
  EXPECT_EQ(tokenizer->encode("ab<|eot|>ab"),
            (std::vector<int32_t>{256, 257, 256}));
  EXPECT_EQ(*tokenizer->decode({256, 257}), "ab<|eot|>");
  EXPECT_EQ(tokenizer->lookup("<|eot|>"), 257);
}

TEST_F(TokenizerTest, LoadErrors) {
  std::string merges = writeFile("merges.txt", "h e\n");
  // A vocabulary without every byte cannot encode arbitrary text.
  std::string vocab = writeFile("vocab.json", R"({"h": 0, "e": 1})");
  auto missing = BpeTokenizer::fromVocabAndMerges(vocab, merges);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.getError().getMessage(),
            "'" + vocab +
                "': the vocabulary lacks the token of byte 0 ('\xC4\x80'), "
                "which byte-level BPE needs");
  writeFile("vocab.json", vocabJson({}));
  writeFile("merges.txt", "#version: 0.2\nh e\nonlyone\n");
  EXPECT_EQ(
      BpeTokenizer::fromVocabAndMerges(vocab, merges).getError().getMessage(),
      "'" + merges + "' line 3: expected two tokens separated by one space");
  writeFile("vocab.json", R"({"a": -3})");
  EXPECT_EQ(
      BpeTokenizer::fromVocabAndMerges(vocab, merges).getError().getMessage(),
      "'" + vocab + "': token 'a' has no valid id");
  std::string json = writeFile(
      "tokenizer.json", R"({"model": {"type": "Unigram", "vocab": []}})");
  EXPECT_EQ(BpeTokenizer::fromTokenizerJson(json).getError().getMessage(),
            "'" + json +
                "': unsupported tokenizer model (only BPE is "
                "supported)");
  writeFile("tokenizer.json",
            R"({"model": {"type": "BPE", "vocab": {}, "merges": []},
                "pre_tokenizer": {"type": "Metaspace"}})");
  EXPECT_EQ(BpeTokenizer::fromTokenizerJson(json).getError().getMessage(),
            "'" + json +
                "': unsupported pre-tokenizer 'Metaspace': expected "
                "GPT-2's ByteLevel or Llama 3's Split + ByteLevel");
  EXPECT_EQ(
      BpeTokenizer::fromDirectory(path("nowhere")).getError().getMessage(),
      "'" + path("nowhere") +
          "' has neither tokenizer.json nor vocab.json and merges.txt");
}

} // namespace
