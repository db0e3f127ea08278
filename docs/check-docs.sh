#!/usr/bin/env bash
# Fails when a committed doc differs from the one generated from ODS.
# Usage: check-docs.sh GENERATED COMMITTED [GENERATED COMMITTED ...]
set -u
status=0
while [ $# -ge 2 ]; do
  if ! diff -q "$1" "$2" >/dev/null 2>&1; then
    echo "stale: $2 differs from the ODS-generated $1;" \
         "run 'ninja -C build attnc-doc-update' and commit the result"
    status=1
  fi
  shift 2
done
exit $status
