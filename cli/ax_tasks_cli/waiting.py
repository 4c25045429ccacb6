"""What the progress line says while waiting for a run.

At every poll the line (``progress.Progress``, on a terminal only) shows the run's status,
counts and elapsed time.  The line never reaches the terminal's last column (a line that wraps
cannot be redrawn in place): on a narrow terminal it takes a shorter form, then is cut.  A
notice the service gives (a status this version does not know) is shown on any stderr.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ax_tasks_cli.columns import status_style

if TYPE_CHECKING:
    from ax_tasks_cli.progress import Progress
    from ax_tasks_mcp import RunProgress

__all__ = ["WaitLine", "counts_text", "format_elapsed", "progress_text"]

# The spinner and its gap before the text.
_SPINNER = 2


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


def progress_text(progress: RunProgress, *, width: int | None = None) -> str:
    """The status line; with a ``width``, at most ``width - 1`` characters."""
    forms = _forms(progress)
    text = forms[0]
    if width is not None:
        room = max(1, width - 1)
        text = next((form for form in forms if len(form) <= room), forms[-1])
        if len(text) > room:
            text = text[: room - 1] + "…"
    return text


class WaitLine:
    """A callable for ``TasksService.wait_for_run(on_progress=...)``: each poll redraws the
    progress line."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.updates = 0

    def __call__(self, progress: RunProgress) -> None:
        self.updates += 1
        if progress.notice:  # said once by the service, shown on any stderr
            self.progress.note(f"Warning: {progress.notice}")
        width = self.progress.width
        text = progress_text(progress, width=None if width is None else width - _SPINNER)
        self.progress.show(text, emphasis=progress.status, style=status_style(progress.status))
