"""Runs a command with its stdout and stderr on a pseudo-terminal and
prints what it wrote, with carriage returns and escape sequences made
visible ("<CR>", "<ESC>"), so FileCheck can see an updating progress line."""
import os
import pty
import sys

pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
text = out.decode("utf-8", "replace").replace("\r\n", "\n")
print(text.replace("\r", "<CR>").replace("\x1b", "<ESC>"))
