//===- CudaRuntimeTest.cpp - The CUDA runtime on a fake driver --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The driver layer and the mgpu* functions against FakeCudaDriver.h: what
// reaches the driver, what is cached, and how failures become one-line
// messages and the "last error" of mgpu*. One test runs against the real
// libcuda.so.1 when there is none: the message, and no crash.
//
//===----------------------------------------------------------------------===//

#include "FakeCudaDriver.h"

#include "attnc/Runtime/Cuda/Context.h"
#include "attnc/Runtime/Cuda/Device.h"
#include "attnc/Runtime/Cuda/Mgpu.h"
#include "attnc/Runtime/Cuda/TensorMap.h"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <thread>

using namespace attnc::runtime;
using namespace attnc::runtime::test;

namespace {

std::string lastError() {
  const char *message = attnc_cuda_last_error();
  return message ? message : "";
}

/// Installs the fake driver for one test.
class FakeCudaTest : public ::testing::Test {
protected:
  void SetUp() override {
    fake().reset();
    table = makeFakeDriverTable();
    setDriverForTesting(&table);
    setRuntimeOptionsForTesting(RuntimeOptions());
    attnc_cuda_clear_error();
  }
  void TearDown() override {
    setDriverForTesting(nullptr);
    attnc_cuda_clear_error();
    fake().reset();
  }

  DriverTable table;
};

TEST(CudaDriverTest, MissingLibraryIsOneLine) {
  Expected<DriverTable> table = loadDriverTable("libattnc-no-such-driver.so.1");
  ASSERT_FALSE(table);
  const std::string &message = table.getError().getMessage();
  EXPECT_EQ(message.rfind("no CUDA driver: libattnc-no-such-driver.so.1 "
                          "cannot be loaded (",
                          0),
            0u)
      << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_EQ(message.back(), ')');
}

TEST(CudaDriverTest, NoDriverOnThisMachine) {
  if (void *driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL)) {
    dlclose(driver);
    GTEST_SKIP() << "this machine has a CUDA driver";
  }
  setDriverForTesting(nullptr);
  attnc_cuda_clear_error();
  Expected<DeviceProperties> device = getDeviceProperties();
  ASSERT_FALSE(device);
  EXPECT_EQ(device.getError().getMessage().rfind(
                "no CUDA driver: libcuda.so.1 cannot be loaded (", 0),
            0u)
      << device.getError().getMessage();
  // The mgpu* functions record it and return null; later calls do nothing.
  char image[16] = {0};
  EXPECT_EQ(mgpuModuleLoad(image, sizeof(image)), nullptr);
  EXPECT_EQ(lastError(), device.getError().getMessage());
  EXPECT_EQ(mgpuStreamCreate(), nullptr);
  EXPECT_EQ(mgpuMemAlloc(64, nullptr, false), nullptr);
  mgpuLaunchKernel(nullptr, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr,
                   0);
  mgpuStreamSynchronize(nullptr);
  mgpuMemFree(nullptr, nullptr);
  EXPECT_EQ(lastError(), device.getError().getMessage());
  Expected<DeviceBuffer> buffer = DeviceBuffer::allocate(16);
  EXPECT_FALSE(buffer);
  attnc_cuda_clear_error();
}

TEST_F(FakeCudaTest, ErrorNames) {
  EXPECT_EQ(formatDriverError(table, "cuLaunchKernel", 1),
            "cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE (invalid "
            "argument)");
  EXPECT_EQ(formatDriverError(table, "cuMemAlloc", 999),
            "cuMemAlloc failed: error 999");
  EXPECT_FALSE(checkDriver(table, "cuInit", 0));
  Error error = checkDriver(table, "cuInit", 2);
  ASSERT_TRUE(error);
  EXPECT_EQ(error.getMessage(),
            "cuInit failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory)");
}

TEST_F(FakeCudaTest, NoDevice) {
  fake().results["cuInit"] = kCudaErrorNoDevice;
  Expected<DeviceProperties> device = getDeviceProperties();
  ASSERT_FALSE(device);
  EXPECT_EQ(device.getError().getMessage(),
            "no CUDA device: cuInit failed: CUDA_ERROR_NO_DEVICE (no "
            "CUDA-capable device is detected)");
  // Remembered: the driver is not asked again.
  EXPECT_FALSE(getDeviceProperties());
  EXPECT_EQ(fake().calls["cuInit"], 1);
}

TEST_F(FakeCudaTest, ZeroDevices) {
  fake().deviceCount = 0;
  Expected<DeviceHandle> device = getDevice();
  ASSERT_FALSE(device);
  EXPECT_EQ(device.getError().getMessage(),
            "no CUDA device: the driver sees no device");
}

TEST_F(FakeCudaTest, DeviceFromEnvironment) {
  RuntimeOptions options;
  options.device = "3";
  setRuntimeOptionsForTesting(options);
  Expected<DeviceHandle> device = getDevice();
  ASSERT_FALSE(device);
  EXPECT_EQ(device.getError().getMessage(),
            "no CUDA device: there is no device 3 (ATTNC_CUDA_DEVICE=3); the "
            "driver sees 1 device(s)");

  resetRuntimeForTesting();
  options.device = "gpu0";
  setRuntimeOptionsForTesting(options);
  device = getDevice();
  ASSERT_FALSE(device);
  EXPECT_EQ(device.getError().getMessage(),
            "no CUDA device: ATTNC_CUDA_DEVICE='gpu0' is not a device "
            "ordinal");

  resetRuntimeForTesting();
  fake().deviceCount = 2;
  options.device = "1";
  setRuntimeOptionsForTesting(options);
  device = getDevice();
  ASSERT_TRUE(device);
  EXPECT_EQ(device->ordinal, 1);
}

TEST_F(FakeCudaTest, DeviceProperties) {
  Expected<DeviceProperties> device = getDeviceProperties();
  ASSERT_TRUE(device) << device.getError().getMessage();
  EXPECT_EQ(device->name, "Fake GPU");
  EXPECT_EQ(device->multiprocessorCount, 132);
  EXPECT_EQ(device->computeCapabilityMajor, 9);
  EXPECT_EQ(device->computeCapabilityMinor, 0);
  // The primary context became the thread's context.
  EXPECT_EQ(fake().current, fake().primary);
  EXPECT_EQ(fake().calls["cuDevicePrimaryCtxRetain"], 1);
}

TEST_F(FakeCudaTest, AnotherContextIsPushedAndPopped) {
  CuContext other = reinterpret_cast<CuContext>(uintptr_t(0xD0));
  fake().current = other;
  EXPECT_TRUE(getDeviceProperties());
  EXPECT_EQ(fake().calls["cuCtxPushCurrent"], 1);
  EXPECT_EQ(fake().calls["cuCtxPopCurrent"], 1);
  EXPECT_EQ(fake().current, other);
}

TEST_F(FakeCudaTest, ModuleLoadAndLaunchForwardArguments) {
  char image[32] = "fatbin";
  CuModule module = mgpuModuleLoad(image, sizeof(image));
  ASSERT_NE(module, nullptr) << lastError();
  EXPECT_EQ(fake().loadedImage, image);
  CuFunction function = mgpuModuleGetFunction(module, "kernel");
  ASSERT_NE(function, nullptr);
  CuStream stream = mgpuStreamCreate();
  void *params[2] = {nullptr, nullptr};
  mgpuLaunchKernel(function, 4, 2, 1, 128, 1, 1, 1024, stream, params,
                   nullptr, 2);
  ASSERT_EQ(fake().launches.size(), 1u);
  const FakeLaunch &launch = fake().launches[0];
  EXPECT_EQ(launch.function, function);
  EXPECT_EQ(launch.grid[0], 4u);
  EXPECT_EQ(launch.grid[1], 2u);
  EXPECT_EQ(launch.grid[2], 1u);
  EXPECT_EQ(launch.block[0], 128u);
  EXPECT_EQ(launch.sharedMemBytes, 1024u);
  EXPECT_EQ(launch.stream, stream);
  EXPECT_EQ(launch.params, params);
  EXPECT_EQ(launch.extra, nullptr);
  // At most 48 KiB needs no attribute.
  EXPECT_TRUE(fake().functionAttributes.empty());
  EXPECT_EQ(attnc_cuda_last_error(), nullptr);
  mgpuModuleUnload(module);
  EXPECT_EQ(fake().calls["cuModuleUnload"], 1);
}

TEST_F(FakeCudaTest, LargeSharedMemorySetsTheAttributeOnce) {
  CuModule module = mgpuModuleLoad(nullptr, 0);
  CuFunction function = mgpuModuleGetFunction(module, "kernel");
  for (int i = 0; i < 3; ++i)
    mgpuLaunchKernel(function, 1, 1, 1, 128, 1, 1, 64 * 1024, nullptr,
                     nullptr, nullptr, 0);
  ASSERT_EQ(fake().functionAttributes.size(), 1u);
  EXPECT_EQ(fake().functionAttributes[0],
            std::make_pair(kFuncAttributeMaxDynamicSharedSizeBytes,
                           64 * 1024));
  // A larger size sets it again; a smaller one does not.
  mgpuLaunchKernel(function, 1, 1, 1, 128, 1, 1, 100 * 1024, nullptr, nullptr,
                   nullptr, 0);
  mgpuLaunchKernel(function, 1, 1, 1, 128, 1, 1, 50 * 1024, nullptr, nullptr,
                   nullptr, 0);
  EXPECT_EQ(fake().functionAttributes.size(), 2u);
  EXPECT_EQ(fake().launches.size(), 5u);
  EXPECT_EQ(attnc_cuda_last_error(), nullptr);

  // More than the device allows: a message, no launch.
  mgpuLaunchKernel(function, 1, 1, 1, 128, 1, 1, 300 * 1024, nullptr,
                   nullptr, nullptr, 0);
  EXPECT_EQ(lastError(), "a kernel needs 307200 bytes of dynamic shared "
                         "memory; device 0 allows at most 232448");
  EXPECT_EQ(fake().launches.size(), 5u);
}

TEST_F(FakeCudaTest, ClusterLaunch) {
  CuFunction function =
      mgpuModuleGetFunction(mgpuModuleLoad(nullptr, 0), "kernel");
  mgpuLaunchClusterKernel(function, 2, 1, 1, 8, 4, 1, 128, 1, 1, 0, nullptr,
                          nullptr, nullptr);
  ASSERT_EQ(fake().calls["cuLaunchKernelEx"], 1);
  EXPECT_EQ(fake().launches[0].grid[0], 8u);
  EXPECT_EQ(fake().launches[0].grid[1], 4u);
  table.cuLaunchKernelEx = nullptr;
  mgpuLaunchClusterKernel(function, 2, 1, 1, 8, 4, 1, 128, 1, 1, 0, nullptr,
                          nullptr, nullptr);
  EXPECT_EQ(lastError(), "cuLaunchKernelEx is not available in this CUDA "
                         "driver (cluster launches need CUDA 12)");
}

TEST_F(FakeCudaTest, JitLogIsPartOfTheMessage) {
  fake().results["cuModuleLoadDataEx"] = 218;
  fake().jitLog = "ptxas error   : bad thing\nptxas fatal   : stop\n";
  char ptx[] = ".version 8.0";
  EXPECT_EQ(mgpuModuleLoadJIT(ptx, 2), nullptr);
  EXPECT_EQ(lastError(), "cuModuleLoadDataEx failed: CUDA_ERROR_INVALID_PTX "
                         "(a PTX JIT compilation failed): ptxas error   : "
                         "bad thing; ptxas fatal   : stop");
}

TEST_F(FakeCudaTest, FirstErrorIsKeptAndLaterCallsDoNothing) {
  CuFunction function =
      mgpuModuleGetFunction(mgpuModuleLoad(nullptr, 0), "kernel");
  void *kept = mgpuMemAlloc(64, nullptr, false);
  ASSERT_NE(kept, nullptr);
  fake().results["cuLaunchKernel"] = kCudaErrorInvalidValue;
  mgpuLaunchKernel(function, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr,
                   0);
  EXPECT_EQ(lastError(), "cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE "
                         "(invalid argument)");
  // Work is skipped and pointers are null.
  int allocations = fake().calls["cuMemAlloc"];
  EXPECT_EQ(mgpuMemAlloc(64, nullptr, false), nullptr);
  EXPECT_EQ(fake().calls["cuMemAlloc"], allocations);
  EXPECT_EQ(mgpuStreamCreate(), nullptr);
  mgpuLaunchKernel(function, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr,
                   0);
  EXPECT_EQ(fake().calls["cuLaunchKernel"], 1);
  // Releases still happen, and a failing one does not replace the error.
  mgpuMemFree(kept, nullptr);
  EXPECT_EQ(fake().calls["cuMemFree"], 1);
  mgpuMemFree(reinterpret_cast<void *>(uintptr_t(0x8)), nullptr);
  EXPECT_EQ(lastError(), "cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE "
                         "(invalid argument)");
  // Clearing makes calls work again.
  attnc_cuda_clear_error();
  EXPECT_EQ(attnc_cuda_last_error(), nullptr);
  void *again = mgpuMemAlloc(64, nullptr, false);
  EXPECT_NE(again, nullptr);
  mgpuMemFree(again, nullptr);
}

TEST_F(FakeCudaTest, StreamPolicy) {
  CuStream stream = mgpuStreamCreate();
  ASSERT_NE(stream, nullptr);
  EXPECT_EQ(mgpuStreamCreate(), stream);
  ASSERT_EQ(fake().streamFlags.size(), 1u);
  EXPECT_EQ(fake().streamFlags[0], unsigned(kStreamDefault));
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  EXPECT_TRUE(fake().destroyedStreams.empty());
  ASSERT_EQ(fake().synchronizedStreams.size(), 1u);
  EXPECT_EQ(fake().synchronizedStreams[0], stream);

  // A stream set by the caller is returned and not destroyed either.
  CuStream mine = reinterpret_cast<CuStream>(uintptr_t(0xABC0));
  attnc_cuda_set_stream(mine);
  EXPECT_EQ(mgpuStreamCreate(), mine);
  mgpuStreamDestroy(mine);
  EXPECT_TRUE(fake().destroyedStreams.empty());
  attnc_cuda_set_stream(nullptr);
  EXPECT_EQ(mgpuStreamCreate(), stream);

  // Other streams are destroyed; another thread has its own stream.
  CuStream other = reinterpret_cast<CuStream>(uintptr_t(0xDEF0));
  mgpuStreamDestroy(other);
  ASSERT_EQ(fake().destroyedStreams.size(), 1u);
  CuStream fromThread = nullptr;
  std::thread([&] { fromThread = mgpuStreamCreate(); }).join();
  EXPECT_NE(fromThread, nullptr);
  EXPECT_NE(fromThread, stream);
  EXPECT_EQ(attnc_cuda_last_error(), nullptr);
}

TEST_F(FakeCudaTest, PoisonFillsNewMemory) {
  void *plain = mgpuMemAlloc(16, nullptr, false);
  EXPECT_TRUE(fake().memsets.empty());
  RuntimeOptions options;
  options.poison = true;
  setRuntimeOptionsForTesting(options);
  auto *poisoned = static_cast<uint8_t *>(mgpuMemAlloc(16, nullptr, false));
  ASSERT_EQ(fake().memsets.size(), 1u);
  EXPECT_EQ(fake().memsets[0].second, 16u);
  for (int i = 0; i < 16; ++i)
    EXPECT_EQ(poisoned[i], 0xFF);
  // Zero bytes allocate nothing.
  EXPECT_EQ(mgpuMemAlloc(0, nullptr, false), nullptr);
  EXPECT_EQ(attnc_cuda_last_error(), nullptr);
  mgpuMemFree(plain, nullptr);
  mgpuMemFree(poisoned, nullptr);
}

TEST_F(FakeCudaTest, TensorMapsAreEncodedOncePerKey) {
  // A 256x128 f16 memref with a 64x32 box, 128B swizzle.
  alignas(16) static uint16_t data[256 * 128];
  int64_t descriptor[7] = {reinterpret_cast<int64_t>(data),
                           reinterpret_cast<int64_t>(data), 0, 256, 128, 128,
                           1};
  int64_t box[2] = {64, 32};
  void *first = mgpuTensorMapEncodeTiledMemref(2, descriptor, 6, 0, 3, 0, 0,
                                               box);
  ASSERT_NE(first, nullptr) << lastError();
  void *second = mgpuTensorMapEncodeTiledMemref(2, descriptor, 6, 0, 3, 0, 0,
                                                box);
  EXPECT_EQ(first, second);
  EXPECT_EQ(fake().calls["cuTensorMapEncodeTiled"], 1);
  EXPECT_EQ(getNumCachedTensorMaps(), 1u);
  // Innermost dimension first; byte strides of the outer dimensions.
  EXPECT_EQ(fake().encodedDims[0], (std::vector<uint64_t>{128, 256}));
  EXPECT_EQ(fake().encodedStrides[0], (std::vector<uint64_t>{256}));
  EXPECT_EQ(fake().encodedBoxes[0], (std::vector<unsigned>{32, 64}));
  // The device copy holds the encoded map.
  EXPECT_EQ(static_cast<uint8_t *>(first)[0], 0xAB);

  // Another box, swizzle or address is another map.
  int64_t otherBox[2] = {128, 32};
  void *third = mgpuTensorMapEncodeTiledMemref(2, descriptor, 6, 0, 3, 0, 0,
                                               otherBox);
  void *fourth = mgpuTensorMapEncodeTiledMemref(2, descriptor, 6, 0, 2, 0, 0,
                                                box);
  descriptor[2] = 128; // offset: the address moves
  void *fifth = mgpuTensorMapEncodeTiledMemref(2, descriptor, 6, 0, 3, 0, 0,
                                               box);
  EXPECT_NE(third, first);
  EXPECT_NE(fourth, first);
  EXPECT_NE(fifth, first);
  EXPECT_EQ(fake().calls["cuTensorMapEncodeTiled"], 4);
  EXPECT_EQ(getNumCachedTensorMaps(), 4u);
  EXPECT_EQ(attnc_cuda_last_error(), nullptr);

  // What the driver cannot take is a message, not a crash.
  EXPECT_EQ(mgpuTensorMapEncodeTiledMemref(6, descriptor, 6, 0, 3, 0, 0, box),
            nullptr);
  EXPECT_EQ(lastError(), "tensor map of rank 6: the driver takes ranks 1 to 5");
}

TEST_F(FakeCudaTest, TensorMapWithoutDriverSupport) {
  table.cuTensorMapEncodeTiled = nullptr;
  static float data[64];
  int64_t descriptor[5] = {reinterpret_cast<int64_t>(data),
                           reinterpret_cast<int64_t>(data), 0, 64, 1};
  int64_t box[1] = {16};
  EXPECT_EQ(mgpuTensorMapEncodeTiledMemref(1, descriptor, 7, 0, 0, 0, 0, box),
            nullptr);
  EXPECT_EQ(lastError(), "cuTensorMapEncodeTiled is not available in this "
                         "CUDA driver (TMA needs CUDA 12)");
}

TEST_F(FakeCudaTest, DeviceBufferRoundTrip) {
  float in[4] = {1, 2, 3, 4}, out[4] = {0, 0, 0, 0};
  {
    Expected<DeviceBuffer> buffer = DeviceBuffer::allocate(sizeof(in));
    ASSERT_TRUE(buffer) << buffer.getError().getMessage();
    EXPECT_FALSE(buffer->copyFromHost(in, sizeof(in)));
    EXPECT_FALSE(buffer->copyToHost(out, sizeof(out)));
    Error tooMuch = buffer->copyToHost(out, 32);
    ASSERT_TRUE(tooMuch);
    EXPECT_EQ(tooMuch.getMessage(),
              "copy of 32 bytes out of a device buffer of 16");
  }
  EXPECT_EQ(out[3], 4.0f);
  EXPECT_EQ(fake().calls["cuMemFree"], 1);
  EXPECT_TRUE(fake().allocations.empty());

  fake().results["cuMemAlloc"] = 2;
  Expected<DeviceBuffer> failed = DeviceBuffer::allocate(1 << 20);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.getError().getMessage(),
            "cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory) "
            "(1048576 bytes)");
}

TEST_F(FakeCudaTest, StreamsAndEvents) {
  Expected<Stream> stream = Stream::create();
  ASSERT_TRUE(stream);
  Expected<Event> start = Event::create();
  Expected<Event> end = Event::create();
  ASSERT_TRUE(start && end);
  EXPECT_FALSE(start->record(Stream::legacy()));
  EXPECT_FALSE(end->record(*stream));
  EXPECT_FALSE(end->synchronize());
  Expected<float> ms = Event::getElapsedMilliseconds(*start, *end);
  ASSERT_TRUE(ms);
  EXPECT_EQ(*ms, 1.5f);
  EXPECT_FALSE(synchronizeContext());
}

} // namespace
