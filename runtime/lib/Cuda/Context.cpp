//===- Context.cpp - The CUDA context, streams and options --------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Cuda/Context.h"
#include "attnc/Runtime/Cuda/TensorMap.h"

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>

namespace attnc::runtime::cuda {

namespace {

struct ContextState {
  std::mutex mutex;
  bool optionsRead = false;
  RuntimeOptions options;
  std::optional<int> defaultDevice;
  bool started = false;
  std::string error;
  DeviceHandle handle{};
  int maxSharedMemoryOptin = -1;
  std::unordered_map<CuFunction, int> preparedSharedMemory;
  /// Bumped by resetRuntimeForTesting: thread streams of an older
  /// generation belong to a driver that is gone.
  uint64_t generation = 1;
};

ContextState &getState() {
  // Never destroyed: mgpu* calls may come from global destructors.
  static auto *state = new ContextState();
  return *state;
}

/// This thread's stream: the one set by the user, or the runtime's own.
struct ThreadStream {
  uint64_t generation = 0;
  CuStream userStream = nullptr;
  CuStream ownStream = nullptr;
  const DriverTable *ownDriver = nullptr;

  ~ThreadStream() {
    if (ownStream && generation == currentGeneration())
      (void)ownDriver->cuStreamDestroy(ownStream);
  }

  static uint64_t currentGeneration() {
    ContextState &state = getState();
    std::lock_guard<std::mutex> lock(state.mutex);
    return state.generation;
  }

  /// Forgets the streams of an older generation.
  void refresh() {
    uint64_t current = currentGeneration();
    if (generation == current)
      return;
    generation = current;
    userStream = ownStream = nullptr;
    ownDriver = nullptr;
  }
};

thread_local ThreadStream threadStream;

bool isAllDigits(const std::string &text) {
  if (text.empty() || text.size() > 6)
    return false;
  for (char c : text)
    if (c < '0' || c > '9')
      return false;
  return true;
}

const RuntimeOptions &readOptions(ContextState &state) {
  if (!state.optionsRead) {
    state.optionsRead = true;
    const char *poison = std::getenv("ATTNC_CUDA_POISON");
    state.options.poison =
        poison && *poison && std::strcmp(poison, "0") != 0;
    if (const char *device = std::getenv("ATTNC_CUDA_DEVICE"))
      state.options.device = std::string(device);
  }
  return state.options;
}

/// Initializes the device; the caller holds the lock. Returns the error
/// message, empty on success.
std::string startDevice(ContextState &state) {
  Expected<const DriverTable *> loaded = getDriver();
  if (!loaded)
    return loaded.getError().getMessage();
  const DriverTable &driver = **loaded;
  if (CuResult result = driver.cuInit(0))
    return "no CUDA device: " + formatDriverError(driver, "cuInit", result);
  int count = 0;
  if (CuResult result = driver.cuDeviceGetCount(&count))
    return "no CUDA device: " +
           formatDriverError(driver, "cuDeviceGetCount", result);
  if (count <= 0)
    return "no CUDA device: the driver sees no device";
  int ordinal = 0;
  std::string chosenBy;
  const RuntimeOptions &options = readOptions(state);
  if (options.device) {
    if (!isAllDigits(*options.device))
      return "no CUDA device: ATTNC_CUDA_DEVICE='" + *options.device +
             "' is not a device ordinal";
    ordinal = std::atoi(options.device->c_str());
    chosenBy = "ATTNC_CUDA_DEVICE=" + *options.device;
  } else if (state.defaultDevice) {
    ordinal = *state.defaultDevice;
    chosenBy = "mgpuSetDefaultDevice(" + std::to_string(ordinal) + ")";
  }
  if (ordinal < 0 || ordinal >= count)
    return "no CUDA device: there is no device " + std::to_string(ordinal) +
           " (" + chosenBy + "); the driver sees " + std::to_string(count) +
           " device(s)";
  CuDevice device = 0;
  if (CuResult result = driver.cuDeviceGet(&device, ordinal))
    return formatDriverError(driver, "cuDeviceGet", result);
  CuContext context = nullptr;
  if (CuResult result = driver.cuDevicePrimaryCtxRetain(&context, device))
    return formatDriverError(driver, "cuDevicePrimaryCtxRetain", result);
  state.handle = DeviceHandle{&driver, device, ordinal, context};
  return "";
}

} // namespace

const RuntimeOptions &getRuntimeOptions() {
  ContextState &state = getState();
  std::lock_guard<std::mutex> lock(state.mutex);
  return readOptions(state);
}

void setRuntimeOptionsForTesting(const RuntimeOptions &options) {
  ContextState &state = getState();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.optionsRead = true;
  state.options = options;
}

void resetRuntimeForTesting() {
  ContextState &state = getState();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.optionsRead = false;
  state.options = RuntimeOptions();
  state.defaultDevice.reset();
  state.started = false;
  state.error.clear();
  state.handle = DeviceHandle{};
  state.maxSharedMemoryOptin = -1;
  state.preparedSharedMemory.clear();
  ++state.generation;
  clearTensorMapCache();
}

Error setDefaultDevice(int ordinal) {
  ContextState &state = getState();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (state.started && state.error.empty() && state.handle.ordinal != ordinal)
    return Error::failure(
        "mgpuSetDefaultDevice(" + std::to_string(ordinal) +
        "): the runtime already runs on device " +
        std::to_string(state.handle.ordinal));
  state.defaultDevice = ordinal;
  return Error::success();
}

Expected<DeviceHandle> getDevice() {
  ContextState &state = getState();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (!state.started) {
    state.started = true;
    state.error = startDevice(state);
  }
  if (!state.error.empty())
    return Error::failure(state.error);
  return state.handle;
}

ScopedContext::ScopedContext() {
  Expected<DeviceHandle> device = getDevice();
  if (!device) {
    message = device.getError().getMessage();
    return;
  }
  const DriverTable &table = *device->driver;
  CuContext current = nullptr;
  if (CuResult result = table.cuCtxGetCurrent(&current)) {
    message = formatDriverError(table, "cuCtxGetCurrent", result);
    return;
  }
  if (current != device->context) {
    if (!current) {
      // The thread had no context: ours stays current.
      if (CuResult result = table.cuCtxSetCurrent(device->context)) {
        message = formatDriverError(table, "cuCtxSetCurrent", result);
        return;
      }
    } else {
      if (CuResult result = table.cuCtxPushCurrent(device->context)) {
        message = formatDriverError(table, "cuCtxPushCurrent", result);
        return;
      }
      pushed = true;
    }
  }
  driver = &table;
}

ScopedContext::~ScopedContext() {
  if (pushed) {
    CuContext popped = nullptr;
    (void)driver->cuCtxPopCurrent(&popped);
  }
}

Expected<CuStream> getThreadStream(const DriverTable &driver) {
  threadStream.refresh();
  if (threadStream.userStream)
    return threadStream.userStream;
  if (!threadStream.ownStream) {
    CuStream stream = nullptr;
    if (Error error = checkDriver(driver, "cuStreamCreate",
                                  driver.cuStreamCreate(&stream,
                                                        kStreamDefault)))
      return error;
    threadStream.ownStream = stream;
    threadStream.ownDriver = &driver;
  }
  return threadStream.ownStream;
}

void setThreadStream(CuStream stream) {
  threadStream.refresh();
  threadStream.userStream = stream;
}

bool isRuntimeStream(CuStream stream) {
  threadStream.refresh();
  return stream && (stream == threadStream.userStream ||
                    stream == threadStream.ownStream);
}

Error prepareSharedMemory(const DriverTable &driver, CuFunction function,
                          int bytes) {
  if (bytes <= kDefaultSharedMemoryLimit)
    return Error::success();
  ContextState &state = getState();
  std::lock_guard<std::mutex> lock(state.mutex);
  auto found = state.preparedSharedMemory.find(function);
  if (found != state.preparedSharedMemory.end() && found->second >= bytes)
    return Error::success();
  if (state.maxSharedMemoryOptin < 0) {
    int limit = 0;
    if (Error error = checkDriver(
            driver, "cuDeviceGetAttribute",
            driver.cuDeviceGetAttribute(
                &limit, kDeviceAttributeMaxSharedMemoryPerBlockOptin,
                state.handle.device)))
      return error;
    state.maxSharedMemoryOptin = limit;
  }
  if (bytes > state.maxSharedMemoryOptin)
    return Error::failure(
        "a kernel needs " + std::to_string(bytes) +
        " bytes of dynamic shared memory; device " +
        std::to_string(state.handle.ordinal) + " allows at most " +
        std::to_string(state.maxSharedMemoryOptin));
  if (Error error = checkDriver(
          driver, "cuFuncSetAttribute",
          driver.cuFuncSetAttribute(
              function, kFuncAttributeMaxDynamicSharedSizeBytes, bytes)))
    return error;
  state.preparedSharedMemory[function] = bytes;
  return Error::success();
}

void forgetPreparedFunctions() {
  ContextState &state = getState();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.preparedSharedMemory.clear();
}

} // namespace attnc::runtime::cuda
