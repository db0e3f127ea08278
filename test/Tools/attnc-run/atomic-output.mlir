// attnc-run writes each --output to a temporary file beside it and renames
// it into place (issue 12, item 5): a run that fails or is killed while
// writing leaves the earlier file exactly as it was, never a truncated one.

// RUN: rm -rf %t && mkdir -p %t
// RUN: attnc-run call %s --input 65536xf32=0.5 --output @%t/o.npy
// RUN: cp %t/o.npy %t/good.npy

// A write that fails (the file size limit stands for a full disk): one
// line, exit status 1, the earlier file intact and nothing left beside it.
// It used to truncate the file, then delete it. attnc-run ignores SIGXFSZ,
// so the limit gives an error rather than a signal; with the signal
// ignored by its parent too, the same.
// RUN: %python %S/../attnc/Inputs/interrupt.py --file-size-limit 100000 \
// RUN:   %t/o.npy -- attnc-run call %s --input 65536xf32=2 \
// RUN:   --output @%t/o.npy | FileCheck %s --check-prefix=FULL
// RUN: %python %S/../attnc/Inputs/interrupt.py --file-size-limit 100000 \
// RUN:   --ignore-sigxfsz %t/o.npy -- attnc-run call %s --input 65536xf32=2 \
// RUN:   --output @%t/o.npy | FileCheck %s --check-prefix=FULL
// FULL: exit status 1
// FULL-NEXT: {{^}}attnc-run: error: {{[^ ]*}}/o.npy: cannot write file: File too large{{$}}
// FULL-NEXT: {{^[^ ]*}}/o.npy unchanged
// FULL-NEXT: temporaries left: 0
// RUN: cmp %t/o.npy %t/good.npy

// A run that fails before its results exist leaves the file alone too.
// RUN: not attnc-run call %s --input 3xf32=1 --output @%t/o.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-INPUT
// BAD-INPUT: {{^}}attnc-run: error: input 0 {{.*}}: expected tensor<65536xf32>, got tensor<3xf32>{{$}}
// RUN: cmp %t/o.npy %t/good.npy

// A run that succeeds replaces it.
// RUN: attnc-run call %s --input 65536xf32=2 --output @%t/o.npy
// RUN: not cmp -s %t/o.npy %t/good.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/o.npy'); print(a.shape, a.min(), a.max())" \
// RUN:   | FileCheck %s --check-prefix=NEW
// NEW: (65536,) 4.0 4.0
// RUN: %python -c "import glob,sys; sys.exit(len(glob.glob('%t/o.npy.tmp*')))"
func.func @double(%a: tensor<65536xf32>) -> tensor<65536xf32> {
  %e = tensor.empty() : tensor<65536xf32>
  %r = linalg.add ins(%a, %a : tensor<65536xf32>, tensor<65536xf32>)
      outs(%e : tensor<65536xf32>) -> tensor<65536xf32>
  return %r : tensor<65536xf32>
}
