//===- Driver.cpp - The CUDA driver API, loaded at run time -------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Cuda/Driver.h"
#include "attnc/Runtime/Cuda/Context.h"

#include <dlfcn.h>
#include <mutex>

namespace attnc::runtime::cuda {

namespace {

/// Resolves `names` in order (the first found wins) into `slot`.
template <typename Fn>
bool resolve(void *library, Fn *&slot, std::initializer_list<const char *> names) {
  slot = nullptr;
  for (const char *name : names)
    if (void *address = dlsym(library, name)) {
      slot = reinterpret_cast<Fn *>(address);
      return true;
    }
  return false;
}

} // namespace

Expected<DriverTable> loadDriverTable(const char *libraryName) {
  // RTLD_LOCAL: the driver's symbols stay out of the global namespace.
  void *library = dlopen(libraryName, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *reason = dlerror();
    return Error::failure(std::string("no CUDA driver: ") + libraryName +
                          " cannot be loaded (" +
                          (reason ? reason : "unknown reason") + ")");
  }
  DriverTable table{};
  const char *missing = nullptr;
  auto require = [&](auto *&slot, std::initializer_list<const char *> names) {
    if (!resolve(library, slot, names) && !missing)
      missing = *names.begin();
  };
  require(table.cuGetErrorName, {"cuGetErrorName"});
  require(table.cuGetErrorString, {"cuGetErrorString"});
  require(table.cuInit, {"cuInit"});
  require(table.cuDriverGetVersion, {"cuDriverGetVersion"});
  require(table.cuDeviceGetCount, {"cuDeviceGetCount"});
  require(table.cuDeviceGet, {"cuDeviceGet"});
  require(table.cuDeviceGetName, {"cuDeviceGetName"});
  require(table.cuDeviceGetAttribute, {"cuDeviceGetAttribute"});
  require(table.cuDevicePrimaryCtxRetain, {"cuDevicePrimaryCtxRetain"});
  require(table.cuCtxGetCurrent, {"cuCtxGetCurrent"});
  require(table.cuCtxSetCurrent, {"cuCtxSetCurrent"});
  require(table.cuCtxPushCurrent, {"cuCtxPushCurrent_v2"});
  require(table.cuCtxPopCurrent, {"cuCtxPopCurrent_v2"});
  require(table.cuCtxSynchronize, {"cuCtxSynchronize"});
  require(table.cuModuleLoadData, {"cuModuleLoadData"});
  require(table.cuModuleLoadDataEx, {"cuModuleLoadDataEx"});
  require(table.cuModuleUnload, {"cuModuleUnload"});
  require(table.cuModuleGetFunction, {"cuModuleGetFunction"});
  require(table.cuFuncSetAttribute, {"cuFuncSetAttribute"});
  require(table.cuLaunchKernel, {"cuLaunchKernel"});
  require(table.cuStreamCreate, {"cuStreamCreate"});
  require(table.cuStreamDestroy, {"cuStreamDestroy_v2"});
  require(table.cuStreamSynchronize, {"cuStreamSynchronize"});
  require(table.cuStreamWaitEvent, {"cuStreamWaitEvent"});
  require(table.cuEventCreate, {"cuEventCreate"});
  require(table.cuEventDestroy, {"cuEventDestroy_v2"});
  require(table.cuEventRecord, {"cuEventRecord"});
  require(table.cuEventSynchronize, {"cuEventSynchronize"});
  require(table.cuEventElapsedTime,
          {"cuEventElapsedTime_v2", "cuEventElapsedTime"});
  require(table.cuMemAlloc, {"cuMemAlloc_v2"});
  require(table.cuMemAllocManaged, {"cuMemAllocManaged"});
  require(table.cuMemFree, {"cuMemFree_v2"});
  require(table.cuMemcpy, {"cuMemcpy"});
  require(table.cuMemcpyAsync, {"cuMemcpyAsync"});
  require(table.cuMemcpyHtoD, {"cuMemcpyHtoD_v2"});
  require(table.cuMemcpyDtoH, {"cuMemcpyDtoH_v2"});
  require(table.cuMemsetD8, {"cuMemsetD8_v2"});
  require(table.cuMemsetD8Async, {"cuMemsetD8Async"});
  require(table.cuMemsetD16Async, {"cuMemsetD16Async"});
  require(table.cuMemsetD32Async, {"cuMemsetD32Async"});
  require(table.cuMemHostRegister, {"cuMemHostRegister_v2"});
  require(table.cuMemHostUnregister, {"cuMemHostUnregister"});
  // Optional: drivers older than CUDA 12 lack these.
  resolve(library, table.cuLaunchKernelEx, {"cuLaunchKernelEx"});
  resolve(library, table.cuTensorMapEncodeTiled, {"cuTensorMapEncodeTiled"});
  if (missing) {
    dlclose(library);
    return Error::failure(std::string("no CUDA driver: ") + libraryName +
                          " has no " + missing + " (driver too old?)");
  }
  // The library stays loaded for the life of the process.
  return table;
}

namespace {

struct DriverState {
  std::mutex mutex;
  const DriverTable *injected = nullptr;
  bool loaded = false;
  DriverTable table{};
  std::string error;
};

DriverState &getDriverState() {
  // Never destroyed: mgpu* calls may come from global destructors.
  static auto *state = new DriverState();
  return *state;
}

} // namespace

Expected<const DriverTable *> getDriver() {
  DriverState &state = getDriverState();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (state.injected)
    return state.injected;
  if (!state.loaded) {
    state.loaded = true;
    Expected<DriverTable> table = loadDriverTable("libcuda.so.1");
    if (table)
      state.table = *table;
    else
      state.error = table.getError().getMessage();
  }
  if (!state.error.empty())
    return Error::failure(state.error);
  return &state.table;
}

void setDriverForTesting(const DriverTable *table) {
  {
    DriverState &state = getDriverState();
    std::lock_guard<std::mutex> lock(state.mutex);
    state.injected = table;
    state.loaded = false;
    state.error.clear();
  }
  resetRuntimeForTesting();
}

std::string formatDriverError(const DriverTable &driver, const char *function,
                              CuResult result) {
  const char *name = nullptr;
  const char *description = nullptr;
  if (!driver.cuGetErrorName ||
      driver.cuGetErrorName(result, &name) != kCudaSuccess)
    name = nullptr;
  if (!driver.cuGetErrorString ||
      driver.cuGetErrorString(result, &description) != kCudaSuccess)
    description = nullptr;
  std::string message = std::string(function) + " failed: ";
  message += name ? std::string(name) : "error " + std::to_string(result);
  if (description)
    message += std::string(" (") + description + ")";
  return message;
}

Error checkDriver(const DriverTable &driver, const char *function,
                  CuResult result) {
  if (result == kCudaSuccess)
    return Error::success();
  return Error::failure(formatDriverError(driver, function, result));
}

} // namespace attnc::runtime::cuda
