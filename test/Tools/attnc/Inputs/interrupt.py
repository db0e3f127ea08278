#!/usr/bin/env python3
"""Interrupts a command while it writes OUTPUT, and checks OUTPUT.

  interrupt.py --signal KILL|INT|TERM OUTPUT -- COMMAND...
      starts COMMAND, waits until it starts writing OUTPUT (a temporary
      entry OUTPUT.tmp-* appears beside it, or OUTPUT itself changes), and
      sends the signal at once to its process group (the linker it runs
      too), as ^C in a terminal does;
  interrupt.py --file-size-limit BYTES [--ignore-sigxfsz] OUTPUT -- COMMAND...
      runs COMMAND with RLIMIT_FSIZE set, so that writing a larger file
      fails (EFBIG when SIGXFSZ is ignored, else the signal kills it).

Then prints "<OUTPUT> unchanged" when OUTPUT (a file, a directory tree, or
nothing) is exactly what it was before, else "<OUTPUT> CHANGED: ...", and
"temporaries left: N" (the OUTPUT.tmp-* entries beside it). COMMAND's
stderr is passed through. Exits 0; the checks are the caller's (FileCheck).
"""

import argparse
import glob
import hashlib
import os
import resource
import signal
import subprocess
import sys
import time


def snapshot(path):
    """The contents of `path`: None, a file's digest, or a tree's."""
    if not os.path.lexists(path):
        return None
    if os.path.isfile(path):
        with open(path, "rb") as f:
            return ("file", hashlib.sha256(f.read()).hexdigest())
    entries = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            with open(full, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            entries.append((os.path.relpath(full, path), digest))
    return ("dir", tuple(entries))


def temporaries(path):
    return glob.glob(glob.escape(path) + ".tmp*")


def stat_key(path):
    try:
        st = os.lstat(path)
        return (st.st_ino, st.st_size, st.st_mtime_ns)
    except FileNotFoundError:
        return None


def interrupt(args, command):
    """Starts `command` and signals it once it writes; None when it ended
    before that (a retry)."""
    number = getattr(signal, "SIG" + args.signal)
    before = stat_key(args.output)
    known = set(temporaries(args.output))
    def default_signals():
        # lit runs tests with SIGINT ignored, which a child inherits.
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
    process = subprocess.Popen(command, stderr=subprocess.PIPE,
                               start_new_session=True,
                               preexec_fn=default_signals)
    while process.poll() is None:
        if set(temporaries(args.output)) - known or \
                stat_key(args.output) != before:
            os.killpg(process.pid, number)
            process.wait()
            break
        time.sleep(0.0005)
    stderr = process.stderr.read().decode(errors="replace")
    if process.returncode != -number:
        return None
    return stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--signal")
    parser.add_argument("--file-size-limit", type=int)
    parser.add_argument("--ignore-sigxfsz", action="store_true")
    parser.add_argument("output")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    before = snapshot(args.output)

    if args.signal:
        for attempt in range(5):
            stderr = interrupt(args, command)
            if stderr is not None:
                break
            # It finished before it was seen writing: put the output back
            # the way it was cannot be done here, so say so.
            if snapshot(args.output) != before:
                print(f"{args.output} CHANGED: the command completed "
                      "before it could be interrupted")
                return 0
        else:
            print("the command was never seen writing its output")
            return 0
        print(f"interrupted by SIG{args.signal}")
    else:
        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE,
                               (args.file_size_limit, args.file_size_limit))
            if args.ignore_sigxfsz:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        run = subprocess.run(command, stderr=subprocess.PIPE,
                             preexec_fn=limit)
        stderr = run.stderr.decode(errors="replace")
        if run.returncode < 0:
            print(f"killed by {signal.Signals(-run.returncode).name}")
        else:
            print(f"exit status {run.returncode}")
    sys.stdout.write(stderr)
    after = snapshot(args.output)
    if after == before:
        print(f"{args.output} unchanged")
    else:
        what = "removed" if after is None else "rewritten"
        print(f"{args.output} CHANGED: {what}")
    print(f"temporaries left: {len(temporaries(args.output))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
