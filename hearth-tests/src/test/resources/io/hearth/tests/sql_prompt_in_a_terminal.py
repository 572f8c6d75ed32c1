"""Drives `hearth sql` in a pseudo-terminal as a user would: a statement, the up arrow to run it again, Ctrl-D.

Usage: python3 sql_prompt_in_a_terminal.py HEARTH_COMMAND ENDPOINT
Prints how many results the session showed and its exit code; exits 1 when the session did not go as typed.
"""

import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

PROMPT = b"hearth sql> "
RESULT = b"(1 row"


def main() -> None:
    command, endpoint = sys.argv[1], sys.argv[2]
    pid, fd = pty.fork()
    if pid == 0:
        # a terminal of 24 x 120, as a window has; JLine draws nothing in one of width 0
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
        # and a terminal type, as a window's shell has: the up arrow's keys come from its description
        os.execve(command, [command, "sql", "--endpoint", endpoint], {**os.environ, "TERM": "xterm-256color"})
    screen = bytearray()

    def read_until(token: bytes, count: int) -> None:
        deadline = time.time() + 180
        while screen.count(token) < count:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
            if not ready:
                sys.exit(f"timed out waiting for {token!r}; the screen ends {bytes(screen[-800:])!r}")
            try:
                screen.extend(os.read(fd, 4096))
            except OSError:
                sys.exit(f"the session ended before {token!r}; the screen ends {bytes(screen[-800:])!r}")

    read_until(PROMPT, 1)
    os.write(fd, b"SELECT 41 + 1 AS answer;\r")
    read_until(RESULT, 1)
    read_until(PROMPT, 2)
    os.write(fd, b"\x1bOA")  # the up arrow (keypad mode, which the prompt turns on): the statement again, from the history
    time.sleep(0.3)
    os.write(fd, b"\r")
    read_until(RESULT, 2)
    read_until(PROMPT, 3)
    os.write(fd, b"\x04")  # Ctrl-D ends the session
    _, status = os.waitpid(pid, 0)
    print(f"results {screen.count(RESULT)} exit {os.waitstatus_to_exitcode(status)}")


if __name__ == "__main__":
    main()
