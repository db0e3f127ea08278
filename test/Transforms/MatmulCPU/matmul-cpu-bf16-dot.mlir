// RUN: attnc-opt %s -split-input-file -attnc-matmul-cpu="bf16-dot=true" \
// RUN:   -attn-projection-cpu="bf16-dot=true" -cse | FileCheck %s
// RUN: attnc-opt %s -split-input-file -attnc-matmul-cpu="bf16-dot=false" \
// RUN:   -attn-projection-cpu="bf16-dot=false" -cse \
// RUN:   | FileCheck %s --check-prefix=OFF
// RUN: attnc-opt %s -split-input-file \
// RUN:   -attnc-matmul-cpu="bf16-dot=true vector-width=8" -cse \
// RUN:   | FileCheck %s --check-prefix=VL8
// The whole pipeline: vdpbf16ps only where the target has AVX512-BF16.
// RUN: attnc-opt %s -split-input-file \
// RUN:   -attnc-cpu-pipeline="vector-width=16 avx512-bf16=1 export-functions=false" \
// RUN:   | FileCheck %s --check-prefix=LLVM
// RUN: attnc-opt %s -split-input-file \
// RUN:   -attnc-cpu-pipeline="vector-width=16 avx512-bf16=0 export-functions=false" \
// RUN:   | FileCheck %s --check-prefix=LLVM-OFF

// bf16 weights with bf16-dot (AVX512-BF16): the prefill kernel packs the
// input rounded to bf16 as 32-bit pairs along K ([b, block, k / 2, 6] i32,
// vcvtneps2bf16), packs 256 weight rows per panel as pairs (two rows
// interleaved: memref<128x64xi32>), and runs 6 x 4 vdpbf16ps per pair of k
// into f32 accumulators. An odd K (here 33) pads the last pair with zeros
// (17 pairs). Decode steps of [in, out] weights (fewer than 6 rows: the
// streaming kernel) keep the widening kernel and FMAs, on activations
// rounded to bf16 as well (the same math).
// Without bf16-dot the same layer widens the weights into an f32 panel.

// CHECK-LABEL: func.func @in_out_bf16(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<?x?x33xf32>, %[[W:[a-z0-9]+]]: tensor<33x128xbf16>
// CHECK: scf.if
// CHECK-NOT: x86vector.avx512.dot
// CHECK: x86vector.avx512.cvt.packed.f32_to_bf16 {{.*}} : vector<16xf32> -> vector<16xbf16>
// CHECK-NOT: x86vector.avx512.dot
// CHECK: arith.extf {{.*}} : vector<16xbf16> to vector<16xf32>
// CHECK-NOT: x86vector.avx512.dot
// CHECK: vector.fma
// CHECK-NOT: x86vector.avx512.dot
// CHECK: } else {
// CHECK: %[[PACKED:.*]] = scf.forall {{.*}} -> (tensor<?x?x17x6xi32>)
// CHECK: vector.transfer_read %[[X]]{{.*}} : tensor<?x?x33xf32>, vector<16xf32>
// CHECK: x86vector.avx512.cvt.packed.f32_to_bf16 {{.*}} : vector<16xf32> -> vector<16xbf16>
// CHECK: vector.bitcast {{.*}} : vector<32xbf16> to vector<16xi32>
// CHECK: scf.forall
// CHECK: %[[PANEL:.*]] = memref.alloca() : memref<128x64xi32>
// CHECK: vector.transfer_read %[[W]]{{.*}} : tensor<33x128xbf16>, vector<16xbf16>
// CHECK: vector.interleave {{.*}} : vector<16xi16> -> vector<32xi16>
// CHECK: vector.store {{.*}}, %[[PANEL]]
// CHECK: scf.for {{.*}} step %c6
// CHECK: scf.for {{.*}} iter_args(
// CHECK-COUNT-4: vector.load %[[PANEL]]{{.*}} : memref<128x64xi32>, vector<16xi32>
// CHECK: tensor.extract %[[PACKED]]
// CHECK: vector.broadcast {{.*}} : i32 to vector<16xi32>
// CHECK-COUNT-4: x86vector.avx512.dot {{.*}} : vector<32xbf16> -> vector<16xf32>
// CHECK-NOT: vector.fma
// CHECK: tensor.parallel_insert_slice
// OFF-LABEL: func.func @in_out_bf16(
// OFF-NOT: x86vector
// OFF: memref.alloca() : memref<128x64xf32>
// OFF-NOT: x86vector
// OFF: vector.fma
// OFF-NOT: x86vector
// VL8-LABEL: func.func @in_out_bf16(
// VL8: x86vector.avx512.cvt.packed.f32_to_bf16 {{.*}} : vector<8xf32> -> vector<8xbf16>
// VL8: memref.alloca() : memref<128x16xi32>
// VL8-COUNT-2: x86vector.avx512.dot {{.*}} : vector<16xbf16> -> vector<8xf32>
// LLVM-LABEL: llvm.func @in_out_bf16(
// LLVM: llvm.call_intrinsic "llvm.x86.avx512bf16.cvtneps2bf16.512"
// LLVM: llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"
// LLVM-OFF-LABEL: llvm.func @in_out_bf16(
// LLVM-OFF-NOT: avx512bf16
// LLVM-OFF: llvm.return
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmw = affine_map<(b, s, n, k) -> (k, n)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @in_out_bf16(%x: tensor<?x?x33xf32>, %w: tensor<33x128xbf16>,
    %init: tensor<?x?x128xf32>) -> tensor<?x?x128xf32> {
  %r = linalg.generic {indexing_maps = [#mmx, #mmw, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<?x?x33xf32>, tensor<33x128xbf16>)
      outs(%init : tensor<?x?x128xf32>) {
  ^bb0(%a: f32, %b: bf16, %acc: f32):
    %bw = arith.extf %b : bf16 to f32
    %p = arith.mulf %a, %bw : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x?x128xf32>
  return %r : tensor<?x?x128xf32>
}

// -----

// [out, in] bf16 weights (torch nn.Linear): each weight row's pairs along K
// are already 32-bit words; the panel takes them transposed (whole vectors
// of 32 k, then the last k one pair at a time: 80 = 2 * 32 + 16). (K must
// be a multiple of the vector width with bf16 [out, in] weights: the decode
// kernel reads K in whole vectors.) Decode steps (fewer than 6 rows) take
// the dot-product kernel. Several rows (blocks of 8) use the same
// vdpbf16ps form: the rows are rounded to bf16 once per task into a buffer
// padded to 32 k (96), each weight row's 32 k of a step are the
// instruction's operand as stored, and the last 16 k (80 = 2 * 32 + 16)
// are a half step padded with zeros. A single row streams the weights
// from memory: with rows of 160 bytes (not whole cache lines) it reads
// half lines, 16 bf16 widened for FMAs (the same products), against the
// row rounded to bf16 and widened back into an f32 buffer: one weight row
// at a time, four accumulators per iteration, then the last 16 k.

// CHECK-LABEL: func.func @out_in_bf16(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x?x80xf32>, %[[W:[a-z0-9]+]]: tensor<100x80xbf16>
// CHECK: scf.if
// CHECK: %[[ROWS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<8x96xbf16>
// CHECK: x86vector.avx512.cvt.packed.f32_to_bf16
// CHECK: vector.store {{.*}}, %[[ROWS]]
// CHECK: vector.transfer_read %[[W]]{{.*}} : tensor<100x80xbf16>, vector<32xbf16>
// CHECK: vector.load %[[ROWS]]{{.*}} : memref<8x96xbf16>, vector<32xbf16>
// CHECK: x86vector.avx512.dot {{.*}} : vector<32xbf16> -> vector<16xf32>
// CHECK: vector.transfer_read %[[W]]{{.*}} : tensor<100x80xbf16>, vector<16xbf16>
// CHECK: vector.shuffle {{.*}} : vector<16xi16>, vector<16xi16>
// CHECK: x86vector.avx512.dot
// CHECK: %[[ROW:.*]] = memref.alloca() {alignment = 64 : i64} : memref<1x80xf32>
// CHECK: x86vector.avx512.cvt.packed.f32_to_bf16 {{.*}} : vector<16xf32> -> vector<16xbf16>
// CHECK: arith.extf {{.*}} : vector<16xbf16> to vector<16xf32>
// CHECK: vector.store {{.*}}, %[[ROW]]
// CHECK-NOT: x86vector.avx512.dot
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: vector.transfer_read %[[W]]{{.*}} : tensor<100x80xbf16>, vector<16xbf16>
// CHECK: arith.extf {{.*}} : vector<16xbf16> to vector<16xf32>
// CHECK: vector.load %[[ROW]]{{.*}} : memref<1x80xf32>, vector<16xf32>
// CHECK-COUNT-4: vector.fma
// CHECK: scf.yield
// CHECK: vector.load %[[ROW]][%c0, %c64] : memref<1x80xf32>, vector<16xf32>
// CHECK: vector.fma
// CHECK: vector.reduction <add>
// CHECK-NOT: x86vector.avx512.dot
// CHECK: } else {
// CHECK: scf.forall {{.*}} -> (tensor<1x?x40x6xi32>)
// CHECK: %[[PANEL:.*]] = memref.alloca() : memref<128x64xi32>
// CHECK: vector.transfer_read %[[W]]{{.*}} : tensor<100x80xbf16>, vector<32xbf16>
// CHECK: vector.bitcast {{.*}} : vector<32xbf16> to vector<16xi32>
// CHECK: tensor.extract %[[W]]
// CHECK: arith.bitcast {{.*}} : bf16 to i16
// CHECK-COUNT-4: x86vector.avx512.dot
// OFF-LABEL: func.func @out_in_bf16(
// OFF-NOT: x86vector
// OFF: return
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmw = affine_map<(b, s, n, k) -> (n, k)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @out_in_bf16(%x: tensor<1x?x80xf32>, %w: tensor<100x80xbf16>,
    %init: tensor<1x?x100xf32>) -> tensor<1x?x100xf32> {
  %r = linalg.generic {indexing_maps = [#mmx, #mmw, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x?x80xf32>, tensor<100x80xbf16>)
      outs(%init : tensor<1x?x100xf32>) {
  ^bb0(%a: f32, %b: bf16, %acc: f32):
    %bw = arith.extf %b : bf16 to f32
    %p = arith.mulf %a, %bw : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x?x100xf32>
  return %r : tensor<1x?x100xf32>
}

// -----

// A decode step of bf16 [out, in] weights whose rows are whole cache lines
// (K = 64: 128 bytes) is versioned on the weight's alignment at run time:
// on a 64-byte boundary, vdpbf16ps on whole lines of the weight rows as
// stored (two per iteration) against the row rounded to bf16 pairs;
// elsewhere half lines widened for FMAs against the row rounded and
// widened back to f32.

// CHECK-LABEL: func.func @out_in_bf16_decode(
// CHECK-SAME: %{{[a-z0-9]+}}: tensor<1x1x64xf32>, %[[W:[a-z0-9]+]]: tensor<64x64xbf16>
// CHECK: } else {
// CHECK: %[[BUF:.*]] = bufferization.to_buffer %[[W]] read_only
// CHECK: memref.extract_aligned_pointer_as_index %[[BUF]]
// CHECK: %[[REM:.*]] = arith.remui %{{.*}}, %c64 : index
// CHECK: %[[ALIGNED:.*]] = arith.cmpi eq, %[[REM]], %c0 : index
// CHECK: scf.if %[[ALIGNED]] {
// CHECK: %[[PAIRS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<1x64xbf16>
// CHECK-NOT: vector.fma
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>)
// CHECK: vector.transfer_read %[[W]]{{.*}} : tensor<64x64xbf16>, vector<32xbf16>
// CHECK: vector.load %[[PAIRS]]{{.*}} : memref<1x64xbf16>, vector<32xbf16>
// CHECK: x86vector.avx512.dot {{.*}} : vector<32xbf16> -> vector<16xf32>
// CHECK-NOT: vector.fma
// CHECK: } else {
// CHECK: %[[ROW:.*]] = memref.alloca() {alignment = 64 : i64} : memref<1x64xf32>
// CHECK-NOT: x86vector.avx512.dot
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: vector.transfer_read %[[W]]{{.*}} : tensor<64x64xbf16>, vector<16xbf16>
// CHECK: vector.load %[[ROW]]{{.*}} : memref<1x64xf32>, vector<16xf32>
// CHECK-COUNT-4: vector.fma
// CHECK-NOT: x86vector.avx512.dot
// CHECK: vector.reduction <add>
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmw = affine_map<(b, s, n, k) -> (n, k)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @out_in_bf16_decode(%x: tensor<1x1x64xf32>, %w: tensor<64x64xbf16>,
    %init: tensor<1x1x64xf32>) -> tensor<1x1x64xf32> {
  %r = linalg.generic {indexing_maps = [#mmx, #mmw, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x1x64xf32>, tensor<64x64xbf16>)
      outs(%init : tensor<1x1x64xf32>) {
  ^bb0(%a: f32, %b: bf16, %acc: f32):
    %bw = arith.extf %b : bf16 to f32
    %p = arith.mulf %a, %bw : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x1x64xf32>
  return %r : tensor<1x1x64xf32>
}

// -----

// f16 and f32 weights never take the bf16 path, bf16-dot or not.

// CHECK-LABEL: func.func @f16_weights(
// CHECK-NOT: x86vector
// CHECK: vector.fma
// CHECK-NOT: x86vector
// CHECK: return
#mmx = affine_map<(b, s, n, k) -> (b, s, k)>
#mmw = affine_map<(b, s, n, k) -> (k, n)>
#mmo = affine_map<(b, s, n, k) -> (b, s, n)>
func.func @f16_weights(%x: tensor<1x?x64xf32>, %w: tensor<64x64xf16>,
    %init: tensor<1x?x64xf32>) -> tensor<1x?x64xf32> {
  %r = linalg.generic {indexing_maps = [#mmx, #mmw, #mmo],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x?x64xf32>, tensor<64x64xf16>)
      outs(%init : tensor<1x?x64xf32>) {
  ^bb0(%a: f32, %b: f16, %acc: f32):
    %bw = arith.extf %b : f16 to f32
    %p = arith.mulf %a, %bw : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x?x64xf32>
  return %r : tensor<1x?x64xf32>
}

// -----

// attn.qkv_proj goes through the same kernels.

// CHECK-LABEL: func.func @qkv_bf16(
// CHECK: x86vector.avx512.dot
// CHECK-NOT: attn.qkv_proj
// OFF-LABEL: func.func @qkv_bf16(
// OFF-NOT: x86vector
// OFF: return
func.func @qkv_bf16(%x: tensor<1x?x64xf32>, %w: tensor<64x192xbf16>,
    %q0: tensor<1x2x?x32xf32>, %k0: tensor<1x2x?x32xf32>,
    %v0: tensor<1x2x?x32xf32>)
    -> (tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>) {
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<1x?x64xf32>)
      weights(%w : tensor<64x192xbf16>)
      outs(%q0, %k0, %v0 : tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>,
           tensor<1x2x?x32xf32>)
      -> tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>
  return %q, %k, %v
      : tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>
}
