#!/usr/bin/env bash
# attnc next to llama.cpp on the same random-weight Llama (issue 14, item 8).
#
#   tools/bench/compare_llamacpp.sh [options] <llama.cpp checkout>
#
# 1. Builds llama-bench from the checkout (CPU backend only, Release,
#    -march=native, no GPU backends, no OpenSSL/CURL) into
#    <checkout>/build-attnc-bench under nice, or reuses the one there.
# 2. Writes the same random weights (tools/models/shaped_models.py's
#    llama-134m: 12 layers, hidden 768, 12 heads, ff 2048, vocab 32000) as a
#    Hugging Face directory for attnc and, with the checkout's gguf-py, as
#    GGUF for llama.cpp (tools/bench/llama_gguf.py), once per weight dtype.
# 3. Compiles each directory with `attnc compile --kv-type <kv>` (default
#    f16, llama.cpp's default cache type) and runs both sides alternately:
#    per round, per dtype, per test, llama-bench (-fa 0,1) then attnc-run
#    bench, each with -r repetitions; a round's figure is the median of its
#    repetitions, the table's the median over rounds; llama.cpp gets the
#    better of flash-attention off and on.
# 4. Prints the table (test, llama.cpp t/s, attnc t/s, attnc / llama.cpp)
#    and writes it as markdown to --markdown FILE (default
#    <work-dir>/compare.md).
# With --check-logits, before timing anything: llama.cpp's logits of a
# 32-token prompt on each GGUF (tools/bench/llamacpp_logits.cpp, built
# against the checkout) against `attnc-run logits` on its HF directory,
# both with f32 caches and llama.cpp's flash attention off; the run stops
# if they differ by more than compare_table.py's tolerance.
#
# Nothing here runs under nice except the builds and the model writing:
# the benchmarks take the priority the script is started with.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PROG=compare_llamacpp.sh

usage() {
  cat <<EOF
usage: $PROG [options] <llama.cpp checkout>

options:
  --threads N        threads for both sides (default 2)
  --reps N           timed repetitions of each test per round (default 5)
  --rounds N         alternations of llama.cpp and attnc (default 3)
  --tests LIST       comma-separated ppN, tgN, tgN@dD (default
                     pp512,tg128,tg32@d4096)
  --dtypes LIST      weight dtypes from f32, f16, bf16 (default f32,f16,bf16)
  --kv-type T        attnc's KV cache: f16 (default, llama.cpp's), bf16, f32
                     or auto (the checkpoint's type); llama.cpp keeps f16
  --fa LIST          llama-bench's flash-attention settings (default 0,1)
  --work-dir DIR     models, artifacts, raw outputs (default
                     /tmp/attnc-vs-llamacpp)
  --markdown FILE    the table as markdown (default <work-dir>/compare.md)
  --attnc-build DIR  attnc's build directory with bin/attnc and
                     bin/attnc-run (default $ROOT/build)
  --llama-build DIR  llama.cpp build directory (default
                     <checkout>/build-attnc-bench)
  --llama-commit S   the checkout's commit for the table's header (default:
                     git rev-parse HEAD in the checkout, if it is a git tree)
  --python PATH      Python 3 with numpy (default /usr/bin/python3)
  --seed N           seed of the random weights (default 0)
  --check-logits     first check that both sides compute the same logits
  --quick            a smoke run: --reps 2 --rounds 1 --tests pp64,tg16,tg8@d512
                     --dtypes f32 (later options still override)
  -h, --help         this text
EOF
}

die() {
  echo "$PROG: error: $*" >&2
  exit 1
}

positive() { # name value
  [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 '$2': expected a positive integer"
}

THREADS=2 REPS=5 ROUNDS=3 TESTS=pp512,tg128,tg32@d4096 DTYPES=f32,f16,bf16
KV_TYPE=f16 FA=0,1 WORK=/tmp/attnc-vs-llamacpp MARKDOWN= SEED=0
ATTNC_BUILD=$ROOT/build LLAMA_BUILD= LLAMA_COMMIT= PYTHON=/usr/bin/python3
CHECKOUT= CHECK_LOGITS=0

while (($#)); do
  case $1 in
  -h | --help) usage; exit 0 ;;
  --check-logits) CHECK_LOGITS=1; shift; continue ;;
  --quick) REPS=2 ROUNDS=1 TESTS=pp64,tg16,tg8@d512 DTYPES=f32; shift; continue ;;
  --threads | --reps | --rounds | --tests | --dtypes | --kv-type | --fa | \
  --work-dir | --markdown | --attnc-build | --llama-build | --llama-commit | \
  --python | --seed)
    (($# >= 2)) || die "$1 needs a value"
    case $1 in
    --threads) THREADS=$2 ;; --reps) REPS=$2 ;; --rounds) ROUNDS=$2 ;;
    --tests) TESTS=$2 ;; --dtypes) DTYPES=$2 ;; --kv-type) KV_TYPE=$2 ;;
    --fa) FA=$2 ;; --work-dir) WORK=$2 ;; --markdown) MARKDOWN=$2 ;;
    --attnc-build) ATTNC_BUILD=$2 ;; --llama-build) LLAMA_BUILD=$2 ;;
    --llama-commit) LLAMA_COMMIT=$2 ;; --python) PYTHON=$2 ;; --seed) SEED=$2 ;;
    esac
    shift 2 ;;
  -*) die "unknown option '$1' (see --help)" ;;
  *)
    [[ -z $CHECKOUT ]] || die "more than one checkout: '$CHECKOUT' and '$1'"
    CHECKOUT=$1; shift ;;
  esac
done

[[ -n $CHECKOUT ]] || { usage >&2; die "no llama.cpp checkout given"; }
[[ -d $CHECKOUT ]] || die "$CHECKOUT: no such directory"
CHECKOUT=$(cd "$CHECKOUT" && pwd)
for f in CMakeLists.txt tools/llama-bench/llama-bench.cpp gguf-py/gguf/gguf_writer.py; do
  [[ -f $CHECKOUT/$f ]] ||
    die "$CHECKOUT: not a llama.cpp checkout ($f is missing)"
done
positive --threads "$THREADS"
positive --reps "$REPS"
positive --rounds "$ROUNDS"
[[ $SEED =~ ^[0-9]+$ ]] || die "--seed '$SEED': expected a non-negative integer"
[[ $KV_TYPE =~ ^(f32|f16|bf16|auto)$ ]] ||
  die "--kv-type '$KV_TYPE': expected f32, f16, bf16 or auto"
IFS=, read -r -a DTYPE_LIST <<<"$DTYPES"
IFS=, read -r -a TEST_LIST <<<"$TESTS"
IFS=, read -r -a FA_LIST <<<"$FA"
((${#DTYPE_LIST[@]})) || die "--dtypes is empty"
((${#TEST_LIST[@]})) || die "--tests is empty"
for d in "${DTYPE_LIST[@]}"; do
  [[ $d =~ ^(f32|f16|bf16)$ ]] || die "--dtypes: '$d' is not f32, f16 or bf16"
done
MAX_SEQ=0
for t in "${TEST_LIST[@]}"; do
  [[ $t =~ ^(pp|tg)([1-9][0-9]*)(@d([0-9]+))?$ ]] ||
    die "--tests: '$t' is not ppN, tgN, ppN@dD or tgN@dD (e.g. tg32@d4096)"
  need=$((BASH_REMATCH[2] + ${BASH_REMATCH[4]:-0}))
  ((need > MAX_SEQ)) && MAX_SEQ=$need
done
for f in "${FA_LIST[@]}"; do
  [[ $f =~ ^(0|1|on|off|auto)$ ]] || die "--fa: '$f' is not 0, 1, on, off or auto"
done

ATTNC=$ATTNC_BUILD/bin/attnc
ATTNC_RUN=$ATTNC_BUILD/bin/attnc-run
for tool in "$ATTNC" "$ATTNC_RUN"; do
  [[ -x $tool ]] ||
    die "$tool is missing: build it (ninja -C $ATTNC_BUILD attnc attnc-run) or give --attnc-build"
done
command -v "$PYTHON" >/dev/null || die "--python '$PYTHON' not found"
"$PYTHON" -c 'import numpy' 2>/dev/null || die "$PYTHON has no numpy"
PYTHONPATH="$CHECKOUT/gguf-py${PYTHONPATH:+:$PYTHONPATH}" \
  "$PYTHON" -c 'import gguf; gguf.GGUFWriter' 2>/dev/null ||
  die "$PYTHON cannot import $CHECKOUT/gguf-py (it needs numpy and PyYAML: apt-get install python3-yaml)"
for tool in cmake ninja nice; do
  command -v $tool >/dev/null || die "$tool not found (needed to build llama-bench)"
done

LLAMA_BUILD=${LLAMA_BUILD:-$CHECKOUT/build-attnc-bench}
MARKDOWN=${MARKDOWN:-$WORK/compare.md}
if [[ -z $LLAMA_COMMIT ]]; then
  LLAMA_COMMIT=$(git -C "$CHECKOUT" rev-parse HEAD 2>/dev/null || echo unknown)
fi
ATTNC_COMMIT=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [[ $ATTNC_COMMIT != unknown ]] && ! git -C "$ROOT" diff --quiet HEAD -- lib runtime include tools 2>/dev/null; then
  ATTNC_COMMIT="$ATTNC_COMMIT (with uncommitted changes)"
fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

# 1. llama-bench.
LLAMA_BENCH=$LLAMA_BUILD/bin/llama-bench
if [[ ! -x $LLAMA_BENCH ]]; then
  echo "== building llama-bench in $LLAMA_BUILD (CPU backend, nice -n 19)"
  nice -n 19 cmake -G Ninja -S "$CHECKOUT" -B "$LLAMA_BUILD" \
    -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF \
    -DGGML_BACKEND_DL=OFF -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF \
    -DGGML_HIP=OFF -DGGML_SYCL=OFF -DGGML_OPENCL=OFF -DGGML_BLAS=OFF \
    -DGGML_OPENMP=ON -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_BUILD_UI=OFF \
    -DLLAMA_BUILD_TOOLS=ON >"$WORK/llama-configure.log" 2>&1 ||
    die "configuring llama.cpp failed: see $WORK/llama-configure.log"
  nice -n 19 cmake --build "$LLAMA_BUILD" --target llama-bench -j2 \
    >"$WORK/llama-build.log" 2>&1 ||
    die "building llama-bench failed: see $WORK/llama-build.log"
  [[ -x $LLAMA_BENCH ]] || die "the build left no $LLAMA_BENCH"
else
  echo "== reusing $LLAMA_BENCH"
fi

# 2. Weights, 3. artifacts.
declare -A GGUF ARTIFACT
for d in "${DTYPE_LIST[@]}"; do
  D=${d^^}
  GGUF[$d]=$WORK/$d.gguf
  ARTIFACT[$d]=$WORK/$d-kv$KV_TYPE-$MAX_SEQ.attnc
  stamp=$WORK/hf-$d/.seed-$SEED
  if [[ ! -f $stamp || ! -f ${GGUF[$d]} ]]; then
    echo "== writing llama-134m ($d, seed $SEED): $WORK/hf-$d and ${GGUF[$d]}"
    rm -f "$WORK"/hf-"$d"/.seed-* "${ARTIFACT[$d]}"/manifest.json
    PYTHONPATH="$CHECKOUT/gguf-py${PYTHONPATH:+:$PYTHONPATH}" nice -n 19 \
      "$PYTHON" "$ROOT/tools/bench/llama_gguf.py" write llama-134m "$WORK" \
      --dtype "$D" --seed "$SEED"
    touch "$stamp"
  fi
  if [[ ! -f ${ARTIFACT[$d]}/manifest.json || $ATTNC -nt ${ARTIFACT[$d]}/manifest.json ||
        $WORK/hf-$d/model.safetensors -nt ${ARTIFACT[$d]}/manifest.json ]]; then
    echo "== attnc compile $WORK/hf-$d --kv-type=$KV_TYPE --max-seq $MAX_SEQ"
    nice -n 19 "$ATTNC" compile "$WORK/hf-$d" --kv-type="$KV_TYPE" \
      --max-seq "$MAX_SEQ" -o "${ARTIFACT[$d]}"
  fi
done

TABLE="$PYTHON $ROOT/tools/bench/compare_table.py"

# Optionally, the same function on both sides.
if ((CHECK_LOGITS)); then
  LOGITS_TOOL=$LLAMA_BUILD/bin/attnc-llamacpp-logits
  LOGITS_SRC=$ROOT/tools/bench/llamacpp_logits.cpp
  if [[ ! -x $LOGITS_TOOL || $LOGITS_SRC -nt $LOGITS_TOOL || $LLAMA_BENCH -nt $LOGITS_TOOL ]]; then
    libs=()
    for lib in src/libllama.a ggml/src/libggml.a ggml/src/libggml-cpu.a ggml/src/libggml-base.a; do
      [[ -f $LLAMA_BUILD/$lib ]] || die "$LLAMA_BUILD/$lib is missing (a static llama-bench build has it)"
      libs+=("$LLAMA_BUILD/$lib")
    done
    echo "== building $LOGITS_TOOL"
    nice -n 19 "${CXX:-c++}" -O2 -std=c++17 -I"$CHECKOUT/include" \
      -I"$CHECKOUT/ggml/include" "$LOGITS_SRC" "${libs[@]}" -fopenmp \
      -lpthread -ldl -lm -o "$LOGITS_TOOL" ||
      die "building $LOGITS_TOOL failed"
  fi
  IDS=$("$PYTHON" -c 'import random; r = random.Random(7); print(",".join(str(r.randrange(32000)) for _ in range(32)))')
  for d in "${DTYPE_LIST[@]}"; do
    check=$WORK/check-$d-kvf32.attnc
    if [[ ! -f $check/manifest.json || $ATTNC -nt $check/manifest.json || $WORK/hf-$d/model.safetensors -nt $check/manifest.json ]]; then
      nice -n 19 "$ATTNC" compile "$WORK/hf-$d" --kv-type=f32 --max-seq 64 -o "$check"
    fi
    "$ATTNC_RUN" logits "$check" --tokens "$IDS" --threads "$THREADS" \
      --output "@$WORK/logits-attnc-$d.npy" >/dev/null
    "$LOGITS_TOOL" "${GGUF[$d]}" "$IDS" "$WORK/logits-llamacpp-$d.npy" "$THREADS" f32
    $TABLE logits "$WORK/logits-attnc-$d.npy" "$WORK/logits-llamacpp-$d.npy" "$d"
  done
fi

# 4. The runs, alternating.
SAMPLES=$WORK/samples.tsv
RAW=$WORK/raw
rm -f "$SAMPLES"
mkdir -p "$RAW"
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u '+%Y-%m-%d %H:%M UTC')
echo "== $ROUNDS round(s) x ${#DTYPE_LIST[@]} dtype(s) x ${#TEST_LIST[@]} test(s), $REPS repetitions each; load average $LOAD_BEFORE"
for ((round = 1; round <= ROUNDS; round++)); do
  for d in "${DTYPE_LIST[@]}"; do
    for t in "${TEST_LIST[@]}"; do
      [[ $t =~ ^(pp|tg)([0-9]+)(@d([0-9]+))?$ ]]
      n=${BASH_REMATCH[2]} depth=${BASH_REMATCH[4]:-0}
      if [[ ${BASH_REMATCH[1]} == pp ]]; then p=$n g=0; else p=0 g=$n; fi
      out=$RAW/r$round-$d-$t
      echo "-- round $round, $d, $t: llama-bench"
      "$LLAMA_BENCH" -m "${GGUF[$d]}" -p "$p" -n "$g" -d "$depth" \
        -t "$THREADS" -r "$REPS" -fa "$FA" -o jsonl >"$out.llama" 2>"$out.llama.err" ||
        die "llama-bench failed: see $out.llama.err"
      $TABLE llamacpp "$SAMPLES" "$round" "$d" "$t" <"$out.llama"
      echo "-- round $round, $d, $t: attnc-run bench"
      "$ATTNC_RUN" bench "${ARTIFACT[$d]}" -p "$p" -n "$g" -d "$depth" \
        --threads "$THREADS" -r "$REPS" >"$out.attnc" 2>"$out.attnc.err" ||
        die "attnc-run bench failed: see $out.attnc.err"
      $TABLE attnc_run "$SAMPLES" "$round" "$d" "$t" <"$out.attnc"
    done
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo
$TABLE table "$SAMPLES" --markdown "$MARKDOWN" \
  --header "Machine: $CPU, $(nproc) cores online; load average $LOAD_BEFORE at the start, $LOAD_AFTER at the end ($START)." \
  --header "llama.cpp $LLAMA_COMMIT (llama-bench, CPU backend, -t $THREADS, f16 KV cache, best of -fa $FA); attnc $ATTNC_COMMIT (attnc-run bench --threads $THREADS, --kv-type=$KV_TYPE)." \
  --header "Model: llama-134m random weights (tools/models/shaped_models.py, seed $SEED); medians over $ROUNDS round(s) of $REPS repetitions each, the two sides alternating."
echo
echo "(written to $MARKDOWN; raw outputs in $RAW)"
