"""Leaves a command orphaned, for the tests: `python3 orphaning.py SECONDS COMMAND ARGS...`.

Runs the command under `sh -c`, as npx runs a package's bin, and once a line arrives on stdin kills that shell with
SIGKILL, as a SIGTERM sent to npx ends it without passing it on, and says so on stderr (`orphaning.py: the shell is
killed`). The command, orphaned, is adopted by this process (a child subreaper, as init would adopt it), which waits
for it at most SECONDS: its stdout and stderr are this process's, and the exit code is its own, 128 + the signal that
ended it, or 124 when it ran on and was killed.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def exit_code(status: int) -> int:
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def children() -> list[int]:
    with open(f"/proc/self/task/{os.getpid()}/children") as listing:
        return [int(pid) for pid in listing.read().split()]


def main() -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")
    deadline_seconds = float(sys.argv[1])
    # A command after it, so that the shell waits for the command rather than becoming it.
    shell = subprocess.Popen(["sh", "-c", '"$@"; exit $?', "sh", *sys.argv[2:]], stdin=subprocess.DEVNULL)
    sys.stdin.readline()
    shell.kill()
    shell.wait()
    print("orphaning.py: the shell is killed", file=sys.stderr, flush=True)
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            sys.exit("orphaning.py: the command had ended before its shell was killed: there was no orphan")
        if pid != 0:
            return exit_code(status)
        time.sleep(0.05)
    for pid in children():
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return 124


if __name__ == "__main__":
    sys.exit(main())
