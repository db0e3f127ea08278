// attnc-call --device cuda, on libAttncFakeCudaLibrary.so
// (test/Unit/Runtime/FakeCudaLibrary.cpp): a library with the symbols and
// mgpu* calls of `attnc compile --target=cuda` output. Without a CUDA
// driver or device (as on machines without a GPU) the call is one line
// and exit status 1, never a crash; with one, the fake kernels fail to
// load, also in one line.

// RUN: not attnc-call %attnc_obj_root/test/Unit/Runtime/libAttncFakeCudaLibrary.so \
// RUN:   --function scale --input "3xf32=1 2 3" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-GPU --implicit-check-not=error: --implicit-check-not=result
// RUN: not attnc-call %attnc_obj_root/test/Unit/Runtime/libAttncFakeCudaLibrary.so \
// RUN:   --function scale --device cuda --input "3xf32=1 2 3" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-GPU --implicit-check-not=error: --implicit-check-not=result
// NO-GPU: {{^}}attnc-call: error: {{(no CUDA driver: libcuda.so.1 cannot be loaded \(.*\)|no CUDA device: .*|.* cuModuleLoadData failed: .*)$}}

// The same through attnc-run call.
// RUN: not attnc-run call %attnc_obj_root/test/Unit/Runtime/libAttncFakeCudaLibrary.so \
// RUN:   --function scale --device cuda --input "3xf32=1 2 3" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RUN-NO-GPU --implicit-check-not=error: --implicit-check-not=result
// RUN-NO-GPU: {{^}}attnc-run: error: {{(no CUDA driver: libcuda.so.1 cannot be loaded \(.*\)|no CUDA device: .*|.* cuModuleLoadData failed: .*)$}}

// A CUDA library does not run on the CPU.
// RUN: not attnc-call %attnc_obj_root/test/Unit/Runtime/libAttncFakeCudaLibrary.so \
// RUN:   --function scale --device cpu --input "3xf32=1 2 3" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CUDA-ON-CPU --implicit-check-not=error:
// CUDA-ON-CPU: {{^}}attnc-call: error: '{{[^ ]*}}libAttncFakeCudaLibrary.so' is a CUDA library: it runs with --device cuda, not --device cpu{{$}}

// Inputs are checked before anything runs on the device.
// RUN: not attnc-call %attnc_obj_root/test/Unit/Runtime/libAttncFakeCudaLibrary.so \
// RUN:   --function accumulate --input 4xf32=1 --input 4xf16=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CUDA-INPUT --implicit-check-not=error:
// CUDA-INPUT: {{^}}attnc-call: error: input 1 (4xf16=1) of @accumulate: expected tensor<4xf32>, got tensor<4xf16>{{$}}

// attnc-run call on a module with --device cuda compiles it for the chip of
// the device, so without a driver it stops there, in one line.
// RUN: not attnc-run call %s --function f --device cuda 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MLIR-CUDA --implicit-check-not=error:
// MLIR-CUDA: {{^}}attnc-run: error: no CUDA driver: libcuda.so.1 cannot be loaded ({{.*}}){{$}}
// RUN: not attnc-run call %s --function f --device tpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RUN-DEVICE-NAME --implicit-check-not=error:
// RUN-DEVICE-NAME: {{^}}attnc-run: error: --device tpu: expected cpu or cuda{{$}}
