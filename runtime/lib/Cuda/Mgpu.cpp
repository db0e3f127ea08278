//===- Mgpu.cpp - The mgpu* functions MLIR's GPU host code calls --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Each function makes the runtime's context current, calls the driver and,
// on failure, records the first error (see Mgpu.h). attnc_cuda_* live in
// this file so that linking any mgpu* function from libAttncCudaRuntime.a
// brings them into the library.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Cuda/Mgpu.h"
#include "attnc/Runtime/Cuda/Context.h"
#include "attnc/Runtime/Cuda/TensorMap.h"

#include <atomic>
#include <mutex>
#include <string>

using namespace attnc::runtime;
using namespace attnc::runtime::cuda;

namespace {

struct LastError {
  std::mutex mutex;
  std::atomic<bool> isSet{false};
  std::string message;
};

LastError &getLastError() {
  // Never destroyed: mgpuModuleUnload runs from a global destructor.
  static auto *lastError = new LastError();
  return *lastError;
}

bool hasError() {
  return getLastError().isSet.load(std::memory_order_acquire);
}

/// Records `message` unless an error is recorded already.
void recordError(const std::string &message) {
  LastError &lastError = getLastError();
  std::lock_guard<std::mutex> lock(lastError.mutex);
  if (lastError.isSet.load(std::memory_order_relaxed))
    return;
  lastError.message = message;
  lastError.isSet.store(true, std::memory_order_release);
}

/// Records a failed driver call; true when `result` is a success.
bool check(const DriverTable &driver, const char *function, CuResult result) {
  if (result == kCudaSuccess)
    return true;
  recordError(formatDriverError(driver, function, result));
  return false;
}

/// Makes the context current for the duration of one mgpu* call; records
/// the error when it cannot.
class CallContext {
public:
  CallContext() {
    if (!scoped)
      recordError(scoped.getErrorMessage());
  }
  explicit operator bool() const { return static_cast<bool>(scoped); }
  const DriverTable &driver() const { return *scoped.getDriver(); }

private:
  ScopedContext scoped;
};

/// Whether a call does work (skipped once an error is recorded) or releases
/// something (runs anyway, so that an error leaks nothing).
enum class CallKind { Work, Release };

/// Calls the driver entry point `entry` with `args` in the runtime's
/// context and records its error as coming from `name`; true when it ran and
/// succeeded.
template <typename Entry, typename... Args>
bool callDriver(CallKind kind, const char *name, Entry DriverTable::*entry,
                Args... args) {
  if (kind == CallKind::Work && hasError())
    return false;
  CallContext context;
  if (!context)
    return false;
  const DriverTable &driver = context.driver();
  return check(driver, name, (driver.*entry)(args...));
}

CuDevicePtr toDevice(const void *pointer) {
  return static_cast<CuDevicePtr>(reinterpret_cast<uintptr_t>(pointer));
}

/// The bytes a dense memref descriptor of `rank` spans.
uint64_t getMemRefSpan(int64_t rank, const int64_t *words,
                       int64_t elementSizeBytes, const char **data) {
  *data = reinterpret_cast<const char *>(words[1]) +
          words[2] * elementSizeBytes;
  const int64_t *sizes = words + 3;
  const int64_t *strides = words + 3 + rank;
  int64_t last = 0;
  for (int64_t d = 0; d < rank; ++d) {
    if (sizes[d] == 0)
      return 0;
    last += (sizes[d] - 1) * strides[d];
  }
  return static_cast<uint64_t>((last + 1) * elementSizeBytes);
}

/// The launch dimensions as the driver takes them.
unsigned toDim(intptr_t value) { return static_cast<unsigned>(value); }

} // namespace

extern "C" {

const char *attnc_cuda_last_error(void) {
  if (!hasError())
    return nullptr;
  return getLastError().message.c_str();
}

void attnc_cuda_clear_error(void) {
  LastError &lastError = getLastError();
  std::lock_guard<std::mutex> lock(lastError.mutex);
  lastError.isSet.store(false, std::memory_order_release);
  lastError.message.clear();
}

void attnc_cuda_set_stream(void *stream) {
  setThreadStream(static_cast<CuStream>(stream));
}

CuModule mgpuModuleLoad(void *data, size_t /*size*/) {
  CuModule module = nullptr;
  if (!callDriver(CallKind::Work, "cuModuleLoadData",
                  &DriverTable::cuModuleLoadData, &module, data))
    return nullptr;
  return module;
}

CuModule mgpuModuleLoadJIT(void *data, int optLevel) {
  if (hasError())
    return nullptr;
  CallContext context;
  if (!context)
    return nullptr;
  const DriverTable &driver = context.driver();
  char log[8192] = {0};
  int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSizeBytes,
                   kJitOptimizationLevel};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log) - 1),
                    reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
  CuModule module = nullptr;
  CuResult result =
      driver.cuModuleLoadDataEx(&module, data, 3, options, values);
  if (result == kCudaSuccess)
    return module;
  // One line: the JIT log's lines joined with "; ".
  std::string message = formatDriverError(driver, "cuModuleLoadDataEx", result);
  std::string text(log);
  std::string joined;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
      line.pop_back();
    if (!line.empty())
      joined += (joined.empty() ? "" : "; ") + line;
    start = end + 1;
  }
  if (!joined.empty())
    message += ": " + joined;
  recordError(message);
  return nullptr;
}

void mgpuModuleUnload(CuModule module) {
  if (!module)
    return;
  CallContext context;
  if (!context)
    return;
  check(context.driver(), "cuModuleUnload",
        context.driver().cuModuleUnload(module));
  // Its functions' handles may be reused.
  forgetPreparedFunctions();
}

CuFunction mgpuModuleGetFunction(CuModule module, const char *name) {
  if (hasError())
    return nullptr;
  CallContext context;
  if (!context)
    return nullptr;
  CuFunction function = nullptr;
  CuResult result =
      context.driver().cuModuleGetFunction(&function, module, name);
  if (result != kCudaSuccess) {
    recordError(formatDriverError(context.driver(), "cuModuleGetFunction",
                                  result) +
                ": kernel '" + (name ? name : "") + "'");
    return nullptr;
  }
  return function;
}

void mgpuLaunchKernel(CuFunction function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, CuStream stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  if (hasError())
    return;
  CallContext context;
  if (!context)
    return;
  const DriverTable &driver = context.driver();
  if (Error error = prepareSharedMemory(driver, function, smem)) {
    recordError(error.getMessage());
    return;
  }
  check(driver, "cuLaunchKernel",
        driver.cuLaunchKernel(function, toDim(gridX), toDim(gridY),
                              toDim(gridZ), toDim(blockX), toDim(blockY),
                              toDim(blockZ), static_cast<unsigned>(smem),
                              stream, params, extra));
}

void mgpuLaunchClusterKernel(CuFunction function, intptr_t clusterX,
                             intptr_t clusterY, intptr_t clusterZ,
                             intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                             intptr_t blockX, intptr_t blockY, intptr_t blockZ,
                             int32_t smem, CuStream stream, void **params,
                             void **extra) {
  if (hasError())
    return;
  CallContext context;
  if (!context)
    return;
  const DriverTable &driver = context.driver();
  if (!driver.cuLaunchKernelEx) {
    recordError("cuLaunchKernelEx is not available in this CUDA driver "
                "(cluster launches need CUDA 12)");
    return;
  }
  if (Error error = prepareSharedMemory(driver, function, smem)) {
    recordError(error.getMessage());
    return;
  }
  // Clusters of more than 8 blocks are "non-portable" and need an opt-in.
  if (clusterX * clusterY * clusterZ > 8 &&
      !check(driver, "cuFuncSetAttribute",
             driver.cuFuncSetAttribute(
                 function, kFuncAttributeNonPortableClusterSizeAllowed, 1)))
    return;
  CuLaunchAttribute attributes[2] = {};
  attributes[0].id = kLaunchAttributeClusterDimension;
  attributes[0].value.clusterDim.x = toDim(clusterX);
  attributes[0].value.clusterDim.y = toDim(clusterY);
  attributes[0].value.clusterDim.z = toDim(clusterZ);
  attributes[1].id = kLaunchAttributeClusterSchedulingPolicyPreference;
  attributes[1].value.clusterSchedulingPolicyPreference =
      kClusterSchedulingPolicySpread;
  CuLaunchConfig config = {};
  config.gridDimX = toDim(gridX);
  config.gridDimY = toDim(gridY);
  config.gridDimZ = toDim(gridZ);
  config.blockDimX = toDim(blockX);
  config.blockDimY = toDim(blockY);
  config.blockDimZ = toDim(blockZ);
  config.sharedMemBytes = static_cast<unsigned>(smem);
  config.hStream = stream;
  config.attrs = attributes;
  config.numAttrs = 2;
  check(driver, "cuLaunchKernelEx",
        driver.cuLaunchKernelEx(&config, function, params, extra));
}

CuStream mgpuStreamCreate(void) {
  if (hasError())
    return nullptr;
  CallContext context;
  if (!context)
    return nullptr;
  Expected<CuStream> stream = getThreadStream(context.driver());
  if (!stream) {
    recordError(stream.getError().getMessage());
    return nullptr;
  }
  return *stream;
}

void mgpuStreamDestroy(CuStream stream) {
  // The thread's stream outlives the calls that "create" it.
  if (!stream || isRuntimeStream(stream))
    return;
  callDriver(CallKind::Release, "cuStreamDestroy",
             &DriverTable::cuStreamDestroy, stream);
}

void mgpuStreamSynchronize(CuStream stream) {
  callDriver(CallKind::Work, "cuStreamSynchronize",
             &DriverTable::cuStreamSynchronize, stream);
}

void mgpuStreamWaitEvent(CuStream stream, CuEvent event) {
  callDriver(CallKind::Work, "cuStreamWaitEvent",
             &DriverTable::cuStreamWaitEvent, stream, event, 0u);
}

CuEvent mgpuEventCreate(void) {
  CuEvent event = nullptr;
  if (!callDriver(CallKind::Work, "cuEventCreate",
                  &DriverTable::cuEventCreate, &event, kEventDisableTiming))
    return nullptr;
  return event;
}

void mgpuEventDestroy(CuEvent event) {
  if (event)
    callDriver(CallKind::Release, "cuEventDestroy",
               &DriverTable::cuEventDestroy, event);
}

void mgpuEventSynchronize(CuEvent event) {
  callDriver(CallKind::Work, "cuEventSynchronize",
             &DriverTable::cuEventSynchronize, event);
}

void mgpuEventRecord(CuEvent event, CuStream stream) {
  callDriver(CallKind::Work, "cuEventRecord", &DriverTable::cuEventRecord,
             event, stream);
}

void *mgpuMemAlloc(uint64_t sizeBytes, CuStream stream, bool isHostShared) {
  if (hasError() || sizeBytes == 0)
    return nullptr;
  CallContext context;
  if (!context)
    return nullptr;
  const DriverTable &driver = context.driver();
  CuDevicePtr pointer = 0;
  if (isHostShared) {
    if (!check(driver, "cuMemAllocManaged",
               driver.cuMemAllocManaged(&pointer, sizeBytes,
                                        kMemAttachGlobal)))
      return nullptr;
  } else if (!check(driver, "cuMemAlloc",
                    driver.cuMemAlloc(&pointer, sizeBytes))) {
    return nullptr;
  }
  if (getRuntimeOptions().poison &&
      !check(driver, "cuMemsetD8Async",
             driver.cuMemsetD8Async(pointer, 0xFF, sizeBytes, stream))) {
    (void)driver.cuMemFree(pointer);
    return nullptr;
  }
  return reinterpret_cast<void *>(static_cast<uintptr_t>(pointer));
}

void mgpuMemFree(void *ptr, CuStream /*stream*/) {
  if (ptr)
    callDriver(CallKind::Release, "cuMemFree", &DriverTable::cuMemFree,
               toDevice(ptr));
}

void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, CuStream stream) {
  if (sizeBytes != 0)
    callDriver(CallKind::Work, "cuMemcpyAsync", &DriverTable::cuMemcpyAsync,
               toDevice(dst), toDevice(src), sizeBytes, stream);
}

void mgpuMemset32(void *dst, uint32_t value, size_t count, CuStream stream) {
  if (count != 0)
    callDriver(CallKind::Work, "cuMemsetD32Async",
               &DriverTable::cuMemsetD32Async, toDevice(dst), value, count,
               stream);
}

void mgpuMemset16(void *dst, uint16_t value, size_t count, CuStream stream) {
  if (count != 0)
    callDriver(CallKind::Work, "cuMemsetD16Async",
               &DriverTable::cuMemsetD16Async, toDevice(dst), value, count,
               stream);
}

void mgpuMemHostRegister(void *ptr, uint64_t sizeBytes) {
  if (ptr && sizeBytes != 0)
    callDriver(CallKind::Work, "cuMemHostRegister",
               &DriverTable::cuMemHostRegister, ptr, sizeBytes, 0u);
}

void mgpuMemHostUnregister(void *ptr) {
  if (ptr)
    callDriver(CallKind::Release, "cuMemHostUnregister",
               &DriverTable::cuMemHostUnregister, ptr);
}

void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                               int64_t elementSizeBytes) {
  const char *data = nullptr;
  uint64_t bytes =
      getMemRefSpan(rank, static_cast<const int64_t *>(descriptor),
                    elementSizeBytes, &data);
  mgpuMemHostRegister(const_cast<char *>(data), bytes);
}

void mgpuMemHostUnregisterMemRef(int64_t rank, void *descriptor,
                                 int64_t elementSizeBytes) {
  const char *data = nullptr;
  uint64_t bytes =
      getMemRefSpan(rank, static_cast<const int64_t *>(descriptor),
                    elementSizeBytes, &data);
  if (bytes != 0)
    mgpuMemHostUnregister(const_cast<char *>(data));
}

void mgpuSetDefaultDevice(int32_t device) {
  if (hasError())
    return;
  if (Error error = setDefaultDevice(device))
    recordError(error.getMessage());
}

void *mgpuTensorMapEncodeTiledMemref(int64_t rank, void *rankedDescriptor,
                                     int64_t dataType, int64_t interleave,
                                     int64_t swizzle, int64_t l2Promotion,
                                     int64_t oobFill, int64_t *boxDims) {
  if (hasError())
    return nullptr;
  Expected<TensorMapDescription> description =
      describeMemref(rank, rankedDescriptor, dataType, interleave, swizzle,
                     l2Promotion, oobFill, boxDims);
  if (!description) {
    recordError(description.getError().getMessage());
    return nullptr;
  }
  CallContext context;
  if (!context)
    return nullptr;
  Expected<void *> map = getDeviceTensorMap(context.driver(), *description);
  if (!map) {
    recordError(map.getError().getMessage());
    return nullptr;
  }
  return *map;
}

void mgpuTensorMapEncodeTiled(CuTensorMap *tensorMap, int dataType,
                              uint32_t rank, void *globalAddress,
                              const uint64_t *globalDim,
                              const uint64_t *globalStrides,
                              const uint32_t *boxDim,
                              const uint32_t *elementStrides, int interleave,
                              int swizzle, int l2Promotion, int oobFill) {
  if (hasError())
    return;
  if (rank < 1 || rank > 5) {
    recordError("tensor map of rank " + std::to_string(rank) +
                ": the driver takes ranks 1 to 5");
    return;
  }
  CallContext context;
  if (!context)
    return;
  TensorMapDescription description;
  description.dataType = dataType;
  description.rank = rank;
  description.address = toDevice(globalAddress);
  for (uint32_t d = 0; d < rank; ++d) {
    description.dims[d] = globalDim[d];
    description.box[d] = boxDim[d];
    description.elementStrides[d] = elementStrides ? elementStrides[d] : 1;
    if (d + 1 < rank)
      description.strides[d] = globalStrides[d];
  }
  description.interleave = interleave;
  description.swizzle = swizzle;
  description.l2Promotion = l2Promotion;
  description.oobFill = oobFill;
  Expected<CuTensorMap> map = encodeTensorMap(context.driver(), description);
  if (!map) {
    recordError(map.getError().getMessage());
    return;
  }
  *tensorMap = *map;
}

} // extern "C"
