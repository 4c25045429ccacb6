"""A real interactive shell on a pseudo-terminal, for what only the shell's own line editor
does with a completion: which text the Tab key inserts, replaces or keeps, and what it lists.

``keys_into(shell, setup, keys, env, out)`` starts bash (readline) or zsh (zle) on a pty, with
no startup file (or, with ``startup_files=True``, those of the home in ``env``), runs ``setup``,
types ``keys`` (``\\t`` is the Tab key), then presses Ctrl-T, which each shell here binds to
"write the line being edited to ``out`` and exit".  The answer is that line and everything the
terminal showed (listings included).  Keys typed ahead wait in the terminal, so no step waits
on the clock; the whole session is bounded by ``timeout``.

fish is not here: it wants the pty as its controlling terminal, which a subprocess of a test
process with threads cannot safely be given; ``complete -C`` shows fish's own matching.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import termios
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Typed", "keys_into"]

DUMP_KEY = b"\x14"  # Ctrl-T
#: How each shell starts (without its startup files, then with them), and how Ctrl-T writes
#: the edited line to $LINE_OUT and exits.
_SHELLS = {
    "bash": (
        (["bash", "--norc", "--noprofile", "-i"], ["bash", "-i"]),
        """bind -x '"\\C-t": printf %s "$READLINE_LINE" > "$LINE_OUT"; exit'""",
    ),
    "zsh": (
        (["zsh", "-f", "-i"], ["zsh", "-i"]),
        '_dump() { print -rn -- "$BUFFER" > "$LINE_OUT"; exit }; zle -N _dump; bindkey "^T" _dump',
    ),
}


@dataclass(frozen=True)
class Typed:
    """The line as the shell's editor left it, and all the terminal showed meanwhile."""

    line: str
    screen: str


def keys_into(
    shell: str,
    setup: str,
    keys: str,
    env: Mapping[str, str],
    out: Path,
    *,
    startup_files: bool = False,
    timeout: float = 60,
) -> Typed:
    """Type ``keys`` into ``shell`` after running ``setup``; ``out`` receives the line."""
    (bare, configured), bind = _SHELLS[shell]
    argv = configured if startup_files else bare
    out.unlink(missing_ok=True)
    master, terminal = os.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
    environ = {**env, "LINE_OUT": str(out), "TERM": "dumb"}
    proc = subprocess.Popen(
        argv, stdin=terminal, stdout=terminal, stderr=terminal, env=environ,
        start_new_session=True,
    )  # fmt: skip
    os.close(terminal)
    try:
        os.write(master, f"{bind}; {setup or ':'}\n".encode())
        os.write(master, keys.encode() + DUMP_KEY)
        screen = _read_until_closed(master, time.monotonic() + timeout)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    text = screen.decode(errors="replace")
    assert out.exists(), f"{shell} never wrote its line; the terminal showed:\n{text}"
    return Typed(out.read_text().rstrip("\n"), text)


def _read_until_closed(master: int, deadline: float) -> bytes:
    """Everything the shell writes until it exits (the pty closes) or the deadline passes."""
    chunks = []
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([master], [], [], left)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the shell has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)
