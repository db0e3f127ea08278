// attnc compile writes every output kind to a temporary file beside it
// (<output>.tmp-XXXXXX) and renames it into place once complete (issue 12,
// item 5): a compile that fails or is interrupted while writing leaves an
// earlier output exactly as it was, or no output, never a truncated one.
// See interrupt.py and failing-linker.sh in Inputs/.

// RUN: rm -rf %t && mkdir -p %t/bin
// RUN: cp %S/Inputs/failing-linker.sh %t/bin/clang-22

// A good library, kept for comparison.
// RUN: attnc compile %s -o %t/k.so
// RUN: cp %t/k.so %t/good.so

// A link that fails after writing part of its output: one line naming the
// library the user asked for; the earlier library is intact, nothing left.
// RUN: not env PATH=%t/bin:%PATH% attnc compile %s -o %t/k.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LINK --implicit-check-not=error:
// LINK: {{^}}attnc: error: linking '{{[^ ]*}}/k.so' with {{[^ ]*}}clang-22 failed: failing-linker: cannot link{{$}}
// RUN: cmp %t/k.so %t/good.so
// RUN: %python -c "import glob,sys; sys.exit(len(glob.glob('%t/k.so.tmp*')))"
// The same without an earlier library: no library at all.
// RUN: not env PATH=%t/bin:%PATH% attnc compile %s -o %t/new.so 2>&1
// RUN: not ls %t/new.so

// Killed (SIGKILL, no chance to clean up) while linking over the good
// library: the library is intact (the temporary may stay behind).
// RUN: %python %S/Inputs/interrupt.py --signal KILL %t/k.so -- \
// RUN:   attnc compile %s -o %t/k.so | FileCheck %s --check-prefix=KILL
// KILL: interrupted by SIGKILL
// KILL: {{^[^ ]*}}/k.so unchanged
// RUN: rm -f %t/k.so.tmp-*
// Interrupted (SIGINT, as by ^C) while writing: intact. The temporary
// file is removed when attnc writes it itself (.o); a linker interrupted
// with it may leave its own.
// RUN: %python %S/Inputs/interrupt.py --signal INT %t/k.so -- \
// RUN:   attnc compile %s -o %t/k.so | FileCheck %s --check-prefix=INT
// RUN: %python %S/Inputs/interrupt.py --signal INT %t/k.o -- \
// RUN:   attnc compile %s -o %t/k.o | FileCheck %s --check-prefixes=INT,INT-CLEAN
// INT: interrupted by SIGINT
// INT: {{^[^ ]*}}/k.{{so|o}} unchanged
// INT-CLEAN: temporaries left: 0
// RUN: cmp %t/k.so %t/good.so
// RUN: not ls %t/k.o

// An object file, LLVM IR and the lowered module that cannot be written in
// full (the file size limit stands for a full disk): the earlier file stays.
// RUN: attnc compile %s -o %t/k.o
// RUN: attnc compile %s -o %t/k.ll
// RUN: attnc compile %s -o %t/k.mlir
// RUN: %python %S/Inputs/interrupt.py --file-size-limit 1000 \
// RUN:   %t/k.o -- attnc compile %s -o %t/k.o | FileCheck %s --check-prefix=FULL
// RUN: %python %S/Inputs/interrupt.py --file-size-limit 1000 \
// RUN:   %t/k.ll -- attnc compile %s -o %t/k.ll | FileCheck %s --check-prefix=FULL
// RUN: %python %S/Inputs/interrupt.py --file-size-limit 1000 --ignore-sigxfsz \
// RUN:   %t/k.mlir -- attnc compile %s -o %t/k.mlir | FileCheck %s --check-prefix=FULL
// FULL: exit status 1
// FULL-NEXT: {{^}}attnc: error: cannot write '{{[^ ]*}}/k.{{o|ll|mlir}}': File too large{{$}}
// FULL-NEXT: {{^[^ ]*}}/k.{{o|ll|mlir}} unchanged
// FULL-NEXT: temporaries left: 0

// Whole outputs are written as before: the library still runs.
// RUN: attnc-run call %t/k.so --input "4xf32=1 2 3 4" | FileCheck %s --check-prefix=CALL
// CALL: result[0]: tensor<4xf32> [2, 4, 6, 8]
func.func @double(%a: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.add ins(%a, %a : tensor<4xf32>, tensor<4xf32>)
      outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
