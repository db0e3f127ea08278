//===- Device.cpp - The CUDA device, memory, streams and events ---*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Runtime/Cuda/Device.h"
#include "attnc/Runtime/Cuda/Context.h"

#include <utility>

namespace attnc::runtime::cuda {

namespace {

CuDevicePtr toDevice(const void *pointer) {
  return static_cast<CuDevicePtr>(reinterpret_cast<uintptr_t>(pointer));
}

/// Runs `body(driver)` with the context current.
template <typename Body> Error withContext(Body body) {
  ScopedContext context;
  if (!context)
    return Error::failure(context.getErrorMessage());
  return body(*context.getDriver());
}

} // namespace

Expected<DeviceProperties> getDeviceProperties() {
  ScopedContext context;
  if (!context)
    return Error::failure(context.getErrorMessage());
  const DriverTable &driver = *context.getDriver();
  Expected<DeviceHandle> device = getDevice();
  if (!device)
    return device.takeError();
  DeviceProperties properties;
  properties.ordinal = device->ordinal;
  char name[256] = {0};
  if (Error error = checkDriver(
          driver, "cuDeviceGetName",
          driver.cuDeviceGetName(name, sizeof(name) - 1, device->device)))
    return error;
  properties.name = name;
  struct {
    int attribute;
    int *value;
  } attributes[] = {
      {kDeviceAttributeMultiprocessorCount, &properties.multiprocessorCount},
      {kDeviceAttributeComputeCapabilityMajor,
       &properties.computeCapabilityMajor},
      {kDeviceAttributeComputeCapabilityMinor,
       &properties.computeCapabilityMinor}};
  for (auto &entry : attributes)
    if (Error error = checkDriver(
            driver, "cuDeviceGetAttribute",
            driver.cuDeviceGetAttribute(entry.value, entry.attribute,
                                        device->device)))
      return error;
  return properties;
}

Error synchronizeContext() {
  return withContext([](const DriverTable &driver) {
    return checkDriver(driver, "cuCtxSynchronize", driver.cuCtxSynchronize());
  });
}

Error freeDeviceMemory(void *pointer) {
  if (!pointer)
    return Error::success();
  return withContext([&](const DriverTable &driver) {
    return checkDriver(driver, "cuMemFree",
                       driver.cuMemFree(toDevice(pointer)));
  });
}

Error copyHostToDevice(void *device, const void *host, size_t bytes) {
  if (bytes == 0)
    return Error::success();
  return withContext([&](const DriverTable &driver) {
    return checkDriver(driver, "cuMemcpyHtoD",
                       driver.cuMemcpyHtoD(toDevice(device), host, bytes));
  });
}

Error copyDeviceToHost(void *host, const void *device, size_t bytes) {
  if (bytes == 0)
    return Error::success();
  return withContext([&](const DriverTable &driver) {
    return checkDriver(driver, "cuMemcpyDtoH",
                       driver.cuMemcpyDtoH(host, toDevice(device), bytes));
  });
}

Expected<DeviceBuffer> DeviceBuffer::allocate(size_t bytes) {
  ScopedContext context;
  if (!context)
    return Error::failure(context.getErrorMessage());
  if (bytes == 0)
    return DeviceBuffer();
  const DriverTable &driver = *context.getDriver();
  CuDevicePtr pointer = 0;
  if (CuResult result = driver.cuMemAlloc(&pointer, bytes))
    return Error::failure(formatDriverError(driver, "cuMemAlloc", result) +
                          " (" + std::to_string(bytes) + " bytes)");
  return adopt(reinterpret_cast<void *>(static_cast<uintptr_t>(pointer)),
               bytes);
}

DeviceBuffer DeviceBuffer::adopt(void *pointer, size_t bytes) {
  DeviceBuffer buffer;
  buffer.pointer = pointer;
  buffer.size = bytes;
  return buffer;
}

DeviceBuffer &DeviceBuffer::operator=(DeviceBuffer &&other) noexcept {
  if (this != &other) {
    if (pointer)
      (void)freeDeviceMemory(pointer);
    pointer = std::exchange(other.pointer, nullptr);
    size = std::exchange(other.size, 0);
  }
  return *this;
}

DeviceBuffer::~DeviceBuffer() {
  if (pointer)
    (void)freeDeviceMemory(pointer);
}

void *DeviceBuffer::release() {
  size = 0;
  return std::exchange(pointer, nullptr);
}

Error DeviceBuffer::copyFromHost(const void *host, size_t bytes) {
  if (bytes > size)
    return Error::failure("copy of " + std::to_string(bytes) +
                          " bytes into a device buffer of " +
                          std::to_string(size));
  return copyHostToDevice(pointer, host, bytes);
}

Error DeviceBuffer::copyToHost(void *host, size_t bytes) const {
  if (bytes > size)
    return Error::failure("copy of " + std::to_string(bytes) +
                          " bytes out of a device buffer of " +
                          std::to_string(size));
  return copyDeviceToHost(host, pointer, bytes);
}

Error DeviceBuffer::fill(unsigned char value) {
  if (size == 0)
    return Error::success();
  return withContext([&](const DriverTable &driver) {
    return checkDriver(driver, "cuMemsetD8",
                       driver.cuMemsetD8(toDevice(pointer), value, size));
  });
}

Expected<Stream> Stream::create() {
  ScopedContext context;
  if (!context)
    return Error::failure(context.getErrorMessage());
  const DriverTable &driver = *context.getDriver();
  Stream stream;
  if (Error error = checkDriver(driver, "cuStreamCreate",
                                driver.cuStreamCreate(&stream.handle,
                                                      kStreamDefault)))
    return error;
  return stream;
}

Stream &Stream::operator=(Stream &&other) noexcept {
  if (this != &other) {
    this->~Stream();
    handle = std::exchange(other.handle, nullptr);
  }
  return *this;
}

Stream::~Stream() {
  if (!handle)
    return;
  (void)withContext([&](const DriverTable &driver) {
    return checkDriver(driver, "cuStreamDestroy",
                       driver.cuStreamDestroy(handle));
  });
  handle = nullptr;
}

Error Stream::synchronize() const {
  return withContext([&](const DriverTable &driver) {
    return checkDriver(driver, "cuStreamSynchronize",
                       driver.cuStreamSynchronize(handle));
  });
}

Expected<Event> Event::create() {
  ScopedContext context;
  if (!context)
    return Error::failure(context.getErrorMessage());
  const DriverTable &driver = *context.getDriver();
  Event event;
  if (Error error = checkDriver(driver, "cuEventCreate",
                                driver.cuEventCreate(&event.handle,
                                                     kEventDefault)))
    return error;
  return event;
}

Event &Event::operator=(Event &&other) noexcept {
  if (this != &other) {
    this->~Event();
    handle = std::exchange(other.handle, nullptr);
  }
  return *this;
}

Event::~Event() {
  if (!handle)
    return;
  (void)withContext([&](const DriverTable &driver) {
    return checkDriver(driver, "cuEventDestroy",
                       driver.cuEventDestroy(handle));
  });
  handle = nullptr;
}

Error Event::record(const Stream &stream) const {
  return withContext([&](const DriverTable &driver) {
    return checkDriver(driver, "cuEventRecord",
                       driver.cuEventRecord(handle, stream.getHandle()));
  });
}

Error Event::synchronize() const {
  return withContext([&](const DriverTable &driver) {
    return checkDriver(driver, "cuEventSynchronize",
                       driver.cuEventSynchronize(handle));
  });
}

Expected<float> Event::getElapsedMilliseconds(const Event &start,
                                              const Event &end) {
  ScopedContext context;
  if (!context)
    return Error::failure(context.getErrorMessage());
  const DriverTable &driver = *context.getDriver();
  float milliseconds = 0;
  if (Error error = checkDriver(
          driver, "cuEventElapsedTime",
          driver.cuEventElapsedTime(&milliseconds, start.getHandle(),
                                    end.getHandle())))
    return error;
  return milliseconds;
}

} // namespace attnc::runtime::cuda
