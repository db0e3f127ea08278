"""Runs each example program of ../self-contained.mlir with LLVM hidden.

In a private user and mount namespace (`unshare -rm`), an empty tmpfs covers
/usr/lib/llvm-22 and /dev/null covers the system's libomp.so.5, so that
only a libomp beside the library can be loaded. Prints '<dir>: ok' when the
program passes, '<dir>: fails without LLVM' otherwise; without unshare
permission, prints what the plain run gives (the bundle and off programs
must pass either way).
"""

import glob
import os
import shutil
import subprocess
import sys

root = sys.argv[1]
hidden = ["/usr/lib/llvm-22"] + glob.glob("/usr/lib/*/libomp.so*") + \
    glob.glob("/lib/*/libomp.so*")


def run_hidden(program):
    mounts = []
    for path in hidden:
        if os.path.isdir(path) and not os.path.islink(path):
            mounts.append("mount -t tmpfs none %s" % path)
        elif os.path.exists(path):
            real = os.path.realpath(path)
            mounts.append("mount --bind /dev/null %s" % real)
    script = " && ".join(mounts + ["exec %s" % program])
    return subprocess.run(["unshare", "-rm", "sh", "-c", script],
                          capture_output=True, text=True)


can_hide = shutil.which("unshare") and subprocess.run(
    ["unshare", "-rm", "true"], capture_output=True).returncode == 0
if not can_hide:
    sys.stderr.write("note: unshare is not permitted; LLVM is not hidden\n")
for name in ["bundle", "off", "system"]:
    program = os.path.join(root, name, "attention")
    result = run_hidden(program) if can_hide else subprocess.run(
        [program], capture_output=True, text=True)
    ok = result.returncode == 0 and result.stdout.strip().endswith("ok")
    print("%s: %s" % (name, "ok" if ok else "fails without LLVM"))
    if not ok and name != "system":
        sys.stderr.write(result.stdout + result.stderr)
