"""The live progress line shown on stderr while waiting for a run.

On a terminal the line is rewritten after every poll (status, counts, elapsed time); anywhere
else nothing is written while waiting, so logs stay clean.  The line never reaches the
terminal's last column (a line that wraps cannot be rewritten in place): on a narrow terminal
it takes a shorter form, then is cut.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from ax_tasks_cli.columns import status_color

if TYPE_CHECKING:
    from ax_tasks_mcp import RunProgress

__all__ = ["ProgressLine", "counts_text", "format_elapsed", "progress_text"]


def counts_text(successes: int, errors: int, skipped: int) -> str:
    """``12 succeeded, 1 error, 0 skipped``."""
    return f"{successes} succeeded, {errors} error{'' if errors == 1 else 's'}, {skipped} skipped"


def format_elapsed(seconds: float) -> str:
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _forms(progress: RunProgress) -> list[str]:
    """The line's plain text, longest form first."""
    status = progress.status
    elapsed = format_elapsed(progress.elapsed)
    counts = counts_text(progress.num_successes, progress.num_errors, progress.num_skipped)
    failed = progress.transient_errors
    polls = f" · {failed} failed poll{'' if failed == 1 else 's'}" if failed else ""
    short = f"{progress.num_successes} ok, {progress.num_errors} err, {progress.num_skipped} skip"
    return [
        f"Run {progress.run_id}: {status} · {counts} · {elapsed} elapsed{polls}",
        f"{status} · {short} · {elapsed}" + (f" · {failed} failed" if failed else ""),
    ]


def progress_text(progress: RunProgress, *, color: bool = False, width: int | None = None) -> str:
    """The status line; with a ``width``, at most ``width - 1`` characters."""
    forms = _forms(progress)
    text = forms[0]
    if width is not None:
        room = max(1, width - 1)
        text = next((form for form in forms if len(form) <= room), forms[-1])
        if len(text) > room:
            text = text[: room - 1] + "…"
    code = status_color(progress.status)
    if color and code and progress.status in text:
        text = text.replace(progress.status, f"\x1b[{code}m{progress.status}\x1b[0m", 1)
    return text


class ProgressLine:
    """A callable for ``TasksService.wait_for_run(on_progress=...)``."""

    def __init__(
        self,
        stream: TextIO,
        *,
        enabled: bool,
        color: bool = False,
        width: Callable[[], int] | None = None,
    ) -> None:
        self.stream = stream
        self.enabled = enabled
        self.color = color
        self.width = width
        """The terminal's width, asked at every poll (the window may be resized)."""
        self.drawn = False
        self.updates = 0
        self._last_width = 0

    def __call__(self, progress: RunProgress) -> None:
        self.updates += 1
        if progress.notice:  # said once by the service, shown on any stderr
            self.finish()
            self.stream.write(f"Warning: {progress.notice}\n")
            self.stream.flush()
        if not self.enabled:
            return
        width = self.width() if self.width is not None else None
        plain = progress_text(progress, width=width)
        text = progress_text(progress, color=self.color, width=width)
        room = width - 1 if width is not None else self._last_width
        padding = " " * max(0, min(self._last_width, room) - len(plain))
        self.stream.write("\r" + text + padding)
        self.stream.flush()
        self._last_width = len(plain)
        self.drawn = True

    def finish(self) -> None:
        """End the live line so later messages start on a fresh line."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
