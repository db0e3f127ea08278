#!/usr/bin/env bash
#===- tools/dev.sh - set up, build, demo and test attnc ---------------------===#
#
# Usage: tools/dev.sh demo    install what is missing, build, run the demo
#        tools/dev.sh check   install what is missing, build, run every test
#                             (and the runtime's again under ASan and UBSan)
#        tools/dev.sh build   install what is missing, build
#        tools/dev.sh setup   install what is missing
#        tools/dev.sh fuzz [seconds [target...]]  build the fuzz targets,
#                             run each one (or the ones named)
#
# Environment: ATTNC_BUILD_DIR (default: build), ATTNC_BUILD_TYPE (Release),
# ATTNC_JOBS (default: all cores), ATTNC_SANITIZE (e.g. address,undefined:
# build attnc with clang-22 and these sanitizers in build-address-undefined,
# with the libFuzzer targets, and test that build; see docs/fuzzing.md).
#
# `fuzz` builds the libFuzzer targets of test/Fuzz (only them) in the
# ATTNC_SANITIZE build (address,undefined unless set) and runs each for
# `seconds` (default 60), or only the targets named (e.g. `json attn-ir`), one
# after the other, starting from the checked-in corpus; new inputs go to
# $BUILD_DIR/fuzz/corpus/<target>, crashes to $BUILD_DIR/fuzz/crashes.
# An input that runs longer than ATTNC_FUZZ_TIMEOUT seconds of wall time
# (default 30) is reported as a hang; on a loaded machine, raise it (one
# attn-ir input compiles two pipelines: about 2 s of CPU time).
#
# Setup installs exactly the Debian 12 packages that are missing (with sudo
# when not root) and prints nothing when all of them are there.
#===------------------------------------------------------------------------===#

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${ATTNC_BUILD_DIR:-$ROOT/build}
BUILD_TYPE=${ATTNC_BUILD_TYPE:-Release}
JOBS=${ATTNC_JOBS:-$(nproc)}

# The toolchain attnc is pinned to (see ATTNC_MLIR_VERSION in CMakeLists.txt),
# the build tools, and what the tests run on.
PACKAGES=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  libomp-22-dev
  cmake ninja-build ccache libgtest-dev python3 python3-numpy
  libonig-dev libutf8proc-dev
  # attnc-run links LLVM's static Support library, whose CMake target names
  # zstd.
  libzstd-dev
)

# Only the sanitizer and fuzz builds need the sanitizer and libFuzzer
# runtimes of clang-22.
SANITIZE=${ATTNC_SANITIZE:-}
[[ ${1:-} == fuzz && -z $SANITIZE ]] && SANITIZE=address,undefined
if [[ -n $SANITIZE ]]; then
  PACKAGES+=(libclang-rt-22-dev)
  BUILD_DIR=${ATTNC_BUILD_DIR:-$ROOT/build-${SANITIZE//,/-}}
fi

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

missing_packages() {
  local pkg
  for pkg in "${PACKAGES[@]}"; do
    if [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) != \
          "install ok installed" ]]; then
      echo "$pkg"
    fi
  done
}

setup() {
  local missing
  missing=$(missing_packages)
  [[ -z $missing ]] && return 0
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || {
      echo "error: missing packages ($missing) and no sudo to install them" >&2
      exit 1
    }
    sudo=(sudo)
  fi
  log "installing: $(echo $missing)"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  # shellcheck disable=SC2086
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends $missing \
    >/dev/null
}

# build [target...]: configure if needed, then build everything or the
# targets named.
build() {
  setup
  if [[ ! -f $BUILD_DIR/build.ninja ]]; then
    log "configuring $BUILD_DIR ($BUILD_TYPE)"
    local extra=()
    if [[ -n $SANITIZE ]]; then
      # Instrumented attnc over Debian's uninstrumented LLVM/MLIR. The same
      # build has the libFuzzer targets, so `fuzz` and `check` share it.
      extra=(-DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22
             -DATTNC_SANITIZE="$SANITIZE" -DATTNC_FUZZ=ON)
    fi
    cmake -G Ninja -S "$ROOT" -B "$BUILD_DIR" \
      -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "${extra[@]}" >/dev/null
  fi
  log "building${*:+ $*}"
  local start=$SECONDS
  local targets=()
  [[ $# -ne 0 ]] && targets=(--target "$@")
  cmake --build "$BUILD_DIR" -j "$JOBS" "${targets[@]}"
  log "built in $((SECONDS - start)) s"
}

# Sanitizer options for the tests of an instrumented build (docs/fuzzing.md);
# the caller's own options come after these and win.
export_sanitizer_options() {
  export ASAN_OPTIONS="allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
}

# The runtime's unit tests and the replays of its fuzz corpora, under ASan
# and UBSan: a second, small build of those targets alone (no compiler
# libraries), with GCC, whose sanitizer runtimes come with g++ (no package to
# install). Skipped in sanitizer builds, which run everything instrumented.
check_runtime_sanitized() {
  local dir=${BUILD_DIR}-runtime-address-undefined
  local start=$SECONDS
  if [[ ! -f $dir/build.ninja ]]; then
    log "configuring $dir (runtime with ASan and UBSan)"
    cmake -G Ninja -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
      -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ \
      -DATTNC_SANITIZE=address,undefined >/dev/null
  fi
  cmake --build "$dir" -j "$JOBS" --target AttncRuntimeTests \
    attnc-fuzz-replay-runtime
  log "running the runtime tests under ASan and UBSan"
  (export_sanitizer_options
   ctest --test-dir "$dir" --output-on-failure -j "$JOBS" \
     -R '^(unit/|fuzz-replay/)' -E '^fuzz-replay/attn-ir$')
  log "runtime under ASan and UBSan: $((SECONDS - start)) s"
}

check() {
  build
  log "running the test suite"
  if [[ -n $SANITIZE ]]; then
    (export_sanitizer_options
     ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS")
  else
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"
    check_runtime_sanitized
  fi
}

# Every fuzz target: the corpus directories of test/Fuzz/corpus.
FUZZ_TARGETS=(npy tensor-literal json safetensors model-config tokenizer
              tokenizer-roundtrip library-functions attn-ir)

fuzz() {
  local seconds=${1:-60}
  shift || true
  local names=("$@") name
  [[ ${#names[@]} -eq 0 ]] && names=("${FUZZ_TARGETS[@]}")
  for name in "${names[@]}"; do
    [[ -d $ROOT/test/Fuzz/corpus/$name ]] || {
      echo "error: no fuzz target '$name' (one of: ${FUZZ_TARGETS[*]})" >&2
      exit 2
    }
  done
  build "${names[@]/#/attnc-fuzz-}"
  local out=$BUILD_DIR/fuzz
  mkdir -p "$out/crashes"
  local failed=() fuzzer
  for name in "${names[@]}"; do
    fuzzer=$BUILD_DIR/test/Fuzz/attnc-fuzz-$name
    mkdir -p "$out/corpus/$name"
    local dict=() extra=()
    case $name in
      attn-ir) dict=(-dict="$ROOT/test/Fuzz/dicts/attn-ir.dict") ;;
      json|safetensors|model-config|tokenizer)
        dict=(-dict="$ROOT/test/Fuzz/dicts/json.dict") ;;
    esac
    log "fuzzing $name for $seconds s"
    # New inputs go to the first corpus directory, never to the checked-in
    # one; -timeout makes a hang a failure.
    if ! "$fuzzer" -max_total_time="$seconds" \
        -timeout="${ATTNC_FUZZ_TIMEOUT:-30}" -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="$out/crashes/$name-" \
        "${dict[@]}" "$out/corpus/$name" "$ROOT/test/Fuzz/corpus/$name" \
        2>"$out/$name.log"; then
      failed+=("$name")
      tail -n 40 "$out/$name.log"
    fi
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
      "$out/$name.log" | sed 's/^/    /'
  done
  if [[ ${#failed[@]} -ne 0 ]]; then
    echo "error: fuzz targets failed: ${failed[*]} (inputs in $out/crashes)" >&2
    exit 1
  fi
}

demo() {
  build
  "$ROOT/examples/demo.sh" "$BUILD_DIR"
}

case "${1:-}" in
  setup) setup ;;
  build) build ;;
  check) check ;;
  demo) demo ;;
  fuzz) shift; fuzz "$@" ;;
  *)
    sed -n '3,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
