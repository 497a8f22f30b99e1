"""Runs a command on a pseudo-terminal of its own, for the tests: `python3 onTerminal.py COMMAND ARGS...`.

What the command prints on the terminal comes out on stdout; what is written to stdin is typed on the terminal
('\\x03' is Ctrl-C). The exit code is the command's, or 128 + the signal that ended it.

Not util-linux `script`: once the command has ended, `script` stops reading as soon as nothing more arrives for
10 ms, and on a host that stalls the machine the end of the output may not have reached the terminal's reader by
then (a CI run lost the seed command's summary line so). Here the terminal is read until Linux says every holder
of it has closed it and all they wrote has been read (EIO), so nothing is lost.
"""

import os
import pty
import select
import sys


def write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data):]


def main() -> int:
    pid, terminal = pty.fork()
    if pid == pty.CHILD:
        os.execvp(sys.argv[1], sys.argv[1:])
    keys = sys.stdin.fileno()
    reading = [terminal, keys]
    while terminal in reading:
        for fd in select.select(reading, [], [])[0]:
            try:
                data = os.read(fd, 65536)
            except OSError:
                # EIO on the terminal: the command and every process it left have closed it, all read.
                data = b""
            if not data:
                reading.remove(fd)
            elif fd == terminal:
                write_all(sys.stdout.fileno(), data)
            else:
                write_all(terminal, data)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main())
