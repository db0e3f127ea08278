//===- ConcurrencyTest.cpp - Compiled code called from several threads ----===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Several threads calling the same compiled function at once, and two
// ModelRunners in one process, must give what one thread gets alone:
//
// - a library made by `attnc compile` (Inputs/concurrency.mlir), called
//   through the runtime's Library API and through the bare C ABI
//   (attnc_abi.h descriptors, dlopen/dlsym) as a C program would: the
//   entry point that returns its result, and the destination-passing one
//   that writes the caller's buffer (skipped for libraries without it);
// - the same module JIT-compiled (attnc/Execution/FunctionCall.h), when
//   this program is built with the compiler (ATTNC_CONCURRENCY_JIT);
// - two ModelRunners over one model artifact (tiny-gpt2-licenses), each
//   running its own prefill and decode steps.
//
// Each thread's results are compared bit for bit with the results of the
// same inputs computed by one thread alone (the kernels' work split does
// not depend on what else runs), and the attention results with a float64
// reference too. Every thread works on its own inputs, so that results
// crossing between concurrent calls are seen.
//
// The paths come from the build (ATTNC_CONCURRENCY_LIBRARY, _MODULE,
// _ARTIFACT, _MODEL_DIR definitions) or the environment variables of the
// same names, which is how a ThreadSanitizer build of this file runs on the
// outputs of an ordinary build (docs/abi.md, "Threads").
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Library.h"
#include "attnc/Runtime/ModelRunner.h"
#include "attnc/Runtime/Tensor.h"
#include "attnc/attnc_abi.h"

#ifdef ATTNC_CONCURRENCY_JIT
#include "attnc/Compiler/Compiler.h"
#include "attnc/Execution/FunctionCall.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/SourceMgr.h"
#endif

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <thread>

#include <dlfcn.h>

using namespace attnc::runtime;

namespace {

/// The shape of @attention's Q, K, V and result.
constexpr int64_t kB = 1, kH = 4, kS = 96, kD = 32;
const std::vector<int64_t> kShape = {kB, kH, kS, kD};

/// Threads calling at once, and calls each makes.
constexpr int kThreads = 4;
constexpr int kCalls = 12;

std::string getPath(const char *variable, const char *built) {
  if (const char *value = std::getenv(variable))
    return value;
  return built;
}

#ifndef ATTNC_CONCURRENCY_LIBRARY
#define ATTNC_CONCURRENCY_LIBRARY ""
#endif
#ifndef ATTNC_CONCURRENCY_MODULE
#define ATTNC_CONCURRENCY_MODULE ""
#endif
#ifndef ATTNC_CONCURRENCY_ARTIFACT
#define ATTNC_CONCURRENCY_ARTIFACT ""
#endif
#ifndef ATTNC_CONCURRENCY_MODEL_DIR
#define ATTNC_CONCURRENCY_MODEL_DIR ""
#endif

std::string getLibraryPath() {
  return getPath("ATTNC_CONCURRENCY_LIBRARY", ATTNC_CONCURRENCY_LIBRARY);
}

/// Q, K, V with values in [-1, 1) drawn from `seed`.
std::vector<Tensor> makeInputs(uint32_t seed) {
  std::vector<Tensor> inputs;
  uint64_t state = 0x9E3779B97F4A7C15ULL * (seed + 1);
  for (int i = 0; i < 3; ++i) {
    Expected<Tensor> tensor = Tensor::createUninitialized(DType::F32, kShape);
    EXPECT_TRUE(tensor) << tensor.getError().getMessage();
    float *data = tensor->getDataAs<float>();
    for (int64_t n = 0; n < tensor->getNumElements(); ++n) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      data[n] = static_cast<float>((state >> 40) & 0xFFFFFF) / 8388608.0f - 1;
    }
    inputs.push_back(tensor.take());
  }
  return inputs;
}

/// Causal attention in float64: softmax(Q K^T / sqrt(D) + causal) V.
std::vector<double> computeReference(const std::vector<Tensor> &inputs) {
  const float *q = inputs[0].getDataAs<float>();
  const float *k = inputs[1].getDataAs<float>();
  const float *v = inputs[2].getDataAs<float>();
  std::vector<double> out(kB * kH * kS * kD, 0.0);
  std::vector<double> scores(kS);
  double scale = 1.0 / std::sqrt(static_cast<double>(kD));
  for (int64_t bh = 0; bh < kB * kH; ++bh) {
    const float *qh = q + bh * kS * kD, *kh = k + bh * kS * kD,
                *vh = v + bh * kS * kD;
    for (int64_t i = 0; i < kS; ++i) {
      double max = -INFINITY;
      for (int64_t j = 0; j <= i; ++j) {
        double dot = 0;
        for (int64_t d = 0; d < kD; ++d)
          dot += static_cast<double>(qh[i * kD + d]) * kh[j * kD + d];
        scores[j] = dot * scale;
        max = std::max(max, scores[j]);
      }
      double sum = 0;
      for (int64_t j = 0; j <= i; ++j)
        sum += scores[j] = std::exp(scores[j] - max);
      for (int64_t j = 0; j <= i; ++j)
        for (int64_t d = 0; d < kD; ++d)
          out[(bh * kS + i) * kD + d] += scores[j] / sum * vh[j * kD + d];
    }
  }
  return out;
}

/// ||out - ref|| / ||ref||; NaN never passes.
double getRelativeError(const float *out, const std::vector<double> &ref) {
  double diff = 0, norm = 0;
  for (size_t n = 0; n < ref.size(); ++n) {
    if (!std::isfinite(out[n]))
      return INFINITY;
    diff += (out[n] - ref[n]) * (out[n] - ref[n]);
    norm += ref[n] * ref[n];
  }
  return std::sqrt(diff / norm);
}

/// What one thread computes alone for each of the kThreads input sets:
/// the float64 reference and the function's result (checked against it).
struct Expectations {
  std::vector<std::vector<Tensor>> inputs;
  std::vector<std::vector<float>> results;
};

/// Fills `expected` by calling `call` on each input set, one at a time.
void computeAlone(
    Expectations &expected,
    const std::function<std::vector<float>(std::vector<Tensor> &)> &call) {
  for (int t = 0; t < kThreads; ++t) {
    expected.inputs.push_back(makeInputs(t));
    std::vector<float> result = call(expected.inputs.back());
    ASSERT_EQ(result.size(), static_cast<size_t>(kB * kH * kS * kD));
    double error =
        getRelativeError(result.data(), computeReference(expected.inputs[t]));
    EXPECT_LT(error, 1e-5) << "input set " << t << " alone";
    expected.results.push_back(std::move(result));
  }
}

/// Runs body(t) on kThreads threads released together, and returns how
/// many of their calls differed from `expected`.
int runTogether(
    const Expectations &expected,
    const std::function<std::vector<float>(int thread,
                                           std::vector<Tensor> &)> &call) {
  std::atomic<int> ready{0}, mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<Tensor> inputs = makeInputs(t);
      ready.fetch_add(1);
      while (ready.load() < kThreads)
        std::this_thread::yield();
      for (int c = 0; c < kCalls; ++c) {
        std::vector<float> result = call(t, inputs);
        if (result != expected.results[t])
          mismatches.fetch_add(1);
      }
    });
  }
  for (std::thread &thread : threads)
    thread.join();
  return mismatches.load();
}

std::vector<float> toFloats(const Tensor &tensor) {
  const float *data = tensor.getDataAs<float>();
  return std::vector<float>(data, data + tensor.getNumElements());
}

//===----------------------------------------------------------------------===//
// A library, through the runtime's Library API
//===----------------------------------------------------------------------===//

TEST(ConcurrencyTest, LibraryFunctionFromSeveralThreads) {
  Expected<Library> library = Library::open(getLibraryPath());
  ASSERT_TRUE(library) << library.getError().getMessage();
  Expected<LibraryFunction> function = library->lookup("attention");
  ASSERT_TRUE(function) << function.getError().getMessage();
  auto call = [&](std::vector<Tensor> &inputs) {
    Expected<std::vector<Tensor>> results = callFunction(*function, inputs);
    if (!results) {
      ADD_FAILURE() << results.getError().getMessage();
      return std::vector<float>();
    }
    return toFloats((*results)[0]);
  };
  Expectations expected;
  computeAlone(expected, call);
  EXPECT_EQ(runTogether(expected,
                        [&](int, std::vector<Tensor> &inputs) {
                          return call(inputs);
                        }),
            0);
}

/// Each thread opens the library and looks the function up itself, as
/// independent components of one program would.
TEST(ConcurrencyTest, LibraryOpenedByEachThread) {
  Expectations expected;
  {
    Expected<Library> library = Library::open(getLibraryPath());
    ASSERT_TRUE(library) << library.getError().getMessage();
    Expected<LibraryFunction> function = library->lookup("attention");
    ASSERT_TRUE(function) << function.getError().getMessage();
    computeAlone(expected, [&](std::vector<Tensor> &inputs) {
      Expected<std::vector<Tensor>> results = callFunction(*function, inputs);
      EXPECT_TRUE(results) << results.getError().getMessage();
      return results ? toFloats((*results)[0]) : std::vector<float>();
    });
  }
  EXPECT_EQ(runTogether(expected,
                        [&](int, std::vector<Tensor> &inputs) {
                          Expected<Library> library =
                              Library::open(getLibraryPath());
                          if (!library)
                            return std::vector<float>();
                          Expected<LibraryFunction> function =
                              library->lookup("attention");
                          if (!function)
                            return std::vector<float>();
                          Expected<std::vector<Tensor>> results =
                              callFunction(*function, inputs);
                          return results ? toFloats((*results)[0])
                                         : std::vector<float>();
                        }),
            0);
}

//===----------------------------------------------------------------------===//
// A library, through the C ABI alone
//===----------------------------------------------------------------------===//

using AttentionEntry = void (*)(attnc_memref_4d *, attnc_memref_4d *,
                                attnc_memref_4d *, attnc_memref_4d *);

/// Calls _mlir_ciface_attention as a C program does: descriptors of the
/// caller's buffers in, a result descriptor out, whose `allocated` the
/// caller frees.
std::vector<float> callThroughCAbi(AttentionEntry entry,
                                   std::vector<Tensor> &inputs) {
  attnc_memref_4d q, k, v, out;
  std::memset(&out, 0, sizeof(out));
  attnc_memref_4d_init(&q, inputs[0].getData(), kShape.data());
  attnc_memref_4d_init(&k, inputs[1].getData(), kShape.data());
  attnc_memref_4d_init(&v, inputs[2].getData(), kShape.data());
  entry(&out, &q, &k, &v);
  std::vector<float> result;
  bool contiguous = out.strides[3] == 1 && out.strides[2] == kD &&
                    out.strides[1] == kS * kD;
  if (out.aligned && contiguous && out.sizes[2] == kS) {
    const float *data = ATTNC_MEMREF_DATA(out, float);
    result.assign(data, data + kB * kH * kS * kD);
  } else {
    ADD_FAILURE() << "unexpected result descriptor";
  }
  std::free(out.allocated);
  return result;
}

TEST(ConcurrencyTest, CAbiFromSeveralThreads) {
  std::string path = getLibraryPath();
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  auto entry = reinterpret_cast<AttentionEntry>(
      dlsym(handle, "_mlir_ciface_attention"));
  ASSERT_NE(entry, nullptr) << dlerror();
  Expectations expected;
  computeAlone(expected, [&](std::vector<Tensor> &inputs) {
    return callThroughCAbi(entry, inputs);
  });
  EXPECT_EQ(runTogether(expected,
                        [&](int, std::vector<Tensor> &inputs) {
                          return callThroughCAbi(entry, inputs);
                        }),
            0);
  // The workspace pool is per thread: this thread's blocks can be released
  // while other threads' calls run (here, after they are done).
  using Release = void (*)();
  if (auto release = reinterpret_cast<Release>(
          dlsym(handle, "attnc_workspace_release")))
    release();
  dlclose(handle);
}

using AttentionIntoEntry = void (*)(attnc_memref_4d *, attnc_memref_4d *,
                                    attnc_memref_4d *, attnc_memref_4d *);

/// The destination-passing entry point (q, k, v, then the caller's output):
/// each thread keeps its own output buffer across calls, poisoned (NaN)
/// before each.
TEST(ConcurrencyTest, CAbiIntoCallerBuffersFromSeveralThreads) {
  std::string path = getLibraryPath();
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  auto into = reinterpret_cast<AttentionIntoEntry>(
      dlsym(handle, "_mlir_ciface_attnc_into_attention"));
  if (!into)
    GTEST_SKIP() << "the library has no _mlir_ciface_attnc_into_attention "
                    "(compiled before destination-passing entry points)";
  auto call = [&](std::vector<Tensor> &inputs, std::vector<float> &output) {
    std::fill(output.begin(), output.end(), NAN);
    attnc_memref_4d q, k, v, out;
    attnc_memref_4d_init(&q, inputs[0].getData(), kShape.data());
    attnc_memref_4d_init(&k, inputs[1].getData(), kShape.data());
    attnc_memref_4d_init(&v, inputs[2].getData(), kShape.data());
    attnc_memref_4d_init(&out, output.data(), kShape.data());
    into(&q, &k, &v, &out);
    return output;
  };
  Expectations expected;
  std::vector<float> buffer(kB * kH * kS * kD);
  computeAlone(expected, [&](std::vector<Tensor> &inputs) {
    return call(inputs, buffer);
  });
  std::vector<std::vector<float>> buffers(kThreads, buffer);
  EXPECT_EQ(runTogether(expected,
                        [&](int t, std::vector<Tensor> &inputs) {
                          return call(inputs, buffers[t]);
                        }),
            0);
  dlclose(handle);
}

//===----------------------------------------------------------------------===//
// The JIT
//===----------------------------------------------------------------------===//

#ifdef ATTNC_CONCURRENCY_JIT
TEST(ConcurrencyTest, JitFunctionFromSeveralThreads) {
  namespace compiler = mlir::attnc;
  mlir::DialectRegistry registry;
  compiler::registerCompilerDialects(registry);
  mlir::MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  auto module = compiler::loadModule(
      getPath("ATTNC_CONCURRENCY_MODULE", ATTNC_CONCURRENCY_MODULE), sourceMgr,
      context);
  ASSERT_TRUE(static_cast<bool>(module)) << llvm::toString(module.takeError());
  mlir::FunctionType type;
  for (const compiler::ExportedFunction &fn :
       compiler::getExportedFunctions(**module))
    if (fn.name == "attention")
      type = fn.type;
  ASSERT_TRUE(type);
  llvm::Error lowered = compiler::lowerForCPU(**module);
  ASSERT_FALSE(static_cast<bool>(lowered)) << llvm::toString(std::move(lowered));
  auto engine = compiler::createJIT(**module);
  ASSERT_TRUE(static_cast<bool>(engine)) << llvm::toString(engine.takeError());
  auto entryPoint = (*engine)->lookup("_mlir_ciface_attention");
  ASSERT_TRUE(static_cast<bool>(entryPoint))
      << llvm::toString(entryPoint.takeError());
  compiler::CompiledFunction function;
  function.name = "attention";
  function.type = type;
  function.entryPoint = *entryPoint;
  auto call = [&](std::vector<Tensor> &inputs) {
    auto results = compiler::callFunction(function, inputs);
    if (!results) {
      ADD_FAILURE() << llvm::toString(results.takeError());
      return std::vector<float>();
    }
    return toFloats((*results)[0]);
  };
  Expectations expected;
  computeAlone(expected, call);
  EXPECT_EQ(runTogether(expected,
                        [&](int, std::vector<Tensor> &inputs) {
                          return call(inputs);
                        }),
            0);
}
#endif

//===----------------------------------------------------------------------===//
// Two ModelRunners
//===----------------------------------------------------------------------===//

/// A prompt for runner `index`, then `steps` decode steps of greedy
/// choices: every logit row that came out, in order.
std::vector<float> runSequence(ModelRunner &runner, int index, int steps) {
  std::vector<int32_t> prompt;
  for (int i = 0; i < 9 + 3 * index; ++i)
    prompt.push_back((17 * i + 5 * index + 1) % 200 + 10);
  std::vector<float> all;
  runner.reset();
  Expected<std::vector<float>> logits = runner.forward(prompt);
  if (!logits) {
    ADD_FAILURE() << logits.getError().getMessage();
    return all;
  }
  all = *logits;
  int64_t vocab = runner.getConfig().vocabSize;
  for (int step = 0; step < steps; ++step) {
    const float *last = all.data() + all.size() - vocab;
    auto next = static_cast<int32_t>(std::max_element(last, last + vocab) -
                                     last);
    Expected<std::vector<float>> row = runner.forward({next});
    if (!row) {
      ADD_FAILURE() << row.getError().getMessage();
      return all;
    }
    all.insert(all.end(), row->begin(), row->end());
  }
  return all;
}

TEST(ConcurrencyTest, TwoModelRunnersInOneProcess) {
  std::string artifact =
      getPath("ATTNC_CONCURRENCY_ARTIFACT", ATTNC_CONCURRENCY_ARTIFACT);
  std::string modelDir =
      getPath("ATTNC_CONCURRENCY_MODEL_DIR", ATTNC_CONCURRENCY_MODEL_DIR);
  constexpr int kRunners = 2, kSteps = 6, kRounds = 3;
  std::vector<std::unique_ptr<ModelRunner>> runners;
  for (int r = 0; r < kRunners; ++r) {
    auto runner = ModelRunner::load(artifact, modelDir);
    ASSERT_TRUE(runner) << runner.getError().getMessage();
    runners.push_back(runner.take());
  }
  // Alone: each sequence on the first runner, one after the other.
  std::vector<std::vector<float>> alone;
  for (int r = 0; r < kRunners; ++r) {
    alone.push_back(runSequence(*runners[0], r, kSteps));
    ASSERT_FALSE(alone.back().empty());
    for (float value : alone.back())
      ASSERT_TRUE(std::isfinite(value));
  }
  ASSERT_NE(alone[0], alone[1]);
  // Together: runner r runs sequence r while the other runs its own.
  std::atomic<int> ready{0}, mismatches{0};
  std::vector<std::thread> threads;
  for (int r = 0; r < kRunners; ++r) {
    threads.emplace_back([&, r] {
      ready.fetch_add(1);
      while (ready.load() < kRunners)
        std::this_thread::yield();
      for (int round = 0; round < kRounds; ++round)
        if (runSequence(*runners[r], r, kSteps) != alone[r])
          mismatches.fetch_add(1);
    });
  }
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

} // namespace
