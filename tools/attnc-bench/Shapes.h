//===- Shapes.h - attention shapes that attnc-bench measures ----*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The named benchmark shapes (P1, P2, P3), user shapes given as
// "B=1,Hq=8,Hkv=2,Sq=256,Skv=256,D=64,causal", their FLOP counts, and the
// tensor-level module that computes each one with attn.attention.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TOOLS_ATTNC_BENCH_SHAPES_H
#define ATTNC_TOOLS_ATTNC_BENCH_SHAPES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::attnc::bench {

/// One attention problem: Q [B, Hq, Sq, D], K and V [B, Hkv, Skv, D].
struct BenchShape {
  /// "P1", "P2", ... for named shapes, "user" for --shape ones.
  std::string name;
  int64_t batch = 1;
  int64_t queryHeads = 0;
  int64_t kvHeads = 0;
  int64_t queryLength = 0;
  int64_t kvLength = 0;
  int64_t headDim = 0;
  bool causal = false;
  /// A decode step: Sq new rows against a KV cache of Skv positions, all in
  /// use (attn.decode_attention), measured in bytes of K and V read.
  bool decode = false;
  /// With `decode`: a paged cache of `blockSize`-position blocks whose
  /// table is a random permutation (no two neighbours adjacent in memory).
  /// The label says the block size: "D1 paged/16".
  bool paged = false;
  int64_t blockSize = 16;
  /// With `decode`: the caches' element type, "f32", "f16" or "bf16" (a
  /// low-precision cache of an f32 query; the label says it: "D1 bf16").
  std::string cacheType = "f32";
  /// Without `decode`: the element type of Q, K, V and O, "f32", "f16" or
  /// "bf16" (the label says it: "P1 causal bf16").
  std::string dtype = "f32";

  /// The name and the variant: "P1", "P1 causal".
  std::string getLabel() const;
  /// The dimensions, compactly: "B1 H12 S512 D64", "B4 H16/4 S1024 D64"
  /// (GQA), "B1 H2/1 S33/47 D16" (Sq != Skv).
  std::string getDims() const;
  /// Useful FLOPs, 4*B*Hq*D per query-key pair: Sq*Skv pairs, with causal
  /// masking Sq*Skv - Sq^2/2 (half of a square problem).
  double getFlops() const;
  /// Bytes of K and V a decode step reads: 2*B*Hkv*Skv*D*(4 or 2).
  double getCacheBytes() const;
  std::vector<int64_t> getQueryShape() const;
  /// The element type of input `index` (0: Q, 1: K or the K cache, 2: V or
  /// the V cache) and, for index 0, of the output.
  std::string getInputType(unsigned index) const;
  /// K and V: [B, Hkv, Skv, D], or paged [B*Skv/block, Hkv, block, D].
  std::vector<int64_t> getKVShape() const;
  /// The block table of a paged decode shape: [B, Skv/block].
  std::vector<int64_t> getBlockTableShape() const;
  /// A module with one public function @attention(q, k, v) -> o, or for a
  /// decode shape @decode(q, k_cache, v_cache, seq_lens[, block_table]).
  std::string getModuleText() const;
};

/// The named shapes, in order: P1, P2, P3 (prefill), D1, D2 (decode).
llvm::ArrayRef<llvm::StringRef> getNamedShapeNames();

/// The variants a named shape stands for (P1 gives the non-causal and the
/// causal one); empty when `name` names no shape.
std::vector<BenchShape> getNamedShape(llvm::StringRef name);

/// Parses a --shape value: comma-separated `key=value` pairs with keys B, Hq
/// (or H, which also sets Hkv), Hkv, Sq (or S, which also sets Skv), Skv and
/// D, and the flags `causal`, `decode` (Sq new rows against a full cache of
/// Skv positions) and `paged` (a decode shape with a paged cache of 16-
/// position blocks; `block=N` sets another size). B defaults to 1, Hkv to Hq
/// and Skv to Sq.
llvm::Expected<BenchShape> parseShape(llvm::StringRef spec);

} // namespace mlir::attnc::bench

#endif // ATTNC_TOOLS_ATTNC_BENCH_SHAPES_H
