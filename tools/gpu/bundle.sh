#!/usr/bin/env bash
#===- tools/gpu/bundle.sh - write a device check bundle --------------------===#
#
# Usage: tools/gpu/bundle.sh [--target=cuda|cpu] [--out=DIR] [--chips=A,B]
#                            [--cases=NAME|GROUP,...] [--bench=NAME,...]
#                            [--no-bench] [--no-build] [--keep-going]
#                            [--max-mib=40]
#
# Runs here (LLVM/MLIR needed, no GPU): builds attnc and the runner
# (tools/dev.sh build, in $ATTNC_BUILD_DIR, default build/), compiles every
# correctness and bench kernel of tools/gpu/gpu_cases.py for each chip
# (cuda: sm_90a and sm_80; cpu: this host), writes random inputs and
# float64 NumPy references, and copies the runner (attnc-call; attnc-run
# when a CPU bundle is made before attnc-call exists), check.py and
# device-check.sh: one folder, by default $ATTNC_BUILD_DIR/gpu-bundle (CUDA)
# or $ATTNC_BUILD_DIR/gpu-bundle-cpu (CPU). Bench inputs are drawn on the
# device, so they are not in it. Fails if the folder is over --max-mib.
#
# Exit status: 0 bundle written; 1 attnc cannot compile for the target (one
# line says so), the runner is missing, or a kernel failed to compile (the
# bundle is still written; --keep-going exits 0 then); 2 over the size limit.
#
# Then, on the device machine (the bundle travels as one folder):
#   <bundle>/device-check.sh [--out DIR]
# and here, for a CPU bundle:
#   tools/gpu/bundle.sh --target=cpu && build/gpu-bundle-cpu/device-check.sh
#===------------------------------------------------------------------------===#

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=${ATTNC_BUILD_DIR:-$ROOT/build}
[[ $BUILD_DIR == /* ]] || BUILD_DIR=$ROOT/$BUILD_DIR
PYTHON=${PYTHON:-/usr/bin/python3}   # Debian's, which has numpy

target=cuda out= chips= cases= bench= build=1 extra=()
for arg in "$@"; do
  case $arg in
    --target=*) target=${arg#*=} ;;
    --out=*) out=${arg#*=} ;;
    --chips=*) chips=${arg#*=} ;;
    --cases=*) cases=${arg#*=} ;;
    --bench=*) bench=${arg#*=} ;;
    --no-bench|--keep-going) extra+=("$arg") ;;
    --max-mib=*) extra+=(--max-mib "${arg#*=}") ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^#===-*===#$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bundle.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
case $target in
  cuda) out=${out:-$BUILD_DIR/gpu-bundle} ;;
  cpu) out=${out:-$BUILD_DIR/gpu-bundle-cpu} ;;
  *) echo "bundle.sh: --target must be cuda or cpu" >&2; exit 2 ;;
esac

if [[ $build -eq 1 ]]; then
  ATTNC_BUILD_DIR=$BUILD_DIR "$ROOT/tools/dev.sh" build
fi
attnc=$BUILD_DIR/bin/attnc
[[ -x $attnc ]] || { echo "bundle.sh: $attnc is not built" >&2; exit 1; }

# Can attnc compile for this target at all? One line if not.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
cat >"$probe/probe.mlir" <<'EOF'
func.func @f(%q: tensor<1x1x1x64xf16>, %k: tensor<1x1x1x64xf16>, %v: tensor<1x1x1x64xf16>) -> tensor<1x1x1x64xf16> {
  %o = tensor.empty() : tensor<1x1x1x64xf16>
  %r = attn.attention ins(%q, %k, %v : tensor<1x1x1x64xf16>, tensor<1x1x1x64xf16>, tensor<1x1x1x64xf16>) outs(%o : tensor<1x1x1x64xf16>) -> tensor<1x1x1x64xf16>
  return %r : tensor<1x1x1x64xf16>
}
EOF
probe_args=(--target="$target")
if [[ $target == cuda ]]; then
  first_chip=${chips%%,*}
  probe_args+=(--gpu-chip="${first_chip:-sm_90a}")
fi
if ! msg=$("$attnc" compile "$probe/probe.mlir" "${probe_args[@]}" \
             -o "$probe/probe.so" 2>&1); then
  if grep -qiE "unsupported --target|unknown command line argument" \
       <<<"$msg"; then
    echo "bundle.sh: 'attnc compile --target=$target' is not available yet" \
         "($(grep -m1 . <<<"$msg" | cut -c1-160))" >&2
    exit 1
  fi
  # The target exists but this kernel does not compile: go on, the
  # failures are recorded per case.
  echo "bundle.sh: warning: a small attention kernel does not compile for" \
       "$target: $(grep -m1 error <<<"$msg" | cut -c1-200)" >&2
fi

# The runner: attnc-call (LLVM-free); a CPU bundle may use attnc-run.
runner=$BUILD_DIR/bin/attnc-call
if [[ ! -x $runner ]]; then
  if [[ $target == cpu ]]; then
    runner=$BUILD_DIR/bin/attnc-run
    echo "bundle.sh: no attnc-call in $BUILD_DIR/bin yet; the CPU bundle" \
         "uses attnc-run"
  else
    echo "bundle.sh: $runner is not built (tools/attnc-call); a CUDA" \
         "bundle needs it" >&2
    exit 1
  fi
fi

args=(--target "$target" --out "$out" --attnc "$attnc" --runner "$runner")
[[ -n $chips ]] && args+=(--chips "$chips")
[[ -n $cases ]] && args+=(--cases "$cases")
[[ -n $bench ]] && args+=(--bench "$bench")
status=0
"$PYTHON" "$ROOT/tools/gpu/make_bundle.py" "${args[@]}" \
  ${extra[@]+"${extra[@]}"} || status=$?
if [[ $status -ne 2 ]]; then
  echo "bundle.sh: run it with: $out/device-check.sh [--out DIR]"
fi
exit "$status"
