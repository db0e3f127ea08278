//===- Passes.td - attnc compiler-wide passes --------------*- tablegen -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// Passes that are not about one dialect: the function-export ABI and the
// contract check at the end of every pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TRANSFORMS_PASSES_TD
#define ATTNC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ExportFunctions : Pass<"attnc-export-functions", "::mlir::ModuleOp"> {
  let summary = "Give every public function the attnc C ABI";
  let description = [{
    Runs on the tensor-level module, before bufferization. For every public
    `func.func @f` with a body it

    - sets `llvm.emit_c_interface`, so that lowering to LLVM emits
      `_mlir_ciface_f`, the standard MLIR C interface: results (a single
      memref descriptor, or a struct of them) are returned through a first
      pointer argument, and each argument is passed as a pointer to its
      memref descriptor (`StridedMemRefType<T, N>` in
      `mlir/ExecutionEngine/CRunnerUtils.h`);
    - adds an exported, NUL-terminated string global `attnc_signature_f`
      holding the function's type as written in MLIR
      (`(tensor<1x8x128x64xf32>, ...) -> tensor<...>`), so that a loader of a
      compiled shared library can check inputs without the source.

    Functions whose arguments or results are not ranked tensors of
    f16/bf16/f32/f64/i1/i8/i32/i64 cannot cross this ABI: the pass reports
    them and fails. So do functions defined (public or private) under a
    name the lowering or the ABI needs: the libc/libm/libomp functions that
    compiled code calls (`malloc`, `free`, `memset`, `expf`, ...), `mgpu*`,
    `_mlir_*`, `attnc_*` and `__*`.

    The module also gets an exported string `attnc_target` naming the device
    its functions run on (`cpu` or `cuda`), so that a runner can tell a
    CUDA library, whose tensors are device pointers, from a CPU one.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"cpu\"",
           "The device the functions run on: cpu or cuda">
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def DropInPlaceResults
    : Pass<"attnc-drop-inplace-results", "::mlir::ModuleOp"> {
  let summary = "Stop exported functions from returning buffers they "
                "updated in place, and record which";
  let description = [{
    Runs after one-shot bufferization, before buffer deallocation. A result
    of an exported function (one with `llvm.emit_c_interface`) that is one
    of its own argument buffers, typically a KV cache that `attn.kv_append`
    wrote in place, is removed from the function's results: the caller
    already holds that buffer, and returning it would make buffer
    deallocation clone the whole cache on every call (a function result is
    owned by its caller).

    Which results were removed is recorded in an exported, NUL-terminated
    string global `attnc_inplace_f`: comma-separated `result:argument`
    pairs, for example `0:3,1:4` (result 0 is argument 3 after the call).
    The tensor-level signature `attnc_signature_f` is unchanged; a loader
    returns the updated argument for each such result.

    Functions with other uses in the module (calls) are left alone.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def DestinationEntries
    : Pass<"attnc-destination-entries", "::mlir::ModuleOp"> {
  let summary = "Give every exported function an entry point that writes "
                "its results into buffers of the caller";
  let description = [{
    Runs after one-shot bufferization and `attnc-drop-inplace-results`,
    before buffer deallocation. For each exported function `@f` (one with
    `llvm.emit_c_interface` and an `attnc_signature_f` global) that returns
    buffers, it adds `@attnc_into_f(inputs..., outputs...)`: the same body,
    with one more argument per result of `@f` (those `@f` returns after
    in-place results were dropped), and no results. A result buffer that
    `@f` allocates in its entry block is replaced by the output argument, so
    the result is computed in the caller's memory; any other result is
    copied into it. Dynamic sizes of the outputs are checked against the
    results' (`cf.assert`); static ones are checked by the C wrapper
    (`attnc-finalize-exports`). The entry point gets the C interface and an
    `attnc_signature_attnc_into_f` global: `(inputs..., outputs...) -> ()`.

    A caller that keeps its output buffers between calls then allocates
    nothing per call (temporaries come from `attnc-pool-temporaries`' pool).
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect", "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect", "::mlir::memref::MemRefDialect"
  ];
}

def FinalizeExports : Pass<"attnc-finalize-exports", "::mlir::ModuleOp"> {
  let summary = "Honour descriptor offsets in the C wrappers of exported "
                "functions and hide the functions they wrap";
  let description = [{
    Runs on the LLVM dialect, after `attnc-export-functions` and the lowering
    to LLVM have made `_mlir_ciface_f` for each exported function `@f`
    (found through its `attnc_signature_f` global).

    Function boundaries are bufferized with identity layouts, so the body
    of `@f` reads its arguments at a static offset 0 with contiguous
    strides, and the `offset` and `strides` of the descriptors a C caller
    passes would be ignored. With `fold-offsets`, `_mlir_ciface_f` moves
    each argument's `aligned` pointer forward by `offset` elements (and
    passes offset 0), and checks that its strides are the row-major
    contiguous ones of its sizes (a dimension of size 1 may have any
    stride): otherwise it prints which argument is not contiguous to stderr
    and aborts.

    The wrapped `@f` itself gets internal linkage: only `_mlir_ciface_f` is
    exported, and the plain `f` symbol no longer exists in a library.
  }];
  let options = [
    Option<"foldOffsets", "fold-offsets", "bool", /*default=*/"true",
           "Fold each argument's offset into its aligned pointer and check "
           "that its strides are contiguous">
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def PoolTemporaries : Pass<"attnc-pool-temporaries", "::mlir::ModuleOp"> {
  let summary = "Take functions' temporary buffers from a per-thread pool "
                "instead of malloc";
  let description = [{
    Runs after buffer deallocation, on memrefs. A `memref.alloc` that the
    block allocating it also frees with `memref.dealloc` (a temporary: a
    packed key tile, an intermediate activation; never a result, which the
    caller frees with `free`) becomes a call to `attnc_workspace_alloc`
    (bytes) and its deallocs calls to `attnc_workspace_free`, with the
    descriptor built in the LLVM dialect. The attnc kernel runtime that
    compiled libraries link (runtime/lib/Kernel/Workspace.cpp) keeps freed
    blocks in a cache per thread, so a function called again with the same
    shapes allocates nothing: large `malloc`s are `mmap`s whose pages fault
    in anew on every call.

    Only identity-layout buffers of integer, float or index elements in the
    default memory space, aligned to at most 64 bytes, are pooled.
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect", "::mlir::arith::ArithDialect"
  ];
}

def OutlineAMXRegions : Pass<"attnc-outline-amx-regions", "::mlir::ModuleOp"> {
  let summary = "Move the conditional AMX kernels into functions of their own";
  let description = [{
    Runs on memrefs, after bufferization and before the loops are lowered.
    The AMX kernels run behind a run-time check (`buildAMXGrantedCheck`,
    `@__attnc_amx_state`): the process may only use tiles once Linux has
    granted it the AMX state, and runs the AVX-512 kernel where it has not.
    But LLVM ends every function that uses tiles with `tilerelease`,
    executed on each return whichever branch ran. Where the OS never
    enabled AMX (Linux before 5.16) or the CPU has none (code compiled with
    `--target-cpu`/`--target-features` for another machine), that
    instruction is an invalid opcode, and the fallback would die on its way
    out. So each region of an `scf.if` that holds `amx` ops (the outermost
    such region) becomes a private function with internal linkage, called
    from the region with `no_inline`: the release then runs only where the
    tiles did. A function that uses tiles unconditionally is left alone.
  }];
  let dependentDialects = [
    "::mlir::func::FuncDialect", "::mlir::LLVM::LLVMDialect"
  ];
}

def VerifyLowered : Pass<"attnc-verify-lowered", "::mlir::ModuleOp"> {
  let summary = "Fail loudly on any op that was not lowered to LLVM";
  let description = [{
    The contract check at the end of the CPU pipeline: every op in the module
    must belong to the `llvm` dialect (the module itself aside), and every
    function the module declares without defining must come from libc or
    libm, the only libraries a compiled kernel links. Each op left over and
    each other external function (for example MLIR's `memrefCopy` runtime
    helper, or a compiler-rt conversion routine) is reported with its
    location, and the pass fails, instead of letting it surface later as an
    obscure translation, linker or JIT error.

    With `cuda`, the embedded kernels (`gpu.binary`), their launches
    (`gpu.launch_func`, which translation turns into calls) and the `mgpu*`
    CUDA runtime functions that the attnc runtime provides are allowed too.
  }];
  let options = [
    Option<"cuda", "cuda", "bool", /*default=*/"false",
           "Allow gpu.binary and calls into the attnc CUDA runtime">
  ];
}

def GPUHostBuffers : Pass<"attnc-gpu-host-buffers", "::mlir::ModuleOp"> {
  let summary = "Put the host functions' buffers in GPU memory";
  let description = [{
    Runs after bufferization of a module whose tensors are computed by GPU
    kernels (`attnc-gpu-pipeline`). In every host function (outside
    `gpu.module`s), `memref.alloc`/`alloca` become `gpu.alloc`,
    `memref.dealloc` becomes `gpu.dealloc` and `memref.copy` becomes
    `gpu.memcpy`: every tensor of a function compiled for the GPU lives in
    device memory, including its arguments and results (the C ABI passes
    device pointers). Allocations that the function does not return (kernel
    workspaces, copies) are freed with `gpu.dealloc` before each return: it
    replaces the buffer deallocation pipeline, which cannot see through
    `gpu.launch_func` (an op without declared memory effects). Host
    functions here are straight-line launch sequences, so a buffer is dead
    at the return.

    Any other host op that would read or write buffer contents (a
    `linalg` op, `memref.load`, ...) would dereference device memory on the
    host; the pass reports it with its location and fails. Such ops come
    from tensor code that no GPU lowering covered.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def ApproximateMath : Pass<"attnc-approximate-math"> {
  let summary = "Replace exp and tanh by inline polynomial approximations";
  let description = [{
    LLVM lowers `math.exp` on vectors to one libm call per lane. This pass
    rewrites `math.exp` and `math.tanh` (scalar and vector f32) into the
    upstream polynomial approximations (a few FMAs and bit operations per
    vector, accurate to a few ulp), which is what the fused attention kernel
    needs to keep its softmax vectorised. Ops on tensors are left as they
    are (the CPU pipeline has made them linalg.generic before this pass).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def MatmulCPU : Pass<"attnc-matmul-cpu"> {
  let summary = "Lower batched linear layers (linalg.generic x[b,s,k] * "
                "w[k,n] or w[n,k]) to register-tiled vector kernels";
  let description = [{
    Matches the f32 `linalg.generic` contractions of a linear layer on
    `[B, S, K]` activations, with loops `(b, s, n, k)`, maps
    `x: (b, s, k)`, `w: (k, n)` (`[in, out]`, GPT-2 Conv1D) or `w: (n, k)`
    (`[out, in]`, torch `nn.Linear`, read in place), `out: (b, s, n)`, and a
    multiply-accumulate body into the output's initial values. An initial
    value that broadcasts a `[N]` bias is read as that vector, and a
    `linalg.fill` of +0.0 is not read at all (the kernels start from zero),
    so neither the broadcast nor the fill is ever materialised. Layers of
    one input (an MLP's gate and up projections) whose operands are all
    defined before the first of them become one kernel, built there, into
    a fresh `[B, S, N1 + N2 + ...]` tensor whose slices replace their
    results: a decode step of `[out, in]` weights runs one `scf.forall` over
    every layer's column blocks (an `scf.index_switch` picks the block's
    weight), and a prefill packs the input once for all layers packed
    alike. The kernels come from the shared linear-layer builder
    (`LinearKernels.h`, also used by `attn-projection-cpu`):

    - 6 rows or more (prefill), `[in, out]` weights: an `scf.forall` over
      (batch, 64-column block, 516-row task). Per 128 weight rows, the
      block's columns are packed into a contiguous 32 KiB panel, and 6-row
      blocks keep 6 x 4 vector accumulators (10 loads per 24 FMAs). The
      column block is the outer parallel dimension so that a thread reuses
      one weight panel across its row tasks; packing turns weight rows that
      lie a page apart into one L1-resident panel. Whole 6-row blocks of
      the input are interleaved first (`[b, block, k, 6]`), so that the 6
      broadcasts per k read one contiguous stream instead of 6 rows a page
      apart.
    - `[in, out]` weights, fewer than 6 rows (decode): streaming split-K.
      Each task reads 64 consecutive weight rows, one at a time, front to
      back (contiguous memory) into an L1 accumulator buffer; a second
      forall adds the per-chunk partial rows to the initial values.
    - `[out, in]` weights, 6 rows or more: the same blocked kernel, the
      packing transposing each 64-row x 128-k piece of the weight into the
      panel.
    - `[out, in]` weights, fewer than 6 rows (decode): dot products along
      K, read in place and reduced across lanes once per output. One input
      row (a decode step) reads one weight row at a time, front to back,
      two cache lines per iteration (the stream every hardware prefetcher
      follows). Blocks of 8 input rows (4 with 8-lane vectors) share each
      weight vector, two weight rows per step; the rows after the last
      whole block run one at a time (with 16 lanes, all of 2 to 5 rows: a
      task's weight rows stay in L2 from one to the next).

    Weights may be f16 or bf16 (the body widens them with `arith.extf`):
    the kernels read them in their stored type, half the bytes of f32, and
    widen each vector as it is loaded (bf16 `[in, out]` weights need whole
    64-column blocks). With `bf16-dot` (targets with AVX512-BF16), the
    prefill kernel of bf16 weights instead packs the weights and the
    activations, rounded to bf16 (nearest even) once per tile, as pairs
    along K, and computes with `x86vector.avx512.dot` (vdpbf16ps: two k per
    f32 lane and instruction) into f32 accumulators; the bias, the
    accumulator and the result stay f32. The decode kernels of those
    weights round their activations to bf16 the same way (once per task),
    so that a prefill and a decode step compute the same products, and
    take vdpbf16ps on the weight rows as stored.

    A decode step's weights are read in place, aligned wherever the caller
    (a checkpoint's mapping) put them. Where one row's full-width loads
    would be whole cache lines (f32 and the bf16 pairs with 16 lanes) and
    the rows are whole lines, the kernel tests the weight's start at run
    time and reads it in half lines when it is not on a 64-byte boundary
    (f32 in 8-lane vectors, bf16 widened for FMAs): a load that straddles
    two lines costs more than the widening where the weights stream from
    memory. Rows that are not whole lines always take the half-line form. With `amx-bf16` as well (targets with AMX-TILE and
    AMX-BF16), that prefill kernel computes on AMX tiles instead: the
    input is rounded to bf16 rows (padded to 32 rows and a multiple of 32
    k), the weight panels are the same pairs, and 2 x 2 accumulator tiles
    of 16 x 16 f32 take `amx.tile_mulf` (tdpbf16ps, 16 x 16 x 32 products
    each) per 32 k. Linux grants a process the AMX state only on request:
    the kernel asks once per process (arch_prctl through an inline
    `syscall`, recorded in the module global `@__attnc_amx_state`) and
    runs the AVX512-BF16 kernel where the request is refused. With AVX2
    (`vector-width=8`) the register blocks are
    6 x 2 vectors and 4 x 2 columns. `N` and `K` may be anything
    (partial last column block; with `[out, in]` weights the last vector
    along `K` is a masked read, except for bf16 weights). Other generics
    are left alone; with `report-fallbacks`, a linear layer the kernels do
    not cover (it stays a loop nest) is reported by a remark that names the
    reason.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes per vector: 16 (AVX-512) or 8 (AVX2)">,
    Option<"bf16Dot", "bf16-dot", "bool", /*default=*/"false",
           "Linear layers with bf16 weights multiply activations rounded "
           "to bf16, with AVX512-BF16 dot products in prefill (vdpbf16ps; "
           "the target must have AVX512-BF16)">,
    Option<"amxBF16", "amx-bf16", "bool", /*default=*/"false",
           "With bf16-dot: the prefill kernel of bf16 weights computes on "
           "AMX tiles (tdpbf16ps) where the process is granted the AMX "
           "state at run time (the target must have AMX-TILE and "
           "AMX-BF16)">,
    Option<"reportFallbacks", "report-fallbacks", "bool", /*default=*/"false",
           "Emit a remark, at the generic's location, for each linear layer "
           "the kernels do not cover, naming the reason">
  ];
  let dependentDialects = [
    "::mlir::amx::AMXDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::x86vector::X86VectorDialect"
  ];
}

def ExpandStridedCopies : Pass<"attnc-expand-strided-copies"> {
  let summary = "Turn copies between strided memrefs into linalg.copy";
  let description = [{
    Lowering `memref.copy` to LLVM calls `memrefCopy` from MLIR's runner
    utilities whenever a side is not contiguous (for example a cache row
    window written by `attn.kv_append`). attnc's compiled code must not need
    that library, so such copies become `linalg.copy`, which lowers to loops;
    contiguous copies stay `memref.copy` and become `memcpy`.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def HoistParallelAllocas : Pass<"attnc-hoist-parallel-allocas"> {
  let summary = "Give each OpenMP thread its scratch buffers once";
  let description = [{
    `convert-scf-to-openmp` wraps each iteration of a parallel loop in a
    `memref.alloca_scope`, so that the fused kernels' L1 scratch tiles are
    stack-allocated per iteration, and the scopes stop `convert-scf-to-cf`
    from lowering the loops inside them. This pass moves every static
    `memref.alloca` inside an `omp.parallel` region to the start of that
    region, which each thread runs once (a thread executes its iterations one
    after another, so one buffer per thread suffices), and inlines the scopes
    left without allocas.

    Static allocas in loops outside any `omp.parallel` (the sequential
    `threads=0` pipeline, where `scf.forall` becomes `scf.for`) move to the
    entry block of their function: LLVM leaves an alloca outside the entry
    block where it is, so each iteration would grow the stack until it
    overflows (past about 1600 tiles). A buffer yielded to the next
    iteration stays where it is.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def ParallelizeElementwise : Pass<"attnc-parallelize-elementwise"> {
  let summary = "Split large row-wise linalg ops into parallel row tasks";
  let description = [{
    A model's element-wise and row-wise ops between the kernels (RMSNorm,
    residual adds, the gated MLP's act(gate) * up) are `linalg.generic`s
    on `[B, S, E]` tensors that would otherwise run on one thread: a
    prefill of 512 tokens leaves the other core waiting through each of
    them. Every tensor `linalg.generic` outside a parallel loop whose loops
    are parallel but for the last (a row-wise reduction, as RMSNorm's sum
    of squares, may be) becomes

    ```mlir
    %r = scf.if %large -> (...) {
      %t = scf.forall (%b, %block) in (B, ceil(S / rows-per-task)) ... {
        linalg.generic on rows [block * rows-per-task, ...) of batch %b
      }                            // [B, S, E]: tasks of 1 x rows-per-task
      scf.yield %t
    } else {
      %o = linalg.generic ...        // the op as it was
      scf.yield %o
    }
    ```

    where `%large` holds when the op's iteration space has at least
    `min-elements` points, so that a decode step (one row) keeps its ops
    inline and pays no fork.
  }];
  let options = [
    Option<"rowsPerTask", "rows-per-task", "int64_t", /*default=*/"32",
           "Rows (of the next-to-last loop) per parallel task">,
    Option<"minElements", "min-elements", "int64_t", /*default=*/"65536",
           "Iteration points from which an op runs as parallel tasks">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def SerializeSingleTaskRegions
    : Pass<"attnc-serialize-single-task-regions"> {
  let summary = "Run parallel loops of one iteration on the calling thread";
  let description = [{
    Gives every `omp.parallel` that `convert-scf-to-openmp` made of a
    parallel loop (one `omp.wsloop` whose bounds are defined outside the
    region) the clause `if(iterations > 1)`, iterations being the product of
    the loop's trip counts. A loop whose tasks grow with the work (the
    kernels' head split and merge, the decode merge: one task for every head
    of a one-token step) then runs a single task on the calling thread,
    serialized by libomp, instead of waking the other threads to find them
    no work: on a two-core VM a fork and join of four microseconds around a
    microsecond of work. Loops of several iterations fork as before.

    ```mlir
    omp.parallel if(%several) {
      omp.wsloop {
        omp.loop_nest (%i) : index = (%lb) to (%ub) step (%step) { ... }
      }
      omp.terminator
    }
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def ExpandBF16Truncation : Pass<"attnc-expand-bf16-truncation"> {
  let summary = "Round f32 to bf16 with integer arithmetic that every x86 "
                "target compiles without library calls";
  let description = [{
    Rewrites `arith.truncf` from f32 to bf16 (scalar or vector, no rounding
    mode attribute) into round-to-nearest-even on the bits: `b = bits(x)`
    (for a NaN, with the quiet bit set and the lower half cleared), then the
    upper half of `b + 0x7fff + ((b >> 16) & 1)`. `arith-expand`'s own
    expansion ends in a select between two bf16 values, which LLVM's
    instcombine keeps as a bf16 select and the x86 back end, on a target without AVX512-BF16,
    widens to f32 and narrows back through compiler-rt's `__truncsfbf2`:
    neither attnc's libraries nor its JIT provide it, and such a library
    did not load. Here the only select is on the i32 bits. Finite values
    and infinities round as before; a NaN stays a NaN (its payload is not
    canonicalised).
  }];
}

#endif // ATTNC_TRANSFORMS_PASSES_TD
