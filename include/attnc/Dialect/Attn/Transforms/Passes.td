//===- Passes.td - attn dialect transformation passes ------*- tablegen -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_DIALECT_ATTN_TRANSFORMS_PASSES_TD
#define ATTNC_DIALECT_ATTN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttnDecompose : Pass<"attn-decompose"> {
  let summary = "Lower every attn op to linalg, tensor, arith, math and scf "
                "(the reference lowering)";
  let description = [{
    Replaces each `attn` op by the ops its `AggregatedOpInterface`
    decomposition builds: plain `linalg.generic` contractions and
    element-wise/reduction ops on tensors, `tensor.insert_slice` in `scf.for`
    loops for cache writes, and `cf.assert` for the runtime checks of cache
    bounds. The decomposition computes exactly the math of each op's
    description, unfused: attention materialises the `[B, Hq, Sq, Skv]` score
    tensor, applies scale, soft-cap and masks, takes a numerically stable
    softmax in f32 (a fully masked row yields zeros), and multiplies by `V`.

    This is the semantic oracle of attnc: fused, tiled and vectorised
    lowerings are tested against it. It favours obviousness over speed.

    Ops whose decomposition is not possible (for example a dynamic head count
    that the verifier could not rule out) are reported with an error and the
    pass fails; it never leaves a half-rewritten function.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def AttnFuseRope : Pass<"attn-fuse-rope"> {
  let summary = "Fold attn.rope into the epilogue of the attn.qkv_proj that "
                "produces its queries and keys";
  let description = [{
    Rewrites

    ```mlir
    %q, %k, %v = attn.qkv_proj ins(%x ...) weights(...) outs(%q0, %k0, %v0 ...)
    %qr, %kr = attn.rope half theta(5.0e+05) ins(%q, %k, %pos ...) outs(...)
    ```

    into one projection with a RoPE epilogue:

    ```mlir
    %qr, %kr, %v = attn.qkv_proj ins(%x ...) weights(...)
        rope half theta(5.0e+05) positions(%pos ...) outs(%q0, %k0, %v0 ...)
    ```

    so that the rotation is applied to each tile of queries and keys while
    the projection kernel still holds it, instead of in a second pass over
    `Q` and `K` in memory. The rewrite applies when the rope reads the
    query and key results of the same projection, nothing else reads the
    unrotated values, and the positions are available before the
    projection. With `report-fallbacks`, each `attn.rope` left unfused (it
    takes the reference lowering) is reported by a remark that names the
    reason.
  }];
  let options = [
    Option<"reportFallbacks", "report-fallbacks", "bool", /*default=*/"false",
           "Emit a remark, at the op's location, for each op left for the "
           "reference lowering (attn-decompose), naming the reason">
  ];
}

def AttnProjectionCPU : Pass<"attn-projection-cpu"> {
  let summary = "Lower attn.qkv_proj and attn.out_proj to the shared "
                "vector GEMM kernels, with bias and RoPE epilogues";
  let description = [{
    Replaces each `attn.qkv_proj` it supports by one GEMM per weight
    operand, emitted by the linear-layer kernel builder that
    `attnc-matmul-cpu` also uses (`attnc/Transforms/LinearKernels.h`): a
    blocked, panel-packed kernel for 6 rows or more, a streaming split-K
    kernel for fewer rows with `in_out` weights (decode), a dot-product
    kernel for `out_in` weights (`[N, Dm]`, torch `nn.Linear`, read in
    place without a transposed copy). A fused weight is one GEMM over all
    its columns; a bias starts the accumulators.

    The `[B, S, N]` result is then split into `[B, H, S, D]` per projection
    by one `scf.forall` over (batch x head, block of 32 rows) that copies
    each head's row into an L1 tile and, for queries and keys with a RoPE
    epilogue, rotates it there (cos/sin of every (position, frequency) are
    computed once per call, not once per head).

    `attn.out_proj` runs the other way: one forall over (batch x head,
    block of 32 rows) merges the heads side by side into `[B, S, H * Dv]`
    (each head's rows copied into its column range), then one linear layer
    with the same kernels writes the op's destination, starting from the
    bias.

    Head dims need not be multiples of the vector width: the split and
    merge tiles are padded to whole vectors and the last vector of each
    head's row is a masked read. Projections the kernels do not cover
    (non-f32 activations, `Dm` or `H * Dv` not a multiple of the vector
    width with bf16 `out_in` weights, dynamic weight shapes) are left for
    `attn-decompose`; with `report-fallbacks`, each is reported by a remark
    that names the reason.

    With `bf16-dot` (targets with AVX512-BF16), the GEMMs of bf16 weights
    multiply activations rounded to bf16, accumulating in f32, with
    AVX512-BF16 dot products in prefill, as `attnc-matmul-cpu` describes;
    with `amx-bf16` as well, on AMX tiles where the process is granted
    the AMX state.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes per vector: 16 (AVX-512) or 8 (AVX2)">,
    Option<"bf16Dot", "bf16-dot", "bool", /*default=*/"false",
           "GEMMs of bf16 weights multiply activations rounded to bf16, "
           "with AVX512-BF16 dot products in prefill (vdpbf16ps; the "
           "target must have AVX512-BF16)">,
    Option<"amxBF16", "amx-bf16", "bool", /*default=*/"false",
           "With bf16-dot: the prefill GEMMs of bf16 weights compute on AMX "
           "tiles (tdpbf16ps) where the process is granted the AMX state at "
           "run time (the target must have AMX-TILE and AMX-BF16)">,
    Option<"reportFallbacks", "report-fallbacks", "bool", /*default=*/"false",
           "Emit a remark, at the op's location, for each op left for the "
           "reference lowering (attn-decompose), naming the reason">
  ];
  let dependentDialects = [
    "::mlir::amx::AMXDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::x86vector::X86VectorDialect"
  ];
}

def AttnDecodeCPU : Pass<"attn-decode-cpu"> {
  let summary = "Lower attn.decode_attention to a split-KV (flash-decoding) "
                "vector kernel that reads the cache in place";
  let description = [{
    Replaces each `attn.decode_attention` it supports by two `scf.forall`
    loops:

    1. over (batch x KV head, row group, split): the `G x Sq` query rows
       that share a KV head (GQA/MQA: each KV head is read once per group,
       not once per query head), up to 8 rows per tile, against split `s` of
       the sequence's keys `[0, seq_lens[b])`. Scores are dot products along
       `D` of the (pre-scaled) queries with each cached key row, a block of
       one vector of keys at a time; the softmax is online (running max and
       sum, f32) and `P V` accumulates into an L1 tile. Each split writes
       its unnormalised output with its max and sum.
    2. over (batch x query head, new row): merges the splits with max/sum
       rescaling and normalises.

    Contiguous caches `[B, Hkv, Smax, D]` are read in place; paged caches
    `[num_blocks, Hkv, block, D]` through the block table, without
    gathering: one lookup per key block when the block size is a multiple of
    the vector width (then the next page's rows are also prefetched, since
    no hardware prefetcher can guess where it is), one per key otherwise;
    contiguous caches get every line of the K/V rows two blocks ahead
    prefetched.
    The causal rule is aligned bottom-right (row `i`
    sits at `seq_lens[b] - Sq + i`); sliding windows skip the key blocks no
    row can see; only blocks that straddle a mask edge evaluate it. Every
    length and block id is checked first, as in the reference lowering.

    The number of splits is chosen at run time: enough that batch x KV
    heads x row groups x splits reaches `min-work-items`, and no split
    shorter than 256 positions of the cache. f16 and bf16 queries and caches
    are read in their type and widened in registers; the splits and their
    merge are f32 and the result row is narrowed at the end. Head dims need
    not be multiples of the vector width: the query and accumulator tiles
    are padded to whole vectors and the last vector of each query, key and
    value row is a masked read. Ops the kernel does not cover (mixed element
    types, dynamic head dims or block size) are left for `attn-decompose`;
    with `report-fallbacks`, each is reported by a remark that names the
    reason.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes per vector: 16 (AVX-512) or 8 (AVX2)">,
    Option<"minWorkItems", "min-work-items", "int64_t", /*default=*/"64",
           "Parallel work items to aim for when choosing the number of KV "
           "splits">,
    Option<"reportFallbacks", "report-fallbacks", "bool", /*default=*/"false",
           "Emit a remark, at the op's location, for each op left for the "
           "reference lowering (attn-decompose), naming the reason">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def AttnFlashCPU : Pass<"attn-flash-cpu"> {
  let summary = "Fuse and flash-tile attn.attention into a vectorised CPU "
                "kernel";
  let description = [{
    Replaces each `attn.attention` it supports by one fused kernel in the
    style of FlashAttention-2: an `scf.forall` over (batch x head, block of
    `query-tiles x block-q` query rows) whose body streams the keys in
    blocks of two vectors, keeps the scores of the block for one register
    tile of `block-q` rows in `2 * block-q` vector registers, updates a
    running maximum and sum per row (online softmax, f32), and accumulates
    `P V` into an L1-resident `block-q x Dv` tile per register tile. The
    `[Sq, Skv]` score matrix is never materialised.

    - The register tiles of a task share each pass over the keys: the
      scores of all of them (K panel in L1), then their `P V` (V block in
      L1), so that K and V stream from L2/L3 once per pass. A tile skips the
      key blocks it sees no key of, and a tile past `Sq` every block. With
      `query-tiles=0` the count is chosen per op from `l1-cache-bytes` and
      `l2-cache-bytes` (`attnc::selectFlashQueryTiles`; attnc-cpu-pipeline
      passes the host's caches): one where K and V of a head fit in half of
      L2, otherwise as many (up to 4) as keep each phase of a pass in L1.
    - K is packed once per call into
      `[B, Hkv, Skv/Bc, D, Bc]` panels, so that the score loop reads each
      key block with unit stride, two vectors of consecutive keys per `d`.
      The packing is an `scf.forall` over (B x Hkv, key block), so it runs
      on every core.
    - Causal and sliding-window masks narrow the key range of each query
      block (blocks that are entirely masked are never visited) and are
      evaluated only on blocks that straddle a mask edge or the end of the
      keys.
    - A mask operand (i1 keep-mask, or additive f32/f16/bf16, broadcastable
      to `[B, Hq, Sq, Skv]`) is read a vector of keys at a time on every
      visited block; an i1 mask is widened to bytes once per call. Softcap
      (`cap * tanh(s / cap)`) is applied to the scaled scores in registers.
    - A row that sees no key produces zeros.

    `vector-width` is the number of f32 lanes of the target's vectors (16
    for AVX-512, 8 for AVX2). The register tiles are as large as the
    target's vector registers hold without spilling
    (`attnc::selectFlashRegisterTile`): with 32 registers, 8 query rows and
    P V column groups of 3 vectors; with 16 (AVX2), 6 rows and 2 vectors.
    f16 and bf16 queries, keys and values are read in their type and widened in registers (K while it is packed, each
    tile's query rows once into an f32 L1 tile); scores, softmax and
    accumulation are f32, and each normalised tile is narrowed into the
    result type. With `bf16-dot` (targets with AVX512-BF16), bf16 attention
    instead computes `Q K^T` and `P V` with `vdpbf16ps`
    (`x86vector.avx512.dot`) into f32 accumulators: K and V are packed once
    per call in pairs along the reduction dim (`[B, Hkv, Skv/Bc, D/2, 2 Bc]`
    and `[B, Hkv, Skv/Bc, Bc/2, 2 Dv]`), each query row's pair is broadcast
    as one 32-bit word, and P is rounded to bf16 (`vcvtneps2bf16`) into a
    bf16 L1 tile. With `amx-bf16` as well (targets with AMX-TILE and
    AMX-BF16), bf16 attention whose `D` is a multiple of 32 computes both
    products on AMX tiles (`amx.tile_mulf`, tdpbf16ps) over the same
    panels: 16-row query tiles, two 16 x 16 score accumulators per key
    block stored to an L1 scratch for the shared softmax, and the bf16 P
    tile times each 16-column V tile into the O tile; the process asks
    once for the AMX state (`@__attnc_amx_state`) and runs the `vdpbf16ps`
    kernel where it is refused. `D` and
    `Dv` may be any static size: the accumulator tile is padded to whole
    vectors and the last vector of each V row is a masked read. Attention
    ops the kernel does not cover (mixed element types, dynamic head dims)
    are left unchanged for `attn-decompose`. With `report-fallbacks`, each
    of them, and each `attn.masked_softmax` (which has no fused kernel), is
    reported by a remark that names the reason.
  }];
  let options = [
    Option<"blockQ", "block-q", "int64_t", /*default=*/"0",
           "Query rows per register tile, at most vector-width (0: as many "
           "as the vector registers hold, at most 8)">,
    Option<"vectorRegisters", "vector-registers", "int64_t",
           /*default=*/"0",
           "The target's vector registers, which bound the register tiles "
           "(0: 32 with vector-width 16, 16 with 8)">,
    Option<"queryTiles", "query-tiles", "int64_t", /*default=*/"1",
           "Register tiles per pass over a key block (0: chosen per op from "
           "l1-cache-bytes and l2-cache-bytes)">,
    Option<"l1CacheBytes", "l1-cache-bytes", "int64_t", /*default=*/"49152",
           "The target's per-core L1 data cache, for query-tiles=0">,
    Option<"l2CacheBytes", "l2-cache-bytes", "int64_t", /*default=*/"1048576",
           "The target's per-core L2 cache, for query-tiles=0">,
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes per vector: 16 (AVX-512) or 8 (AVX2)">,
    Option<"bf16Dot", "bf16-dot", "bool", /*default=*/"false",
           "bf16 attention computes Q K^T and P V with AVX512-BF16 dot "
           "products (vdpbf16ps; the target must have AVX512-BF16)">,
    Option<"amxBF16", "amx-bf16", "bool", /*default=*/"false",
           "With bf16-dot: bf16 attention with head dims that are "
           "multiples of 32 computes Q K^T and P V on AMX tiles (tdpbf16ps) "
           "where the process is granted the AMX state at run time (the "
           "target must have AMX-TILE and AMX-BF16)">,
    Option<"reportFallbacks", "report-fallbacks", "bool", /*default=*/"false",
           "Emit a remark, at the op's location, for each op left for the "
           "reference lowering (attn-decompose), naming the reason">
  ];
  let dependentDialects = [
    "::mlir::amx::AMXDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::x86vector::X86VectorDialect"
  ];
}

def AttnAttentionGPU : Pass<"attn-attention-gpu", "::mlir::ModuleOp"> {
  let summary = "Lower attn.attention and attn.decode_attention to NVVM "
                "flash-attention kernels on tensor cores (mma.sync)";
  let description = [{
    Replaces each `attn.attention` and `attn.decode_attention` by a
    `gpu.launch_func` of a FlashAttention-2 style kernel that it adds to the
    module's `gpu.module @attnc_kernels`, reading and writing the op's
    buffers in place (`bufferization.to_buffer` / `to_tensor`, so that
    one-shot bufferization sees the effects):

    - grid (query block of 64 rows, query head, batch [x KV split]); 4 warps
      per block, each owning 16 query rows;
    - the block's Q tile is staged in shared memory once; for each block of
      `Bc` keys in the range the rows can see (`attnc/Dialect/Attn/
      Transforms/KeyRange.h`, shared with the CPU kernels: causal and window
      blocks that no row sees are never visited, and only blocks that
      straddle a mask edge evaluate it), K and V tiles are staged in shared
      memory, `S = Q K^T` runs on tensor cores (`mma.sync.m16n8k16`, f32
      accumulators; `nvvm.mma.sync` on i32-packed operands for bf16), the
      scale, soft-cap and masks are applied to the accumulator fragments in
      registers, the online softmax keeps each row's running max and sum in
      registers (row reductions over the 4 lanes that share a row with
      `shfl.bfly`), and `P V` reuses the score fragments as the A operand
      without a trip through memory. `[Sq, Skv]` never exists in memory;
    - f32 inputs take the same tiles and fragment layout with CUDA-core FMAs
      in f32 (TF32 tensor cores would lose the f32 accuracy users expect);
    - `attn.decode_attention` reads contiguous or paged caches in place up to
      each sequence's length (checked in the kernel with the reference
      lowering's messages), packs the query heads that share a KV head into
      one block's rows (each K/V tile serves the whole GQA group; one-token
      decode fills G rows, not one), and splits the keys over blocks (split-KV, the
      number of splits chosen at run time from the batch, heads and cache
      capacity against the chip's SM count); a second kernel merges the
      splits' partial outputs with their max/sum statistics.

    Ops the kernels do not cover (head dims that are not multiples of 16,
    tiles that do not fit the chip's shared memory) are reported as errors:
    the GPU target has no other lowering for them.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90a\"",
           "NVIDIA chip the kernels are built for (sm_80, sm_90a, ...)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::LLVM::LLVMDialect"
  ];
}

def AttnOpsGPU : Pass<"attn-ops-gpu", "::mlir::ModuleOp"> {
  let summary = "Lower attn.rope, attn.kv_append, attn.masked_softmax, "
                "attn.qkv_proj and attn.out_proj to NVVM kernels";
  let description = [{
    Replaces each of these ops by `gpu.launch_func`s of kernels that it adds
    to the module's `gpu.module @attnc_kernels`, reading the op's operands
    and writing its destinations through `bufferization.to_buffer` /
    `to_tensor` (KernelUtils.h), so that one-shot bufferization sees the
    effects. Kernels read their sizes from the memref descriptors, so
    dynamic shapes need nothing special; all element types (f16, bf16, f32)
    compute in f32. The kernels favour a per-thread body that is obviously
    the reference lowering's math over peak throughput:

    - `attn.rope`: one thread per rotary pair (or passed-through component),
      256 threads per block, grid (items / 256, 2) for queries and keys; the
      frequencies are the reference's (`buildRopeInverseFrequency`: theta,
      partial rotary dim, linear and llama3 scaling) in f32.
    - `attn.kv_append`: writes the new rows into the caches in place (the
      caches are the destinations), contiguous or paged, one thread per
      element along the head dim; the reference lowering's run-time checks
      run in the kernel with its messages (`cf.assert`), and no write goes
      out of bounds when one fails.
    - `attn.masked_softmax`: one block of 256 threads per row, three passes
      (max, sum, write) with block reductions through warp shuffles and
      shared memory; scale, softcap, broadcast i1/float masks, causal and
      window (bottom-right aligned), zeros for a fully masked row.
    - `attn.qkv_proj` / `attn.out_proj`: a shared-memory tiled SIMT GEMM in
      f32 (64x64 output tile per block of 256 threads, 4x4 per thread,
      16-deep k slices), with the head split (merge) in the kernel's output
      (input) indexing, both weight layouts, fused or separate weights,
      f16/bf16 weights widened as they are staged, biases as the initial
      accumulators; the RoPE epilogue of `attn.qkv_proj` is a second launch
      of the rope kernel on the projected queries and keys, in place.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90a\"",
           "NVIDIA chip the kernels are built for (sm_80, sm_90a, ...)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::scf::SCFDialect"
  ];
}

#endif // ATTNC_DIALECT_ATTN_TRANSFORMS_PASSES_TD
