"""Runs a generated module through attnc-opt and mlir-runner.

The module goes through `attnc-opt --attn-decompose` plus the upstream lowering
to LLVM, is executed by `mlir-runner` against the MLIR runner utility
libraries, and the values printed by `printMemrefI32` are parsed back as f32.
"""

import os
import re
import subprocess
import tempfile

from tensors import bits_to_f32

PIPELINE = [
    "--attn-decompose",
    "--one-shot-bufferize=bufferize-function-boundaries",
    "--buffer-deallocation-pipeline",
    "--convert-bufferization-to-memref",
    "--convert-linalg-to-loops",
    "--convert-scf-to-cf",
    "--convert-cf-to-llvm",
    "--expand-strided-metadata",
    "--lower-affine",
    "--convert-to-llvm",
    "--reconcile-unrealized-casts",
]


def default_mlir_lib_dir(mlir_runner):
    """../lib next to `mlir_runner` (looked up on PATH if given bare)."""
    runner = mlir_runner
    if os.sep not in runner:
        runner = next((os.path.join(p, runner) for p in
                       os.environ.get("PATH", "").split(os.pathsep)
                       if os.path.exists(os.path.join(p, runner))),
                      runner)
    return os.path.join(
        os.path.dirname(os.path.dirname(os.path.realpath(runner))), "lib")


def run_module(name, source, args):
    """Writes `source` to NAME.mlir, lowers and executes it.

    `args` carries attnc_opt, mlir_runner, mlir_lib_dir and keep (a directory
    to keep the module in; otherwise a temporary one, removed on success).
    Returns (stdout of mlir-runner, None) or (None, error text).
    """
    workdir = args.keep or tempfile.mkdtemp(prefix="attnc-ref-")
    path = os.path.join(workdir, name + ".mlir")
    with open(path, "w") as f:
        f.write(source)
    libs = ",".join(os.path.join(args.mlir_lib_dir, lib) for lib in
                    ("libmlir_c_runner_utils.so", "libmlir_runner_utils.so"))
    opt = subprocess.run([args.attnc_opt, path] + PIPELINE,
                         capture_output=True, text=True)
    if opt.returncode != 0:
        return None, "attnc-opt failed (rc=%d):\n%s" % (
            opt.returncode, opt.stderr[-4000:])
    run = subprocess.run([args.mlir_runner, "-e", "main",
                          "-entry-point-result=void", "-shared-libs=" + libs],
                         input=opt.stdout, capture_output=True, text=True)
    if run.returncode != 0:
        return None, "mlir-runner failed (rc=%d):\n%s%s" % (
            run.returncode, run.stdout[-2000:], run.stderr[-4000:])
    if not args.keep:
        os.remove(path)
        os.rmdir(workdir)
    return run.stdout, None


def parse_printed(stdout):
    """The i32 payloads of the printMemrefI32 calls, in order, as f32."""
    chunks = stdout.split("Unranked Memref")[1:]
    result = []
    for chunk in chunks:
        data = chunk.split("data =", 1)[1]
        result.append([bits_to_f32(int(v)) for v in re.findall(r"-?\d+", data)])
    return result
