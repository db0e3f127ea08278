//===- FlashKernelBuilder.h - attn-flash-cpu kernel builder -----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The builder of attn-flash-cpu's fused kernel (see FlashAttentionCPU.cpp for
// the algorithm). Its pieces live in five files: FlashAttentionCPU.cpp (the
// task, its tiles, the key loop, f32/f16/widened-bf16 P V and the pass),
// FlashAttentionCPUSoftmax.cpp (f32/f16/widened-bf16 scores, masks and the
// online softmax), FlashAttentionCPUPack.cpp (K packed into panels, f16/bf16
// V widened into panels, and the generic panel packing),
// FlashAttentionCPUBF16.cpp (the AVX512-BF16 dot-product path: K and V
// packed in pairs, Q K^T and P V on vdpbf16ps) and FlashAttentionCPUAMX.cpp
// (Q K^T and P V on AMX tiles over the same pairs).
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_FLASHKERNELBUILDER_H
#define ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_FLASHKERNELBUILDER_H

#include "attnc/Dialect/Attn/IR/AttnOps.h"
#include "attnc/Dialect/Attn/Transforms/KeyRange.h"
#include "attnc/Transforms/KernelBuilderBase.h"
#include "attnc/Transforms/LowPrecision.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::attn {

/// AMX tiles: 16 rows of 64 bytes (32 bf16 or 16 f32).
constexpr int64_t kAMXRows = 16;
constexpr int64_t kAMXTileK = 32;

/// Register tiling of the kernel.
struct FlashTiling {
  /// Query rows per register tile (0: chosen from vectorRegisters by
  /// attnc::selectFlashRegisterTile).
  int64_t blockQ;
  /// Register tiles (of blockQ rows each) per pass over a key block, so
  /// that K and V stream from memory once for all of them (0: chosen per op
  /// by attnc::selectFlashQueryTiles from the cache sizes below).
  int64_t queryTiles;
  /// f32 lanes per vector; key blocks hold two vectors.
  int64_t vectorWidth;
  /// bf16 attention uses AVX512-BF16 dot products (vdpbf16ps).
  bool bf16Dot;
  /// The target's per-core L1 and L2 data caches, in bytes (for
  /// queryTiles = 0).
  int64_t l1Bytes, l2Bytes;
  /// The target's vector registers (0: attnc::getVectorRegisterCount of
  /// vectorWidth).
  int64_t vectorRegisters = 0;
  /// With bf16Dot: Q K^T and P V on AMX tiles (tdpbf16ps), for head dims
  /// that are whole tiles (isAMXEligible). The caller runs such a kernel
  /// only where the process is granted the AMX state.
  bool amx = false;
};

/// Whether the AMX form of the kernel takes `op` with `tiling` (bf16, 16
/// f32 lanes, D a multiple of 32).
bool isAMXEligible(AttentionOp op, const FlashTiling &tiling);

/// Emits the kernel for one attn.attention.
class FlashKernelBuilder : attnc::KernelBuilderBase {
public:
  FlashKernelBuilder(AttentionOp op, const FlashTiling &tiling,
                     OpBuilder &builder);

  /// What the tasks read besides Q, prepared once per call before them (on
  /// every core): K in panels (f32, or bf16 pairs with V for vdpbf16ps and
  /// AMX, which share the layout), f16/widened-bf16 V in f32 panels, and the
  /// mask operand widened (see the members of the same names).
  struct PackedOperands {
    Value keysT, valuePairs, valuesWide, widenedMask;
  };
  PackedOperands packOperands();
  /// The kernel's tasks over operands packed by a builder of the same op
  /// whose tiling differs at most in `amx`, so that the AMX and vdpbf16ps
  /// forms of one call share one packing.
  Value buildKernel(const PackedOperands &packed);
  Value build() { return buildKernel(packOperands()); }

private:
  /// One register tile of Br query rows of a task; a task holds `nt` of
  /// them, rows index * Br ... of its query block.
  struct QueryTile {
    int64_t index;
    /// Its rows (past Sq: the last row) and their absolute positions.
    SmallVector<Value> rows, positions;
    /// The keys its rows see.
    KeyRange range;
    /// P of the current key block, [Br, Bc].
    Value pTile;
    /// The key block's statistics in the rows' lanes (getStatLanesPerRow):
    /// the maxima the scores were shifted by, and the factors alpha that
    /// rescale the rows of O before P V.
    Value statsTile;
  };

  // FlashAttentionCPUBF16.cpp: the vdpbf16ps path.
  SmallVector<Value> computeScoresDot(Value b0, Value h, Value kvHead,
                                      ArrayRef<Value> rows, Value j0);
  void accumulateValuesDot(Value b0, Value kvHead, Value j0, Value pTile,
                           Value oTile, int64_t rowBase, Value statsTile);

  // FlashAttentionCPUAMX.cpp: the AMX-BF16 path, on the vdpbf16ps path's
  // panels; Br = 16 rows, Bc = 32 keys (two 16 x 16 score tiles).
  SmallVector<Value> computeScoresAMX(const QueryTile &tile, Value b0,
                                      Value kvHead, Value j0);
  void accumulateValuesAMX(Value b0, Value kvHead, Value j0, Value pTile,
                           Value oTile, int64_t rowBase, Value statsTile);
  /// The task's query rows as bf16 [nt * Br, D] (rows past Sq repeat the
  /// last one): tile loads read 16 whole rows.
  Value buildQueryPairs(ArrayRef<QueryTile> tiles, Value b0, Value h);

  // FlashAttentionCPUPack.cpp: K, and V (widened, or in pairs for
  // vdpbf16ps), in panels.

  /// One task of buildPanels: sequence b0, head h, the key block from key
  /// j0, the sequence's last key, and the task's [rows, cols] panel.
  struct PanelTask {
    Value b0, h, j0, lastKey, panel;
  };
  /// A [B, H, blocks of Bc keys, rows, cols] tensor of `panelElement` (B
  /// and H those of `source`), built by an scf.forall over (B * H, blocks)
  /// so that packing runs on every core: `fill` returns each task's panel
  /// filled.
  Value buildPanels(Value source, int64_t rows, int64_t cols, Type panelElement,
                    function_ref<Value(const PanelTask &)> fill);
  /// Whether key j0 + offset of the task exists, and the key a read takes
  /// in its place (clamped to the last one; the read is selected away).
  std::pair<Value, Value> clampedKey(const PanelTask &task, Value offset);
  Value transposeKeys();
  Value widenValues();
  Value packKeyPairs();
  Value packValuePairs();
  // FlashAttentionCPU.cpp.
  void buildTile(Value bh, Value queryBlock, Value outTile);
  /// Reduces each of `rows` (at most VL vectors) across its lanes at once:
  /// the result holds row r's maximum (or sum) in all of lanes [r * w,
  /// (r + 1) * w), w = getStatLanesPerRow().
  Value reduceRows(ArrayRef<Value> rows, bool max);
  /// Lanes per row of the statistics vectors: VL over Br rounded up to a
  /// power of two.
  int64_t getStatLanesPerRow() const;
  /// The rows of a tile's statistics scratch (QueryTile::statsTile).
  static constexpr int64_t kSafeMaxRow = 0, kAlphaRow = 1, kStatRows = 2;
  /// Row `row`'s value in row `which` of `statsTile`, as a vector.
  Value statLane(Value statsTile, int64_t which, int64_t row);
  SmallVector<Value> softmaxBlock(Value b0, Value h, Value kvHead,
                                  const QueryTile &tile, Value j0,
                                  ValueRange stats);
  SmallVector<Value> computeScores(Value b0, Value h, Value kvHead,
                                   const QueryTile &tile, Value j0);
  SmallVector<Value> scaleScores(ValueRange accs);
  SmallVector<Value> maskScores(ArrayRef<Value> scores, Value j0,
                                ArrayRef<Value> positions);
  SmallVector<Value> applyMaskOperand(ArrayRef<Value> scores, Value b0, Value h,
                                      ArrayRef<Value> rows, Value j0);
  void accumulateValues(Value b0, Value kvHead, Value j0, Value pTile,
                        Value oTile, int64_t rowBase, Value statsTile);
  /// The column groups of P V: (first column, vectors), at most `maxWidth`
  /// vectors each, as even as they go.
  SmallVector<std::pair<int64_t, int64_t>>
  getValueColumnGroups(int64_t maxWidth) const;
  /// The accumulators a column group of P V starts from: O[rowBase + r,
  /// e + c * VL ...] * alpha[r] for the Br rows and `width` vectors.
  SmallVector<Value> loadScaledOutput(Value oTile, int64_t rowBase, int64_t e,
                                      int64_t width, Value statsTile);
  /// Stores them back (accs[r * width + c] at O[rowBase + r, e + c * VL]).
  void storeOutput(ValueRange accs, Value oTile, int64_t rowBase, int64_t e,
                   int64_t width);

  AttentionOp op;
  int64_t br, vl, bc;
  /// Vectors of each O row per pass of the P V loop.
  int64_t valueGroupWidth;
  /// Register tiles per pass over a key block.
  int64_t nt;
  Type f32;
  VectorType vecType;
  /// The element type of Q, K, V and O (f32, f16 or bf16).
  Type elementType;

  /// `v` (a scalar or vector of elementType) in f32.
  Value widen(OpBuilder &ob, Location loc, Value v) {
    return attnc::widenToF32(ob, loc, v);
  }
  /// bf16 Q K^T and P V on vdpbf16ps: K and V are packed in pairs along the
  /// reduction dim, P is rounded to bf16.
  bool dot;
  Type bf16;
  /// 2 * VL bf16 values: VL pairs, one per f32 lane.
  VectorType pairVecType;
  /// The AMX form (FlashTiling::amx, where isAMXEligible).
  bool amx;
  /// Its operands as buffers: the K and V pair panels, the task's bf16
  /// query rows, and a [Br, Bc] f32 scratch for the score tiles.
  Value keyPairBuffer, valuePairBuffer, queryPairs, scoreTile;
  int64_t numQueryHeads, groups, headDim, valueDim;
  /// Dv rounded up to whole vectors: the width of the accumulator tile.
  int64_t paddedValueDim;

  // Values shared by the whole kernel.
  Value keysT, valuePairs, queries, numQueries, numKeys, minusInf;
  /// f16 (and widened bf16) values: V widened to f32 once per call, in
  /// panels of Bc keys x paddedValueDim (widenValues), so that the P V loop
  /// reads them as it reads f32 V instead of converting each vector again
  /// for every query tile. Null for f32 (read in place) and vdpbf16ps.
  Value valuesWide;
  /// f16 (and widened bf16) queries: the task's rows widened to f32 once,
  /// [nt * Br, D] in L1, so that the score loop broadcasts them from memory
  /// as for f32 instead of converting each element again for every key
  /// block.
  Value queryTile;
  /// The mask operand as the kernel reads it, widened once per call: an
  /// i1 keep-mask to i8, one byte per element as memrefs store i1, so that
  /// it can be read a vector at a time (LLVM packs vectors of i1 into
  /// bits); a bf16 additive mask to f32, so that a masked read of its last
  /// keys needs no bf16 select (which a target without AVX512-BF16 can only
  /// do through compiler-rt). Null: the operand is read as it is.
  Value widenedMask;
};

} // namespace mlir::attn

#endif // ATTNC_LIB_DIALECT_ATTN_TRANSFORMS_FLASHKERNELBUILDER_H
