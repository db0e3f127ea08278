# -*- Python -*-
# lit configuration of the attnc regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "ATTNC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
# Fuzz/ holds fuzz targets and corpora (.mlir inputs without RUN lines),
# which ctest replays (fuzz-replay/*).
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "Fuzz"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.attnc_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))
config.substitutions.append(("%attnc_src_root", config.attnc_src_root))
config.substitutions.append(("%attnc_obj_root", config.attnc_obj_root))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
# The tokenizer tests install reference encoders with npm: they need the
# user's network settings (proxies, extra CA certificates). Without
# NODE_EXTRA_CA_CERTS behind a TLS-inspecting proxy, each npm install
# stalls for minutes before it gets through.
llvm_config.with_system_environment(
    ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
     "no_proxy", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR"]
    + [name for name in os.environ if name.lower().startswith("npm_config_")])
# Sanitizer builds (ATTNC_SANITIZE): tools/dev.sh sets these (docs/fuzzing.md).
llvm_config.with_system_environment(["ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"])
# `not`, `count` and `split-file` at the start of a RUN line come from PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.use_default_substitutions()

tool_dirs = [config.attnc_tools_dir, config.llvm_tools_dir]
tools = ["attnc-opt", "attnc", "attnc-run", "attnc-call", "attnc-bench", "llvm-nm",
         "split-file",
         ToolSubst("mlir-opt", unresolved="ignore"),
         ToolSubst("mlir-runner", unresolved="ignore")]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# The CUDA toolkit's ptxas, which the CUDA target compiles kernels with: the
# tests that serialize kernels need it (CUDA_HOME, else /usr/local/cuda).
cuda_home = os.environ.get("CUDA_HOME") or "/usr/local/cuda"
ptxas = os.path.join(cuda_home, "bin", "ptxas")
if os.access(ptxas, os.X_OK):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
    config.environment["CUDA_HOME"] = cuda_home
