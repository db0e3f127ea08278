#!/bin/sh
# A compiler driver that writes part of its -o output and fails, as a
# linker interrupted by a full disk would: what `attnc compile` must not
# leave in place of an earlier library.
while [ $# -gt 0 ]; do
  if [ "$1" = "-o" ]; then
    printf 'half a library' > "$2"
  fi
  shift
done
echo "failing-linker: cannot link" >&2
exit 1
