#!/usr/bin/env bash
#===- tools/dev.sh - set up, build, demo and test attnc ---------------------===#
#
# Usage: tools/dev.sh demo    install what is missing, build, run the demo
#        tools/dev.sh check   install what is missing, build, run every test
#        tools/dev.sh build   install what is missing, build
#        tools/dev.sh setup   install what is missing
#
# Environment: ATTNC_BUILD_DIR (default: build), ATTNC_BUILD_TYPE (Release),
# ATTNC_JOBS (default: all cores).
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
)

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

build() {
  setup
  if [[ ! -f $BUILD_DIR/build.ninja ]]; then
    log "configuring $BUILD_DIR ($BUILD_TYPE)"
    cmake -G Ninja -S "$ROOT" -B "$BUILD_DIR" \
      -DCMAKE_BUILD_TYPE="$BUILD_TYPE" >/dev/null
  fi
  log "building"
  local start=$SECONDS
  cmake --build "$BUILD_DIR" -j "$JOBS"
  log "built in $((SECONDS - start)) s"
}

check() {
  build
  log "running the test suite"
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"
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
  *)
    sed -n '3,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
