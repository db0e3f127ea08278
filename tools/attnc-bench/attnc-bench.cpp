//===- attnc-bench.cpp - attention throughput against baselines -*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
//   attnc-bench --shapes=P1,P3 --shape "B=1,Hq=8,Hkv=2,Sq=256,D=64,causal"
//
// For each shape, generates a module with one attn.attention, compiles it
// twice through the compiler library (the fused CPU pipeline and the unfused
// reference one), calls both through the JIT on the same random inputs, and
// prints their median times, the fused kernel's GFLOP/s as a share of the
// fp32 FMA peak measured in the same run, the speedups over the reference
// and over PyTorch (when python3-torch is installed), and the largest
// difference between the fused and the reference outputs, which fails the
// run when it exceeds 1e-4 of the output's largest magnitude (more for f16
// and bf16 shapes, --dtype).
//
//===----------------------------------------------------------------------===//

#include "Peak.h"
#include "Report.h"
#include "Shapes.h"
#include "TorchBaseline.h"

#include "attnc/Compiler/Compiler.h"
#include "attnc/Execution/FunctionCall.h"
#include "attnc/Runtime/Float16.h"
#include "attnc/Runtime/Npy.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/WithColor.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <optional>
#include <random>
#include <thread>

using namespace mlir;
using namespace mlir::attnc::bench;
namespace compiler = mlir::attnc;
namespace runtime = ::attnc::runtime;
using runtime::Tensor;
namespace cl = llvm::cl;

static cl::OptionCategory benchCategory("attnc-bench options");

static cl::list<std::string> namedShapes(
    "shapes", cl::CommaSeparated, cl::value_desc("P1,P2,P3,D1,D2"),
    cl::cat(benchCategory),
    cl::desc("Named shapes to run: P1 (B1 H12 S512 D64, non-causal and "
             "causal), P2 (B1 H32 S2048 D128 causal), P3 (B4 Hq16 Hkv4 "
             "S1024 D64 causal), D1 (decode: B1 Hq32 Hkv32, one token "
             "against 4096 cached positions, D128; a contiguous cache and "
             "paged ones of 16- and 64-position blocks), D2 (D1 with Hkv 8). "
             "Default: all of them, unless "
             "--shape is given"));
static cl::list<std::string> userShapes(
    "shape", cl::value_desc("B=1,Hq=8,Hkv=2,Sq=256,Skv=256,D=64,causal"),
    cl::cat(benchCategory),
    cl::desc("A shape of your own (repeatable). Keys: B, Hq (or H), Hkv, Sq "
             "(or S), Skv, D, and the flag causal"));
static cl::list<std::string> kvTypes(
    "kv-type", cl::CommaSeparated, cl::value_desc("f32,f16,bf16"),
    cl::cat(benchCategory),
    cl::desc("Decode shapes: the KV caches' element types, one row each in "
             "this order (default f32); f16/bf16 caches are read in their "
             "type by an f32 query (attnc compile --kv-type)"));
static cl::list<std::string> dtypes(
    "dtype", cl::CommaSeparated, cl::value_desc("f32,f16,bf16"),
    cl::cat(benchCategory),
    cl::desc("Prefill shapes: the element type of Q, K, V and O, one row "
             "each in this order (default f32); the error check then allows "
             "that type's rounding"));
static cl::opt<int> avx512Bf16(
    "avx512-bf16", cl::init(-1), cl::value_desc("-1|0|1"),
    cl::cat(benchCategory),
    cl::desc("Whether the kernels use AVX512-BF16 (vdpbf16ps) for bf16: -1 "
             "where the host has it (default), 0 never (bf16 is widened to "
             "f32 like f16), 1 always"));
static cl::opt<int> amxBf16(
    "amx-bf16", cl::init(-1), cl::value_desc("-1|0|1"), cl::cat(benchCategory),
    cl::desc("Whether bf16 attention with head dims that are multiples of "
             "32 computes on AMX tiles (where the process is granted the "
             "AMX state): -1 where the host has AMX-BF16 (default), 0 never "
             "(vdpbf16ps), 1 always"));
static cl::opt<unsigned>
    repetitions("repetitions", cl::init(10), cl::cat(benchCategory),
                cl::desc("Timed calls per shape, after warm-up; the median "
                         "is reported"));
// libLLVM registers an undocumented `threads` option of its own: this one is
// registered under another name and takes `threads` over in main().
static cl::opt<unsigned>
    threads("attnc-bench-threads", cl::init(0), cl::value_desc("N"),
            cl::cat(benchCategory),
            cl::desc("Threads for the kernels, the peak and PyTorch "
                     "(default: OMP_NUM_THREADS or every core)"));
static cl::opt<bool>
    noReference("no-reference", cl::cat(benchCategory),
                cl::desc("Skip the unfused reference baseline (and with it "
                         "the error check)"));
static cl::opt<double> referenceBudget(
    "reference-budget", cl::init(30), cl::value_desc("seconds"),
    cl::cat(benchCategory),
    cl::desc("Time the reference may take per shape, warm-up included: it "
             "makes fewer timed calls than --repetitions to fit, or reports "
             "its warm-up call (cold) when that took over half of it"));
static cl::opt<bool> noTorch("no-torch", cl::cat(benchCategory),
                             cl::desc("Skip the PyTorch baseline"));
static cl::opt<std::string>
    torchScript("torch-script", cl::init(ATTNC_BENCH_TORCH_SCRIPT),
                cl::value_desc("path"), cl::cat(benchCategory),
                cl::desc("The PyTorch baseline script"));
static cl::opt<unsigned> seed("seed", cl::init(0), cl::cat(benchCategory),
                              cl::desc("Seed of the random inputs"));
static cl::opt<bool> library(
    "library", cl::cat(benchCategory),
    cl::desc("Also compile each shape into a shared library and time it in a "
             "fresh process (attnc-call, caller-owned outputs reused across "
             "calls), as a C program calling it would run"));
static cl::opt<bool> csv("csv", cl::cat(benchCategory),
                         cl::desc("Print comma-separated values"));

/// Largest accepted |fused - reference| / max |reference| for outputs of
/// element type `type`: f16 and bf16 outputs differ by their rounding (unit
/// roundoff 2^-11 and 2^-8) and by the two lowerings' intermediate roundings,
/// a few units.
static double getMaxAcceptedError(llvm::StringRef type) {
  if (type == "f16")
    return 5e-3;
  if (type == "bf16")
    return 4e-2;
  return 1e-4;
}

static void printError(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "attnc-bench") << message << "\n";
}

static int fail(llvm::Error error) {
  printError(llvm::toString(std::move(error)));
  return 1;
}

namespace {

/// A JIT-compiled @attention and the engine that keeps it alive.
struct CompiledShape {
  std::unique_ptr<ExecutionEngine> engine;
  compiler::CompiledFunction function;
};

/// Shows what is running on a terminal; nothing when stderr is redirected.
void showProgress(const BenchShape &shape, llvm::StringRef stage) {
  if (!llvm::errs().is_displayed())
    return;
  llvm::errs() << "\r\033[K" << shape.getLabel() << ": " << stage;
  llvm::errs().flush();
}

void clearProgress() {
  if (llvm::errs().is_displayed())
    llvm::errs() << "\r\033[K";
}

llvm::Expected<CompiledShape>
compileShape(MLIRContext &context, const BenchShape &shape, bool reference) {
  std::string text = shape.getModuleText();
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, ParserConfig(&context), "attnc-bench");
  if (!module)
    return llvm::createStringError("the generated module for " +
                                   shape.getLabel() + " does not parse:\n" +
                                   text);
  SmallVector<compiler::ExportedFunction> exported =
      compiler::getExportedFunctions(*module);
  // With the C ABI, as `attnc compile` builds libraries: temporaries come
  // from the per-thread pool and the results go into the caller's buffers,
  // which timeCalls keeps across calls as a C caller does.
  compiler::CPUPipelineOptions options;
  options.reference = reference;
  options.avx512Bf16 = avx512Bf16;
  options.amxBf16 = amxBf16;
  options.exportFunctions = true;
  if (llvm::Error error = compiler::lowerForCPU(*module, options))
    return std::move(error);
  auto engine = compiler::createJIT(*module);
  if (!engine)
    return engine.takeError();
  auto function = compiler::lookupCompiledFunction(
      exported.front().name, exported.front().type,
      [&](llvm::StringRef symbol) { return (*engine)->lookup(symbol); });
  if (!function)
    return function.takeError();
  if (!function->intoEntryPoint)
    return llvm::createStringError("@" + function->name +
                                   " has no destination-passing entry point");
  return CompiledShape{std::move(*engine), std::move(*function)};
}

/// Q, K and V (or the caches) filled with normal random values; for a
/// decode shape, every sequence at full length and, when paged, a block
/// table that is a random permutation of the blocks.
llvm::Expected<std::vector<Tensor>> makeInputs(const BenchShape &shape,
                                               unsigned shapeSeed) {
  std::mt19937 generator(shapeSeed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<Tensor> inputs;
  auto allocate = [&](runtime::DType dtype,
                      const std::vector<int64_t> &dims) -> llvm::Error {
    auto tensor = Tensor::createUninitialized(dtype, dims);
    if (!tensor)
      return llvm::createStringError("cannot allocate the inputs of " +
                                     shape.getLabel() + ": " +
                                     tensor.getError().getMessage());
    inputs.push_back(tensor.take());
    return llvm::Error::success();
  };
  for (auto [index, dims] : llvm::enumerate(std::vector<std::vector<int64_t>>{
           shape.getQueryShape(), shape.getKVShape(), shape.getKVShape()})) {
    // A low-precision cache holds the random values rounded to its type.
    std::string type = shape.getInputType(index);
    runtime::DType dtype = type == "f16"    ? runtime::DType::F16
                           : type == "bf16" ? runtime::DType::BF16
                                            : runtime::DType::F32;
    if (llvm::Error error = allocate(dtype, dims))
      return std::move(error);
    int64_t count = inputs.back().getNumElements();
    if (dtype == runtime::DType::F32) {
      float *data = inputs.back().getDataAs<float>();
      for (int64_t i = 0; i < count; ++i)
        data[i] = normal(generator);
      continue;
    }
    auto *data = inputs.back().getDataAs<uint16_t>();
    for (int64_t i = 0; i < count; ++i)
      data[i] = dtype == runtime::DType::F16
                    ? runtime::f32ToF16(normal(generator))
                    : runtime::f32ToBF16(normal(generator));
  }
  if (!shape.decode)
    return inputs;
  if (llvm::Error error = allocate(runtime::DType::I32, {shape.batch}))
    return std::move(error);
  std::fill_n(inputs.back().getDataAs<int32_t>(), shape.batch,
              static_cast<int32_t>(shape.kvLength));
  if (shape.paged) {
    if (llvm::Error error =
            allocate(runtime::DType::I32, shape.getBlockTableShape()))
      return std::move(error);
    int32_t *table = inputs.back().getDataAs<int32_t>();
    int64_t numBlocks = inputs.back().getNumElements();
    std::iota(table, table + numBlocks, 0);
    std::shuffle(table, table + numBlocks, generator);
  }
  return inputs;
}

double median(std::vector<double> values) {
  llvm::sort(values);
  size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/// Calls `function` `warmup` times, then `runs` timed times; returns the
/// median time and leaves the last call's output in `output`. Every call
/// after the first computes into the previous call's output, as a caller
/// that keeps its buffers (and PyTorch's caching allocator) does: a fresh
/// output of tens of MiB each call would time its page faults.
llvm::Expected<double> timeCalls(const compiler::CompiledFunction &function,
                                 std::vector<Tensor> &inputs, unsigned warmup,
                                 unsigned runs, std::optional<Tensor> &output,
                                 double *firstCallMs = nullptr) {
  std::vector<double> milliseconds;
  std::vector<Tensor> outputs;
  for (unsigned call = 0; call < warmup + runs; ++call) {
    double callMs = 0;
    auto results = compiler::callFunction(function, inputs, &callMs,
                                          call == 0 ? nullptr : &outputs);
    if (!results)
      return results.takeError();
    outputs = std::move(*results);
    if (call == 0 && firstCallMs)
      *firstCallMs = callMs;
    if (call >= warmup)
      milliseconds.push_back(callMs);
  }
  if (!outputs.empty())
    output = std::move(outputs.front());
  return milliseconds.empty() ? 0.0 : median(std::move(milliseconds));
}

/// Element `i` of an f32, f16 or bf16 tensor.
double getElement(const Tensor &tensor, int64_t i) {
  switch (tensor.getDType()) {
  case runtime::DType::F16:
    return runtime::f16ToF32(tensor.getDataAs<uint16_t>()[i]);
  case runtime::DType::BF16:
    return runtime::bf16ToF32(tensor.getDataAs<uint16_t>()[i]);
  default:
    return tensor.getDataAs<float>()[i];
  }
}

/// max |actual - expected| / max |expected|; NaN when either has a NaN.
double getMaxRelativeError(const Tensor &actual, const Tensor &expected) {
  double maxDiff = 0, maxMagnitude = 0;
  for (int64_t i = 0, n = expected.getNumElements(); i < n; ++i) {
    double a = getElement(actual, i), e = getElement(expected, i);
    if (std::isnan(a) || std::isnan(e))
      return NAN;
    maxDiff = std::max(maxDiff, std::fabs(a - e));
    maxMagnitude = std::max(maxMagnitude, std::fabs(e));
  }
  return maxMagnitude > 0 ? maxDiff / maxMagnitude : maxDiff;
}

llvm::Expected<Measurement> benchmarkShape(MLIRContext &context,
                                           const BenchShape &shape,
                                           unsigned shapeSeed,
                                           unsigned numThreads, bool runTorch) {
  Measurement measurement;
  auto inputs = makeInputs(shape, shapeSeed);
  if (!inputs)
    return inputs.takeError();
  std::vector<std::string> inputNames = {"q", "k", "v"};
  if (shape.decode)
    inputNames = {"q", "k_cache", "v_cache", "seq_lens", "block_table"};
  inputNames.resize(inputs->size());

  showProgress(shape, "compiling the fused kernel");
  std::optional<Tensor> fusedOutput;
  {
    auto fused = compileShape(context, shape, /*reference=*/false);
    if (!fused)
      return fused.takeError();
    if (llvm::Error error =
            compiler::checkInputs(fused->function, *inputs, inputNames))
      return std::move(error);
    showProgress(shape, "timing the fused kernel");
    // Two warm-up calls: the first starts the OpenMP threads and faults in
    // the output and scratch buffers.
    auto ms = timeCalls(fused->function, *inputs, /*warmup=*/2, repetitions,
                        fusedOutput);
    if (!ms)
      return ms.takeError();
    measurement.attncMs = *ms;
  }

  if (!noReference) {
    showProgress(shape, "compiling the reference");
    auto reference = compileShape(context, shape, /*reference=*/true);
    if (!reference)
      return reference.takeError();
    // The warm-up call sizes the timed runs to fit --reference-budget. When
    // it used up half the budget or more, its own time is reported: a cold
    // call, which includes faulting in the reference's buffers.
    showProgress(shape, "timing the reference");
    std::optional<Tensor> referenceOutput;
    double warmupMs = 0;
    auto ignored = timeCalls(reference->function, *inputs, /*warmup=*/1,
                             /*runs=*/0, referenceOutput, &warmupMs);
    if (!ignored)
      return ignored.takeError();
    double fits = referenceBudget * 1e3 / std::max(warmupMs, 1e-3) - 1;
    measurement.referenceRuns = static_cast<unsigned>(
        std::clamp(fits, 0.0, static_cast<double>(repetitions)));
    measurement.referenceMs = warmupMs;
    if (measurement.referenceRuns > 0) {
      auto ms = timeCalls(reference->function, *inputs, /*warmup=*/0,
                          measurement.referenceRuns, referenceOutput);
      if (!ms)
        return ms.takeError();
      measurement.referenceMs = *ms;
    }
    measurement.maxRelativeError =
        getMaxRelativeError(*fusedOutput, *referenceOutput);
  }

  if (runTorch) {
    showProgress(shape, "timing PyTorch");
    auto ms = runTorchBaseline(torchScript, shape, numThreads, repetitions,
                               shapeSeed);
    // The optional baseline failing (e.g. out of memory) costs its column,
    // not the run.
    if (ms) {
      measurement.torchMs = *ms;
    } else {
      clearProgress();
      llvm::WithColor::warning(llvm::errs(), "attnc-bench")
          << shape.getLabel() << ": " << llvm::toString(ms.takeError()) << "\n";
    }
  }
  clearProgress();
  return measurement;
}

/// Compiles `shape` into a library in a temporary directory and times it in
/// a fresh attnc-call process (found beside this executable) on `inputs`:
/// the median of --repetitions calls after two warm-up calls.
llvm::Expected<double> timeLibrary(MLIRContext &context,
                                   const BenchShape &shape,
                                   const std::vector<Tensor> &inputs,
                                   const char *argv0) {
  std::string self = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&timeLibrary));
  llvm::SmallString<128> caller(llvm::sys::path::parent_path(self));
  llvm::sys::path::append(caller, "attnc-call");
  if (!llvm::sys::fs::can_execute(caller))
    return llvm::createStringError("--library needs attnc-call beside "
                                   "attnc-bench ('" +
                                   caller.str().str() + "' is missing)");
  llvm::SmallString<128> directory;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory(
          "attnc-bench-library", directory))
    return llvm::createStringError("cannot create a temporary directory: " +
                                   ec.message());
  llvm::scope_exit removeDirectory(
      [&] { llvm::sys::fs::remove_directories(directory); });

  std::string text = shape.getModuleText();
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, ParserConfig(&context), "attnc-bench");
  if (!module)
    return llvm::createStringError("the generated module does not parse");
  std::string name = compiler::getExportedFunctions(*module).front().name;
  compiler::CPUPipelineOptions options;
  options.avx512Bf16 = avx512Bf16;
  options.amxBf16 = amxBf16;
  if (llvm::Error error = compiler::lowerForCPU(*module, options))
    return std::move(error);
  auto machine = compiler::createTargetMachine({});
  if (!machine)
    return machine.takeError();
  std::string libraryPath = (directory + "/kernel.so").str();
  if (llvm::Error error =
          compiler::emitArtifact(*module, **machine, libraryPath))
    return std::move(error);

  std::vector<std::string> args = {caller.str().str(), libraryPath,
                                   "--function", name};
  for (auto [idx, input] : llvm::enumerate(inputs)) {
    std::string path = (directory + "/input" + llvm::Twine(idx) + ".npy").str();
    if (runtime::Error error = runtime::writeNpy(path, input))
      return llvm::createStringError(error.getMessage());
    args.push_back("--input");
    args.push_back("@" + path);
  }
  args.push_back("--output");
  args.push_back("@" + (directory + "/output.npy").str());
  args.push_back("--repeat");
  args.push_back(std::to_string(repetitions));
  args.push_back("--warmup");
  args.push_back("2");
  std::string log = (directory + "/attnc-call.log").str();
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, log, log};
  SmallVector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::string error;
  int status = llvm::sys::ExecuteAndWait(caller, argRefs, std::nullopt,
                                         redirects, 0, 0, &error);
  auto contents = llvm::MemoryBuffer::getFile(log);
  llvm::StringRef output = contents ? (*contents)->getBuffer() : "";
  // "@f ran in 1.234 ms (median of N runs)"
  size_t at = output.find(" ran in ");
  double ms = 0;
  if (status != 0 || at == llvm::StringRef::npos ||
      output.drop_front(at + 8).split(' ').first.getAsDouble(ms))
    return llvm::createStringError(
        "attnc-call failed on the library: " + output.trim().str() + error);
  return ms;
}

/// --threads, else OMP_NUM_THREADS, else every hardware thread.
unsigned getThreadCount() {
  if (threads > 0)
    return threads;
  unsigned fromEnv = 0;
  if (const char *env = std::getenv("OMP_NUM_THREADS"))
    if (!StringRef(env).split(',').first.getAsInteger(10, fromEnv) && fromEnv)
      return fromEnv;
  return std::max(1u, std::thread::hardware_concurrency());
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  if (cl::Option *other = cl::getRegisteredOptions().lookup("threads"))
    other->removeArgument();
  threads.setArgStr("threads");
  cl::HideUnrelatedOptions(benchCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "attnc attention benchmark\n\n"
      "  attnc-bench [--shapes=P1,P2,P3] [--shape \"B=1,Hq=8,Hkv=2,Sq=256,"
      "D=64,causal\"]...\n\n"
      "Times the fused attnc kernels against the unfused reference and "
      "PyTorch, in the same run, and checks the fused output against the "
      "reference's. Prefill shapes report GFLOP/s and % of the measured FMA "
      "peak; decode shapes (D1, D2) report GB/s of K and V read and % of the "
      "measured memory bandwidth.\n");
  if (repetitions == 0) {
    printError("--repetitions must be at least 1");
    return 1;
  }
  // libomp reads its thread count when the first parallel region starts.
  if (threads > 0)
    setenv("OMP_NUM_THREADS", std::to_string(threads).c_str(),
           /*overwrite=*/1);
  unsigned numThreads = getThreadCount();

  std::vector<BenchShape> shapes;
  std::vector<std::string> names(namedShapes.begin(), namedShapes.end());
  if (names.empty() && userShapes.empty())
    for (StringRef name : getNamedShapeNames())
      names.push_back(name.str());
  for (const std::string &name : names) {
    std::vector<BenchShape> variants = getNamedShape(name);
    if (variants.empty()) {
      printError("--shapes: unknown shape '" + name +
                 "' (expected P1, P2, P3, D1 or D2)");
      return 1;
    }
    llvm::append_range(shapes, variants);
  }
  for (const std::string &spec : userShapes) {
    auto shape = parseShape(spec);
    if (!shape)
      return fail(shape.takeError());
    shapes.push_back(std::move(*shape));
  }

  // Prefill shapes: one row per --dtype, side by side.
  if (!dtypes.empty()) {
    for (const std::string &type : dtypes)
      if (type != "f32" && type != "f16" && type != "bf16") {
        printError("--dtype: unknown type '" + type +
                   "' (expected f32, f16 or bf16)");
        return 1;
      }
    std::vector<BenchShape> expanded;
    for (const BenchShape &shape : shapes) {
      if (shape.decode) {
        expanded.push_back(shape);
        continue;
      }
      for (const std::string &type : dtypes) {
        expanded.push_back(shape);
        expanded.back().dtype = type;
      }
    }
    shapes = std::move(expanded);
  }

  // Decode shapes: one row per --kv-type, side by side.
  if (!kvTypes.empty()) {
    for (const std::string &type : kvTypes)
      if (type != "f32" && type != "f16" && type != "bf16") {
        printError("--kv-type: unknown type '" + type +
                   "' (expected f32, f16 or bf16)");
        return 1;
      }
    std::vector<BenchShape> expanded;
    for (const BenchShape &shape : shapes) {
      if (!shape.decode) {
        expanded.push_back(shape);
        continue;
      }
      for (const std::string &type : kvTypes) {
        expanded.push_back(shape);
        expanded.back().cacheType = type;
      }
    }
    shapes = std::move(expanded);
  }

  // Prefill rows first, then decode rows: one table each, each in the
  // order given (libstdc++'s stable_partition uses the deprecated
  // get_temporary_buffer).
  std::vector<BenchShape> ordered;
  for (bool decode : {false, true})
    for (BenchShape &shape : shapes)
      if (shape.decode == decode)
        ordered.push_back(std::move(shape));
  shapes = std::move(ordered);

  DialectRegistry registry;
  compiler::registerCompilerDialects(registry);
  MLIRContext context(registry);

  MachineInfo machine;
  machine.cpu = getCPUModel();
  if (machine.cpu.empty())
    machine.cpu = llvm::sys::getHostCPUName().str();
  machine.loadAverage = getLoadAverage();
  machine.threads = numThreads;
  machine.peak = measureFmaPeak(numThreads);
  if (llvm::any_of(shapes, [](const BenchShape &s) { return s.decode; }))
    machine.bandwidthGBs = measureReadBandwidth(numThreads);
  if (noTorch)
    machine.torchSkipped = "--no-torch";
  else if (!isTorchAvailable())
    machine.torchSkipped = "python3-torch not installed";
  bool runTorch = machine.torchSkipped.empty();
  printPreamble(llvm::outs(), machine, csv);
  llvm::outs().flush();

  std::vector<std::string> failures;
  std::vector<std::string> libraryLines;
  bool coldReference = false;
  bool prefillHeaderPrinted = false, decodeHeaderPrinted = false;
  for (auto [index, shape] : llvm::enumerate(shapes)) {
    // One table per kind: decode rows measure bytes, prefill rows FLOPs.
    if (!csv && shape.decode && !decodeHeaderPrinted) {
      printDecodeHeader(llvm::outs(), machine);
      decodeHeaderPrinted = true;
    } else if (!csv && !shape.decode && !prefillHeaderPrinted) {
      printPrefillHeader(llvm::outs(), machine);
      prefillHeaderPrinted = true;
    }
    unsigned shapeSeed = seed + static_cast<unsigned>(index);
    // PyTorch's baseline reads f32 tensors only.
    auto measurement = benchmarkShape(context, shape, shapeSeed, numThreads,
                                      runTorch && shape.cacheType == "f32" &&
                                          shape.dtype == "f32");
    if (!measurement) {
      clearProgress();
      return fail(measurement.takeError());
    }
    printRow(llvm::outs(), shape, *measurement, machine, csv);
    llvm::outs().flush();
    if (library) {
      showProgress(shape, "timing the library in a fresh process");
      auto inputs = makeInputs(shape, shapeSeed);
      if (!inputs)
        return fail(inputs.takeError());
      auto ms = timeLibrary(context, shape, *inputs, argv[0]);
      clearProgress();
      if (!ms)
        return fail(ms.takeError());
      libraryLines.push_back(
          llvm::formatv("  {0,-28} {1,9:f3} ms  {2,9:f3} ms  {3,6:f2}x",
                        shape.getLabel(), measurement->attncMs, *ms,
                        *ms / measurement->attncMs)
              .str());
    }
    coldReference |=
        measurement->referenceMs && measurement->referenceRuns == 0;
    std::optional<double> error = measurement->maxRelativeError;
    double accepted = getMaxAcceptedError(shape.getInputType(0));
    if (error && !(*error <= accepted))
      failures.push_back(shape.getLabel() + ": max relative error " +
                         llvm::formatv("{0:e}", *error).str() + " exceeds " +
                         llvm::formatv("{0:e}", accepted).str());
  }
  if (!libraryLines.empty()) {
    llvm::outs() << "\nThe same kernels as shared libraries, each timed in a "
                    "fresh attnc-call process (median of "
                 << repetitions
                 << " calls after 2 warm-up calls, outputs reused):\n"
                 << llvm::formatv("  {0,-28} {1,12}  {2,12}  {3,7}\n", "shape",
                                  "this process", ".so", "ratio");
    for (const std::string &line : libraryLines)
      llvm::outs() << line << "\n";
  }
  if (coldReference && !csv)
    llvm::outs() << "* the reference's one call, cold (its buffers faulted "
                    "in): it took over half of --reference-budget\n";
  for (const std::string &failure : failures)
    printError(failure);
  return failures.empty() ? 0 : 1;
}
