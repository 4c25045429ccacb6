"""The live progress line shown on stderr while waiting for a run.

On a terminal the line is rewritten after every poll (status, counts, elapsed time); anywhere
else nothing is written while waiting, so logs stay clean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from cli.columns import status_color

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


def progress_text(progress: RunProgress, *, color: bool = False) -> str:
    status = progress.status
    code = status_color(status)
    shown = f"\x1b[{code}m{status}\x1b[0m" if color and code else status
    counts = counts_text(progress.num_successes, progress.num_errors, progress.num_skipped)
    text = f"Run {progress.run_id}: {shown} · {counts} · {format_elapsed(progress.elapsed)} elapsed"
    if progress.transient_errors:
        failed = progress.transient_errors
        text += f" · {failed} failed poll{'' if failed == 1 else 's'}"
    return text


class ProgressLine:
    """A callable for ``TasksService.wait_for_run(on_progress=...)``."""

    def __init__(self, stream: TextIO, *, enabled: bool, color: bool = False) -> None:
        self.stream = stream
        self.enabled = enabled
        self.color = color
        self.drawn = False
        self.updates = 0
        self._last_width = 0

    def __call__(self, progress: RunProgress) -> None:
        self.updates += 1
        if not self.enabled:
            return
        plain = progress_text(progress)
        text = progress_text(progress, color=self.color)
        padding = " " * max(0, self._last_width - len(plain))
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
