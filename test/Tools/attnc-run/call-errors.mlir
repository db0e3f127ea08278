// attnc-run errors about the call itself: which function, the inputs, the
// outputs. Each exits with status 1 and one line "attnc-run: error: ..."
// (--implicit-check-not=error:: nothing else), never with a signal (`not`
// fails on one). Files named in messages are named once.

// Choosing the function.
// RUN: not attnc-run call %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SEVERAL --implicit-check-not=error:
// SEVERAL: {{^}}attnc-run: error: '{{.*}}call-errors.mlir' has 2 public functions (@add, @dynamic): choose one with --function{{$}}
// RUN: not attnc-run call %s --function nope 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNKNOWN --implicit-check-not=error:
// UNKNOWN: {{^}}attnc-run: error: no public function @nope in '{{.*}}call-errors.mlir' (available: @add, @dynamic){{$}}
// RUN: not attnc-run call %s --function helper 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PRIVATE --implicit-check-not=error:
// PRIVATE: {{^}}attnc-run: error: no public function @helper in '{{.*}}call-errors.mlir' (available: @add, @dynamic){{$}}

// The number of inputs.
// RUN: not attnc-run call %s --function add --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TOO-FEW --implicit-check-not=error:
// TOO-FEW: {{^}}attnc-run: error: @add takes 2 input(s) (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>, got 1{{$}}
// RUN: not attnc-run call %s --function add --input 2x3xf32=1 \
// RUN:   --input 2x3xf32=1 --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TOO-MANY --implicit-check-not=error:
// TOO-MANY: {{^}}attnc-run: error: @add takes 2 input(s) (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>, got 3{{$}}
// RUN: not attnc-run call %s --function add 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NONE --implicit-check-not=error:
// NONE: {{^}}attnc-run: error: @add takes 2 input(s) {{.*}}, got 0{{$}}

// Element type, rank and static dimensions (dynamic ones match any size).
// RUN: not attnc-run call %s --function add --input 2x3xf32=1 \
// RUN:   --input 2x3xf64=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DTYPE --implicit-check-not=error:
// DTYPE: {{^}}attnc-run: error: input 1 (2x3xf64=1) of @add: expected tensor<2x3xf32>, got tensor<2x3xf64>{{$}}
// RUN: not attnc-run call %s --function add --input 2x4xf32=1 \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DIM --implicit-check-not=error:
// DIM: {{^}}attnc-run: error: input 0 (2x4xf32=1) of @add: expected tensor<2x3xf32>, got tensor<2x4xf32>{{$}}
// RUN: not attnc-run call %s --function add --input 2x3xf32=1 \
// RUN:   --input 1x2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RANK --implicit-check-not=error:
// RANK: {{^}}attnc-run: error: input 1 (1x2x3xf32=1) of @add: expected tensor<2x3xf32>, got tensor<1x2x3xf32>{{$}}
// RUN: not attnc-run call %s --function add --input f32=1 \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SCALAR --implicit-check-not=error:
// SCALAR: {{^}}attnc-run: error: input 0 (f32=1) of @add: expected tensor<2x3xf32>, got tensor<f32>{{$}}
// RUN: not attnc-run call %s --function dynamic --input 5x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DYNAMIC --implicit-check-not=error:
// DYNAMIC: {{^}}attnc-run: error: input 0 (5x3xf32=1) of @dynamic: expected tensor<?x4xf32>, got tensor<5x3xf32>{{$}}
// RUN: not attnc-run call %s --function dynamic --input 4xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DYNAMIC-RANK --implicit-check-not=error:
// DYNAMIC-RANK: {{^}}attnc-run: error: input 0 (4xf32=1) of @dynamic: expected tensor<?x4xf32>, got tensor<4xf32>{{$}}

// The same from .npy files: the dtype is checked while reading.
// RUN: %python -c "import numpy; numpy.save('%t.i32.npy', numpy.zeros((2, 3), dtype=numpy.int32)); numpy.save('%t.f32x24.npy', numpy.zeros((2, 4), dtype=numpy.float32))"
// RUN: not attnc-run call %s --function add --input @%t.i32.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-DTYPE --implicit-check-not=error:
// NPY-DTYPE: {{^}}attnc-run: error: {{[^ ]*}}.i32.npy: expected dtype f32, but the file holds i32 ('<i4'){{$}}
// RUN: not attnc-run call %s --function add --input @%t.f32x24.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-DIM --implicit-check-not=error:
// NPY-DIM: {{^}}attnc-run: error: input 0 (@{{[^ ]*}}.f32x24.npy) of @add: expected tensor<2x3xf32>, got tensor<2x4xf32>{{$}}

// .npy files that are missing or malformed: the message starts with the file.
// RUN: not attnc-run call %s --function add --input @%t.missing.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-MISSING --implicit-check-not=error:
// NPY-MISSING: {{^}}attnc-run: error: {{[^ ]*}}.missing.npy: cannot open file: No such file or directory{{$}}
// RUN: %python -c "import numpy; numpy.save('%t.good.npy', numpy.ones((2, 3), dtype=numpy.float32)); data = open('%t.good.npy', 'rb').read(); open('%t.magic.npy', 'wb').write(b'X' + data[1:]); open('%t.truncated.npy', 'wb').write(data[:-5]); open('%t.trailing.npy', 'wb').write(data + bytes(4)); open('%t.short.npy', 'wb').write(data[:4]); open('%t.header.npy', 'wb').write(data.replace(b'fortran_order', b'fortran_ORDER'))"
// RUN: not attnc-run call %s --function add --input @%t.magic.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-MAGIC --implicit-check-not=error:
// NPY-MAGIC: {{^}}attnc-run: error: {{[^ ]*}}.magic.npy: not a .npy file (bad magic string){{$}}
// RUN: not attnc-run call %s --function add --input @%t.truncated.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-TRUNCATED --implicit-check-not=error:
// NPY-TRUNCATED: {{^}}attnc-run: error: {{[^ ]*}}.truncated.npy: file is truncated: shape (2, 3) of f32 needs 24 bytes of data, found 19{{$}}
// RUN: not attnc-run call %s --function add --input @%t.trailing.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-TRAILING --implicit-check-not=error:
// NPY-TRAILING: {{^}}attnc-run: error: {{[^ ]*}}.trailing.npy: unexpected trailing bytes: shape (2, 3) of f32 needs 24 bytes of data, found 28{{$}}
// RUN: not attnc-run call %s --function add --input @%t.short.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-SHORT --implicit-check-not=error:
// NPY-SHORT: {{^}}attnc-run: error: {{[^ ]*}}.short.npy: file is too short to be a .npy file (4 bytes){{$}}
// RUN: not attnc-run call %s --function add --input @%t.header.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-HEADER --implicit-check-not=error:
// NPY-HEADER: {{^}}attnc-run: error: {{[^ ]*}}.header.npy: malformed .npy header (unexpected key 'fortran_ORDER'): {'descr': '<f4', 'fortran_ORDER': False, 'shape': (2, 3), }{{$}}
// RUN: %python -c "import numpy; numpy.save('%t.u4.npy', numpy.ones((2, 3), dtype=numpy.uint32)); numpy.save('%t.big.npy', numpy.ones((2, 3), dtype='>f4')); numpy.save('%t.fortran.npy', numpy.asfortranarray(numpy.ones((2, 3), dtype=numpy.float32)))"
// RUN: not attnc-run call %s --function add --input @%t.u4.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-U4 --implicit-check-not=error:
// NPY-U4: {{^}}attnc-run: error: {{[^ ]*}}.u4.npy: unsupported dtype '<u4' (supported: {{.*}}){{$}}
// RUN: not attnc-run call %s --function add --input @%t.big.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-BIG --implicit-check-not=error:
// NPY-BIG: {{^}}attnc-run: error: {{[^ ]*}}.big.npy: big-endian dtype '>f4' is not supported; save with arr.astype('<f4'){{$}}
// RUN: not attnc-run call %s --function add --input @%t.fortran.npy \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY-FORTRAN --implicit-check-not=error:
// NPY-FORTRAN: {{^}}attnc-run: error: {{[^ ]*}}.fortran.npy: Fortran-order arrays are not supported; save with np.ascontiguousarray{{$}}

// Literals.
// RUN: not attnc-run call %s --function add --input "2x3xf32=1 2" \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=COUNT --implicit-check-not=error:
// COUNT: {{^}}attnc-run: error: --input 2x3xf32=1 2: invalid tensor literal '2x3xf32=1 2': expected 6 values (or 1 to splat), got 2{{$}}
// RUN: not attnc-run call %s --function add --input "2x3xf32=abc" \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=VALUE --implicit-check-not=error:
// VALUE: {{^}}attnc-run: error: --input 2x3xf32=abc: invalid tensor literal '2x3xf32=abc': 'abc' is not a valid f32 value{{$}}
// RUN: not attnc-run call %s --function add --input "2x3xf31=1" \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ELEMENT --implicit-check-not=error:
// ELEMENT: {{^}}attnc-run: error: --input 2x3xf31=1: invalid tensor literal '2x3xf31=1': unknown element type 'f31'{{$}}
// RUN: not attnc-run call %s --function add --input "2xyx3xf32=1" \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SHAPE --implicit-check-not=error:
// SHAPE: {{^}}attnc-run: error: --input 2xyx3xf32=1: invalid tensor literal '2xyx3xf32=1': expected a dimension, found 'y'{{$}}
// RUN: not attnc-run call %s --function add --input "1 2 3 4 5 6" \
// RUN:   --input 2x3xf32=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-TYPE --implicit-check-not=error:
// NO-TYPE: {{^}}attnc-run: error: --input 1 2 3 4 5 6: invalid tensor literal {{.*}}{{$}}

// Outputs: one per result at most, each @file or - (an unwritable file:
// output-unwritable.mlir).
// RUN: not attnc-run call %s --function add --input 2x3xf32=1 \
// RUN:   --input 2x3xf32=1 --output - --output - 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OUTPUTS --implicit-check-not=error: --implicit-check-not=result
// OUTPUTS: {{^}}attnc-run: error: 2 --output given but @add has 1 result(s){{$}}
// RUN: not attnc-run call %s --function add --input 2x3xf32=1 \
// RUN:   --input 2x3xf32=1 --output %t.out.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OUTPUT-SPEC --implicit-check-not=error: --implicit-check-not=result
// OUTPUT-SPEC: {{^}}attnc-run: error: --output {{[^ ]*}}.out.npy: expected @file.npy or - (print a summary){{$}}

func.func @add(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = func.call @helper(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}
func.func private @helper(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.add ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>)
      outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}
func.func @dynamic(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %a : tensor<?x4xf32>
}
