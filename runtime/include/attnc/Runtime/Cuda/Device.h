//===- Device.h - The CUDA device, memory, streams and events ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// A small C++ API over the driver layer for tools such as attnc-call: what
// the device is, device memory that frees itself, streams and timing
// events. Every function makes the runtime's context current and reports
// failures by value with a one-line message:
//
//   Expected<DeviceBuffer> buffer = DeviceBuffer::allocate(bytes);
//   if (!buffer)
//     return fail(buffer.getError().getMessage()); // "no CUDA driver: ..."
//   if (Error error = buffer->copyFromHost(data, bytes))
//     return fail(error.getMessage());
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_CUDA_DEVICE_H
#define ATTNC_RUNTIME_CUDA_DEVICE_H

#include "attnc/Runtime/Cuda/Driver.h"
#include "attnc/Runtime/Error.h"

#include <cstddef>
#include <string>

namespace attnc::runtime::cuda {

/// What the runtime's device is.
struct DeviceProperties {
  int ordinal = 0;
  std::string name;
  int multiprocessorCount = 0;
  int computeCapabilityMajor = 0;
  int computeCapabilityMinor = 0;
};

/// Starts the runtime if needed (driver, device, primary context) and
/// describes the device. Fails with "no CUDA driver: ..." or "no CUDA
/// device: ..." when there is none.
Expected<DeviceProperties> getDeviceProperties();

/// Waits for all work of the context (cuCtxSynchronize).
Error synchronizeContext();

/// Frees device memory allocated by cuMemAlloc (e.g. by a compiled
/// library's mgpuMemAlloc); null is a no-op.
Error freeDeviceMemory(void *pointer);

/// Synchronous copies between host and device memory.
Error copyHostToDevice(void *device, const void *host, size_t bytes);
Error copyDeviceToHost(void *host, const void *device, size_t bytes);

/// Device memory, freed on destruction. Zero bytes allocate nothing (a null
/// pointer), so empty tensors need no special case.
class DeviceBuffer {
public:
  static Expected<DeviceBuffer> allocate(size_t bytes);
  /// Takes ownership of `pointer`, allocated with cuMemAlloc.
  static DeviceBuffer adopt(void *pointer, size_t bytes);

  DeviceBuffer() = default;
  DeviceBuffer(DeviceBuffer &&other) noexcept { *this = std::move(other); }
  DeviceBuffer &operator=(DeviceBuffer &&other) noexcept;
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  ~DeviceBuffer();

  void *get() const { return pointer; }
  size_t getSize() const { return size; }
  /// Gives up ownership.
  void *release();

  /// Copies `bytes` (at most getSize()) from or to host memory.
  Error copyFromHost(const void *host, size_t bytes);
  Error copyToHost(void *host, size_t bytes) const;
  /// Sets every byte to `value`.
  Error fill(unsigned char value);

private:
  void *pointer = nullptr;
  size_t size = 0;
};

/// A stream owned by this object, or the legacy stream (not owned).
class Stream {
public:
  /// A new stream with CU_STREAM_DEFAULT flags.
  static Expected<Stream> create();
  /// The legacy default stream (handle null).
  static Stream legacy() { return Stream(); }

  Stream() = default;
  Stream(Stream &&other) noexcept { *this = std::move(other); }
  Stream &operator=(Stream &&other) noexcept;
  Stream(const Stream &) = delete;
  Stream &operator=(const Stream &) = delete;
  ~Stream();

  CuStream getHandle() const { return handle; }
  Error synchronize() const;

private:
  CuStream handle = nullptr;
};

/// An event that records timing.
class Event {
public:
  static Expected<Event> create();

  Event() = default;
  Event(Event &&other) noexcept { *this = std::move(other); }
  Event &operator=(Event &&other) noexcept;
  Event(const Event &) = delete;
  Event &operator=(const Event &) = delete;
  ~Event();

  CuEvent getHandle() const { return handle; }
  Error record(const Stream &stream) const;
  Error synchronize() const;
  /// Milliseconds from `start` to `end`; both must have completed.
  static Expected<float> getElapsedMilliseconds(const Event &start,
                                                const Event &end);

private:
  CuEvent handle = nullptr;
};

} // namespace attnc::runtime::cuda

#endif // ATTNC_RUNTIME_CUDA_DEVICE_H
