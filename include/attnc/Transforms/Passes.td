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
    them and fails.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def VerifyLowered : Pass<"attnc-verify-lowered", "::mlir::ModuleOp"> {
  let summary = "Fail loudly on any op that was not lowered to LLVM";
  let description = [{
    The contract check at the end of the CPU pipeline: every op in the module
    must belong to the `llvm` dialect (the module itself aside). Each op left
    over is reported with its location and name, and the pass fails, instead
    of letting a partial conversion surface later as an obscure translation
    or linker error.
  }];
}

#endif // ATTNC_TRANSFORMS_PASSES_TD
