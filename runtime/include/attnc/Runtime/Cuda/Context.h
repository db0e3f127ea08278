//===- Context.h - The CUDA context, streams and options ---------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The state one copy of the CUDA runtime keeps per process: the device (from
// ATTNC_CUDA_DEVICE, mgpuSetDefaultDevice, or 0) and its primary context,
// retained on first use; the stream each thread's launches go to; the
// options read from the environment. Each compiled GPU library links its own
// copy (libAttncCudaRuntime.a), and so has its own state; the primary
// context is the driver's, shared by all of them.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_CUDA_CONTEXT_H
#define ATTNC_RUNTIME_CUDA_CONTEXT_H

#include "attnc/Runtime/Cuda/Driver.h"
#include "attnc/Runtime/Error.h"

#include <optional>
#include <string>

namespace attnc::runtime::cuda {

/// Options read once from the environment.
struct RuntimeOptions {
  /// ATTNC_CUDA_POISON=1: mgpuMemAlloc fills new memory with 0xFF bytes (a
  /// NaN in f16, bf16 and f32), so that unwritten outputs show.
  bool poison = false;
  /// ATTNC_CUDA_DEVICE: the device ordinal, or the raw text when it is not
  /// a number (initialization then fails, naming it).
  std::optional<std::string> device;
};

/// The options: those set for testing, else the environment's.
const RuntimeOptions &getRuntimeOptions();
void setRuntimeOptionsForTesting(const RuntimeOptions &options);

/// Forgets the context, device, streams, caches and options (not the
/// driver), without releasing anything: for tests that swap fake drivers.
void resetRuntimeForTesting();

/// Chooses the device before the runtime starts (mgpuSetDefaultDevice).
/// Fails once the runtime runs on another device.
Error setDefaultDevice(int ordinal);

/// The device the runtime uses, initializing it if needed.
struct DeviceHandle {
  const DriverTable *driver;
  CuDevice device;
  int ordinal;
  CuContext context;
};

/// Initializes the runtime (driver, cuInit, device, primary context) on
/// first use; a failure is remembered. The messages start with "no CUDA
/// driver: " or "no CUDA device: " when there is none.
Expected<DeviceHandle> getDevice();

/// Makes the runtime's context current on this thread for its lifetime: it
/// becomes the thread's context when the thread has none, and is pushed and
/// popped again when another context is current.
class ScopedContext {
public:
  ScopedContext();
  ~ScopedContext();
  ScopedContext(const ScopedContext &) = delete;
  ScopedContext &operator=(const ScopedContext &) = delete;

  /// True when the context is current.
  explicit operator bool() const { return driver != nullptr; }
  /// The driver; null when the context could not be made current.
  const DriverTable *getDriver() const { return driver; }
  /// Why not; empty when it is current.
  const std::string &getErrorMessage() const { return message; }

private:
  const DriverTable *driver = nullptr;
  bool pushed = false;
  std::string message;
};

/// The stream this thread's launches use: the one set with setThreadStream,
/// else one the runtime creates on first use (CU_STREAM_DEFAULT, so that
/// work on the legacy stream is ordered with it). Needs a current context.
Expected<CuStream> getThreadStream(const DriverTable &driver);
/// Sets this thread's stream; null returns to the runtime's own.
void setThreadStream(CuStream stream);
/// True when `stream` is the one getThreadStream returns on this thread (or
/// the runtime created it): mgpuStreamDestroy leaves it alone.
bool isRuntimeStream(CuStream stream);

/// Allows `function` `bytes` of dynamic shared memory: above 48 KiB sets
/// CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, once per function and
/// size (a larger size sets it again). Fails, saying what the device
/// allows, when it cannot.
Error prepareSharedMemory(const DriverTable &driver, CuFunction function,
                          int bytes);
/// Forgets which functions prepareSharedMemory prepared (their module was
/// unloaded: the handles may come back for other functions).
void forgetPreparedFunctions();

} // namespace attnc::runtime::cuda

#endif // ATTNC_RUNTIME_CUDA_CONTEXT_H
