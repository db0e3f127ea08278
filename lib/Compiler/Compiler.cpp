//===- Compiler.cpp - compile tensor-level modules for the CPU --*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//

#include "attnc/Compiler/Compiler.h"

#include "attnc/Dialect/Attn/Transforms/GPU/KernelUtils.h"
#include "attnc/InitAll.h"
#include "attnc/Transforms/Passes.h"
#include "attnc/Runtime/Workspace.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Memory.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <mutex>
#include <sys/mman.h>
#include <unistd.h>

using namespace mlir;
using llvm::createStringError;

void attnc::registerCompilerDialects(DialectRegistry &registry) {
  attnc::registerAllDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
  // The CUDA target: kernels serialize through NVVM, and gpu.binary becomes
  // an embedded blob that the host code loads.
  registerGPUDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
}

llvm::Expected<OwningOpRef<ModuleOp>>
attnc::loadModule(llvm::StringRef path, llvm::SourceMgr &sourceMgr,
                  MLIRContext &context) {
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &errorMessage);
  if (!file)
    return createStringError("cannot read '%s': %s", path.str().c_str(),
                             errorMessage.c_str());
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  // The parser verifies the module; errors carry their locations.
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return createStringError("'%s' is not a valid MLIR module",
                             path.str().c_str());
  return module;
}

SmallVector<attnc::ExportedFunction>
attnc::getExportedFunctions(ModuleOp module) {
  SmallVector<ExportedFunction> functions;
  for (auto fn : module.getOps<func::FuncOp>())
    if (fn.isPublic() && !fn.isExternal())
      functions.push_back({fn.getSymName().str(), fn.getFunctionType()});
  return functions;
}

llvm::Error attnc::lowerForCPU(ModuleOp module,
                               const CPUPipelineOptions &options) {
  PassManager pm(module->getContext());
  buildCPUPipeline(pm, options);
  if (failed(pm.run(module)))
    return createStringError("lowering for the CPU failed");
  return llvm::Error::success();
}

llvm::Error attnc::lowerForCUDA(ModuleOp module,
                                const GPUPipelineOptions &options) {
  if (failed(attn::gpu_kernels::GPUTarget::get(options.chip)))
    return createStringError(
        "unsupported GPU chip '%s' (supported: %s)", options.chip.c_str(),
        attn::gpu_kernels::GPUTarget::getSupportedChips().str().c_str());
  if (options.format != "bin" && options.format != "isa" &&
      options.format != "fatbin")
    return createStringError("unknown GPU binary format '%s' (expected bin, "
                             "isa or fatbin)",
                             options.format.c_str());
  if (options.binary) {
    // ptxas (and fatbinary) come from the CUDA toolkit; say which is
    // missing before the pipeline runs.
    std::string toolkit = getCUDAToolkitPath(options);
    SmallVector<StringRef> tools = {"ptxas"};
    if (options.format == "fatbin")
      tools.push_back("fatbinary");
    for (StringRef tool : tools) {
      llvm::SmallString<128> path(toolkit);
      llvm::sys::path::append(path, "bin", tool);
      if (!llvm::sys::fs::can_execute(path))
        return createStringError(
            "the CUDA toolkit's %s is missing (looked for '%s'): install the "
            "CUDA toolkit or point CUDA_HOME at it",
            tool.str().c_str(), path.c_str());
    }
  }
  PassManager pm(module->getContext());
  buildGPUPipeline(pm, options);
  if (failed(pm.run(module)))
    return createStringError("lowering for the GPU failed");
  return llvm::Error::success();
}

llvm::Error attnc::writeKernelObject(ModuleOp lowered, llvm::StringRef path) {
  std::string contents;
  for (auto binary : lowered.getOps<gpu::BinaryOp>())
    for (Attribute attr : binary.getObjects())
      contents += cast<gpu::ObjectAttr>(attr).getObject().getValue().str();
  if (contents.empty())
    return createStringError("the module has no kernels to write to '%s'",
                             path.str().c_str());
  return writeFileAtomically(path, [&](llvm::raw_pwrite_stream &os) {
    os << contents;
    return llvm::Error::success();
  });
}

//===----------------------------------------------------------------------===//
// Atomic outputs
//===----------------------------------------------------------------------===//

static llvm::Error cannotWrite(llvm::StringRef path, std::error_code ec) {
  return createStringError("cannot write '%s': %s", path.str().c_str(),
                           ec.message().c_str());
}

static llvm::Error cannotWrite(llvm::StringRef path, llvm::Error error) {
  std::error_code ec = llvm::errorToErrorCode(std::move(error));
  return cannotWrite(path, ec);
}

/// Creates an empty `path`.tmp-XXXXXX for writing and returns its file
/// descriptor, with its name in `name`. The name is registered for removal
/// on signals before the file exists: an interrupt that reached any of the
/// process's threads between the two (the others do not share a thread's
/// blocked signals) would otherwise leave the file behind.
static llvm::Expected<int> createTemporaryBeside(llvm::StringRef path,
                                                 llvm::SmallString<128> &name) {
  std::error_code ec;
  for (int attempt = 0; attempt < 128; ++attempt) {
    llvm::sys::fs::createUniquePath(path + ".tmp-%%%%%%", name,
                                    /*MakeAbsolute=*/false);
    llvm::sys::RemoveFileOnSignal(name);
    int fd;
    ec = llvm::sys::fs::openFileForWrite(name, fd, llvm::sys::fs::CD_CreateNew);
    if (!ec)
      return fd;
    llvm::sys::DontRemoveFileOnSignal(name);
    if (ec != std::errc::file_exists)
      break;
  }
  return llvm::errorCodeToError(ec);
}

/// Removes the temporary file `name` of createTemporaryBeside.
static void discardTemporary(llvm::StringRef name) {
  llvm::sys::fs::remove(name);
  llvm::sys::DontRemoveFileOnSignal(name);
}

llvm::Error attnc::writeFileAtomically(
    llvm::StringRef path,
    llvm::function_ref<llvm::Error(llvm::raw_pwrite_stream &)> write) {
  llvm::SmallString<128> temp;
  llvm::Expected<int> fd = createTemporaryBeside(path, temp);
  if (!fd)
    return cannotWrite(path, fd.takeError());
  std::error_code ec;
  {
    llvm::raw_fd_ostream os(*fd, /*shouldClose=*/true);
    llvm::Error error = write(os);
    os.close();
    ec = os.error();
    // The stream would report its error fatally when destroyed.
    os.clear_error();
    if (error) {
      discardTemporary(temp);
      return error;
    }
  }
  if (ec) {
    discardTemporary(temp);
    return cannotWrite(path, ec);
  }
  if (std::error_code ec = llvm::sys::fs::rename(temp, path)) {
    discardTemporary(temp);
    return cannotWrite(path, ec);
  }
  llvm::sys::DontRemoveFileOnSignal(temp);
  return llvm::Error::success();
}

/// Swaps the directory entries `from` and `to` in one step (Linux
/// renameat2 RENAME_EXCHANGE); where the file system cannot, moves `to`
/// aside first (a window in which `to` is missing, never half-written).
static std::error_code exchangeDirectories(const std::string &from,
                                           const std::string &to) {
#ifdef RENAME_EXCHANGE
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(),
                  RENAME_EXCHANGE) == 0)
    return {};
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    return std::error_code(errno, std::generic_category());
#endif
  llvm::SmallString<128> aside;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory(to + ".old", aside))
    return ec;
  llvm::sys::fs::remove(aside);
  if (std::error_code ec = llvm::sys::fs::rename(to, aside))
    return ec;
  if (std::error_code ec = llvm::sys::fs::rename(from, to)) {
    llvm::sys::fs::rename(aside, to);
    return ec;
  }
  // `from` now names the previous directory, for the caller to remove.
  return llvm::sys::fs::rename(aside, from);
}

llvm::Error attnc::checkReplaceableDirectory(llvm::StringRef path,
                                             llvm::StringRef marker) {
  llvm::sys::fs::file_status status;
  if (llvm::sys::fs::status(path, status) || !llvm::sys::fs::exists(status))
    return llvm::Error::success();
  // Never replace something that is not an earlier output.
  if (!llvm::sys::fs::is_directory(status))
    return createStringError("cannot write '%s': it exists and is not a "
                             "directory",
                             path.str().c_str());
  std::error_code ec;
  llvm::sys::fs::directory_iterator entries(path, ec);
  bool empty = !ec && entries == llvm::sys::fs::directory_iterator();
  llvm::SmallString<128> markerPath(path);
  llvm::sys::path::append(markerPath, marker);
  if (!empty && !llvm::sys::fs::exists(markerPath))
    return createStringError("cannot write '%s': the directory exists and "
                             "holds no %s, so it is not an earlier output "
                             "(refusing to replace it)",
                             path.str().c_str(), marker.str().c_str());
  return llvm::Error::success();
}

llvm::Error attnc::writeDirectoryAtomically(
    llvm::StringRef path, llvm::StringRef marker,
    llvm::function_ref<llvm::Error(llvm::StringRef directory)> fill) {
  std::string target = path.str();
  if (llvm::Error error = checkReplaceableDirectory(path, marker))
    return error;
  bool exists = llvm::sys::fs::exists(target);
  llvm::SmallString<128> temp;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory(target + ".tmp", temp))
    return cannotWrite(path, ec);
  auto removeTemp = [&] { llvm::sys::fs::remove_directories(temp); };
  if (llvm::Error error = fill(temp)) {
    removeTemp();
    // Messages name the output, not the temporary directory.
    std::string message = llvm::toString(std::move(error));
    size_t at;
    while ((at = message.find(temp.str())) != std::string::npos)
      message.replace(at, temp.size(), target);
    return createStringError(message);
  }
  // createUniqueDirectory made it 0700; give it the usual permissions.
  llvm::sys::fs::setPermissions(
      temp, static_cast<llvm::sys::fs::perms>(
                (llvm::sys::fs::all_all & ~llvm::sys::fs::all_write) |
                llvm::sys::fs::owner_write));
  std::error_code ec = exists ? exchangeDirectories(temp.str().str(), target)
                              : llvm::sys::fs::rename(temp, target);
  if (ec) {
    removeTemp();
    return cannotWrite(path, ec);
  }
  // After an exchange, `temp` holds the previous output.
  if (exists)
    removeTemp();
  return llvm::Error::success();
}

/// Initialises the native target once.
static void initializeNativeTarget() {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    // Inline assembly (the AMX permission's `syscall`, AMX.h) is parsed
    // when the object is emitted.
    llvm::InitializeNativeTargetAsmParser();
    return true;
  }();
  (void)initialized;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
attnc::createTargetMachine(const TargetOptions &options) {
  initializeNativeTarget();
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return createStringError("no LLVM target for '%s': %s",
                             triple.str().c_str(), error.c_str());

  // Validate the CPU and features against the target's tables first: LLVM
  // itself only prints warnings and carries on.
  std::unique_ptr<llvm::MCSubtargetInfo> generic(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!options.cpu.empty() && !generic->isCPUStringValid(options.cpu))
    return createStringError("unknown target CPU '%s' for %s",
                             options.cpu.c_str(), triple.str().c_str());
  llvm::SubtargetFeatures requested(options.features);
  for (const std::string &feature : requested.getFeatures()) {
    llvm::StringRef name = llvm::StringRef(feature).drop_front();
    bool known = llvm::any_of(generic->getAllProcessorFeatures(),
                              [&](const llvm::SubtargetFeatureKV &kv) {
                                return name == kv.Key;
                              });
    if (!known || (feature[0] != '+' && feature[0] != '-'))
      return createStringError("unknown target feature '%s' (expected "
                               "+name or -name, e.g. +avx2,-avx512f)",
                               feature.c_str());
  }

  std::string cpu = options.cpu;
  llvm::SubtargetFeatures features;
  if (cpu.empty()) {
    // The host CPU and exactly the features it reports (AVX-512 where the
    // machine has it).
    cpu = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.AddFeature(feature.first(), feature.second);
  }
  if (!options.features.empty())
    features.addFeaturesVector(requested.getFeatures());

  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features.getString(), llvm::TargetOptions(),
      llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return createStringError("cannot create a target machine for '%s'",
                             cpu.c_str());
  return machine;
}

int64_t attnc::getVectorWidth(const llvm::TargetMachine &machine) {
  return machine.getMCSubtargetInfo()->checkFeatures("+avx512f") ? 16 : 8;
}

bool attnc::hasAvx512Bf16(const llvm::TargetMachine &machine) {
  return machine.getMCSubtargetInfo()->checkFeatures("+avx512bf16,+avx512vl");
}

bool attnc::hasAMXBF16(const llvm::TargetMachine &machine) {
  return machine.getMCSubtargetInfo()->checkFeatures("+amx-tile,+amx-bf16");
}

/// Translates to LLVM IR for `machine` and runs the O3 pipeline.
static llvm::Expected<std::unique_ptr<llvm::Module>>
translateAndOptimize(ModuleOp lowered, llvm::LLVMContext &llvmContext,
                     llvm::TargetMachine &machine) {
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(lowered, llvmContext);
  if (!llvmModule)
    return createStringError("translation to LLVM IR failed");
  llvmModule->setDataLayout(machine.createDataLayout());
  llvmModule->setTargetTriple(machine.getTargetTriple());
  if (llvm::Error error = makeOptimizingTransformer(
          /*optLevel=*/3, /*sizeLevel=*/0, &machine)(llvmModule.get()))
    return std::move(error);
  return llvmModule;
}

static llvm::Error writeObject(llvm::Module &llvmModule,
                               llvm::TargetMachine &machine,
                               llvm::StringRef path) {
  auto emit = [&](llvm::raw_pwrite_stream &os) -> llvm::Error {
    llvm::legacy::PassManager codegen;
    if (machine.addPassesToEmitFile(codegen, os, nullptr,
                                    llvm::CodeGenFileType::ObjectFile))
      return createStringError("the target cannot emit object files");
    codegen.run(llvmModule);
    return llvm::Error::success();
  };
  return attnc::writeFileAtomically(path, emit);
}

/// Links `object` into the shared library `path` with the system compiler
/// driver (clang-22, clang, cc or gcc, the first found).
static llvm::Error linkSharedLibrary(llvm::StringRef object,
                                     llvm::StringRef path, bool cuda,
                                     attnc::OpenMPLinkage openmp) {
  std::string driver;
  for (llvm::StringRef name : {"clang-22", "clang", "cc", "gcc"}) {
    if (llvm::ErrorOr<std::string> found = llvm::sys::findProgramByName(name)) {
      driver = *found;
      break;
    }
  }
  if (driver.empty())
    return createStringError("no C compiler driver (clang-22, clang, cc or "
                             "gcc) on PATH to link '%s'",
                             path.str().c_str());
  // libomp comes with LLVM; the library looks for it beside itself first
  // (where --openmp=bundle puts a copy), then in LLVM's directory.
  std::string libDir = ATTNC_LIBOMP_DIR;
  std::string rpath = "-Wl,-rpath,$ORIGIN:" + libDir;
  std::string searchDir = "-L" + libDir;
  // The kernel runtime (the pool of temporaries) is linked in; only its
  // attnc_workspace_* functions are visible.
  std::string kernelRuntime = ATTNC_KERNEL_RUNTIME_LIB;
  if (!cuda && !llvm::sys::fs::exists(kernelRuntime))
    return createStringError("the attnc kernel runtime library '%s' is "
                             "missing: rebuild attnc",
                             kernelRuntime.c_str());
  llvm::SmallVector<llvm::StringRef> args = {
      driver, "-shared",   "-o",  path, object, kernelRuntime,
      searchDir, "-lomp", rpath, "-lm"};
  if (openmp == attnc::OpenMPLinkage::Off)
    args = {driver, "-shared", "-o", path, object, kernelRuntime, "-lm"};
  // CUDA libraries carry the attnc CUDA runtime (the mgpu* functions their
  // host code calls; it dlopens libcuda.so.1 itself), and need no libomp.
  std::string cudaRuntime = ATTNC_CUDA_RUNTIME_LIB;
  if (cuda) {
    if (cudaRuntime.empty() || !llvm::sys::fs::exists(cudaRuntime))
      return createStringError("the attnc CUDA runtime library '%s' is "
                               "missing: rebuild attnc",
                               cudaRuntime.c_str());
    args = {driver,      "-shared",   "-o",      path,  object,
            cudaRuntime, "-lstdc++", "-ldl", "-lpthread", "-lm"};
  }
  // The linker's messages are captured and summarised in one line.
  llvm::SmallString<128> log;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("attnc-link", "log", log))
    return createStringError("cannot create a temporary file: %s",
                             ec.message().c_str());
  llvm::FileRemover removeLog(log);
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, log.str(),
                                                log.str()};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(driver, args, std::nullopt,
                                         redirects, 0, 0, &error);
  if (status == 0)
    return llvm::Error::success();
  std::string firstLine = error;
  if (auto contents = llvm::MemoryBuffer::getFile(log))
    firstLine = (*contents)->getBuffer().split('\n').first.trim().str();
  return createStringError("linking '%s' with %s failed: %s",
                           path.str().c_str(), driver.c_str(),
                           firstLine.c_str());
}

/// Copies the libomp that libraries link to `directory`, under its soname
/// (libomp.so.5), where their RUNPATH ($ORIGIN) finds it first.
static llvm::Error bundleOpenMP(llvm::StringRef directory) {
  llvm::SmallString<128> source;
  if (std::error_code ec =
          llvm::sys::fs::real_path(ATTNC_LIBOMP_DIR "/libomp.so", source))
    return createStringError("cannot find libomp in '%s': %s",
                             ATTNC_LIBOMP_DIR, ec.message().c_str());
  auto contents = llvm::MemoryBuffer::getFile(source, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
  if (!contents)
    return createStringError("cannot read '%s': %s", source.c_str(),
                             contents.getError().message().c_str());
  llvm::SmallString<128> target(directory);
  llvm::sys::path::append(target, llvm::sys::path::filename(source));
  if (llvm::Error error =
          attnc::writeFileAtomically(target, [&](llvm::raw_pwrite_stream &os) {
            os << (*contents)->getBuffer();
            return llvm::Error::success();
          }))
    return error;
  if (std::error_code ec = llvm::sys::fs::setPermissions(
          target, llvm::sys::fs::all_read | llvm::sys::fs::owner_write |
                      llvm::sys::fs::all_exe))
    return cannotWrite(target, ec);
  return llvm::Error::success();
}

llvm::Error attnc::emitArtifact(ModuleOp lowered, llvm::TargetMachine &machine,
                                llvm::StringRef path, OpenMPLinkage openmp) {
  // A module with kernels launches them through the CUDA runtime.
  bool cuda = lowered->hasAttr("gpu.container_module");
  llvm::LLVMContext llvmContext;
  auto llvmModule = translateAndOptimize(lowered, llvmContext, machine);
  if (!llvmModule)
    return llvmModule.takeError();

  llvm::StringRef extension = llvm::sys::path::extension(path);
  if (extension == ".ll")
    return writeFileAtomically(path, [&](llvm::raw_pwrite_stream &os) {
      (*llvmModule)->print(os, nullptr);
      return llvm::Error::success();
    });
  if (extension == ".o")
    return writeObject(**llvmModule, machine, path);
  if (extension != ".so")
    return createStringError("unknown output kind '%s': expected .so, .o, "
                             ".ll or .mlir",
                             path.str().c_str());

  llvm::SmallString<128> object;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("attnc", "o", object))
    return createStringError("cannot create a temporary file: %s",
                             ec.message().c_str());
  llvm::FileRemover removeObject(object);
  if (llvm::Error error = writeObject(**llvmModule, machine, object))
    return error;
  // The linker writes a temporary file beside `path`, renamed over it once
  // linked: a failed or interrupted link leaves the previous library intact
  // (and a process that has it loaded keeps its own copy, where rewriting
  // the file in place would change the code under it).
  llvm::SmallString<128> linked;
  llvm::Expected<int> fd = createTemporaryBeside(path, linked);
  if (!fd)
    return cannotWrite(path, fd.takeError());
  ::close(*fd);
  auto discard = [&] { discardTemporary(linked); };
  if (llvm::Error error = linkSharedLibrary(object, linked, cuda, openmp)) {
    discard();
    // The messages name the file the user asked for.
    std::string message = llvm::toString(std::move(error));
    size_t at;
    while ((at = message.find(linked.str())) != std::string::npos)
      message.replace(at, linked.size(), path.str());
    return createStringError(message);
  }
  if (std::error_code ec = llvm::sys::fs::rename(linked, path)) {
    discard();
    return cannotWrite(path, ec);
  }
  llvm::sys::DontRemoveFileOnSignal(linked);
  if (!cuda && openmp == OpenMPLinkage::Bundle)
    return bundleOpenMP(llvm::sys::path::parent_path(path).empty()
                            ? llvm::StringRef(".")
                            : llvm::sys::path::parent_path(path));
  return llvm::Error::success();
}

namespace {

/// Memory for the JIT's sections, all from one reserved range of addresses.
/// MLIR's ExecutionEngine links with RuntimeDyld and the small code model:
/// code reaches its GOT and data with 32-bit displacements, but the default
/// mapper lets the kernel place each section anywhere, and RuntimeDyld
/// silently truncates a displacement that does not fit (its range check is
/// an assertion). In a process whose address space is fragmented (under
/// AddressSanitizer, whose 4 TiB heap reservation lies between the JIT's
/// mappings) a one-page GOT landed 4 TiB above the code, and the first call
/// through it jumped to an unmapped address (attnc-run --reference on
/// shape-check.mlir, in the sanitizer build).
///
/// Sections are carved, page-aligned and never reused, from a reservation of
/// kReservedBytes (address space only, until used); released sections go
/// back to the system. Past the reservation, sections come from the system
/// as before.
class NearbySectionMapper final
    : public llvm::SectionMemoryManager::MemoryMapper {
public:
  static constexpr size_t kReservedBytes = size_t(1) << 30;

  llvm::sys::MemoryBlock
  allocateMappedMemory(llvm::SectionMemoryManager::AllocationPurpose,
                       size_t numBytes,
                       const llvm::sys::MemoryBlock *const nearBlock,
                       unsigned flags, std::error_code &ec) override {
    size_t page = llvm::sys::Process::getPageSizeEstimate();
    size_t size = llvm::alignTo(numBytes, page);
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (!reserved && !reserveFailed) {
        void *range = mmap(nullptr, kReservedBytes, PROT_NONE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (range == MAP_FAILED)
          reserveFailed = true;
        else
          reserved = static_cast<char *>(range);
      }
      if (reserved && size <= kReservedBytes - used) {
        char *block = reserved + used;
        if (mprotect(block, size, toProtection(flags)) == 0) {
          used += size;
          ec = std::error_code();
          return llvm::sys::MemoryBlock(block, size);
        }
      }
    }
    return llvm::sys::Memory::allocateMappedMemory(numBytes, nearBlock, flags,
                                                   ec);
  }

  std::error_code protectMappedMemory(const llvm::sys::MemoryBlock &block,
                                      unsigned flags) override {
    return llvm::sys::Memory::protectMappedMemory(block, flags);
  }

  std::error_code releaseMappedMemory(llvm::sys::MemoryBlock &block) override {
    auto *base = static_cast<char *>(block.base());
    bool ours;
    {
      std::lock_guard<std::mutex> lock(mutex);
      ours = reserved && base >= reserved && base < reserved + kReservedBytes;
    }
    if (!ours)
      return llvm::sys::Memory::releaseMappedMemory(block);
    // Back to an inaccessible reservation, its pages returned.
    if (mmap(base, block.allocatedSize(), PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
             0) == MAP_FAILED)
      return std::error_code(errno, std::generic_category());
    block = llvm::sys::MemoryBlock();
    return std::error_code();
  }

private:
  static int toProtection(unsigned flags) {
    int protection = PROT_NONE;
    if (flags & llvm::sys::Memory::MF_READ)
      protection |= PROT_READ;
    if (flags & llvm::sys::Memory::MF_WRITE)
      protection |= PROT_WRITE;
    if (flags & llvm::sys::Memory::MF_EXEC)
      protection |= PROT_EXEC;
    return protection;
  }

  std::mutex mutex;
  char *reserved = nullptr;
  bool reserveFailed = false;
  size_t used = 0;
};

/// One mapper for the process: engines may outlive any scope, and the
/// mapper must outlive their memory.
NearbySectionMapper &getSectionMapper() {
  static auto *mapper = new NearbySectionMapper();
  return *mapper;
}

} // namespace

llvm::Expected<std::unique_ptr<ExecutionEngine>>
attnc::createJIT(ModuleOp lowered) {
  initializeNativeTarget();
  auto machine = createTargetMachine({});
  if (!machine)
    return machine.takeError();
  auto transformer = makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                               machine->get());
  ExecutionEngineOptions options;
  options.transformer = transformer;
  // Parallel kernels call libomp.
  llvm::StringRef libraries[] = {ATTNC_LIBOMP_DIR "/libomp.so"};
  options.sharedLibPaths = libraries;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  options.sectionMemoryMapper = &getSectionMapper();
  auto engine = ExecutionEngine::create(lowered, options, std::move(*machine));
  if (!engine)
    return engine.takeError();
  // The kernel runtime that libraries link statically is part of this
  // process.
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](llvm::StringRef name, auto *function) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                                 llvm::JITSymbolFlags::Exported};
    };
    add(kWorkspaceAllocFunction, &attnc_workspace_alloc);
    add(kWorkspaceFreeFunction, &attnc_workspace_free);
    return symbols;
  });
  return engine;
}
