//===- TokenizerTest.cpp - Tests of the byte-level BPE tokenizers ---------===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Small hand-written vocabularies check the mechanics (pre-tokenizer
// splits and behaviors, normalizers, merge order, BPE options, added tokens
// and their flags, decoders, streaming, errors), with ids worked out by
// hand; the real GPT-2, Llama 3, Qwen3 and Llama 2 vocabularies are checked
// against independent encoders by test/Integration/Tokenizer.
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
using Ids = std::vector<int32_t>;

/// `pieces` in GPT-2's byte-symbol spelling (" world" -> "Ġworld").
Pieces byteLevel(const Pieces &pieces) {
  Pieces out;
  for (const std::string &piece : pieces) {
    std::string spelled;
    for (char c : piece)
      spelled += byteSymbol(static_cast<unsigned char>(c));
    out.push_back(spelled);
  }
  return out;
}

TEST_F(TokenizerTest, Gpt2PreTokenizer) {
  BpeTokenizer tokenizer = gpt2();
  EXPECT_EQ(pieces(tokenizer, "Hello world, it's 42!"),
            byteLevel({"Hello", " world", ",", " it", "'s", " 42", "!"}));
  // A run of spaces gives all but the last to itself; the last one joins
  // the next word. At the end, the run stays whole.
  EXPECT_EQ(pieces(tokenizer, "a   b  "), byteLevel({"a", "  ", " b", "  "}));
  EXPECT_EQ(pieces(tokenizer, "x\n\n y"), byteLevel({"x", "\n\n", " y"}));
  EXPECT_EQ(pieces(tokenizer, "x\ny"), byteLevel({"x", "\n", "y"}));
  // Contractions are case-sensitive in GPT-2's pattern.
  EXPECT_EQ(pieces(tokenizer, "IT'S it's"),
            byteLevel({"IT", "'", "S", " it", "'s"}));
  EXPECT_EQ(pieces(tokenizer, "café 123abc ...!"),
            byteLevel({"café", " 123", "abc", " ...!"}));
  // Letters of any script, numbers of any script, other symbols.
  EXPECT_EQ(pieces(tokenizer, "Привет ١٢٣ 😀😀"),
            byteLevel({"Привет", " ١٢٣", " 😀😀"}));
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
  // Half a character decodes to one U+FFFD (per maximal invalid
  // subsequence, as Rust's from_utf8_lossy); an unknown id is an error.
  EXPECT_EQ(*tokenizer.decode({0xC3}), "\xEF\xBF\xBD");
  EXPECT_EQ(*tokenizer.decode({0xE4, 0xBD, 'a'}), "\xEF\xBF\xBD"
                                                  "a");
  EXPECT_EQ(*tokenizer.decode({0xE4, 0xE4, 0xFF}),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(*tokenizer.decode({0xED, 0xA0, 0x80}), // A surrogate.
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
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
  EXPECT_EQ(pieces(*tokenizer, "IT'S 1234567 $hello \n\n x"),
            byteLevel({"IT", "'S", " ", "123", "456", "7", " $", "hello",
                       " \n\n", " x"}));
  EXPECT_EQ(pieces(*tokenizer, "a.\n\nb"), byteLevel({"a", ".\n\n", "b"}));
  // Added tokens are matched verbatim, even inside words.
  EXPECT_EQ(tokenizer->encode("ab<|eot|>ab"),
            (std::vector<int32_t>{256, 257, 256}));
  // No decoder in the file, but a ByteLevel pre-tokenizer: decoded as
  // bytes (Hugging Face would join the token strings with spaces).
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
                "': model.type: unsupported tokenizer model 'Unigram' "
                "(only BPE is supported)");
  writeFile("tokenizer.json",
            R"({"model": {"type": "BPE", "vocab": {}, "merges": []},
                "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                  {"type": "Digits"}, {"type": "UnicodeScripts"}]}})");
  EXPECT_EQ(BpeTokenizer::fromTokenizerJson(json).getError().getMessage(),
            "'" + json +
                "': pre_tokenizer.pretokenizers[1]: unsupported "
                "pre-tokenizer type 'UnicodeScripts'");
  EXPECT_EQ(
      BpeTokenizer::fromDirectory(path("nowhere")).getError().getMessage(),
      "'" + path("nowhere") +
          "' has neither tokenizer.json nor vocab.json and merges.txt");
}

//===----------------------------------------------------------------------===//
// tokenizer.json stages on a character-level vocabulary: the printable
// ASCII characters have their code as id, so ids read as text.
//===----------------------------------------------------------------------===//

/// JSON members of the printable ASCII characters (id = code) and `extra`
/// (token, id) pairs.
std::string charVocab(const std::vector<std::pair<std::string, int>> &extra) {
  std::string json;
  auto escape = [](const std::string &s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    return out;
  };
  for (int c = 0x20; c < 0x7F; ++c)
    json += std::string(json.empty() ? "" : ", ") + "\"" +
            escape(std::string(1, char(c))) + "\": " + std::to_string(c);
  for (const auto &[token, id] : extra)
    json += ", \"" + escape(token) + "\": " + std::to_string(id);
  return "{" + json + "}";
}

/// The ids of `text` with one id per character.
Ids charIds(std::string_view text) { return Ids(text.begin(), text.end()); }

class TokenizerJsonTest : public TempDirTest {
protected:
  /// A tokenizer.json with a BPE `model` and the other top-level `members`.
  BpeTokenizer load(const std::string &model, const std::string &members) {
    std::string json =
        R"({"model": )" + model + (members.empty() ? "" : ", " + members) + "}";
    auto tokenizer =
        BpeTokenizer::fromTokenizerJson(writeFile("tokenizer.json", json));
    EXPECT_TRUE(tokenizer) << tokenizer.getError().getMessage();
    return tokenizer.take();
  }
  /// The character-level model plus `members`.
  BpeTokenizer
  chars(const std::string &members,
        const std::vector<std::pair<std::string, int>> &extra = {}) {
    return load(R"({"type": "BPE", "vocab": )" + charVocab(extra) +
                    R"(, "merges": []})",
                members);
  }
  Pieces pieces(const BpeTokenizer &tokenizer, std::string_view text) {
    Pieces out;
    for (std::string_view piece : tokenizer.preTokenize(text))
      out.emplace_back(piece);
    return out;
  }
  std::string decode(const BpeTokenizer &tokenizer, const Ids &ids) {
    auto text = tokenizer.decode(ids);
    EXPECT_TRUE(text) << text.getError().getMessage();
    return text ? *text : "";
  }
};

std::string split(const std::string &behavior, bool invert = false) {
  return R"("pre_tokenizer": {"type": "Split", "pattern": {"String": "-"},
            "behavior": ")" +
         behavior + R"(", "invert": )" + (invert ? "true" : "false") + "}";
}

TEST_F(TokenizerJsonTest, SplitBehaviors) {
  // a - b - - c -: the matches are the dashes.
  const char *text = "a-b--c-";
  EXPECT_EQ(pieces(chars(split("Removed")), text), (Pieces{"a", "b", "c"}));
  EXPECT_EQ(pieces(chars(split("Isolated")), text),
            (Pieces{"a", "-", "b", "-", "-", "c", "-"}));
  // A match joins the piece before it, unless that is a match.
  EXPECT_EQ(pieces(chars(split("MergedWithPrevious")), text),
            (Pieces{"a-", "b-", "-", "c-"}));
  // A match joins the piece after it, unless that is a match.
  EXPECT_EQ(pieces(chars(split("MergedWithNext")), text),
            (Pieces{"a", "-b", "-", "-c", "-"}));
  // Consecutive matches stay together.
  EXPECT_EQ(pieces(chars(split("Contiguous")), text),
            (Pieces{"a", "-", "b", "--", "c", "-"}));
  // invert: the text between dashes is what matches.
  EXPECT_EQ(pieces(chars(split("Removed", true)), text),
            (Pieces{"-", "-", "-", "-"}));
  EXPECT_EQ(pieces(chars(split("MergedWithPrevious", true)), text),
            (Pieces{"a", "-b", "-", "-c", "-"}));
  EXPECT_EQ(pieces(chars(split("Isolated")), "---"), (Pieces{"-", "-", "-"}));
  EXPECT_EQ(pieces(chars(split("Isolated")), ""), Pieces{});
  // Splitting changes pieces, not ids, for a character-level model.
  EXPECT_EQ(chars(split("Removed")).encode(text), charIds("abc"));
}

TEST_F(TokenizerJsonTest, SplitRegexOniguruma) {
  // Patterns run on Oniguruma: Unicode classes, lookahead, inline flags.
  auto regex = [&](const std::string &pattern, const char *behavior) {
    return chars(R"("pre_tokenizer": {"type": "Split", "pattern": {"Regex": )" +
                 pattern + R"(}, "behavior": ")" + behavior +
                 R"(", "invert": false})");
  };
  EXPECT_EQ(pieces(regex(R"("\\p{N}+")", "Isolated"), "ab12cd345"),
            (Pieces{"ab", "12", "cd", "345"}));
  EXPECT_EQ(pieces(regex(R"("\\s+(?!\\S)|\\s+")", "Isolated"), "a   b"),
            (Pieces{"a", "  ", " ", "b"}));
  EXPECT_EQ(pieces(regex(R"x("(?i:'s)")x", "MergedWithPrevious"), "IT'S it's"),
            (Pieces{"IT'S", " it's"}));
  // \p{L} covers every script; \s covers Unicode spaces (U+3000).
  EXPECT_EQ(pieces(regex(R"("\\p{L}+")", "Removed"), "Привет　мир1"),
            (Pieces{"　", "1"}));
  // An empty match splits nothing.
  EXPECT_EQ(pieces(regex(R"("x*")", "Isolated"), "axxb"),
            (Pieces{"a", "xx", "b"}));
}

TEST_F(TokenizerJsonTest, CharacterClassPreTokenizers) {
  auto pre = [&](const std::string &object) {
    return chars(R"("pre_tokenizer": )" + object);
  };
  EXPECT_EQ(pieces(pre(R"({"type": "Digits", "individual_digits": true})"),
                   "ab123c٤٥"),
            (Pieces{"ab", "1", "2", "3", "c", "٤", "٥"}));
  EXPECT_EQ(pieces(pre(R"({"type": "Digits", "individual_digits": false})"),
                   "ab123c"),
            (Pieces{"ab", "123", "c"}));
  EXPECT_EQ(pieces(pre(R"({"type": "Punctuation"})"), "hi, there!?"),
            (Pieces{"hi", ",", " there", "!", "?"}));
  EXPECT_EQ(pieces(pre(R"({"type": "Punctuation", "behavior": "Contiguous"})"),
                   "hi, there!?"),
            (Pieces{"hi", ",", " there", "!?"}));
  // \w+|[^\w\s]+, dropping whitespace.
  EXPECT_EQ(pieces(pre(R"({"type": "Whitespace"})"), "hi, there!!  x_1"),
            (Pieces{"hi", ",", "there", "!!", "x_1"}));
  EXPECT_EQ(pieces(pre(R"({"type": "WhitespaceSplit"})"), " hi, there!!\t\n x"),
            (Pieces{"hi,", "there!!", "x"}));
  EXPECT_EQ(pieces(pre(R"({"type": "CharDelimiterSplit", "delimiter": "|"})"),
                   "a|b||c"),
            (Pieces{"a", "b", "c"}));
  EXPECT_EQ(pieces(pre(R"({"type": "Sequence", "pretokenizers": [
                            {"type": "WhitespaceSplit"},
                            {"type": "Digits", "individual_digits": true}]})"),
                   "ab12 c3"),
            (Pieces{"ab", "1", "2", "c", "3"}));
}

TEST_F(TokenizerJsonTest, ByteLevelPreTokenizer) {
  std::string space = byteSymbol(' ');
  auto byteLevel = [&](bool prefix, bool regex) {
    return chars(std::string(R"("pre_tokenizer": {"type": "ByteLevel",
                   "add_prefix_space": )") +
                 (prefix ? "true" : "false") + R"(, "use_regex": )" +
                 (regex ? "true" : "false") + "}");
  };
  EXPECT_EQ(pieces(byteLevel(true, true), "hi there"),
            (Pieces{space + "hi", space + "there"}));
  EXPECT_EQ(pieces(byteLevel(false, true), "hi there"),
            (Pieces{"hi", space + "there"}));
  EXPECT_EQ(
      pieces(byteLevel(false, false), "hi there\xC3\xA9"),
      (Pieces{"hi" + space + "there" + byteSymbol(0xC3) + byteSymbol(0xA9)}));
  // A leading space is not doubled; nothing gets no prefix.
  EXPECT_EQ(pieces(byteLevel(true, false), " x"), (Pieces{space + "x"}));
  EXPECT_EQ(pieces(byteLevel(true, true), ""), Pieces{});
}

TEST_F(TokenizerJsonTest, Metaspace) {
  const std::string m = "\xE2\x96\x81"; // U+2581
  auto metaspace = [&](const std::string &scheme, bool split) {
    return chars(R"("pre_tokenizer": {"type": "Metaspace", "replacement": ")" +
                 m + R"(", "prepend_scheme": ")" + scheme + R"(", "split": )" +
                 (split ? "true" : "false") +
                 R"(}, "added_tokens": [{"id": 200, "content": "<x>",
                     "special": true, "normalized": false}])");
  };
  EXPECT_EQ(pieces(metaspace("always", true), "hello big  world"),
            (Pieces{m + "hello", m + "big", m, m + "world"}));
  EXPECT_EQ(pieces(metaspace("always", false), "hello big"),
            (Pieces{m + "hello" + m + "big"}));
  EXPECT_EQ(pieces(metaspace("never", true), "hello big"),
            (Pieces{"hello", m + "big"}));
  // "first": only the piece at the start of the text gets a prefix, not
  // the one after an added token; "always" prefixes both.
  EXPECT_EQ(pieces(metaspace("first", true), "a b<x>c d"),
            (Pieces{m + "a", m + "b", "c", m + "d"}));
  EXPECT_EQ(pieces(metaspace("always", true), "a b<x>c d"),
            (Pieces{m + "a", m + "b", m + "c", m + "d"}));
  EXPECT_EQ(pieces(metaspace("first", true), "<x>c"), (Pieces{"c"}));
  EXPECT_EQ(pieces(metaspace("always", true), ""), Pieces{});
  EXPECT_EQ(metaspace("always", true).encode(""), Ids{});
}

TEST_F(TokenizerJsonTest, Normalizers) {
  auto normalized = [&](const std::string &object, std::string_view text) {
    Pieces all = pieces(chars(R"("normalizer": )" + object), text);
    return all.empty() ? std::string() : all[0];
  };
  EXPECT_EQ(normalized(R"({"type": "NFC"})", "e\xCC\x81"), "\xC3\xA9");
  EXPECT_EQ(normalized(R"({"type": "NFD"})", "\xC3\xA9"), "e\xCC\x81");
  // Compatibility forms: the fi ligature, a circled digit, full-width A.
  EXPECT_EQ(normalized(R"({"type": "NFKC"})",
                       "\xEF\xAC\x81 \xE2\x91\xA0 \xEF\xBC\xA1"),
            "fi 1 A");
  EXPECT_EQ(normalized(R"({"type": "NFKD"})", "\xC3\xA9\xE2\x91\xA0"),
            "e\xCC\x81"
            "1");
  EXPECT_EQ(normalized(R"({"type": "Lowercase"})", "HeLLo \xC3\x89 \xD0\x96"),
            "hello \xC3\xA9 \xD0\xB6");
  EXPECT_EQ(normalized(R"({"type": "Strip", "strip_left": true,
                           "strip_right": true})",
                       " \t a b \n"),
            "a b");
  EXPECT_EQ(normalized(R"({"type": "Strip", "strip_left": false,
                           "strip_right": true})",
                       "  a  "),
            "  a");
  EXPECT_EQ(normalized(R"({"type": "Prepend", "prepend": "_"})", "ab"), "_ab");
  EXPECT_EQ(normalized(R"({"type": "Prepend", "prepend": "_"})", ""), "");
  EXPECT_EQ(normalized(R"({"type": "Replace", "pattern": {"String": " "},
                           "content": "_"})",
                       "a b  c"),
            "a_b__c");
  EXPECT_EQ(normalized(R"({"type": "Replace", "pattern": {"Regex": "\\s+"},
                           "content": " "})",
                       "a \t\n b"),
            "a b");
  EXPECT_EQ(normalized(R"({"type": "StripAccents"})", "e\xCC\x81x"), "ex");
  EXPECT_EQ(normalized(R"({"type": "Sequence", "normalizers": [
                            {"type": "NFKD"}, {"type": "StripAccents"},
                            {"type": "Lowercase"},
                            {"type": "Prepend", "prepend": "_"},
                            {"type": "Replace", "pattern": {"String": " "},
                             "content": "_"}]})",
                       "\xC3\x89t\xC3\xA9 Fin"),
            "_ete_fin");
}

/// A SentencePiece-style model (Llama 2's layout): byte fallback, an
/// unknown token, Prepend + Replace normalizers and the decoders that undo
/// them.
std::string sentencePieceModel(bool fuseUnk) {
  const std::string m = "\xE2\x96\x81";
  return R"({"type": "BPE", "unk_token": "<unk>", "byte_fallback": true,
      "fuse_unk": )" +
         std::string(fuseUnk ? "true" : "false") + R"(, "vocab": {
        "<unk>": 0, "<s>": 1, "</s>": 2, "<0x0A>": 3, "<0xC3>": 4,
        "<0xA9>": 5, ")" +
         m + R"(": 6, "a": 7, "b": 8, ")" + m + R"(a": 9, "ab": 10, ")" + m +
         R"(ab": 11},
      "merges": [")" +
         m + R"( a", ["a", "b"], ")" + m + R"(a b"]})";
}

const char *kSentencePieceStages = R"(
    "added_tokens": [
      {"id": 0, "content": "<unk>", "special": true, "normalized": false},
      {"id": 1, "content": "<s>", "special": true, "normalized": false},
      {"id": 2, "content": "</s>", "special": true, "normalized": false}],
    "normalizer": {"type": "Sequence", "normalizers": [
      {"type": "Prepend", "prepend": "▁"},
      {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
    "pre_tokenizer": null,
    "decoder": {"type": "Sequence", "decoders": [
      {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
      {"type": "ByteFallback"}, {"type": "Fuse"},
      {"type": "Strip", "content": " ", "start": 1, "stop": 0}]})";

TEST_F(TokenizerJsonTest, SentencePieceStyleBpe) {
  BpeTokenizer tokenizer =
      load(sentencePieceModel(/*fuseUnk=*/true), kSentencePieceStages);
  // "▁ab": ▁ a b -> ▁a b (rank 0) -> ▁ab (rank 2).
  EXPECT_EQ(tokenizer.encode("ab"), (Ids{11}));
  // "▁ab▁a": both "▁ a" merge first (rank 0, left to right), then "▁a b";
  // "a b" (rank 1) is stale by then.
  EXPECT_EQ(tokenizer.encode("ab a"), (Ids{11, 9}));
  // é is not in the vocabulary: its bytes are; \n is a byte token.
  EXPECT_EQ(tokenizer.encode("\xC3\xA9\n"), (Ids{6, 4, 5, 3}));
  // x, y, z have neither: one fused unknown token.
  EXPECT_EQ(tokenizer.encode("xyz"), (Ids{6, 0}));
  // Added tokens split the text first; each piece gets the ▁ prefix.
  EXPECT_EQ(tokenizer.encode("a</s>b"), (Ids{9, 2, 6, 8}));
  EXPECT_EQ(tokenizer.encode("<s>ab"), (Ids{1, 11}));

  EXPECT_EQ(decode(tokenizer, {11, 9}), "ab a");
  EXPECT_EQ(decode(tokenizer, {6, 4, 5, 3}), "\xC3\xA9\n");
  EXPECT_EQ(decode(tokenizer, {1, 11}), "<s> ab");
  // Half a character: one U+FFFD per byte token.
  EXPECT_EQ(decode(tokenizer, {6, 4, 7}), "\xEF\xBF\xBD"
                                          "a");
  EXPECT_EQ(decode(tokenizer, {6}), "");

  BpeTokenizer unfused =
      load(sentencePieceModel(/*fuseUnk=*/false), kSentencePieceStages);
  EXPECT_EQ(unfused.encode("xyz"), (Ids{6, 0, 0, 0}));
}

TEST_F(TokenizerJsonTest, BpeModelOptions) {
  // ignore_merges: a piece in the vocabulary is taken whole.
  auto ignore = [&](bool on) {
    return load(R"({"type": "BPE", "ignore_merges": )" +
                    std::string(on ? "true" : "false") + R"(, "vocab": )" +
                    charVocab({{"abc", 300}}) + R"(, "merges": []})",
                "");
  };
  EXPECT_EQ(ignore(true).encode("abc"), (Ids{300}));
  EXPECT_EQ(ignore(false).encode("abc"), charIds("abc"));

  // continuing_subword_prefix: a ##b ##c -> ab ##c -> abc.
  BpeTokenizer prefixed =
      load(R"({"type": "BPE", "continuing_subword_prefix": "##",
               "vocab": {"a": 0, "##b": 1, "##c": 2, "ab": 3, "abc": 4,
                         "c": 5},
               "merges": ["a ##b", "ab ##c"]})",
           "");
  EXPECT_EQ(prefixed.encode("abc"), (Ids{4}));
  // "##a" is not in the vocabulary (and there is no unknown token): dropped.
  EXPECT_EQ(prefixed.encode("cab"), (Ids{5, 1}));

  // end_of_word_suffix: the last character carries it.
  BpeTokenizer suffixed =
      load(R"({"type": "BPE", "end_of_word_suffix": "</w>",
               "vocab": {"a": 0, "b": 1, "b</w>": 2, "ab</w>": 3, "a</w>": 4},
               "merges": [["a", "b</w>"]]})",
           R"("decoder": {"type": "BPEDecoder", "suffix": "</w>"},
              "pre_tokenizer": {"type": "WhitespaceSplit"})");
  EXPECT_EQ(suffixed.encode("ab ba"), (Ids{3, 1, 4}));
  EXPECT_EQ(decode(suffixed, {3, 1, 4}), "ab ba");

  // Without unk_token and byte_fallback, a character not in the
  // vocabulary is dropped.
  EXPECT_EQ(chars("").encode("a\xC3\xA9"
                             "b"),
            (Ids{'a', 'b'}));
}

TEST_F(TokenizerJsonTest, AddedTokenFlags) {
  auto with = [&](const std::string &flags, const std::string &members = "") {
    return chars(R"("added_tokens": [{"id": 200, "content": "<m>",
                 "special": true, )" +
                     flags + "}]" + (members.empty() ? "" : ", " + members),
                 {{"<m>", 200}});
  };
  // lstrip / rstrip take the whitespace next to the token with it.
  EXPECT_EQ(with(R"("lstrip": true, "normalized": false)").encode("a  <m> b"),
            (Ids{'a', 200, ' ', 'b'}));
  EXPECT_EQ(with(R"("rstrip": true, "normalized": false)").encode("a <m>  b"),
            (Ids{'a', ' ', 200, 'b'}));
  EXPECT_EQ(with(R"("normalized": false)").encode("a <m> b"),
            (Ids{'a', ' ', 200, ' ', 'b'}));
  // single_word: not inside a word.
  BpeTokenizer single = with(R"("single_word": true, "normalized": false)");
  EXPECT_EQ(single.encode("x<m> <m>"), (Ids{'x', '<', 'm', '>', ' ', 200}));
  // normalized: matched in the normalized text (and in its normalized
  // spelling); not normalized: in the raw text.
  std::string lower = R"("normalizer": {"type": "Lowercase"})";
  auto upper = [&](bool normalized) {
    return chars(std::string(R"("added_tokens": [{"id": 200, "content": "<M>",
                 "special": false, "normalized": )") +
                     (normalized ? "true" : "false") + "}], " + lower,
                 {{"<M>", 200}});
  };
  EXPECT_EQ(upper(true).encode("<m><M>"), (Ids{200, 200}));
  EXPECT_EQ(upper(false).encode("<m><M>"), (Ids{'<', 'm', '>', 200}));
  // Leftmost, then longest.
  BpeTokenizer two = chars(R"("added_tokens": [
      {"id": 200, "content": "<a>", "special": true, "normalized": false},
      {"id": 201, "content": "<a><b>", "special": true, "normalized": false},
      {"id": 202, "content": "a><b", "special": true, "normalized": false}])");
  EXPECT_EQ(two.encode("x<a><b>"), (Ids{'x', 201}));
  EXPECT_EQ(two.lookup("<a><b>"), 201);
  EXPECT_EQ(decode(two, {'x', 201, 200}), "x <a><b> <a>"); // No decoder.
}

TEST_F(TokenizerJsonTest, Decoders) {
  const std::string m = "\xE2\x96\x81";
  auto withDecoder = [&](const std::string &decoder) {
    return chars(R"("decoder": )" + decoder,
                 {{m + "hello", 300}, {m + "world", 301}, {m, 302}});
  };
  BpeTokenizer metaspace = withDecoder(
      R"({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always"})");
  EXPECT_EQ(decode(metaspace, {300, 301}), "hello world");
  EXPECT_EQ(decode(metaspace, {'x', 300}), "x hello");
  BpeTokenizer never = withDecoder(
      R"({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never"})");
  EXPECT_EQ(decode(never, {300, 301}), " hello world");
  BpeTokenizer strip = withDecoder(
      R"({"type": "Sequence", "decoders": [{"type": "Fuse"},
          {"type": "Strip", "content": "x", "start": 2, "stop": 1}]})");
  EXPECT_EQ(decode(strip, {'x', 'x', 'x', 'a', 'x', 'x'}), "xax");
  BpeTokenizer replace = withDecoder(
      R"({"type": "Replace", "pattern": {"Regex": "l+"}, "content": "L"})");
  EXPECT_EQ(decode(replace, {300, 'l', 'l'}), m + "heLoLL");
  BpeTokenizer byteFallback = withDecoder(R"({"type": "ByteFallback"})");
  EXPECT_EQ(decode(byteFallback, {'a'}), "a");
}

TEST_F(TokenizerJsonTest, TextStreamKeepsSpacesAndWholeCharacters) {
  BpeTokenizer tokenizer =
      load(sentencePieceModel(/*fuseUnk=*/true), kSentencePieceStages);
  // Without context, the first token loses its leading space (Strip).
  TokenTextStream fresh(tokenizer);
  EXPECT_EQ(*fresh.push(11), "ab");
  EXPECT_EQ(*fresh.push(9), " a");
  // A character cut between byte tokens waits for its end.
  EXPECT_EQ(*fresh.push(6), " ");
  EXPECT_EQ(*fresh.push(4), "");
  EXPECT_EQ(*fresh.push(5), "\xC3\xA9");
  EXPECT_EQ(*fresh.push(4), "");
  EXPECT_EQ(fresh.finish(), "\xEF\xBF\xBD");
  EXPECT_FALSE(fresh.push(5000));

  // After a prompt, the first generated token keeps its space.
  TokenTextStream afterPrompt(tokenizer, {1, 11});
  EXPECT_EQ(*afterPrompt.push(9), " a");
  EXPECT_EQ(afterPrompt.finish(), "");
}

TEST_F(TokenizerJsonTest, BosFromTheModelFiles) {
  std::string model = sentencePieceModel(/*fuseUnk=*/true);
  std::string json = R"({"model": )" + model + "," + kSentencePieceStages +
                     R"(, "post_processor": {"type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                   {"Sequence": {"id": "A", "type_id": 0}}],
        "special_tokens": {"<s>": {"id": "<s>", "ids": [1],
                                   "tokens": ["<s>"]}}}})";
  writeFile("tokenizer.json", json);
  auto fromTemplate = BpeTokenizer::fromDirectory(dir.string());
  ASSERT_TRUE(fromTemplate) << fromTemplate.getError().getMessage();
  EXPECT_EQ(fromTemplate->getAddBosToken(), std::optional<bool>(true));
  EXPECT_EQ(fromTemplate->getBosTokenId(), 1);
  // tokenizer_config.json's add_bos_token wins.
  writeFile("tokenizer_config.json",
            R"({"add_bos_token": false, "bos_token": "<s>"})");
  auto fromConfig = BpeTokenizer::fromDirectory(dir.string());
  ASSERT_TRUE(fromConfig) << fromConfig.getError().getMessage();
  EXPECT_EQ(fromConfig->getAddBosToken(), std::optional<bool>(false));
  // Neither says: nullopt.
  EXPECT_EQ(chars("").getAddBosToken(), std::nullopt);
  EXPECT_EQ(chars("").getBosTokenId(), -1);
}

TEST_F(TokenizerJsonTest, UnsupportedFieldsAreNamed) {
  auto error = [&](const std::string &members) {
    std::string path = writeFile("tokenizer.json",
                                 R"({"model": {"type": "BPE", "vocab": {"a": 0},
                              "merges": []}, )" +
                                     members + "}");
    auto tokenizer = BpeTokenizer::fromTokenizerJson(path);
    EXPECT_FALSE(tokenizer);
    std::string message = tokenizer ? "" : tokenizer.getError().getMessage();
    return message.substr(message.find("': ") + 3);
  };
  EXPECT_EQ(error(R"("normalizer": {"type": "Sequence", "normalizers": [
                       {"type": "NFC"}, {"type": "Precompiled"}]})"),
            "normalizer.normalizers[1]: unsupported normalizer type "
            "'Precompiled'");
  EXPECT_EQ(error(R"("decoder": {"type": "WordPiece"})"),
            "decoder: unsupported decoder type 'WordPiece'");
  EXPECT_EQ(error(R"("pre_tokenizer": {"type": "Split",
                       "pattern": {"Regex": "(unclosed"},
                       "behavior": "Isolated"})")
                .substr(0, 51),
            "pre_tokenizer.pattern: invalid regular expression '");
  EXPECT_EQ(error(R"("pre_tokenizer": {"type": "Split",
                       "pattern": {"String": "x"}, "behavior": "Sideways"})"),
            "pre_tokenizer.behavior: expected Removed, Isolated, "
            "MergedWithPrevious, MergedWithNext or Contiguous");
  std::string path = writeFile(
      "tokenizer.json",
      R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}})");
  EXPECT_EQ(BpeTokenizer::fromTokenizerJson(path).getError().getMessage(),
            "'" + path + "': merge 0 ('a b'): 'b' is not in the vocabulary");
  writeFile("tokenizer.json",
            R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [],
                          "dropout": 0.1}})");
  EXPECT_EQ(BpeTokenizer::fromTokenizerJson(path).getError().getMessage(),
            "'" + path + "': model.dropout: BPE dropout is not supported");
}

} // namespace
