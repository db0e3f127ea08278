//===- attnc-opt.cpp - attnc optimizer driver -------------------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// opt-style driver: parses MLIR, runs any attn or upstream pass or pipeline,
// prints the result. `attnc-opt --help` lists the passes.
//
//===----------------------------------------------------------------------===//

#include "attnc/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::attnc::registerAllDialects(registry);
  mlir::attnc::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "attnc modular optimizer driver\n", registry));
}
