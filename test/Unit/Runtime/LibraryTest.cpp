//===- LibraryTest.cpp - Calling compiled libraries without LLVM -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The signature parser, and calls of FakeCpuLibrary.cpp and
// FakeCudaLibrary.cpp (the latter on FakeCudaDriver.h, installed in this
// program's copy of the CUDA runtime and in the library's own).
//
//===----------------------------------------------------------------------===//

#include "FakeCudaDriver.h"
#include "TestFiles.h"

#include "attnc/Runtime/Cuda/Context.h"
#include "attnc/Runtime/Library.h"

#include <gtest/gtest.h>

#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace attnc::runtime;
using namespace attnc::runtime::test;

namespace {

//===----------------------------------------------------------------------===//
// Signatures
//===----------------------------------------------------------------------===//

std::string roundTrip(std::string_view text) {
  Expected<FunctionSignature> signature = parseFunctionSignature(text);
  if (!signature)
    return "error: " + signature.getError().getMessage();
  std::string printed = "(";
  for (size_t i = 0; i < signature->inputs.size(); ++i)
    printed += (i ? ", " : "") + signature->inputs[i].str();
  printed += ") -> ";
  if (signature->results.size() == 1)
    return printed + signature->results[0].str();
  printed += "(";
  for (size_t i = 0; i < signature->results.size(); ++i)
    printed += (i ? ", " : "") + signature->results[i].str();
  return printed + ")";
}

TEST(SignatureTest, Valid) {
  for (const char *text :
       {"(tensor<1x8x128x64xf16>, tensor<1x2x?x64xf16>) -> "
        "tensor<1x8x128x64xf16>",
        "() -> ()", "(tensor<f32>) -> ()",
        "(tensor<2xbf16>, tensor<?x?xf64>) -> (tensor<i1>, tensor<3xi8>)",
        "(tensor<4xi32>) -> (tensor<4xi64>)",
        "(tensor<0x5xf32>) -> tensor<0x5xf32>"}) {
    std::string printed = roundTrip(text);
    // One result in parentheses prints without them, as MLIR does.
    if (std::string_view(text) == "(tensor<4xi32>) -> (tensor<4xi64>)")
      EXPECT_EQ(printed, "(tensor<4xi32>) -> tensor<4xi64>");
    else
      EXPECT_EQ(printed, text);
  }
  Expected<FunctionSignature> signature =
      parseFunctionSignature("(tensor<2x?xf16>) -> tensor<f32>");
  ASSERT_TRUE(signature);
  EXPECT_EQ(signature->inputs[0].dtype, DType::F16);
  EXPECT_EQ(signature->inputs[0].shape,
            (std::vector<int64_t>{2, TensorType::kDynamic}));
  EXPECT_TRUE(signature->results[0].shape.empty());
}

TEST(SignatureTest, Malformed) {
  EXPECT_EQ(roundTrip(""), "error: expected '(' at offset 0, found the end");
  EXPECT_EQ(roundTrip("(tensor<2xf32>)"),
            "error: expected '->' at offset 15, found the end");
  EXPECT_EQ(roundTrip("(tensor<2xf32> -> ()"),
            "error: expected ',' or ')' at offset 15, found '-> ()'");
  EXPECT_EQ(roundTrip("(memref<2xf32>) -> ()"),
            "error: expected 'tensor<' at offset 1, found 'memref<2xf32'");
  EXPECT_EQ(roundTrip("(tensor<2xf31>) -> ()"),
            "error: expected an element type (f16, bf16, f32, f64, i1, i8, "
            "i32, i64) at offset 10, found 'f31>) -> ()'");
  EXPECT_EQ(roundTrip("(tensor<2xui8>) -> ()"),
            "error: expected an element type (f16, bf16, f32, f64, i1, i8, "
            "i32, i64) at offset 10, found 'ui8>) -> ()'");
  EXPECT_EQ(roundTrip("(tensor<2x3>) -> ()"),
            "error: expected 'x' after a dimension at offset 10, found "
            "'3>) -> ()'");
  EXPECT_EQ(roundTrip("(tensor<*xf32>) -> ()"),
            "error: expected an element type (f16, bf16, f32, f64, i1, i8, "
            "i32, i64) at offset 8, found '*xf32>) -> ('");
  EXPECT_EQ(roundTrip("(tensor<2xf32, #enc>) -> ()"),
            "error: expected '>' at offset 13, found ', #enc>) -> '");
  EXPECT_EQ(roundTrip("() -> () extra"),
            "error: expected the end at offset 9, found 'extra'");
  EXPECT_EQ(roundTrip("() -> tensor<99999999999999999999xf32>"),
            "error: expected a smaller dimension at offset 31, found "
            "'99xf32>'");
}

TEST(SignatureTest, Matches) {
  TensorType type{DType::F32, {TensorType::kDynamic, 4}};
  EXPECT_TRUE(type.matches(*Tensor::create(DType::F32, {7, 4})));
  EXPECT_FALSE(type.matches(*Tensor::create(DType::F32, {7, 3})));
  EXPECT_FALSE(type.matches(*Tensor::create(DType::F16, {7, 4})));
  EXPECT_FALSE(type.matches(*Tensor::create(DType::F32, {4})));
  EXPECT_EQ(type.str(), "tensor<?x4xf32>");
}

//===----------------------------------------------------------------------===//
// CPU libraries
//===----------------------------------------------------------------------===//

TEST(LibraryTest, MissingFile) {
  Expected<Library> library = Library::open("no-such-library.so");
  ASSERT_FALSE(library);
  EXPECT_EQ(library.getError().getMessage().rfind(
                "cannot load 'no-such-library.so': ", 0),
            0u);
}

TEST(LibraryTest, CpuLibrary) {
  Expected<Library> library = Library::open(ATTNC_FAKE_CPU_LIBRARY);
  ASSERT_TRUE(library) << library.getError().getMessage();
  EXPECT_EQ(library->getTarget(), Target::CPU);

  Expected<LibraryFunction> missing = library->lookup("nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.getError().getMessage(),
            std::string("'") + ATTNC_FAKE_CPU_LIBRARY +
                "' has no function @nope compiled by attnc (no "
                "attnc_signature_nope symbol)");
  Expected<LibraryFunction> bad = library->lookup("bad_signature");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.getError().getMessage(),
            std::string("'") + ATTNC_FAKE_CPU_LIBRARY +
                "': malformed signature of @bad_signature: '(tensor<2x3xf32, "
                "#enc>) -> ()': expected '>' at offset 15, found ', #enc>) "
                "-> '");

  Expected<LibraryFunction> function = library->lookup("transpose");
  ASSERT_TRUE(function) << function.getError().getMessage();
  EXPECT_FALSE(checkDevice(*function, Target::CPU));
  Error onCuda = checkDevice(*function, Target::CUDA);
  ASSERT_TRUE(onCuda);
  EXPECT_EQ(onCuda.getMessage(),
            std::string("'") + ATTNC_FAKE_CPU_LIBRARY +
                "' is a CPU library: --device cuda needs a library compiled "
                "with `attnc compile --target=cuda`");

  std::vector<Tensor> inputs;
  inputs.push_back(Tensor::create(DType::I32, {2, 4}).take());
  Error wrong = checkInputs(*function, inputs, {"2x4xi32=0"});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong.getMessage(), "input 0 (2x4xi32=0) of @transpose: expected "
                                "tensor<2x3xi32>, got tensor<2x4xi32>");
  inputs.push_back(Tensor::create(DType::I32, {2, 4}).take());
  Error count = checkInputs(*function, inputs, {"a", "b"});
  ASSERT_TRUE(count);
  EXPECT_EQ(count.getMessage(),
            "@transpose takes 1 input(s) (tensor<2x3xi32>) -> "
            "(tensor<3x2xi32>, tensor<i64>), got 2");

  inputs.clear();
  inputs.push_back(Tensor::create(DType::I32, {2, 3}).take());
  for (int i = 0; i < 6; ++i)
    inputs[0].getDataAs<int32_t>()[i] = i;
  ASSERT_FALSE(checkInputs(*function, inputs, {"x"}));
  double milliseconds = -1;
  Expected<std::vector<Tensor>> results =
      callFunction(*function, inputs, &milliseconds);
  ASSERT_TRUE(results) << results.getError().getMessage();
  ASSERT_EQ(results->size(), 2u);
  EXPECT_GE(milliseconds, 0);
  const Tensor &transposed = (*results)[0];
  EXPECT_EQ(transposed.getShape(), (std::vector<int64_t>{3, 2}));
  std::vector<int32_t> values(transposed.getDataAs<int32_t>(),
                              transposed.getDataAs<int32_t>() + 6);
  EXPECT_EQ(values, (std::vector<int32_t>{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ((*results)[1].getRank(), 0u);
  EXPECT_EQ((*results)[1].getDataAs<int64_t>()[0], 15);
}

TEST(LibraryTest, ListsFunctions) {
  Expected<std::vector<std::string>> names =
      listLibraryFunctions(ATTNC_FAKE_CPU_LIBRARY);
  ASSERT_TRUE(names) << names.getError().getMessage();
  EXPECT_EQ(*names, (std::vector<std::string>{"bad_signature", "transpose"}));

  Expected<std::vector<std::string>> missing =
      listLibraryFunctions("no-such-library.so");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.getError().getMessage(),
            "cannot open 'no-such-library.so': No such file or directory");
}

// Every offset of the ELF file is checked: a file cut short, or one whose
// headers point past its end, is a one-line error, never a read outside it.
using LibraryFilesTest = TempDirTest;

TEST_F(LibraryFilesTest, ListsFunctionsOfMalformedFiles) {
  std::string library = readFile(ATTNC_FAKE_CPU_LIBRARY);
  ASSERT_GT(library.size(), sizeof(Elf64_Ehdr));
  Elf64_Ehdr header;
  std::memcpy(&header, library.data(), sizeof(header));
  auto errorOf = [&](std::string_view bytes) {
    std::string file = writeFile("library.so", bytes);
    Expected<std::vector<std::string>> names = listLibraryFunctions(file);
    if (names)
      return std::string("no error");
    std::string message = names.getError().getMessage();
    // Without the file's name.
    return message.substr(message.find("': ") + 3);
  };
  EXPECT_EQ(errorOf("not ELF"), "not a 64-bit little-endian ELF file");
  EXPECT_EQ(errorOf(""), "not a 64-bit little-endian ELF file");
  // Cut before the section headers (at the end of the file).
  ASSERT_GT(header.e_shoff, sizeof(header));
  EXPECT_EQ(errorOf(library.substr(0, header.e_shoff)),
            "section headers outside the file");
  // Section headers that claim to lie at the last byte, or far beyond.
  for (uint64_t offset : {uint64_t(library.size() - 1), ~uint64_t(0)}) {
    std::string moved = library;
    Elf64_Ehdr changed = header;
    changed.e_shoff = offset;
    std::memcpy(moved.data(), &changed, sizeof(changed));
    EXPECT_EQ(errorOf(moved), "section headers outside the file");
  }
  // A dynamic symbol table past the end of the file.
  std::string bad = library;
  for (uint16_t i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr section;
    char *at = bad.data() + header.e_shoff + i * sizeof(Elf64_Shdr);
    std::memcpy(&section, at, sizeof(section));
    if (section.sh_type != SHT_DYNSYM)
      continue;
    section.sh_size = ~uint64_t(0) / 2;
    std::memcpy(at, &section, sizeof(section));
  }
  EXPECT_EQ(errorOf(bad), "dynamic symbol table outside the file");
}

// Code the JIT compiled starts at the first byte of a fresh mapping. clang's
// -fsanitize=function read the 8 bytes before an indirect call's target, so
// in the sanitizer build a call into such code faulted before it ran
// (attnc-run --reference on shape-check.mlir, whose entry point landed
// there). The runtime calls compiled code without that check
// (runtime/lib/ForeignCall.h).
TEST(LibraryTest, CallsCodeAtTheStartOfAMapping) {
#if defined(__x86_64__)
  // mov rax, [rdi + 8] (the descriptor's aligned pointer);
  // mov dword ptr [rax], 42; ret
  const unsigned char code[] = {0x48, 0x8b, 0x47, 0x08, 0xc7, 0x00,
                                0x2a, 0x00, 0x00, 0x00, 0xc3};
#else
  GTEST_SKIP() << "the test's machine code is x86-64";
  const unsigned char code[] = {0};
#endif
  auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  void *mapping = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(mapping, MAP_FAILED);
  auto *entry = static_cast<unsigned char *>(mapping) + page;
  std::memcpy(entry, code, sizeof(code));
  // Nothing readable before the entry point, as at the start of a mapping.
  ASSERT_EQ(mprotect(mapping, page, PROT_NONE), 0);
  ASSERT_EQ(mprotect(entry, page, PROT_READ | PROT_EXEC), 0);

  LibraryFunction function;
  function.name = "store42";
  function.libraryPath = "<test>";
  function.signatureText = "(tensor<1xi32>) -> ()";
  function.signature = *parseFunctionSignature(function.signatureText);
  function.entryPoint = entry;
  std::vector<Tensor> inputs;
  inputs.push_back(Tensor::create(DType::I32, {1}).take());
  Expected<std::vector<Tensor>> results = callFunction(function, inputs);
  ASSERT_TRUE(results) << results.getError().getMessage();
  EXPECT_TRUE(results->empty());
  EXPECT_EQ(inputs[0].getDataAs<int32_t>()[0], 42);
  munmap(mapping, 2 * page);
}

TEST(LibraryTest, InPlaceLists) {
  LibraryFunction function;
  function.name = "f";
  function.signature = *parseFunctionSignature(
      "(tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)");
  EXPECT_FALSE(setInPlaceResults(function, "1:0"));
  EXPECT_EQ(function.inPlaceResults, (std::vector<int64_t>{-1, 0}));
  EXPECT_FALSE(setInPlaceResults(function, nullptr));
  EXPECT_EQ(function.inPlaceResults, (std::vector<int64_t>{-1, -1}));
  for (const char *bad : {"2:0", "0:2", "0:0,0:1", "0", "a:b", "0:-1"}) {
    Error error = setInPlaceResults(function, bad);
    ASSERT_TRUE(error) << bad;
    EXPECT_EQ(error.getMessage(), std::string("@f: malformed in-place result "
                                              "list '") +
                                      bad + "'");
  }
}

//===----------------------------------------------------------------------===//
// CUDA libraries
//===----------------------------------------------------------------------===//

/// The fake driver in both copies of the CUDA runtime.
class CudaLibraryTest : public ::testing::Test {
protected:
  void SetUp() override {
    fake().reset();
    static DriverTable fakeTable = makeFakeDriverTable();
    table = &fakeTable;
    setDriverForTesting(table);
    Expected<Library> opened = Library::open(ATTNC_FAKE_CUDA_LIBRARY);
    ASSERT_TRUE(opened) << opened.getError().getMessage();
    library.emplace(opened.take());
    handle = dlopen(ATTNC_FAKE_CUDA_LIBRARY, RTLD_NOW | RTLD_NOLOAD);
    ASSERT_NE(handle, nullptr);
    useDriver = reinterpret_cast<void (*)(const DriverTable *)>(
        dlsym(handle, "attnc_fake_use_driver"));
    ASSERT_NE(useDriver, nullptr);
    useDriver(table);
  }
  void TearDown() override {
    if (useDriver)
      useDriver(nullptr);
    setDriverForTesting(nullptr);
    if (handle)
      dlclose(handle);
    fake().reset();
  }

  DriverTable *table = nullptr;
  std::optional<Library> library;
  void *handle = nullptr;
  void (*useDriver)(const DriverTable *) = nullptr;
};

Tensor makeF32(std::vector<float> values) {
  Tensor tensor =
      Tensor::create(DType::F32, {static_cast<int64_t>(values.size())}).take();
  for (size_t i = 0; i < values.size(); ++i)
    tensor.getDataAs<float>()[i] = values[i];
  return tensor;
}

std::vector<float> valuesOf(const Tensor &tensor) {
  return std::vector<float>(tensor.getDataAs<float>(),
                            tensor.getDataAs<float>() +
                                tensor.getNumElements());
}

TEST_F(CudaLibraryTest, CallCopiesInAndOut) {
  EXPECT_EQ(library->getTarget(), Target::CUDA);
  Expected<LibraryFunction> scale = library->lookup("scale");
  ASSERT_TRUE(scale) << scale.getError().getMessage();
  Error onCpu = checkDevice(*scale, Target::CPU);
  ASSERT_TRUE(onCpu);
  EXPECT_EQ(onCpu.getMessage(),
            std::string("'") + ATTNC_FAKE_CUDA_LIBRARY +
                "' is a CUDA library: it runs with --device cuda, not "
                "--device cpu");
  std::vector<Tensor> inputs;
  inputs.push_back(makeF32({1, 2, 3}));
  double milliseconds = 0;
  Expected<std::vector<Tensor>> results =
      callFunction(*scale, inputs, &milliseconds);
  ASSERT_TRUE(results) << results.getError().getMessage();
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ(valuesOf((*results)[0]), (std::vector<float>{2, 4, 6}));
  // Timed by the events; everything allocated is freed.
  EXPECT_EQ(milliseconds, 1.5);
  EXPECT_GE(fake().calls["cuCtxSynchronize"], 1);
  EXPECT_EQ(fake().launches.size(), 1u);
  EXPECT_TRUE(fake().allocations.empty());
  EXPECT_EQ(fake().calls["cuMemFree"], 2);
}

TEST_F(CudaLibraryTest, InPlaceResultsComeBack) {
  Expected<LibraryFunction> accumulate = library->lookup("accumulate");
  ASSERT_TRUE(accumulate) << accumulate.getError().getMessage();
  std::vector<Tensor> inputs;
  inputs.push_back(makeF32({1, 2, 3, 4}));
  inputs.push_back(makeF32({10, 20, 30, 40}));
  Expected<std::vector<Tensor>> results = callFunction(*accumulate, inputs);
  ASSERT_TRUE(results) << results.getError().getMessage();
  EXPECT_EQ(valuesOf((*results)[0]), (std::vector<float>{11, 22, 33, 44}));
  EXPECT_EQ(valuesOf(inputs[0]), (std::vector<float>{11, 22, 33, 44}));
  EXPECT_TRUE(fake().allocations.empty());
}

TEST_F(CudaLibraryTest, LaunchFailureIsTheLibrarysError) {
  Expected<LibraryFunction> scale = library->lookup("scale");
  ASSERT_TRUE(scale);
  fake().results["cuLaunchKernel"] = kCudaErrorInvalidValue;
  std::vector<Tensor> inputs;
  inputs.push_back(makeF32({1, 2, 3}));
  Expected<std::vector<Tensor>> results = callFunction(*scale, inputs);
  ASSERT_FALSE(results);
  EXPECT_EQ(results.getError().getMessage(),
            "@scale failed: cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE "
            "(invalid argument)");
  // The result's memory was freed too.
  EXPECT_TRUE(fake().allocations.empty());
  // The error stays with the library.
  Expected<std::vector<Tensor>> again = callFunction(*scale, inputs);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.getError().getMessage(),
            std::string("'") + ATTNC_FAKE_CUDA_LIBRARY +
                "': cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE "
                "(invalid argument)");
}

TEST_F(CudaLibraryTest, NoDriver) {
  if (void *driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL)) {
    dlclose(driver);
    GTEST_SKIP() << "this machine has a CUDA driver";
  }
  useDriver(nullptr);
  setDriverForTesting(nullptr);
  Expected<LibraryFunction> scale = library->lookup("scale");
  ASSERT_TRUE(scale);
  std::vector<Tensor> inputs;
  inputs.push_back(makeF32({1, 2, 3}));
  Expected<std::vector<Tensor>> results = callFunction(*scale, inputs);
  ASSERT_FALSE(results);
  EXPECT_EQ(results.getError().getMessage().rfind(
                "no CUDA driver: libcuda.so.1 cannot be loaded (", 0),
            0u)
      << results.getError().getMessage();
}

} // namespace
