#!/usr/bin/env bash
#===- tools/gpu/device-check.sh - run a device check bundle ----------------===#
#
# Usage: device-check.sh [BUNDLE] [--out DIR] [check.py options...]
#
# Runs on the machine that has the device (the GPU machine, or this one for a
# CPU bundle), from a bundle that tools/gpu/bundle.sh wrote (BUNDLE defaults
# to the folder this script sits in: bundle.sh copies it there). Reads
# nothing outside the bundle; which device to use comes from its
# manifest.json. Needs python3 with numpy (and torch for the baselines):
# $PYTHON, else the first of python3, /usr/bin/python3 that has numpy.
#
#   1. every kernel against its float64 reference (NaN/Inf, poisoned
#      buffers, fully masked rows, tolerance f32 1e-5 / f16 2e-3 / bf16 1e-2,
#      KV caches bit-exact);
#   2. compute-sanitizer memcheck and racecheck on a few small cases (CUDA);
#   3. prefill and decode attention timings beside torch SDPA (flash,
#      efficient, cudnn, math), CUDA-event medians, inputs drawn on the
#      device;
# then one table. Exits non-zero if any case failed; the table is printed
# in any case. Options after BUNDLE go to check.py (--no-bench,
# --no-sanitize, --cases NAME|GROUP,..., --chips sm_90a, --deadline S,
# --jobs N, --keep-scratch); --out DIR keeps table.txt and results.json.
#
# On the GPU machine, from the repository root (the bundle carried along):
#   bash build/gpu-bundle/device-check.sh --out "$OUT"
#===------------------------------------------------------------------------===#

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUNDLE=$HERE
if [[ $# -gt 0 && $1 != -* ]]; then
  BUNDLE=$(cd "$1" && pwd)
  shift
fi
if [[ ! -f $BUNDLE/manifest.json || ! -f $BUNDLE/check.py ]]; then
  echo "device-check: $BUNDLE is not a bundle (no manifest.json/check.py);" \
       "write one with tools/gpu/bundle.sh" >&2
  exit 2
fi

# A copy that lost its mode bits on the way still runs.
chmod +x "$BUNDLE"/bin/* 2>/dev/null || true

python=${PYTHON:-}
if [[ -z $python ]]; then
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null &&
       "$candidate" -c 'import numpy' 2>/dev/null; then
      python=$candidate
      break
    fi
  done
fi
if [[ -z $python ]]; then
  echo "device-check: no python3 with numpy found (set PYTHON)" >&2
  exit 2
fi

device=$("$python" -c 'import json, sys
print(json.load(open(sys.argv[1]))["device"])' "$BUNDLE/manifest.json")
echo "device-check: bundle $BUNDLE, device $device, $("$python" -V 2>&1)"
if [[ $device == cuda ]]; then
  nvidia-smi -L || echo "device-check: WARNING: nvidia-smi -L failed"
fi

# check.py stops starting bench shapes after --deadline (330 s by default)
# and stops every run by --time-limit (440 s), then prints the table;
# the outer limit only guards against a hang.
export PYTHONUNBUFFERED=1
status=0
timeout --kill-after=10 470 "$python" "$BUNDLE/check.py" "$BUNDLE" "$@" ||
  status=$?
if [[ $status -eq 124 ]]; then
  echo "device-check: check.py ran past 470 s and was stopped" >&2
fi
exit "$status"
