#!/usr/bin/env python3
"""Runs a command in a process that Linux refuses the AMX state.

  refuse_amx.py COMMAND [ARG]...

Installs a seccomp filter that fails arch_prctl(ARCH_REQ_XCOMP_PERM, ...)
with EPERM (every other system call is allowed), then execs COMMAND: a
kernel compiled with AMX tiles must then take its AVX-512 form (AMX.h)
rather than die of SIGILL on its first tile instruction. The filter is
inherited across exec; PR_SET_NO_NEW_PRIVS lets an unprivileged process
install it. x86-64 Linux only.
"""

import ctypes
import os
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
AUDIT_ARCH_X86_64 = 0xC000003E
NR_ARCH_PRCTL = 158
ARCH_REQ_XCOMP_PERM = 0x1023
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
EPERM = 1

# Classic BPF over struct seccomp_data {int nr; u32 arch; u64 ip;
# u64 args[6];}: offsets 0, 4 and 16 (the low half of args[0]).
BPF_LD_W_ABS, BPF_JEQ_K, BPF_RET_K = 0x20, 0x15, 0x06


def insn(code, jt, jf, k):
    return struct.pack("HBBI", code, jt, jf, k)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: refuse_amx.py COMMAND [ARG]...")
    program = b"".join([
        insn(BPF_LD_W_ABS, 0, 0, 4),                    # arch
        insn(BPF_JEQ_K, 0, 5, AUDIT_ARCH_X86_64),       # other: allow
        insn(BPF_LD_W_ABS, 0, 0, 0),                    # nr
        insn(BPF_JEQ_K, 0, 3, NR_ARCH_PRCTL),           # other: allow
        insn(BPF_LD_W_ABS, 0, 0, 16),                   # args[0]
        insn(BPF_JEQ_K, 0, 1, ARCH_REQ_XCOMP_PERM),     # other: allow
        insn(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM),
        insn(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ])
    filters = ctypes.create_string_buffer(program, len(program))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(program) // 8, ctypes.addressof(filters))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p,
                           ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        sys.exit("refuse_amx.py: PR_SET_NO_NEW_PRIVS: %s" %
                 os.strerror(ctypes.get_errno()))
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog),
                  0, 0) != 0:
        sys.exit("refuse_amx.py: seccomp: %s" %
                 os.strerror(ctypes.get_errno()))
    os.execvp(sys.argv[1], sys.argv[1:])


if __name__ == "__main__":
    main()
