"""Writing output where it goes, so that it never lies.

* A file is written beside its destination, then renamed over it (:func:`write_atomically`):
  a full disk leaves neither an empty nor a partial file, and a file that was there stays whole.
* Stdout that cannot take the output (a full disk) is one line of error, exit 1
  (:class:`OutputFailed`).
* A reader that closed the pipe (``ax-tasks list --all | head -1``) is no error: writing stops
  (:class:`ReaderGone`), a list stops fetching pages, and the command exits as it would have,
  in every format.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ax_tasks_cli.errors import CliProblem, UsageProblem

__all__ = [
    "DISK_ERRNOS",
    "OutputFailed",
    "ReaderGone",
    "disk_failed",
    "silence",
    "silence_stdout",
    "write_atomically",
    "write_failed",
    "write_stdout",
]

#: Failures of the disk, not of the name the user gave: exit 1 rather than 2.
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG})


class OutputFailed(CliProblem):
    """The output could not be written (a full disk): exit 1, nothing partial left behind."""

    kind = "output_failed"


class ReaderGone(Exception):
    """Stdout's reader closed the pipe (``| head``): not an error; the command stops writing."""


def _open_temp(path: Path) -> tuple[TextIO, str]:
    """A new file beside ``path`` (same folder, so the rename stays on one disk), with the
    permissions ``path`` has, or the umask's for a new file; and its name."""
    fd, temp = _new_temp(path)
    with contextlib.suppress(FileNotFoundError):
        os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
    return os.fdopen(fd, "w", encoding="utf-8", newline=""), temp


def _new_temp(path: Path) -> tuple[int, str]:
    for attempt in range(100):
        temp = path.with_name(f".{path.name}.{os.getpid()}.{attempt}.tmp")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), str(temp)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


def write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write ``chunks`` to a file beside ``path``, then rename it over ``path``: a reader (or a
    full disk) never sees an empty or partial file.  The temporary file is removed on any
    failure, and the ``OSError`` is raised again."""
    handle, temp = _open_temp(path)
    try:
        with handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def disk_failed(exc: BaseException) -> OutputFailed | None:
    """A full (or failing) disk met anywhere in a command, as the one-line error it is; None
    for any other failure.  Stdout is silenced: it may be what could not be written."""
    if not isinstance(exc, OSError) or exc.errno not in DISK_ERRNOS:
        return None
    silence_stdout()
    return OutputFailed(f"a write failed: {exc.strerror or exc}.")


def write_failed(where: str, exc: OSError) -> CliProblem:
    reason = exc.strerror or str(exc)
    if exc.errno in DISK_ERRNOS:
        return OutputFailed(f"could not write the output to {where}: {reason}.")
    return UsageProblem(f"--output: cannot write {where}: {reason}.")


def silence(stream: TextIO) -> None:
    """Point ``stream`` at the null device once it cannot be written (its reader left, or the
    disk is full), so the interpreter's last flush does not fail a second time (exit 120)."""
    with contextlib.suppress(AttributeError, OSError, ValueError, io.UnsupportedOperation):
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)


def silence_stdout() -> None:
    silence(sys.stdout)


def write_stdout(stream: TextIO, chunks: Iterable[str]) -> None:
    """Write ``chunks`` to stdout as they come; :class:`ReaderGone` when the reader left,
    :class:`OutputFailed` when it cannot take them."""
    try:
        for chunk in chunks:
            stream.write(chunk)
            stream.flush()
    except BrokenPipeError:
        silence_stdout()
        raise ReaderGone from None
    except OSError as exc:
        silence_stdout()
        raise write_failed("stdout", exc) from None
